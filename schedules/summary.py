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

# Counted, never listed (crawler.tally EXTRA).
NOTES = {
    "old_sitemaps": "child sitemap(s) not fetched (before window)",
    "long_urls": "link(s) over 2,048 characters not fetched (URLLENGTH_LIMIT)",
    "links_over_cap": "link(s) beyond the document's cap not read",
    "bad_scheme": "link(s) in a scheme never fetched (file:, data:, ftp:, javascript:)",
}


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
    for name, tally in zip(names, tallies.values(), strict=True):
        for key, note in NOTES.items():
            if tally.get(key):
                lines.append(f"{indent}{name}: {tally[key]} {note}")
    return lines


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."
