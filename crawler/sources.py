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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote_plus, urljoin, urlsplit

import feedparser
from lxml import etree
from w3lib.html import remove_tags, replace_entities

from crawler.lenient import lenient_json, w3c_date
from storage.urls import same_site

__all__ = [
    "Link",
    "SitemapEntries",
    "UnreadableSource",
    "feed_links",
    "fill_query",
    "looks_like_article",
    "search_links",
    "sitemap_links",
]

UTF8_BOM = b"\xef\xbb\xbf"
MAX_DESCRIPTION = 500  # characters of a feed summary or search snippet kept for scoring


class UnreadableSource(ValueError):
    """A source answered with a document that is not what its kind promised (a feed that is
    not RSS/Atom, a sitemap that is neither XML nor text, a search answer that is not JSON)."""


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate article: its URL and what the source said about it.

    `description` is the feed entry's summary or the search result's snippet, as plain text of
    at most MAX_DESCRIPTION characters ("" when the source gives none).
    """

    url: str
    title: str = ""
    published: datetime | None = None
    outlet: str = ""
    description: str = ""


def fill_query(template: str, query: str) -> str:
    """A search URL with {query} URL-encoded in place."""
    return template.replace("{query}", quote_plus(query))


def _struct_time(value) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _plain(value: object, limit: int = MAX_DESCRIPTION) -> str:
    """Markup-free, whitespace-collapsed text, cut at a word boundary under `limit` chars."""
    if not isinstance(value, str):
        return ""
    text = " ".join(replace_entities(remove_tags(value)).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def feed_links(body: bytes, base_url: str) -> Iterator[Link]:
    """Entries of an RSS 0.9x/1.0/2.0 or Atom feed (search feeds' wrapper links unwrapped).

    UnreadableSource if the document is no feed at all (feedparser finds no feed format and
    no entries: an HTML page, a plain-text error); a feed with no entries gives nothing.
    """
    feed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not feed.entries and not feed.get("version"):
        raise UnreadableSource(f"not an RSS or Atom feed: {_reason(feed)}; starts {_start(body)}")
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
        title=_plain(entry.get("title", "")),
        published=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
        outlet=source.get("title", "") if isinstance(source, dict) else "",
        description=_plain(entry.get("summary", "")),
    )


def _reason(feed) -> str:
    error = feed.get("bozo_exception")
    return str(error).splitlines()[0] if error else "no RSS or Atom root element"


def _start(body: bytes) -> str:
    return repr(" ".join(body[:80].decode("utf-8", errors="replace").split())[:60])


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
        title=_plain(article.get("title")),
        published=_gdelt_date(article.get("seendate")),
        outlet=_plain(article.get("domain")),
    )


def _gdelt_date(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


FEED_ROOTS = {"rss", "RDF", "feed"}  # RSS 0.9x/2.0, RSS 1.0, Atom: feeds used as sitemaps


@dataclass(frozen=True, slots=True)
class SitemapEntries:
    """What one sitemap lists. `sitemaps`: an index's child sitemaps (published = <lastmod>);
    `articles`: a urlset's, feed's or text sitemap's pages; `skipped`: entries whose <loc> (or
    line) is not an absolute http(s) URL (relative, javascript:, garbage), not listed."""

    sitemaps: list[Link] = field(default_factory=list)
    articles: list[Link] = field(default_factory=list)
    skipped: int = 0


def sitemap_links(body: bytes, base_url: str = "") -> SitemapEntries:
    """The entries of a sitemap in any form sitemaps.org and search engines accept.

    XML <urlset> or <sitemapindex> matched by local name whatever the namespace (none, the
    https form, Google's old 0.84, news/image/video extensions; as Scrapy's
    scrapy/utils/sitemap.py does), a plain-text sitemap (one URL per line), an RSS or Atom
    feed. Dates: news:publication_date, else <lastmod>. `body` is already gunzipped;
    `base_url` resolves a feed's relative links. UnreadableSource if it is none of these.
    """
    text = body.removeprefix(UTF8_BOM).lstrip()
    if not text:
        return SitemapEntries()
    if text[:1] != b"<":
        return _text_sitemap(text)
    root = _xml_root(text)
    kind = _local(root)
    if kind in FEED_ROOTS:
        return SitemapEntries(articles=list(feed_links(text, base_url)))
    if kind not in ("urlset", "sitemapindex"):
        raise UnreadableSource(f"not a sitemap: root element <{kind}>; starts {_start(text)}")
    child = "url" if kind == "urlset" else "sitemap"
    links = [_sitemap_entry(node) for node in root if _local(node) == child]
    kept = [link for link in links if _absolute(link.url)]
    skipped = len(links) - len(kept)
    if kind == "urlset":
        return SitemapEntries(articles=kept, skipped=skipped)
    return SitemapEntries(sitemaps=kept, skipped=skipped)


def _xml_root(text: bytes):
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        recover=True,
        huge_tree=False,  # libxml2's limits on depth and text size stay on
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(text, parser=parser)
    except etree.XMLSyntaxError as exc:
        root, reason = None, str(exc)
    else:
        reason = str(parser.error_log.last_error or "empty document")
    if root is None:
        raise UnreadableSource(f"sitemap is not XML: {reason}")
    return root


def _text_sitemap(text: bytes) -> SitemapEntries:
    """sitemaps.org's text form: one absolute URL per line, UTF-8, nothing else."""
    lines = [line.strip() for line in text.decode("utf-8", errors="replace").splitlines()]
    lines = [line for line in lines if line]
    urls = [line for line in lines if _absolute(line)]
    if not urls:
        raise UnreadableSource(f"neither an XML nor a text sitemap: starts {_start(text)}")
    return SitemapEntries(articles=[Link(url) for url in urls], skipped=len(lines) - len(urls))


def _sitemap_entry(node) -> Link:
    """A <url> or <sitemap> element: <loc>; the publication date of its news or video
    extension, else <lastmod>; news:title (or video:title), news:name, news:keywords (or
    video:description)."""
    fields = _children(node)
    news = _children(fields["news"]) if "news" in fields else {}
    news.update(_children(news["publication"]) if "publication" in news else {})
    video = _children(fields["video"]) if "video" in fields else {}
    return Link(
        url=_text(fields.get("loc")),
        title=_plain(_text(news.get("title")) or _text(video.get("title"))),
        published=w3c_date(_text(news.get("publication_date")))
        or w3c_date(_text(video.get("publication_date")))
        or w3c_date(_text(fields.get("lastmod"))),
        outlet=_text(news.get("name")),
        description=_plain(_text(news.get("keywords")) or _text(video.get("description"))),
    )


def _children(node) -> dict:
    """A node's child elements by local name (the first of each name)."""
    found: dict = {}
    for child in node:
        found.setdefault(_local(child), child)
    return found


def _local(node) -> str:
    """An element's local name; "" for entity references and other non-elements."""
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(node) -> str:
    return (node.text or "").strip() if node is not None else ""


def _absolute(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(
        char.isspace() for char in url
    )


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
