"""The spider's frontier bookkeeping: candidates offered as listings are read, each source's
best fetched once its listings are all in, the rest kept for the next run (crawler.frontier,
storage.candidates), every one counted (crawler.tally)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import DontCloseSpider

from crawler.config import SourceConfig
from crawler.crawlstore import crawl_store
from crawler.failures import record_failure
from crawler.middlewares.known import is_due
from crawler.sources import (
    Link,
    listing_text,
)
from crawler.tally import count, ensure
from storage.candidates import Pending
from storage.urls import canonicalize_url

# Candidates kept for a later run, per source, as a multiple of the per-run cap: the
# lowest-scored beyond it are dropped (a section page's navigation links, run after run).
MAX_WAITING_RUNS = 20


class FrontierFlow:
    """Mixin of CoverageSpider: offering, flushing and keeping candidates."""

    def _carry_waiting(self) -> None:
        """Candidates an earlier run left over its cap join this run's frontier."""
        queue = crawl_store(self.crawler).candidates
        for label in self.sources:
            carried = sum(self.frontier.carry(pending) for pending in queue.waiting(label))
            count(self.crawler.stats, label, "carried", carried)

    def _listing_done(self, request: scrapy.Request) -> None:
        """A source document was read (or failed): idempotent, keyed by the request's token."""
        self._listing.get(request.meta.get("source"), set()).discard(
            request.meta.get("listing_token")
        )

    def _first_reading(self, url: str) -> bool:
        """A sitemap not yet requested in this run (an index may list itself, or loop)."""
        key = canonicalize_url(url)
        if key in self._sitemaps_read:
            return False
        self._sitemaps_read.add(key)
        return True

    def _offer(self, link: Link, source: SourceConfig, depth: int) -> int:
        """One listed link becomes a candidate; returns 1 if it was counted as listed."""
        scheme = urlsplit(link.url).scheme
        if scheme not in ("http", "https"):  # file:, data:, ftp:, javascript: never fetched
            count(self.crawler.stats, source.label, "bad_scheme")
            record_failure(
                self.crawler.stats,
                f"{source.kind} source {source.label}: entry {link.url[:120]}: "
                f"scheme {scheme!r} is not fetched",
            )
            return 0
        if len(link.url) > self.settings.getint("URLLENGTH_LIMIT"):
            count(self.crawler.stats, source.label, "long_urls")
            return 1
        address = link.url.split("#", 1)[0]
        if link.published is not None and link.published > self._latest_credible:
            link = replace(link, published=None)  # a date in the future is no date
            self.crawler.stats.inc_value("storywatch/future_dates")
        key = address if self.google_news.is_link(address) else canonicalize_url(address)
        candidate = Pending(
            source=source.label,
            key=key,
            url=address,
            title=link.title,
            description=link.description,
            outlet=link.outlet,
            published_at=link.published,
            score=self.profile.listing_score(listing_text(link)),
            depth=depth,
        )
        fate = self.frontier.offer(candidate)
        stats = self.crawler.stats
        count(stats, source.label, "listed")
        if fate == "relisted":
            count(stats, source.label, "carried", -1)
        elif fate in ("outside_window", "repeated"):
            count(stats, source.label, fate)
        return 1

    def _flush(self, source: SourceConfig) -> Iterator[scrapy.Request]:
        """The source's best candidates, once none of its listings is still in flight."""
        if self._listing[source.label]:
            return
        keys = self.frontier.waiting_keys(source.label)
        if not keys:
            return
        known = crawl_store(self.crawler).known_many(keys)
        now, recheck_for = datetime.now(UTC), self.config.crawl.recheck_for
        taken = self.frontier.take(source.label, known, lambda k: is_due(k, now, recheck_for))
        stats = self.crawler.stats
        stats.inc_value("storywatch/known_skipped", taken.known)
        count(stats, source.label, "known", taken.known)
        count(stats, source.label, "fetched", len(taken.fetch))
        for candidate, seen_before in taken.fetch:
            try:
                yield self._article_request(candidate, source, seen_before)
            except ValueError as exc:  # a URL Scrapy cannot request: one line, the rest go on
                self._article_failed(source, f"article {candidate.url}: {exc}")

    def on_idle(self, spider=None) -> None:
        """Sources whose frontier still has room and candidates get another round.

        Nothing is in flight when the engine is idle: a source document whose callback failed
        (spider_error) is done too.
        """
        scheduled = 0
        for label in self.frontier.sources_waiting():
            self._listing[label].clear()
            for request in self._flush(self.sources[label]):
                self.crawler.engine.crawl(request)
                scheduled += 1
        if scheduled:
            raise DontCloseSpider

    def keep_leftovers(self, spider=None, reason: str = "") -> None:
        """What the caps left waiting is kept for the next run, best first."""
        leftovers: dict[str, list[Pending]] = {label: [] for label in self.sources}
        for candidate in self.frontier.leftovers():
            leftovers.setdefault(candidate.source, []).append(candidate)
        queue = crawl_store(self.crawler).candidates
        limit = MAX_WAITING_RUNS * self.config.crawl.max_pages_per_run
        for candidate in self._retry_next:  # not capped: failed in transit, kept for next run
            leftovers.setdefault(candidate.source, []).append(candidate)
        retried = {id(c) for c in self._retry_next}
        for label, waiting in leftovers.items():
            ensure(self.crawler.stats, label)
            count(self.crawler.stats, label, "capped", sum(id(c) not in retried for c in waiting))
            waiting.sort(key=lambda c: c.score, reverse=True)
            queue.replace(label, waiting[:limit])
