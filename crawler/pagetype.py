"""Article or listing, from what a fetched page says about itself (not from its URL).

Cheap: regular expressions over the markup find the og:type <meta> and the JSON-LD blocks; no
DOM is built and no text extracted. Signals, strongest first:
1. JSON-LD @type (top-level entities, @graph members, their mainEntity): an Article type
   (schema.org's Article and its subtypes: NewsArticle, ReportageNewsArticle, BlogPosting, ...)
   against a listing type (CollectionPage, ItemList, SearchResultsPage, ...). Yoast SEO puts
   WebSite and WebPage on every page, so those two alone decide nothing here.
2. og:type "article" (https://ogp.me/#types). og:type "website" decides nothing: 91 of the
   922 pages with a main text in trafilatura's tests/eval set (tagesschau.de, yle.fi and other
   article pages) say "website".
Otherwise "unknown": the caller falls back on extraction's verdict.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

__all__ = ["ARTICLE_TYPES", "LISTING_TYPES", "PageKind", "page_kind", "prose_paragraphs"]

PageKind = Literal["article", "listing", "unknown"]

# schema.org/Article and its subtypes (https://schema.org/Article, "More specific Types").
ARTICLE_TYPES = frozenset(
    "Article NewsArticle AnalysisNewsArticle AskPublicNewsArticle BackgroundNewsArticle "
    "OpinionNewsArticle ReportageNewsArticle ReviewNewsArticle SatiricalArticle "
    "AdvertiserContentArticle BlogPosting LiveBlogPosting SocialMediaPosting Report "
    "ScholarlyArticle TechArticle MedicalScholarlyArticle DiscussionForumPosting".split()
)
LISTING_TYPES = frozenset(
    "CollectionPage ItemList SearchResultsPage ProfilePage Blog Periodical".split()
)

_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def page_kind(html: str) -> PageKind:
    """'article', 'listing' or 'unknown' for an HTML page, from its JSON-LD and og:type."""
    entities = list(_jsonld_types(html))
    articles = sum(1 for types in entities if types & ARTICLE_TYPES)
    listings = sum(1 for types in entities if types & LISTING_TYPES)
    if articles == 1 or (articles and not listings):
        return "article"
    if listings:
        return "listing"
    return "article" if _og_type(html) == "article" else "unknown"


# A paragraph of running prose: this many words outside links. News paragraphs run 20-40 words
# (the outlet-style pages in tests/pages.py: 11-34, median 20); a listing's teasers are mostly
# links, or shorter; three such paragraphs make a page read as an article.
PROSE_WORDS = 20
ARTICLE_PROSE = 3


def prose_paragraphs(html: str, enough: int = ARTICLE_PROSE) -> int:
    """How many <p> of running prose (PROSE_WORDS words outside links) a page has, counting up
    to `enough`: the fallback when a page says nothing of itself. An article page has several;
    a section or tag page, whose text is headlines and short teasers, has none or one."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, etree.ParserError):
        return 0
    found = 0
    for paragraph in tree.iter("p"):
        linked = sum(len(a.text_content().split()) for a in paragraph.iter("a"))
        if len(paragraph.text_content().split()) - linked >= PROSE_WORDS:
            found += 1
            if found >= enough:
                break
    return found


def _og_type(html: str) -> str:
    for tag in _META.findall(html):
        attributes = {
            name.lower(): double or single or bare
            for name, double, single, bare in _ATTRIBUTE.findall(tag)
        }
        if (attributes.get("property") or attributes.get("name", "")).lower() == "og:type":
            return attributes.get("content", "").strip().lower()
    return ""


def _jsonld_types(html: str) -> Iterator[set[str]]:
    """The @type set of each top-level JSON-LD entity, @graph member and mainEntity."""
    for block in _SCRIPT.findall(html):
        try:
            data = json.loads(_WRAPPER.sub("", block), strict=False)
        except ValueError:
            continue
        yield from _entity_types(data, depth=0)


def _entity_types(data: object, depth: int) -> Iterator[str]:
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _entity_types(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    declared = data.get("@type")
    # "NewsArticle", ["Article", "NewsArticle"], "schema:NewsArticle", "https://schema.org/Article"
    yield {
        kind.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        for kind in (declared if isinstance(declared, list) else [declared])
        if isinstance(kind, str)
    }
    for key in ("@graph", "mainEntity"):
        if key in data:
            yield from _entity_types(data[key], depth + 1)
