"""Incremental crawling: skip known pages that are not due, ask the rest conditionally.

Known pages are stored articles and pages read before and not kept (irrelevant, no article).

An article is re-checked while it is young (`crawl.recheck_for`), less often as it ages: it is
due again once the time since it was last seen is a quarter of its age. Due articles are asked
with If-None-Match / If-Modified-Since; a 304 only moves last_seen_at.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from storage.store import Known, Store

BACKOFF_SHARE = 0.25


class AlreadyKnown(IgnoreRequest):
    """A stored article that is not due for a re-check (not a failure)."""


def is_due(known: Known, now: datetime, recheck_for: timedelta) -> bool:
    """Young articles are re-checked, each time after a quarter of their age has passed."""
    age = now - known.first_seen_at
    if age > recheck_for:
        return False
    return now - known.last_seen_at >= age * BACKOFF_SHARE


class KnownArticlesMiddleware:
    def __init__(self, store: Store, recheck_for: timedelta, stats=None) -> None:
        self.store = store
        self.recheck_for = recheck_for
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        store = Store(settings["STORYWATCH_DATABASE_URL"])
        seconds = settings.getfloat("STORYWATCH_RECHECK_FOR")
        middleware = cls(store, timedelta(seconds=seconds), crawler.stats)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def close(self, spider=None) -> None:
        self.store.close()

    def process_request(self, request, spider=None):
        # Checked once per URL: a redirect's target is looked up again, a retry is not.
        if not request.meta.get("article") or request.meta.get("known_checked") == request.url:
            return None
        request.meta["known_checked"] = request.url
        known = self.store.known(request.url)
        if known is None:
            return None
        if not is_due(known, datetime.now(UTC), self.recheck_for):
            self.stats.inc_value("storywatch/known_skipped")
            raise AlreadyKnown(f"known and not due: {request.url}")
        request.meta["known_url"] = request.url
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        return None

    def process_response(self, request, response, spider=None):
        if response.status == 304 and request.meta.get("known_url"):
            self.store.touch(request.meta["known_url"])
            self.stats.inc_value("storywatch/not_modified")
            raise AlreadyKnown(f"not modified: {request.url}")
        return response
