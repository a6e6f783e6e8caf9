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
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip

from crawler.config import Config, SourceConfig, load_config
from crawler.failures import record_failure
from crawler.frontier import Frontier
from crawler.gnews import GoogleNews
from crawler.items import PageItem
from crawler.middlewares.complete import decompresses_fully
from crawler.pagetype import ARTICLE_PROSE, page_kind, prose_paragraphs
from crawler.profile import StoryProfile
from crawler.responses import UTILITY_PATH, content_type, header, is_html
from crawler.settings import config_settings
from crawler.sources import (
    Link,
    UnreadableSource,
    feed_links,
    fill_query,
    search_links,
    sitemap_links,
)
from crawler.spiders.errbacks import FailedRequests
from crawler.spiders.frontier_flow import FrontierFlow
from crawler.spiders.google_news import GoogleNewsSteps
from crawler.story import load_story, window_start
from crawler.tally import count
from storage.candidates import Pending
from storage.urls import canonicalize_url, same_site

GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_DEPTH = 3  # an index of indexes of indexes, not deeper
# Links read from one source document: a sitemap holds at most 50,000 URLs (sitemaps.org);
# an HTML page's first 1,000 links are its content (a 100k-link page queued 100,001 requests
# and grew the crawl from 223 to 661 MB). The rest are counted as `links_over_cap`.
MAX_LINKS = {"page": 1_000, "feed": 50_000, "sitemap": 50_000, "search": 50_000}


class CoverageSpider(FrontierFlow, FailedRequests, GoogleNewsSteps, scrapy.Spider):
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
        links = self._page_links(response) if is_html(response) else None
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

    # --- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response, source: SourceConfig):
        candidate: Pending = response.meta["candidate"]
        if self.google_news.answered_by_google(candidate.url, response.url):
            yield from self._google_news_lookup(response, source, candidate)
            return
        kind = page_kind(response.text) if is_html(response) else "unknown"
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
        if kind == "unknown" and is_html(response):
            return prose_paragraphs(response.text) < ARTICLE_PROSE
        return kind == "listing"

    def _item(self, response: Response, source: SourceConfig, candidate: Pending) -> PageItem:
        return PageItem(
            url=response.url,
            body=response.body,
            source=source.label,
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"),
            outlet=candidate.outlet or None,
            published_at=candidate.published_at,
            content_type=content_type(response),
            content_type_header=header(response, "Content-Type"),
        )

    def _page_links(self, response: Response) -> list[Link]:
        """Same-site links of an HTML page, as candidates (what each is, its page will say)."""
        return [
            Link(found.url, " ".join(found.text.split()))
            for found in self._links.extract_links(response)
            if found.url.split("#")[0] != response.url.split("#")[0]
            and same_site(found.url, response.url)
            and not UTILITY_PATH.search(urlsplit(found.url).path)
        ]
