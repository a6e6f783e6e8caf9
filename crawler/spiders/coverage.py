"""The `coverage` spider: from the configured sources to candidate article pages.

It only fetches and yields: source documents become article requests, article responses become
`PageItem`s. Extraction, relevance and storage are the pipelines' work.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip

from crawler.config import Config, SourceConfig, load_config, parse_every
from crawler.failures import record_failure
from crawler.items import HTML_TYPES, PageItem
from crawler.middlewares.known import AlreadyKnown
from crawler.profile import StoryProfile
from crawler.settings import config_settings
from crawler.sources import (
    Link,
    feed_links,
    fill_query,
    is_same_site_section,
    is_wrapper,
    looks_like_article,
    search_links,
    sitemap_links,
)
from crawler.story import load_story
from storage.urls import canonicalize_url

GZIP_MAGIC = b"\x1f\x8b"


class CoverageSpider(scrapy.Spider):
    name = "coverage"

    def __init__(self, config: Config, profile: StoryProfile | None = None, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.profile = profile or load_story(config).profile
        self.queries = self.profile.queries
        self.max_age = timedelta(seconds=parse_every(self.config.crawl.max_age))
        self._links = LinkExtractor(deny_extensions=None, unique=True)

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
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self):
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
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            cb_kwargs={"source": source, "depth": depth},
            # A source's own delay (a rate-limited API) is a floor AutoThrottle must not lower.
            meta={
                "source": source.label,
                "what": f"{source.kind} source",
                "autothrottle_dont_adjust_delay": source.delay > 0,
            },
        )

    def _article_request(self, link: Link, source: SourceConfig, depth: int = 0):
        """A request for the canonical spelling of the link (no tracking, fragment or AMP), so
        the variants of one article listed by several sources are fetched once per run."""
        url = link.url if is_wrapper(link.url) else canonicalize_url(link.url)
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.failed,
            cb_kwargs={"source": source, "link": link, "depth": depth},
            meta={
                "source": source.label,
                "what": "article",
                "article": True,
                "listed_url": link.url,
            },
        )

    def _fresh(self, link: Link) -> bool:
        return link.published is None or datetime.now(UTC) - link.published <= self.max_age

    # --- sources ---------------------------------------------------------------------------

    def parse_feed(self, response: Response, source: SourceConfig, depth: int):
        for link in feed_links(response.body, response.url):
            if self._fresh(link):
                yield self._article_request(link, source)

    def parse_search(self, response: Response, source: SourceConfig, depth: int):
        for link in search_links(response.body, response.url):
            if self._fresh(link):
                # A wrapper (Google News) redirects to the publisher; the item takes the final URL.
                yield self._article_request(link, source)

    def parse_sitemap(self, response: Response, source: SourceConfig, depth: int):
        body = response.body
        if body[:2] == GZIP_MAGIC:  # a .xml.gz file, not a gzip-encoded response
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        entries = sitemap_links(body, response.url)
        for child in entries.sitemaps:
            if depth < 3:  # an index of indexes, not deeper
                yield self._source_request(child.url, source, kind="sitemap", depth=depth + 1)
        for link in entries.articles:
            if self._fresh(link):
                yield self._article_request(link, source)

    def parse_page(self, response: Response, source: SourceConfig, depth: int):
        if _content_type(response) not in HTML_TYPES:
            return
        for found in self._links.extract_links(response):
            if looks_like_article(found.url, response.url):
                yield self._article_request(Link(found.url, found.text.strip()), source, depth)
            elif depth < self.config.crawl.max_depth and is_same_site_section(
                found.url, response.url
            ):
                yield self._source_request(found.url, source, kind="page", depth=depth + 1)

    # --- articles --------------------------------------------------------------------------

    def parse_article(self, response: Response, source: SourceConfig, link: Link, depth: int):
        if is_wrapper(response.url):
            record_failure(
                self.crawler.stats,
                f"article {link.url}: news-search link did not lead to the publisher",
            )
            return
        yield PageItem(
            url=response.url,
            body=response.body,
            source=source.label,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            outlet=link.outlet or None,
            published_at=link.published,
            content_type=_content_type(response),
            content_type_header=_header(response, "Content-Type"),
        )
        if depth < self.config.crawl.max_depth and source.kind == "page":
            yield from self.parse_page(response, source, depth + 1)

    def failed(self, failure):
        """One line per failed request; known-and-not-due and robots.txt skips are not failures."""
        request = failure.request
        if failure.check(AlreadyKnown):
            return
        listed = request.meta.get("listed_url")
        if failure.check(HttpError) and listed and listed.split("#")[0] != request.url:
            # The canonical spelling does not exist (an AMP-only page): fetch it as listed.
            yield request.replace(
                url=listed, dont_filter=True, meta={**request.meta, "listed_url": None}
            )
            return
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "skipped"
            if "robots.txt" in reason:
                self.crawler.stats.inc_value("storywatch/robots_forbidden")
                return
        else:
            reason = failure.getErrorMessage() or type(failure.value).__name__
        what = request.meta.get("what", "request")
        name = request.meta.get("source", "")
        named = f" '{name}'" if what.endswith("source") and name and name != request.url else ""
        record_failure(self.crawler.stats, f"{what}{named} {request.url}: {reason}")


def _content_type(response: Response) -> str:
    """The media type; a page served without one that starts with markup counts as HTML."""
    declared = _header(response, "Content-Type")
    if declared:
        return declared.split(";")[0].strip().lower()
    return "text/html" if response.body[:1024].lstrip()[:1] == b"<" else "unknown"


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
