"""Time per stage of a crawl, as Scrapy stats: `storywatch/seconds/<stage>`, summed over pages.

Stages: fetch (each response's download latency, so concurrent downloads add up), extract and
signature (measured in the pool worker), relevance, dedupe (the near-duplicate index) and store
(the rest of the store's work, in the writer thread). `make bench` prints them per page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from scrapy import signals

PREFIX = "storywatch/seconds/"


def add_time(stats, stage: str, seconds: float) -> None:
    stats.inc_value(PREFIX + stage, seconds, start=0.0)


@contextmanager
def timed(stats, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        add_time(stats, stage, time.perf_counter() - started)


class FetchTimer:
    """Extension: adds each response's download latency to the fetch stage."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> FetchTimer:
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def response_received(self, response, request, spider=None) -> None:
        latency = request.meta.get("download_latency")
        if latency is not None:
            add_time(self.stats, "fetch", latency)
