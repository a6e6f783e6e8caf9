"""The `coverage` spider: from the configured sources to candidate article pages.

It fetches and yields: source documents become candidates in the frontier (crawler.frontier),
the frontier's picks become article requests, article responses become `PageItem`s.
Extraction, relevance and storage are the pipelines' work.

A candidate is requested as its source listed it (less the fragment); its canonical URL is its
identity (crawler.fingerprint), never its address. Whether a fetched page is an article or a
listing is decided from the page (crawler.pagetype), not from its URL's shape.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CannotResolveHostError, DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from twisted.internet.error import DNSLookupError

from crawler.budget import BudgetSpent
from crawler.config import Config, SourceConfig, load_config
from crawler.crawlstore import crawl_store
from crawler.failures import record_failure
from crawler.frontier import Frontier
from crawler.gnews import LINK_META, GoogleNews, GoogleNewsError
from crawler.items import HTML_TYPES, PageItem
from crawler.middlewares.address import UnsafeAddress
from crawler.middlewares.complete import decompresses_fully
from crawler.middlewares.known import AlreadyKnown, is_due
from crawler.middlewares.retry import RetryLater
from crawler.pagetype import ARTICLE_PROSE, page_kind, prose_paragraphs
from crawler.profile import StoryProfile
from crawler.resolver import refusal
from crawler.settings import config_settings
from crawler.sources import (
    Link,
    UnreadableSource,
    feed_links,
    fill_query,
    listing_text,
    search_links,
    sitemap_links,
)
from crawler.story import load_story, window_start
from crawler.tally import count, ensure
from storage.candidates import Pending
from storage.urls import canonicalize_url, same_site

GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_DEPTH = 3  # an index of indexes of indexes, not deeper
# Candidates kept for a later run, per source, as a multiple of the per-run cap: the
# lowest-scored beyond it are dropped (a section page's navigation links, run after run).
MAX_WAITING_RUNS = 20
# Links read from one source document: a sitemap holds at most 50,000 URLs (sitemaps.org);
# an HTML page's first 1,000 links are its content (a 100k-link page queued 100,001 requests
# and grew the crawl from 223 to 661 MB). The rest are counted as `links_over_cap`.
MAX_LINKS = {"page": 1_000, "feed": 50_000, "sitemap": 50_000, "search": 50_000}


class CoverageSpider(scrapy.Spider):
    name = "coverage"

    def __init__(
        self,
        config: Config,
        profile: StoryProfile | None = None,
        since: datetime | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.config = config
        story = load_story(config) if profile is None or since is None else None
        self.profile = profile or story.profile
        self.since = since or window_start(config, story.seeds, None)
        self.queries = self.profile.queries
        self.frontier = Frontier(self.since, config.crawl.max_pages_per_run)
        # Clocks differ and time zones are misdeclared; a day ahead is still credible.
        self._latest_credible = datetime.now(UTC) + timedelta(days=1)
        self.sources = {source.label: source for source in config.sources}
        # Source documents requested and not yet read, per source (tokens in request meta).
        self._listing: dict[str, set[int]] = {label: set() for label in self.sources}
        self._tokens = itertools.count()
        self._sitemaps_read = {
            canonicalize_url(s.url) for s in config.sources if s.kind == "sitemap"
        }
        self._retry_next: list[Pending] = []  # fetches that failed in transit: next run again
        self._links = LinkExtractor(unique=True)  # Scrapy's IGNORED_EXTENSIONS: no files

    @classmethod
    def update_settings(cls, settings) -> None:
        """Under `scrapy crawl coverage`, the storywatch settings come from storywatch.toml."""
        super().update_settings(settings)
        if not settings.get("STORYWATCH_DATABASE_URL"):
            config = load_config(settings.get("STORYWATCH_CONFIG"))
            settings.setdict(config_settings(config), priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        if "config" not in kwargs:
            kwargs["config"] = load_config(crawler.settings.get("STORYWATCH_CONFIG"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.google_news = GoogleNews.from_crawler(crawler)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.keep_leftovers, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        return spider

    async def start(self):
        self._carry_waiting()
        for source in self.config.sources:
            for url in self._source_urls(source):
                yield self._source_request(url, source, kind=source.kind, depth=0)

    def _carry_waiting(self) -> None:
        """Candidates an earlier run left over its cap join this run's frontier."""
        queue = crawl_store(self.crawler).candidates
        for label in self.sources:
            carried = sum(self.frontier.carry(pending) for pending in queue.waiting(label))
            count(self.crawler.stats, label, "carried", carried)

    def _source_urls(self, source: SourceConfig) -> list[str]:
        if source.kind == "search":
            return [fill_query(source.url, query) for query in self.queries]
        return [source.url]

    def _source_request(self, url: str, source: SourceConfig, kind: str, depth: int):
        callback = {
            "feed": self.parse_feed,
            "search": self.parse_search,
            "sitemap": self.parse_sitemap,
            "page": self.parse_page,
        }[kind]
        token = next(self._tokens)
        self._listing[source.label].add(token)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            cb_kwargs={"source": source, "depth": depth},
            dont_filter=True,  # a source is listed once per run by its config, never a repeat
            # A source's own delay (a rate-limited API) is a floor AutoThrottle must not lower.
            meta={
                "source": source.label,
                "what": f"{source.kind} source",
                "listing_token": token,
                "autothrottle_dont_adjust_delay": source.delay > 0,
            },
        )

    def _listing_done(self, request: scrapy.Request) -> None:
        """A source document was read (or failed): idempotent, keyed by the request's token."""
        self._listing.get(request.meta.get("source"), set()).discard(
            request.meta.get("listing_token")
        )

    # --- sources ---------------------------------------------------------------------------

    def parse_feed(self, response: Response, source: SourceConfig, depth: int):
        links = self._read(response, source, lambda: list(feed_links(response.body, response.url)))
        yield from self._listed(response, source, links)

    def parse_search(self, response: Response, source: SourceConfig, depth: int):
        # A wrapper (Google News) redirects to the publisher; the item takes the final URL.
        links = self._read(
            response, source, lambda: list(search_links(response.body, response.url))
        )
        yield from self._listed(response, source, links)

    def parse_sitemap(self, response: Response, source: SourceConfig, depth: int):
        body = self._sitemap_body(response, source)
        entries = self._read(response, source, lambda: sitemap_links(body, response.url))
        children = entries.sitemaps if entries else []
        repeats = 0
        for child in children:
            if child.published is not None and child.published < self.since:
                count(self.crawler.stats, source.label, "old_sitemaps")
            elif not self._first_reading(child.url):
                repeats += 1
            elif depth < MAX_SITEMAP_DEPTH:
                yield self._source_request(child.url, source, kind="sitemap", depth=depth + 1)
        if repeats:
            self._source_failure(response, source, f"lists {repeats} sitemap(s) read already")
        articles = entries.articles if entries else None
        if entries and entries.skipped:
            count(self.crawler.stats, source.label, "unusable", entries.skipped)
            self._source_failure(
                response, source, f"{entries.skipped} entries without a usable URL skipped"
            )
        yield from self._listed(response, source, articles, also_listed=len(children))

    def _first_reading(self, url: str) -> bool:
        """A sitemap not yet requested in this run (an index may list itself, or loop)."""
        key = canonicalize_url(url)
        if key in self._sitemaps_read:
            return False
        self._sitemaps_read.add(key)
        return True

    def _sitemap_body(self, response: Response, source: SourceConfig) -> bytes | None:
        """The sitemap's bytes, a .xml.gz file unpacked within DOWNLOAD_MAXSIZE (else None)."""
        if response.body[:2] != GZIP_MAGIC:  # not a .xml.gz file (gzip encoding is undone)
            return response.body
        limit = self.settings.getint("DOWNLOAD_MAXSIZE")
        if not decompresses_fully(response.body, "gzip", limit):
            self._source_failure(response, source, "truncated gzip sitemap")
            return None
        try:
            return gunzip(response.body, max_size=limit)
        except (OSError, EOFError, ValueError) as exc:  # _DecompressionMaxSizeExceeded is one
            self._source_failure(response, source, f"unreadable gzip sitemap ({exc})")
            return None

    def parse_page(self, response: Response, source: SourceConfig, depth: int):
        links = self._page_links(response) if _is_html(response) else None
        if links is None:
            self._source_failure(response, source, "not an HTML page")
        yield from self._listed(response, source, links, depth=depth)

    def _read(self, response: Response, source: SourceConfig, parse):
        """What a parser reads from a source document; None (and a failure line) if unreadable."""
        if response.body is None:
            return None
        try:
            return parse()
        except UnreadableSource as exc:
            self._source_failure(response, source, str(exc))
            return None

    def _listed(
        self,
        response: Response,
        source: SourceConfig,
        links: Iterable[Link] | None,
        depth: int = 0,
        also_listed: int = 0,
    ) -> Iterator[scrapy.Request]:
        """Offer a source document's links to the frontier; when the source has no listing left
        in flight, fetch its best candidates. An answer that lists nothing says so."""
        links = None if links is None else list(links)
        offered, limit = 0, MAX_LINKS[source.kind]
        for read, link in enumerate(links or ()):
            if read >= limit:
                count(self.crawler.stats, source.label, "links_over_cap", len(links) - limit)
                break
            offered += self._offer(link, source, depth + 1)
        if links is not None and offered + also_listed == 0:
            self._source_failure(response, source, "answered, but listed no entries")
        self._listing_done(response.request)
        yield from self._flush(source)

    def _source_failure(self, response: Response, source: SourceConfig, reason: str) -> None:
        named = f" '{source.label}'" if source.label != response.url else ""
        record_failure(self.crawler.stats, f"{source.kind} source{named} {response.url}: {reason}")

    # --- the frontier ----------------------------------------------------------------------

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

    def _article_request(self, candidate: Pending, source: SourceConfig, known) -> scrapy.Request:
        request = scrapy.Request(
            self.google_news.page_url(candidate.url) or candidate.url,
            callback=self.parse_article,
            errback=self.failed,
            cb_kwargs={"source": source},
            priority=round(candidate.score * 1000),  # the most promising first
            meta={
                "source": source.label,
                "what": "article",
                "article": True,
                "canonical_key": candidate.key,
                "candidate": candidate,
                "known": known,
            },
        )
        request.meta["listed_url"] = request.url  # as Scrapy spells it (crawler.fingerprint)
        return request

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

    # --- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response, source: SourceConfig):
        candidate: Pending = response.meta["candidate"]
        if self.google_news.answered_by_google(candidate.url, response.url):
            yield from self._google_news_lookup(response, source, candidate)
            return
        kind = page_kind(response.text) if _is_html(response) else "unknown"
        if kind != "listing":
            yield self._item(response, source, candidate)
        else:
            self.crawler.stats.inc_value("storywatch/listing_pages")
            count(self.crawler.stats, source.label, "not_coverage")
        if self._follows(response, source, candidate, kind):
            for link in self._page_links(response):
                self._offer(link, source, candidate.depth + 1)
            yield from self._flush(source)

    def _follows(self, response: Response, source: SourceConfig, candidate, kind: str) -> bool:
        """A section page's link is followed when it is a listing within max_depth: the page
        says so, or says nothing and has no run of prose paragraphs (an article's menu links
        are never candidates)."""
        if source.kind != "page" or candidate.depth > self.config.crawl.max_depth:
            return False
        if kind == "unknown" and _is_html(response):
            return prose_paragraphs(response.text) < ARTICLE_PROSE
        return kind == "listing"

    # --- Google News links: their page, then batchexecute, then the publisher (crawler/gnews) ---

    def _google_news_lookup(self, response: Response, source: SourceConfig, candidate: Pending):
        try:
            yield self.google_news.lookup_request(
                response,
                candidate.url,
                callback=self.parse_google_news_answer,
                errback=self.google_news_failed,
                cb_kwargs={"source": source, "candidate": candidate},
                meta={"source": source.label, "what": "Google News lookup"},
            )
        except GoogleNewsError as error:
            listed = response.meta.get(LINK_META) or candidate.url
            self._article_failed(source, f"article {listed}: {error}")

    def parse_google_news_answer(self, response, source: SourceConfig, candidate: Pending):
        try:
            url = self.google_news.publisher(response)
        except GoogleNewsError as error:
            self._article_failed(source, f"article {candidate.url}: {error}")
            return
        publisher = replace(candidate, url=url, key=canonicalize_url(url))
        if not self.frontier.claim(publisher.key):  # another listing fetched it this run
            count(self.crawler.stats, source.label, "unchanged")
            return
        request = self._article_request(publisher, source, known=None)
        request.meta.update({LINK_META: candidate.url, "what": f"article (from {candidate.url})"})
        yield request

    def google_news_failed(self, failure):
        if failure.check(RetryLater):
            return  # the lookup comes back after its wait (crawler.middlewares.retry)
        source, candidate = (failure.request.cb_kwargs[key] for key in ("source", "candidate"))
        self._article_failed(source, self.google_news.failure_line(failure, candidate.url))

    def _article_failed(self, source: SourceConfig, line: str) -> None:
        record_failure(self.crawler.stats, line)
        count(self.crawler.stats, source.label, "failed")

    def _item(self, response: Response, source: SourceConfig, candidate: Pending) -> PageItem:
        return PageItem(
            url=response.url,
            body=response.body,
            source=source.label,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            outlet=candidate.outlet or None,
            published_at=candidate.published_at,
            content_type=_content_type(response),
            content_type_header=_header(response, "Content-Type"),
        )

    def _page_links(self, response: Response) -> list[Link]:
        """Same-site links of an HTML page, as candidates (what each is, its page will say)."""
        return [
            Link(found.url, " ".join(found.text.split()))
            for found in self._links.extract_links(response)
            if found.url.split("#")[0] != response.url.split("#")[0]
            and same_site(found.url, response.url)
            and not _UTILITY_PATH.search(urlsplit(found.url).path)
        ]

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


# Site furniture that is never coverage nor a listing of it: accounts, legal pages, feeds.
_UTILITY_PATH = re.compile(
    r"/(login|log-in|signin|sign-in|signup|sign-up|register|subscribe|subscription|account|"
    r"newsletters?|privacy|privacy-policy|terms|terms-of-use|cookies?|contact|contact-us|about|"
    r"about-us|careers|jobs|advertise|feed|rss|cart|checkout)(/|$)",
    re.IGNORECASE,
)


def _is_html(response: Response) -> bool:
    return isinstance(response, TextResponse) and _content_type(response) in HTML_TYPES


def _content_type(response: Response) -> str:
    """The media type; a page served without one that starts with markup counts as HTML."""
    declared = _header(response, "Content-Type")
    if declared:
        return declared.split(";")[0].strip().lower()
    return "text/html" if response.body[:1024].lstrip()[:1] == b"<" else "unknown"


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
