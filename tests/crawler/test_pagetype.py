"""Article or listing, from what a page says of itself: real page heads and real template shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.pagetype import page_kind

PAGES = Path(__file__).parent / "fixtures" / "pages"

# Heads of real pages from trafilatura's test sets (fixtures/README.md) and what they are.
REAL = {
    "bbc.com.52241221.html": "article",  # ReportageNewsArticle
    "elpais.com.ciencia.html": "article",  # Arc XP: ReportageNewsArticle
    "reuters.com.parasite.html": "article",
    "latimes.com.bloomberg.html": "article",
    "nytimes.com.blackouts.html": "article",  # a list of top-level entities
    "mercurynews.com.2023.01.16.letters-1119.html": "article",
    "clarin.com-albertofernandez.html": "article",  # NewsArticle beside an ItemList
    "knowtechie.com.rally.html": "article",  # Yoast @graph with NewsArticle
    "wsvn.com-crash.html": "article",  # @graph, no og:type
    "industriemagazin.at-Luftfahrtbranche.html": "article",  # og:type website, Article graph
    "d51e75d9e53a472bb7708191899aa6b4.html": "article",  # og:type website, NewsArticle
    "crazy-julia.de.tipps.html": "article",  # Yoast graph without Article: og:type article
    "minusl.de.joghurt.html": "listing",  # Yoast CollectionPage: a product category
    "tagesschau.de.rheinmetall.html": "unknown",  # og:type website and nothing else
    "yle.fi.3-11212601.html": "unknown",
    "blog.python.org.html": "unknown",  # no metadata at all
}


@pytest.mark.parametrize("name", REAL, ids=REAL)
def test_real_page_heads(name):
    assert page_kind((PAGES / name).read_text(encoding="utf-8")) == REAL[name]


def _jsonld(data: object, og_type: str | None = None, wrap: str = "{}") -> str:
    og = f'<meta property="og:type" content="{og_type}" />' if og_type else ""
    script = wrap.format(json.dumps(data))
    return (
        f'<html><head>{og}<script type="application/ld+json">{script}</script></head>'
        "<body><h1>Page</h1></body></html>"
    )


YOAST_CATEGORY = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "CollectionPage", "@id": "https://news.example/category/film/", "name": "Film"},
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": "WebSite", "@id": "https://news.example/#website"},
        {"@type": "Organization", "@id": "https://news.example/#organization"},
    ],
}
ARC_SECTION = {
    "@context": "https://schema.org",
    "@type": "ItemList",
    "itemListElement": [
        {"@type": "ListItem", "position": 1, "url": "https://news.example/2024/06/07/a/"},
        {"@type": "ListItem", "position": 2, "item": {"@type": "NewsArticle", "headline": "B"}},
    ],
}
SEARCH_PAGE = {"@context": "https://schema.org", "@type": "SearchResultsPage", "name": "Sora"}
TWO_ARTICLES_ON_A_SECTION = [
    {"@context": "https://schema.org", "@type": "CollectionPage"},
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "A"},
    {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "B"},
]
HEARST_ARTICLE = [
    {"@context": "https://schema.org", "@type": ["NewsArticle"], "headline": "Kutcher"},
    {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []},
]
MAIN_ENTITY = {
    "@context": "https://schema.org",
    "@type": "WebPage",
    "mainEntity": {"@type": "ReportageNewsArticle", "headline": "Kutcher"},
}
LIVE_BLOG = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "coverageStartTime": ""}
IRI_TYPE = {"@context": "https://schema.org", "@type": "https://schema.org/BlogPosting"}
PREFIXED = {"@context": {"schema": "https://schema.org/"}, "@type": "schema:OpinionNewsArticle"}

SHAPES = {
    "yoast category, og article": (_jsonld(YOAST_CATEGORY, "article"), "listing"),
    "arc section item list": (_jsonld(ARC_SECTION, "website"), "listing"),
    "search results page": (_jsonld(SEARCH_PAGE), "listing"),
    "section listing two articles": (_jsonld(TWO_ARTICLES_ON_A_SECTION), "listing"),
    "hearst list of entities": (_jsonld(HEARST_ARTICLE), "article"),
    "webpage main entity": (_jsonld(MAIN_ENTITY, "website"), "article"),
    "live blog": (_jsonld(LIVE_BLOG), "article"),
    "full IRI type": (_jsonld(IRI_TYPE), "article"),
    "prefixed type": (_jsonld(PREFIXED), "article"),
    "html comment wrapper": (_jsonld(HEARST_ARTICLE, wrap="<!--{}-->"), "article"),
    "cdata wrapper": (_jsonld(HEARST_ARTICLE, wrap="//<![CDATA[\n{}\n//]]>"), "article"),
    "broken json-ld, og article": (_jsonld({}, "article", wrap='{{"@type": "NewsArt'), "article"),
    "website entity only": (_jsonld({"@type": "WebSite"}, "website"), "unknown"),
    "og website only": (_jsonld({"@type": "Organization"}, "website"), "unknown"),
}


@pytest.mark.parametrize("html,kind", SHAPES.values(), ids=SHAPES)
def test_template_shapes(html, kind):
    assert page_kind(html) == kind


OG_TAGS = [
    '<meta property="og:type" content="article">',
    "<meta content='article' property='og:type'/>",
    '<META PROPERTY="og:type" CONTENT="Article">',
    '<meta name="og:type" content="article">',
    "<meta property=og:type content=article>",
]


@pytest.mark.parametrize("tag", OG_TAGS)
def test_og_type_in_any_attribute_spelling(tag):
    assert page_kind(f"<html><head>{tag}</head><body></body></html>") == "article"
    listing = _jsonld(YOAST_CATEGORY).replace("<head>", f"<head>{tag}")
    assert page_kind(listing) == "listing"


def test_no_signal_is_unknown():
    assert page_kind("") == "unknown"
    assert page_kind("<html><body><p>Just text</p></body></html>") == "unknown"
