"""The per-source table of a run, for the crawl summary and `storywatch status`.

Each row adds up (crawler.tally): listed + carried = outside window + repeated + known +
capped + fetched, and fetched = stored + unchanged + not coverage + refused + failed +
unfinished.
"""

from __future__ import annotations

from collections.abc import Mapping

# (heading, tally key), in the order the identities read.
COLUMNS = (
    ("listed", "listed"),
    ("carried", "carried"),
    ("outside", "outside_window"),
    ("repeated", "repeated"),
    ("known", "known"),
    ("capped", "capped"),
    ("fetched", "fetched"),
    ("stored", "stored"),
    ("unchanged", "unchanged"),
    ("not-cov", "not_coverage"),
    ("refused", "refused"),
    ("failed", "failed"),
    ("unfinished", "unfinished"),
)
# Shown even when zero: what the issue of record names (listed, window, cap, fetched, stored,
# failed); the others only when some source has one.
ALWAYS = {"listed", "outside_window", "capped", "fetched", "stored", "failed"}
LEGEND = (
    "listed + carried (kept from an earlier run) = outside (the story window) + repeated "
    "+ known (not due) + capped (waits for the next run) + fetched; fetched = stored + "
    "unchanged + not-cov (irrelevant, no article, a listing) + refused + failed + unfinished"
)


def source_table(tallies: Mapping[str, Mapping[str, int]], indent: str = "  ") -> list[str]:
    """One line per source, with a heading; no lines when there are no sources. Columns that
    are zero for every source are left out, except those in ALWAYS."""
    if not tallies:
        return []
    names = [_short(name) for name in tallies]
    columns = [
        (heading, key)
        for heading, key in COLUMNS
        if key in ALWAYS or any(tally.get(key, 0) for tally in tallies.values())
    ]
    width = max(len("source"), *(len(name) for name in names))
    head = indent + "source".ljust(width) + "".join(f" {h:>{len(h)}}" for h, _ in columns)
    lines = [head]
    for name, tally in zip(names, tallies.values(), strict=True):
        cells = "".join(f" {tally.get(key, 0):>{len(h)}}" for h, key in columns)
        lines.append(indent + name.ljust(width) + cells)
    old = {n: t.get("old_sitemaps", 0) for n, t in zip(names, tallies.values(), strict=True)}
    for name, skipped in old.items():
        if skipped:
            lines.append(f"{indent}{name}: {skipped} child sitemap(s) not fetched (before window)")
    return lines


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."
