"""Sitemaps in every form sitemaps.org and search engines accept, read into candidate links.

XML <urlset> or <sitemapindex> matched by local name whatever the namespace (none, the https
form, Google's old 0.84, news/image/video extensions), as Scrapy's scrapy/utils/sitemap.py
does, with a parser that expands no entities, fetches nothing and keeps libxml2's size limits;
a plain-text sitemap (one URL per line). RSS/Atom feeds used as sitemaps are recognised here
and read by crawler.sources.feed_links.

ultimate-sitemap-parser reads the same forms, but only from URLs it fetches itself (outside
Scrapy's politeness and address guard), and it is GPL-3.0 while storywatch is MIT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from crawler.lenient import w3c_date
from crawler.links import (
    UTF8_BOM,
    UTF16_BOMS,
    Link,
    UnreadableSource,
    document_start,
    plain_text,
)

__all__ = ["SitemapEntries", "read_sitemap"]

FEED_ROOTS = {"rss", "RDF", "feed"}  # RSS 0.9x/2.0, RSS 1.0, Atom: feeds used as sitemaps


@dataclass(frozen=True, slots=True)
class SitemapEntries:
    """What one sitemap lists. `sitemaps`: an index's child sitemaps (published = <lastmod>);
    `articles`: a urlset's, feed's or text sitemap's pages; `skipped`: entries whose <loc> is
    not an absolute URI (relative, empty, garbage) or whose line in a text sitemap is not an
    absolute http(s) URL; they are not listed."""

    sitemaps: list[Link] = field(default_factory=list)
    articles: list[Link] = field(default_factory=list)
    skipped: int = 0


def read_sitemap(body: bytes) -> SitemapEntries | None:
    """The entries of an XML or text sitemap; None if the document is an RSS or Atom feed
    (crawler.sources.sitemap_links reads those as feeds). UnreadableSource if it is none."""
    text = body.removeprefix(UTF8_BOM).lstrip()
    if not text:
        return SitemapEntries()
    if text[:1] != b"<" and not text.startswith(UTF16_BOMS):
        return _text_sitemap(text)
    root = _xml_root(text)
    kind = _local(root)
    if kind in FEED_ROOTS:
        return None
    if kind not in ("urlset", "sitemapindex"):
        start = document_start(text)
        raise UnreadableSource(f"not a sitemap: root element <{kind}>; starts {start}")
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
    urls = [line for line in lines if _absolute(line, ("http", "https"))]
    if not urls:
        raise UnreadableSource(f"neither an XML nor a text sitemap: starts {document_start(text)}")
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
        title=plain_text(_text(news.get("title")) or _text(video.get("title"))),
        published=w3c_date(_text(news.get("publication_date")))
        or w3c_date(_text(video.get("publication_date")))
        or w3c_date(_text(fields.get("lastmod"))),
        outlet=_text(news.get("name")),
        description=plain_text(_text(news.get("keywords")) or _text(video.get("description"))),
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


def _absolute(url: str, schemes: tuple[str, ...] = ()) -> bool:
    """An absolute URI (of one of `schemes`, if given) with no whitespace inside.

    A <loc> of another scheme (file:, data:, javascript:) is passed on: the spider's address
    guard refuses it with its own failure line.
    """
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return False
    if any(char.isspace() for char in url) or not parts.scheme:
        return False
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return not schemes or parts.scheme in schemes
