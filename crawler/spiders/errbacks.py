"""The spider's failure handling: one line per failed request, callback or pipeline, each
counted for its source (crawler.tally); a 304, a robots.txt refusal and a retry that waits are
not failures."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError

from crawler.budget import BudgetSpent
from crawler.config import SourceConfig
from crawler.crawlstore import crawl_store
from crawler.failures import record_failure
from crawler.middlewares.address import UnsafeAddress
from crawler.middlewares.known import AlreadyKnown
from crawler.middlewares.retry import RetryLater
from crawler.resolver import refusal
from crawler.tally import count


class FailedRequests:
    """Mixin of CoverageSpider: errbacks and error signals."""

    def on_error(self, failure, response, spider=None) -> None:
        """A callback that raised: its document's remaining work is lost, so say so."""
        error = failure.value
        record_failure(
            self.crawler.stats,
            f"{response.meta.get('what', 'page')} {response.url}: could not be read "
            f"({type(error).__name__}: {error})",
        )
        if response.meta.get("article"):
            count(self.crawler.stats, response.meta.get("source", ""), "failed")

    def on_item_error(self, item, response, spider=None, failure=None) -> None:
        """A pipeline that raised (a full disk, a lock held, a URL too long for a column): the
        page is lost for this run, so it is a failure line, never a silent drop."""
        error = failure.value if failure is not None else None
        record_failure(
            self.crawler.stats,
            f"article {getattr(item, 'url', response.url)}: not stored "
            f"({type(error).__name__}: {error})",
        )
        count(self.crawler.stats, getattr(item, "source", ""), "failed")

    def _article_failed(self, source: SourceConfig, line: str) -> None:
        record_failure(self.crawler.stats, line)
        count(self.crawler.stats, source.label, "failed")

    def failed(self, failure):
        """One line per failed request; a 304 and a robots.txt refusal are not failures."""
        request = failure.request
        meta = request.meta
        if failure.check(RetryLater):
            return  # the request comes back after its wait (crawler.middlewares.retry)
        if not failure.check(AlreadyKnown, BudgetSpent):  # budget: counted as unfinished
            self._count_failure(failure, request)
        if not meta.get("article") and meta.get("source") in self.sources:
            self._listing_done(request)  # a source document that failed is done too
            yield from self._flush(self.sources[meta["source"]])

    def _count_failure(self, failure, request) -> None:
        meta, stats = request.meta, self.crawler.stats
        article = bool(meta.get("article"))
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            stats.inc_value("storywatch/robots_forbidden")
            if article:
                count(stats, meta["source"], "refused")
            return
        connect_refusal = refusal(urlsplit(request.url).hostname)
        if connect_refusal and failure.check(DNSLookupError, CannotResolveHostError):
            reason = connect_refusal  # crawler.resolver: a rebinding name, caught at connection
        elif failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "skipped"
        else:
            reason = failure.getErrorMessage() or type(failure.value).__name__
        what, name = meta.get("what", "request"), meta.get("source", "")
        named = f" '{name}'" if what.endswith("source") and name and name != request.url else ""
        record_failure(stats, f"{what}{named} {request.url}: {reason}")
        if article:
            refused = failure.check(UnsafeAddress) is not None or reason == connect_refusal
            count(stats, meta["source"], "refused" if refused else "failed")
            self._after_failed_fetch(failure, request)

    def _after_failed_fetch(self, failure, request) -> None:
        """A page that is gone (404, 410) is remembered like any page read, so it is asked
        again only as a known page is; one that failed in transit (a timeout, a refused
        connection, an outage) waits for the next run like a capped candidate."""
        candidate = request.meta.get("candidate")
        if candidate is None:
            return
        if failure.check(HttpError):
            if failure.value.response.status in (404, 410):
                crawl_store(self.crawler).record_page(candidate.key, "gone")
        elif not failure.check(IgnoreRequest):
            self._retry_next.append(candidate)
