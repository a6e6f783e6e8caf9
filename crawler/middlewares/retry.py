"""Retries with backoff for 5xx and timeouts, and 429 answered with the wait it asks for.

Scrapy's own RetryMiddleware retries at once; a struggling server, or a rate-limited API such
as GDELT's (one request per 5 s), needs the retry to wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import time

from scrapy.downloadermiddlewares.retry import get_retry_request
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web.client import ResponseFailed

RETRY_STATUSES = {500, 502, 503, 504, 408, 522, 524}
RETRY_EXCEPTIONS = (TimeoutError, TCPTimedOutError, ConnectionLost, ResponseFailed, ConnectError)
MAX_RETRY_AFTER = 120.0


def retry_after_seconds(value: bytes | str | None, default: float) -> float:
    """Seconds from a Retry-After header (a number or an HTTP date), else the default."""
    if not value:
        return default
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if text.strip().isdigit():
        return float(text.strip())
    parsed = email.utils.parsedate_to_datetime(text) if text else None
    return max(0.0, parsed.timestamp() - time.time()) if parsed else default


class BackoffRetryMiddleware:
    def __init__(self, max_retries: int = 2, base_delay: float = 1.0, crawler=None) -> None:
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.getint("RETRY_TIMES"), settings.getfloat("STORYWATCH_RETRY_DELAY"), crawler
        )

    def _delay(self, request) -> float:
        attempt = request.meta.get("retry_times", 0)
        return self.base_delay * (2**attempt)

    async def process_response(self, request, response, spider=None):
        if response.status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), self._delay(request))
            if wait > MAX_RETRY_AFTER:
                return response  # asked to come back much later: give up this run
            return await self._retry(request, response, f"429 (waited {wait:.0f}s)", wait, spider)
        if response.status in RETRY_STATUSES:
            return await self._retry(
                request, response, f"HTTP {response.status}", self._delay(request), spider
            )
        return response

    async def process_exception(self, request, exception, spider=None):
        if isinstance(exception, DNSLookupError) or not isinstance(exception, RETRY_EXCEPTIONS):
            return None
        retry = await self._retry(
            request, None, type(exception).__name__, self._delay(request), spider
        )
        return retry

    async def _retry(self, request, response, reason: str, wait: float, spider):
        retry = get_retry_request(
            request,
            spider=spider or self.crawler.spider,
            reason=reason,
            max_retry_times=self.max_retries,
        )
        if retry is None:
            return response
        await asyncio.sleep(wait)
        return retry
