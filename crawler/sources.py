"""Reading source documents into candidate article links: feeds, sitemaps, search results.

Plain functions over bytes, testable without Scrapy; the spider calls them. A document that
answers but cannot be read at all raises UnreadableSource (one line, for the run's failure
list); one that reads but lists nothing gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote_plus, urljoin, urlsplit

import feedparser

from crawler.gnews import article_id, decode_old_id, is_google_news_link
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

__all__ = [
    "MAX_DESCRIPTION",
    "Link",
    "SitemapEntries",
    "UnreadableSource",
    "feed_links",
    "fill_query",
    "listing_text",
    "search_links",
    "sitemap_links",
]


_URL_WORDS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def listing_text(link: Link) -> str:
    """What a listing says of a candidate, as text to score: title, description, URL words."""
    path = urlsplit(link.url).path
    return " ".join((link.title, link.description, " ".join(_URL_WORDS.findall(path))))


def fill_query(template: str, query: str) -> str:
    """A search URL with {query} URL-encoded in place."""
    return template.replace("{query}", quote_plus(query))


def _struct_time(value) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z]")


def refuse_entities(body: bytes) -> None:
    """UnreadableSource if the document declares XML entities before its root element.

    No feed needs them, and feedparser hands the document to expat first: a billion-laughs
    feed cost 1.8 s of expansion before expat's amplification guard stopped it.
    """
    entity = body.find(b"<!ENTITY")
    first = _FIRST_ELEMENT.search(body)
    if entity >= 0 and (first is None or entity < first.start()):
        raise UnreadableSource("declares XML entities (refused: entity expansion, XXE)")


def feed_links(body: bytes, base_url: str) -> Iterator[Link]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed (search feeds' wrapper links unwrapped).

    UnreadableSource if the document is no feed at all (feedparser finds no feed format and
    no entries: an HTML page, a plain-text error); a feed with no entries gives nothing.
    """
    refuse_entities(body)
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and not feed.get("version"):
        start = document_start(body)
        raise UnreadableSource(f"not an RSS or Atom feed: {_reason(feed, body)}; starts {start}")
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


_HTML_START = re.compile(rb"^\s*(<!doctype html|<html\b)", re.IGNORECASE)


def _reason(feed, body: bytes) -> str:
    """Why a document is no feed, in a reader's words rather than feedparser's."""
    if not body.strip():
        return "the answer is empty"
    if _HTML_START.match(body[:512].lstrip(UTF8_BOM)):
        return "it is an HTML page"
    error = feed.get("bozo_exception")
    return str(error).splitlines()[0] if error else "no RSS or Atom root element"


def unwrap(url: str) -> str:
    """The publisher's URL inside a news-search wrapper link, when the link carries it.

    Bing wraps the target in apiclick.aspx?...&url=...; old-format Google News ids carry it
    (crawler/gnews.py); current ones do not and are resolved online by the spider.
    """
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.endswith("bing.com") and "apiclick" in parts.path:
        target = parse_qs(parts.query).get("url", [""])[0]
        if target.startswith(("http://", "https://")):
            return target
    token = article_id(url)
    return (decode_old_id(token) or url) if token else url


def is_wrapper(url: str) -> bool:
    """A Google News article link (on news.google.com): it leads to the article, is not it.

    The spider asks `crawler.gnews.GoogleNews.is_link`, which reads the configured hosts.
    """
    return is_google_news_link(url)


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
