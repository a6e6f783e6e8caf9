"""Per-source accounting of a crawl: every candidate a source listed ends in exactly one count.

Kept as numbers in the crawler's stats (`storywatch/source/<source>/<count>`), like Scrapy's
own namespaced stat keys, and read back as one dict per source for the run summary and
`storywatch status`. The counts add up:

    listed + carried = outside_window + repeated + known + capped + fetched
    fetched          = stored + unchanged + not_coverage + refused + failed + unfinished

- listed: entries the source listed in this run (feed items, sitemap URLs, search results,
  links on a section page); carried: candidates kept from an earlier run (over its cap);
- outside_window: dated before the story's start (`story.since`);
- repeated: listed again in this run (by this source or another): fetched once only;
- known: stored or read before and not due for a re-check;
- capped: over the source's `crawl.max_pages_per_run`: kept for the next run;
- fetched: requested; then stored (new, updated or a duplicate), unchanged (same text, HTTP
  304, or a search link that led to a page another listing fetched in this run), not_coverage (irrelevant, no article, a listing page), refused (robots.txt, the address
  guard), failed (one failure line each), unfinished (still in flight when the crawl stopped).
"""

from __future__ import annotations

from collections.abc import Mapping

PREFIX = "storywatch/source/"
SUPPLY = ("listed", "carried")
FATES = ("outside_window", "repeated", "known", "capped", "fetched")
OUTCOMES = ("stored", "unchanged", "not_coverage", "refused", "failed")
# Not candidates, so outside the identities: child sitemaps whose lastmod is before the window;
# sitemap entries whose <loc> is no usable URL (relative, empty); links longer than
# URLLENGTH_LIMIT; links beyond a document's cap (crawler.spiders.coverage MAX_LINKS); links in
# a scheme never fetched (file:, data:, ftp:, javascript:).
EXTRA = ("old_sitemaps", "unusable", "long_urls", "links_over_cap", "bad_scheme")
COUNTS = (*SUPPLY, *FATES, *OUTCOMES, "unfinished", *EXTRA)


def count(stats, source: str, what: str, amount: int = 1) -> None:
    """Add to one source's count (`what` is one of COUNTS)."""
    if amount:
        stats.inc_value(f"{PREFIX}{source}/{what}", amount)


def ensure(stats, source: str) -> None:
    """Give a source its row even when it listed nothing (a silent source shows as zeros)."""
    stats.inc_value(f"{PREFIX}{source}/listed", 0)


def source_tallies(stats: Mapping[str, object]) -> dict[str, dict[str, int]]:
    """{source: {count: number}} from a crawl's stats, every count present, `unfinished` derived."""
    tallies: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if not key.startswith(PREFIX):
            continue
        source, _, what = key[len(PREFIX) :].rpartition("/")
        tally = tallies.setdefault(source, dict.fromkeys(COUNTS, 0))
        tally[what] = int(value or 0)
    for tally in tallies.values():
        settled = sum(tally[name] for name in OUTCOMES)
        tally["unfinished"] = max(0, tally["fetched"] - settled)
    return tallies


def adds_up(tally: Mapping[str, int]) -> bool:
    """Both identities of the module docstring hold for one source's tally."""
    supplied = sum(tally[name] for name in SUPPLY)
    settled = sum(tally[name] for name in OUTCOMES) + tally["unfinished"]
    return supplied == sum(tally[name] for name in FATES) and tally["fetched"] == settled
