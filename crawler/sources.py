"""Reading source documents into candidate article links: feeds, sitemaps, search results.

Plain functions over bytes, testable without Scrapy; the spider calls them.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote_plus, urljoin, urlsplit

import feedparser
from lxml import etree

from storage.urls import same_site

__all__ = [
    "Link",
    "UnreadableSource",
    "feed_links",
    "fill_query",
    "looks_like_article",
    "search_links",
    "sitemap_links",
]


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate article: its URL and what the source said about it."""

    url: str
    title: str = ""
    published: datetime | None = None
    outlet: str = ""
    description: str = ""


class UnreadableSource(ValueError):
    """A source document that cannot be read at all (not a feed, sitemap or search answer)."""


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
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed (search feeds' wrapper links unwrapped)."""
    refuse_entities(body)
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    for entry in feed.entries:
        url = entry.get("link") or ""
        if not url:
            continue
        source = entry.get("source") or {}
        published = _struct_time(entry.get("published_parsed") or entry.get("updated_parsed"))
        yield Link(
            url=unwrap(urljoin(base_url, url)),
            title=entry.get("title", ""),
            published=published,
            outlet=source.get("title", "") if isinstance(source, dict) else "",
        )


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
    """Article links from a news-search answer: an RSS feed, or GDELT's JSON artlist."""
    stripped = body.lstrip()
    if stripped[:1] in (b"{", b"["):
        yield from _gdelt_links(stripped)
    else:
        yield from feed_links(body, base_url)


def _gdelt_links(body: bytes) -> Iterator[Link]:
    try:
        answer = json.loads(body)
    except ValueError:
        return
    articles = answer.get("articles", []) if isinstance(answer, dict) else []
    for article in articles:
        url = article.get("url") if isinstance(article, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            yield Link(
                url=url,
                title=article.get("title", ""),
                published=_gdelt_date(article.get("seendate")),
                outlet=article.get("domain", ""),
            )


def _gdelt_date(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@dataclass(frozen=True, slots=True)
class SitemapEntries:
    sitemaps: list[str]
    articles: list[Link]


def sitemap_links(body: bytes, base_url: str = "") -> SitemapEntries:
    """A sitemap index's child sitemaps, or a urlset's pages with their dates and news titles."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:  # an empty or binary answer (tests/crawler/test_hostile_input)
        raise UnreadableSource(f"not a sitemap: {exc}") from None
    if root is None:
        return SitemapEntries([], [])
    local = etree.QName(root).localname
    if local == "sitemapindex":
        children = []
        for node in root.iter(f"{{{_NS['sm']}}}sitemap"):
            loc, lastmod = node.find("sm:loc", _NS), node.find("sm:lastmod", _NS)
            if loc is not None:
                date = _iso_date(_text(lastmod)) if lastmod is not None else None
                children.append(Link(_text(loc), published=date))
        return SitemapEntries(children, [])
    links = [_url_entry(node) for node in root.iter(f"{{{_NS['sm']}}}url")]
    return SitemapEntries([], [link for link in links if link.url])


def _text(node) -> str:
    return (node.text or "").strip()


def _url_entry(node) -> Link:
    loc = node.find("sm:loc", _NS)
    news_date = node.find("news:news/news:publication_date", _NS)
    lastmod = node.find("sm:lastmod", _NS)
    title = node.find("news:news/news:title", _NS)
    outlet = node.find("news:news/news:publication/news:name", _NS)
    date = (
        _text(news_date) if news_date is not None else _text(lastmod) if lastmod is not None else ""
    )
    return Link(
        url=_text(loc) if loc is not None else "",
        title=_text(title) if title is not None else "",
        published=_iso_date(date),
        outlet=_text(outlet) if outlet is not None else "",
    )


def _iso_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


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
