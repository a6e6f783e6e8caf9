"""Retries with backoff through the downloader slot, and 429 answered with the wait it asks for.

Scrapy's RetryMiddleware (whose settings, meta keys and stats this keeps: RETRY_HTTP_CODES,
RETRY_EXCEPTIONS, `dont_retry`, `max_retry_times`, `retry/count`) retries at once. A
struggling server, or a rate-limited API such as GDELT's (one request per 5 s), needs the
retry to wait. The wait goes into the host's downloader slot (its `delay`, counted from now),
so the retry and every other request to that host queue behind it while downloads from
other hosts go on; an `asyncio.sleep` here would hold one of CONCURRENT_REQUESTS meanwhile.
The slot's delay is put back after the host's next answer that is not retried.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping

from scrapy.core.downloader import Slot
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError
from scrapy.utils.response import response_status_message
from twisted.internet.error import DNSLookupError

MAX_RETRY_AFTER = 120.0  # seconds: asked to come back later than this, give up for this run
NEVER_RETRIED = (CannotResolveHostError, DNSLookupError)  # a name that does not resolve


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
    """Scrapy's retry, waiting `base_delay * 2**attempt` (or Retry-After) in the host's slot."""

    def __init__(self, settings, slots: Callable[[], Mapping[str, Slot]] | None = None) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("STORYWATCH_RETRY_DELAY")
        self.slots = slots or (lambda: {})
        self._restore: dict[str, float] = {}  # slot key -> its delay before the backoff

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler.settings, lambda: crawler.engine.downloader.slots)
        middleware.crawler = crawler
        return middleware

    def wait_for(self, request) -> float:
        """Seconds before the next attempt: 1, 2, 4... times STORYWATCH_RETRY_DELAY."""
        return self.base_delay * (2 ** request.meta.get("retry_times", 0))

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            self._relax(request)
            return response
        wait = self.wait_for(request)
        if response.status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), wait)
            if wait > MAX_RETRY_AFTER:
                return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self._back_off(request, wait)
        return retry

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, NEVER_RETRIED):
            return None
        retry = super().process_exception(request, exception)
        if retry is not None:
            self._back_off(request, self.wait_for(request))
        return retry

    def _back_off(self, request, wait: float) -> None:
        key = request.meta.get("download_slot")
        slot = self.slots().get(key)
        if slot is None:
            return
        self._restore.setdefault(key, slot.delay)
        slot.delay = max(slot.delay, wait)
        slot.lastseen = time.monotonic()  # the slot's next download starts `delay` from now
        self.crawler.stats.inc_value("retry/backoff_seconds", wait)

    def _relax(self, request) -> None:
        key = request.meta.get("download_slot")
        slot = self.slots().get(key)
        if key in self._restore and slot is not None:
            slot.delay = self._restore.pop(key)
