"""Incremental crawling: conditional requests for pages read before.

Known pages are stored articles and pages read before and not kept (irrelevant, no article).
The frontier (crawler.frontier) passes over the known ones that are not due; a due one reaches
this middleware with what the store knows of it in `meta["known"]`, and is asked with
If-None-Match / If-Modified-Since. A 304 only moves last_seen_at (written in batches by the
crawl's writer thread, crawler.crawlstore).

An article is re-checked while it is young (`crawl.recheck_for`), less often as it ages: it is
due again once the time since it was last seen is a quarter of its age.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.crawlstore import crawl_extension
from crawler.tally import count
from storage.store import Known, Store

BACKOFF_SHARE = 0.25


class AlreadyKnown(IgnoreRequest):
    """A page read before that has not changed (not a failure)."""


def is_due(known: Known, now: datetime, recheck_for: timedelta) -> bool:
    """Young articles are re-checked, each time after a quarter of their age has passed."""
    age = now - known.first_seen_at
    if age > recheck_for:
        return False
    return now - known.last_seen_at >= age * BACKOFF_SHARE


# 304s recorded per writer call: one transaction for many, not one each (a re-crawl of 2,000
# unchanged pages is 2,000 of them).
TOUCH_BATCH = 200


class ConditionalRequestMiddleware:
    """Downloader middleware: validators out, 304 in."""

    def __init__(self, crawler, batch: int = TOUCH_BATCH) -> None:
        self.crawler = crawler
        self.batch = batch
        self._unchanged: list[str] = []

    @classmethod
    def from_crawler(cls, crawler) -> ConditionalRequestMiddleware:
        middleware = cls(crawler)
        # Before engine_stopped, when the crawl's writer finishes what it was handed.
        crawler.signals.connect(middleware.flush, signal=signals.spider_closed)
        return middleware

    def flush(self, spider=None, reason: str = "") -> None:
        """Hand the 304s gathered so far to the crawl's writer thread (last_seen_at moves)."""
        if self._unchanged:
            urls, self._unchanged = self._unchanged, []
            crawl_extension(self.crawler).write_later(
                Store.touch_many, urls, what=f"{len(urls)} answers of 304"
            )

    def process_request(self, request, spider=None):
        known: Known | None = request.meta.get("known")
        if known is not None:
            if known.etag:
                request.headers.setdefault("If-None-Match", known.etag)
            if known.last_modified:
                request.headers.setdefault("If-Modified-Since", known.last_modified)
        return None

    def process_response(self, request, response, spider=None):
        if response.status == 304 and request.meta.get("known") is not None:
            self._unchanged.append(request.meta.get("canonical_key") or request.url)
            if len(self._unchanged) >= self.batch:
                self.flush()
            self.crawler.stats.inc_value("storywatch/not_modified")
            count(self.crawler.stats, request.meta.get("source", ""), "unchanged")
            raise AlreadyKnown(f"not modified: {request.url}")
        return response
