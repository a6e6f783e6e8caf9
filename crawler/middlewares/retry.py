"""Retries with backoff that wait outside the downloader, and 429 answered with the wait it asks.

Scrapy's RetryMiddleware (whose settings, meta keys and stats this keeps: RETRY_HTTP_CODES,
RETRY_EXCEPTIONS, `dont_retry`, `max_retry_times`, `retry/count`) retries at once. A
struggling server, or a rate-limited API such as GDELT's (one request per 5 s), needs the
retry to wait; but a request that waits inside the downloader holds one of
CONCURRENT_REQUESTS for the whole wait, whether it sleeps in this middleware or sits in its
host's slot queue behind a raised slot delay (the downloader counts both as active: with
concurrency 1, a 429 asking for 4 s stalled every other host for 4 s either way). So the retry
leaves the downloader (`RetryLater`, an IgnoreRequest the spider does not count as a failure)
and is handed back to the engine when its wait is over; the spider stays open meanwhile.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, DontCloseSpider, IgnoreRequest
from scrapy.utils.asyncio import call_later
from scrapy.utils.response import response_status_message
from twisted.internet.error import DNSLookupError

MAX_RETRY_AFTER = 120.0  # seconds: asked to come back later than this, give up for this run
NEVER_RETRIED = (CannotResolveHostError, DNSLookupError)  # a name that does not resolve


class RetryLater(IgnoreRequest):
    """This attempt is over; a retry of the request comes back after its wait."""


def retry_after_seconds(value: bytes | str | None, default: float) -> float:
    """Seconds from a Retry-After header (a number or an HTTP date, RFC 9110 10.2.3), else
    the default."""
    if not value:
        return default
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if text.strip().isdigit():
        return float(text.strip())
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return default
    return max(0.0, parsed.timestamp() - time.time())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, re-scheduled after `base_delay * 2**attempt` seconds (or Retry-After)."""

    def __init__(self, settings, later: Callable[[float, object], None] | None = None) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("STORYWATCH_RETRY_DELAY")
        self.later = later or self._crawl_later
        self._timers: dict[int, object] = {}  # id(request) -> its pending timer

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.keep_open, signal=signals.spider_idle)
        crawler.signals.connect(middleware.cancel_all, signal=signals.spider_closed)
        return middleware

    def wait_for(self, request) -> float:
        """Seconds before the next attempt: 1, 2, 4... times STORYWATCH_RETRY_DELAY."""
        return self.base_delay * (2 ** request.meta.get("retry_times", 0))

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = self.wait_for(request)
        if response.status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), wait)
            if wait > MAX_RETRY_AFTER:
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        return self._wait_then(retry, wait)

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, NEVER_RETRIED):
            return None
        retry = super().process_exception(request, exception)
        return None if retry is None else self._wait_then(retry, self.wait_for(request))

    def _wait_then(self, retry, wait: float):
        if retry.errback is None:  # engine.download (robots.txt): retried at once, as Scrapy does
            return retry
        self.later(wait, retry)
        self.crawler.stats.inc_value("retry/backoff_seconds", wait)
        raise RetryLater(f"retrying {retry.url} in {wait:g} s")

    def _crawl_later(self, wait: float, retry) -> None:
        def crawl() -> None:
            self._timers.pop(id(retry), None)
            self.crawler.engine.crawl(retry)

        self._timers[id(retry)] = call_later(wait, crawl)

    def keep_open(self, spider=None) -> None:
        if self._timers:
            raise DontCloseSpider

    def cancel_all(self, spider=None) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
