"""Reading source documents into candidate article links: feeds, sitemaps, search results.

Plain functions over bytes, testable without Scrapy; the spider calls them. A document that
answers but cannot be read at all raises UnreadableSource (one line, for the run's failure
list); one that reads but lists nothing gives nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote_plus, urljoin, urlsplit

import feedparser

from crawler.lenient import lenient_json
from crawler.links import (
    MAX_DESCRIPTION,
    UTF8_BOM,
    Link,
    UnreadableSource,
    document_start,
    plain_text,
)
from crawler.sitemaps import SitemapEntries, read_sitemap
from storage.urls import same_site

__all__ = [
    "MAX_DESCRIPTION",
    "Link",
    "SitemapEntries",
    "UnreadableSource",
    "feed_links",
    "fill_query",
    "looks_like_article",
    "search_links",
    "sitemap_links",
]


def fill_query(template: str, query: str) -> str:
    """A search URL with {query} URL-encoded in place."""
    return template.replace("{query}", quote_plus(query))


def _struct_time(value) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def feed_links(body: bytes, base_url: str) -> Iterator[Link]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed (search feeds' wrapper links unwrapped).

    UnreadableSource if the document is no feed at all (feedparser finds no feed format and
    no entries: an HTML page, a plain-text error); a feed with no entries gives nothing.
    """
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and not feed.get("version"):
        start = document_start(body)
        raise UnreadableSource(f"not an RSS or Atom feed: {_reason(feed)}; starts {start}")
    return iter([link for link in (_entry_link(e, base_url) for e in feed.entries) if link])


def _entry_link(entry, base_url: str) -> Link | None:
    alternates = [
        link.get("href")
        for link in entry.get("links") or []
        if link.get("rel", "alternate") == "alternate" and link.get("href")
    ]
    url = alternates[0] if alternates else entry.get("link") or ""
    if not url:
        return None
    source = entry.get("source") or {}
    return Link(
        url=unwrap(urljoin(base_url, url)),
        title=plain_text(entry.get("title", "")),
        published=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        outlet=source.get("title", "") if isinstance(source, dict) else "",
        description=plain_text(entry.get("summary", "")),
    )


def _reason(feed) -> str:
    error = feed.get("bozo_exception")
    return str(error).splitlines()[0] if error else "no RSS or Atom root element"


def unwrap(url: str) -> str:
    """The publisher's URL inside a news-search wrapper link, when the link carries it.

    Bing wraps the target in apiclick.aspx?...&url=...; Google News links do not carry it and
    are resolved by following their redirect (the spider stores the final URL, never the wrapper).
    """
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.endswith("bing.com") and "apiclick" in parts.path:
        target = parse_qs(parts.query).get("url", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    if is_wrapper(url):
        return _google_news_target(parts.path) or url
    return url


_EMBEDDED_URL = re.compile(rb"https?://[\x21-\x7e]+")


def _google_news_target(path: str) -> str | None:
    """Older Google News article ids are base64 protobufs that carry the publisher's URL."""
    token = path.rstrip("/").rsplit("/", 1)[-1]
    try:
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, binascii.Error):
        return None
    found = _EMBEDDED_URL.search(payload)
    return found.group().decode("ascii") if found else None


def is_wrapper(url: str) -> bool:
    """A link that redirects to the article rather than being it (Google News)."""
    host = urlsplit(url).hostname or ""
    return host == "news.google.com" and "/articles/" in urlsplit(url).path


def search_links(body: bytes, base_url: str) -> Iterator[Link]:
    """Article links from a news-search answer: an RSS/Atom feed, or GDELT's JSON artlist.

    UnreadableSource if the answer is neither; an answer with no articles gives nothing.
    """
    stripped = body.removeprefix(UTF8_BOM).lstrip()
    if stripped[:1] in (b"{", b"["):
        return _gdelt_links(stripped)
    return feed_links(body, base_url)


def _gdelt_links(body: bytes) -> Iterator[Link]:
    try:
        answer = lenient_json(body)
    except ValueError as exc:
        raise UnreadableSource(f"search answer is not readable JSON: {exc}") from None
    articles = answer.get("articles", []) if isinstance(answer, dict) else []
    return iter([link for link in map(_gdelt_link, articles) if link is not None])


def _gdelt_link(article: object) -> Link | None:
    url = article.get("url") if isinstance(article, dict) else None
    if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        return None
    return Link(
        url=url,
        title=plain_text(article.get("title")),
        published=_gdelt_date(article.get("seendate")),
        outlet=plain_text(article.get("domain")),
    )


def _gdelt_date(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def sitemap_links(body: bytes, base_url: str = "") -> SitemapEntries:
    """The entries of a sitemap in any form sitemaps.org and search engines accept.

    XML <urlset> or <sitemapindex> whatever the namespace, a plain-text sitemap, or an RSS or
    Atom feed (crawler.sitemaps). Dates: news:publication_date, else <lastmod>. `body` is
    already gunzipped; `base_url` resolves a feed's relative links. UnreadableSource if it is
    none of these.
    """
    entries = read_sitemap(body)
    if entries is None:  # a feed used as a sitemap
        return SitemapEntries(articles=list(feed_links(body.removeprefix(UTF8_BOM), base_url)))
    return entries


_ARTICLE_PATH = re.compile(
    r"/(19|20)\d\d[/-]\d\d|/\d{5,}|[a-z0-9]+(-[a-z0-9]+){3,}(\.html?)?/?$|\.html?$", re.IGNORECASE
)
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|topic|topics|category|categories|author|authors|about|contact|privacy|terms|"
    r"login|signin|signup|subscribe|newsletters?|search|feed|rss|video|videos|gallery|photos|"
    r"page/\d+)(/|$)|\.(jpg|jpeg|png|gif|webp|svg|pdf|mp4|mp3|zip|css|js|xml)$",
    re.IGNORECASE,
)


def looks_like_article(url: str, page_url: str) -> bool:
    """A same-site link whose path reads like an article: a date, an id, or a long slug."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not same_site(url, page_url):
        return False
    return bool(_ARTICLE_PATH.search(parts.path)) and not _NOT_ARTICLE.search(parts.path)


def is_same_site_section(url: str, page_url: str) -> bool:
    """A same-site link that is not an article nor a file: a section page worth following."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and same_site(url, page_url)
        and not looks_like_article(url, page_url)
        and not _NOT_ARTICLE.search(parts.path)
    )
