"""At the crawl's time budget, or on a stop signal, drop the downloads still waiting in the
downloader.

Scrapy's CloseSpider extension closes the spider at CLOSESPIDER_TIMEOUT (from
`crawl.budget`), but the engine then waits for every request already handed to the
downloader, including those queued behind a slot's concurrency: four pages that stall after
their headers, two per host, kept a 3 s budget running for 23 s (two download timeouts in a
row). This extension, shaped like CloseSpider (settings read once, NotConfigured when off, its
timer cancelled on close), empties the slots' queues at the same moment; each dropped request
fails with `BudgetSpent` and counts as unfinished, never as a failure. Downloads already
transferring end within their DOWNLOAD_TIMEOUT, so a crawl ends by budget + download_timeout.

A stop signal (SIGTERM, SIGINT) does the same (`drop_waiting_downloads`, called by
crawler.runner's process): Scrapy's graceful stop takes no new requests from the scheduler
but still downloads those already queued in slots, one download timeout after another.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import call_later


class BudgetSpent(IgnoreRequest):
    """The crawl's time budget ran out before this request was downloaded."""


def drop_waiting_downloads(crawler, reason: str) -> int:
    """Fail every request queued in a downloader slot with BudgetSpent(reason); returns how
    many (counted as unfinished by the spider, never as failures)."""
    engine = getattr(crawler, "engine", None)
    if engine is None or engine.downloader is None:
        return 0
    dropped = 0
    for slot in list(engine.downloader.slots.values()):
        while slot.queue:
            _request, waiting = slot.queue.popleft()
            waiting.errback(BudgetSpent(reason))
            dropped += 1
    crawler.stats.inc_value("storywatch/dropped_waiting", dropped)
    return dropped


class DownloadsAtBudget:
    def __init__(self, seconds: float, crawler) -> None:
        self.seconds = seconds
        self.crawler = crawler
        self.task = None

    @classmethod
    def from_crawler(cls, crawler) -> DownloadsAtBudget:
        seconds = crawler.settings.getfloat("CLOSESPIDER_TIMEOUT")
        if not seconds:
            raise NotConfigured
        extension = cls(seconds, crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider=None) -> None:
        self.task = call_later(self.seconds, self.drop_waiting)

    def drop_waiting(self) -> int:
        """Fail every request queued in a downloader slot; returns how many."""
        reason = f"the crawl's time budget ({self.seconds:g}s) ran out"
        dropped = drop_waiting_downloads(self.crawler, reason)
        self.crawler.stats.inc_value("storywatch/dropped_at_budget", dropped)
        return dropped

    def spider_closed(self, spider=None) -> None:
        if self.task is not None:
            self.task.cancel()  # a no-op once it has run
            self.task = None
