"""Sitemaps in every form sitemaps.org and search engines accept, and what is not a sitemap."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler.sources import UnreadableSource, sitemap_links

SITEMAPS = Path(__file__).parent / "fixtures" / "sitemaps"
BASE = "https://news.example/sitemap.xml"


def _read(name: str):
    return sitemap_links((SITEMAPS / name).read_bytes(), BASE)


# name: (child sitemaps, pages) of Scrapy's own test sitemaps and the published samples
COUNTS = {
    "scrapy-sitemap.xml": (0, 2),  # Google's old 0.84 namespace
    "scrapy-sitemap-index.xml": (2, 0),
    "scrapy-sitemap-strip.xml": (0, 2),  # spaces inside <loc>, an empty <lastmod />
    "scrapy-sitemap-wrong-ns.xml": (0, 2),  # <url xmlns=""> inside a namespaced urlset
    "scrapy-sitemap-wrong-ns2.xml": (0, 2),  # no namespace at all
    "scrapy-sitemap-blanklines.xml": (3, 0),  # blank lines before the XML declaration
    "scrapy-comment.xml": (0, 1),
    "scrapy-alternate.xml": (0, 1),  # xhtml:link hreflang alternates are not pages
    "sitemaps-org-protocol.xml": (0, 5),
    "google-news.xml": (0, 1),
    "google-image.xml": (0, 2),  # image:loc is not a page
    "google-video.xml": (0, 1),
    "hreflang.xml": (0, 1),
    "wordpress-core-index.xml": (4, 0),
    "yoast-index.xml": (3, 0),
    "plain-text.txt": (0, 3),
}


@pytest.mark.parametrize("name", COUNTS, ids=COUNTS)
def test_every_accepted_form_gives_its_entries(name):
    entries = _read(name)
    assert (len(entries.sitemaps), len(entries.articles)) == COUNTS[name]
    for link in entries.sitemaps + entries.articles:
        assert link.url.startswith(("http://", "https://")) and link.url == link.url.strip()


def test_entries_carry_what_the_sitemap_says():
    (news,) = _read("google-news.xml").articles
    assert news.url == "http://www.example.org/business/article55.html"
    assert (news.title, news.outlet) == ("Companies A, B in Merger Talks", "The Example Times")
    assert news.description == "business, merger, acquisition"
    # news:publication_date wins over the later <lastmod>
    assert news.published.isoformat() == "2008-12-23T00:00:00+00:00"
    (video,) = _read("google-video.xml").articles
    assert video.title == "Grilling steaks for summer"
    assert video.published.isoformat() == "2007-11-05T19:20:30+08:00"
    protocol = _read("sitemaps-org-protocol.xml").articles
    assert protocol[1].url == "http://www.example.com/catalog?item=12&desc=vacation_hawaii"
    assert protocol[1].published is None
    assert protocol[3].published.isoformat() == "2004-12-23T18:00:15+00:00"
    assert [link.url for link in _read("google-image.xml").articles] == [
        "https://example.com/sample1.html",
        "https://example.com/sample2.html",
    ]


def test_index_children_carry_their_lastmod():
    posts, older, _ = _read("yoast-index.xml").sitemaps
    assert posts.url == "https://news.example/post-sitemap.xml"
    assert posts.published.isoformat() == "2024-06-07T14:27:00+00:00"
    assert older.published.year == 2023
    assert all(child.published is None for child in _read("wordpress-core-index.xml").sitemaps)


URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<{p}urlset{ns}><{p}url><{p}loc>https://news.example/2024/06/07/kutcher-sora/</{p}loc>
<{p}lastmod>2024-06-07T14:27:00Z</{p}lastmod></{p}url></{p}urlset>"""
INDEX = """<{p}sitemapindex{ns}><{p}sitemap><{p}loc>https://news.example/news.xml</{p}loc>
</{p}sitemap></{p}sitemapindex>"""
NAMESPACES = {
    "none": ("", ""),
    "sitemaps.org": ("", ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'),
    "https form": ("", ' xmlns="https://www.sitemaps.org/schemas/sitemap/0.9"'),
    "google 0.84": ("", ' xmlns="http://www.google.com/schemas/sitemap/0.84"'),
    "google 0.9": ("", ' xmlns="http://www.google.com/schemas/sitemap/0.9"'),
    "prefixed": ("sm:", ' xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"'),
    "unknown": ("", ' xmlns="http://example.com/my-sitemap"'),
}


@pytest.mark.parametrize("prefix,namespace", NAMESPACES.values(), ids=NAMESPACES)
def test_urlsets_and_indexes_in_any_namespace(prefix, namespace):
    (page,) = sitemap_links(URLSET.format(p=prefix, ns=namespace).encode()).articles
    assert page.url == "https://news.example/2024/06/07/kutcher-sora/"
    assert page.published.isoformat() == "2024-06-07T14:27:00+00:00"
    (child,) = sitemap_links(INDEX.format(p=prefix, ns=namespace).encode()).sitemaps
    assert child.url == "https://news.example/news.xml"


def test_cdata_and_utf16_sitemaps():
    cdata = b"<urlset><url><loc><![CDATA[ https://news.example/a?b=1&c=2 ]]></loc></url></urlset>"
    assert sitemap_links(cdata).articles[0].url == "https://news.example/a?b=1&c=2"
    utf16 = URLSET.format(p="", ns="").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    (page,) = sitemap_links(utf16.encode("utf-16")).articles  # with its byte-order mark
    assert page.url == "https://news.example/2024/06/07/kutcher-sora/"


def test_a_gzipped_sitemap_once_gunzipped():
    body = gzip.decompress(gzip.compress((SITEMAPS / "google-news.xml").read_bytes()))
    assert len(sitemap_links(body).articles) == 1


FEEDS_AS_SITEMAPS = {
    "rss 2.0": b"""<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>
<item><title>Kutcher and Sora</title><link>https://news.example/2024/06/07/kutcher-sora/</link>
<pubDate>Fri, 07 Jun 2024 14:27:00 GMT</pubDate></item></channel></rss>""",
    "atom 1.0": b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>N</title><id>urn:n</id>
<updated>2024-06-07T14:27:00Z</updated><entry><title>Kutcher and Sora</title><id>urn:1</id>
<link href="/2024/06/07/kutcher-sora/"/><updated>2024-06-07T14:27:00Z</updated></entry></feed>""",
    "rss 1.0": b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>N</title></channel>
<item rdf:about="https://news.example/2024/06/07/kutcher-sora/"><title>Kutcher and Sora</title>
<link>https://news.example/2024/06/07/kutcher-sora/</link><dc:date>2024-06-07T14:27:00Z</dc:date>
</item></rdf:RDF>""",
}


@pytest.mark.parametrize("body", FEEDS_AS_SITEMAPS.values(), ids=FEEDS_AS_SITEMAPS)
def test_feeds_used_as_sitemaps(body):
    (page,) = sitemap_links(body, BASE).articles
    assert page.url == "https://news.example/2024/06/07/kutcher-sora/"
    assert page.title == "Kutcher and Sora" and page.published.year == 2024


BAD_LOCS = (
    "/2024/06/08/relative-path/",
    "2024/06/08/no-slash",
    "",
    "https://news.example/with space/",
    "http://[broken-host/",
    "https:///no-host",
    "not a url at all",
)
# Absolute, but not http(s): passed on for the spider's address guard to refuse with its line.
OTHER_SCHEMES = ("javascript:void(0)", "file:///etc/hostname", "data:text/html,x", "ftp://h/x")


def test_entries_without_an_absolute_url_are_skipped_and_counted():
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in BAD_LOCS + OTHER_SCHEMES)
    good = "<url><loc>https://news.example/2024/06/08/good/</loc></url>"
    entries = sitemap_links(f"<urlset>{urls}{good}<url><lastmod>2024</lastmod></url></urlset>".encode())
    listed = [link.url for link in entries.articles]
    assert listed == [*OTHER_SCHEMES, "https://news.example/2024/06/08/good/"]
    assert entries.skipped == len(BAD_LOCS) + 1  # and the <url> with no <loc>
    index = sitemap_links(b"<sitemapindex><sitemap><loc>/news.xml</loc></sitemap></sitemapindex>")
    assert (index.sitemaps, index.skipped) == ([], 1)


def test_text_sitemap_lines():
    entries = _read("plain-text.txt")
    assert entries.articles[0].url == "https://news.example/2024/06/07/kutcher-sora/"
    assert entries.skipped == 1  # the relative line


NOT_SITEMAPS = {
    "html soft 404": b"<!DOCTYPE html><html><head><title>Not found</title></head><body></body></html>",
    "xml of another kind": b'<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>',
    "json": b'{"error": "not found"}',
    "gzip not unpacked": gzip.compress(b"<urlset></urlset>"),
    "text with no url": b"User-agent: *\nDisallow: /\n",
    "text with other schemes only": b"file:///etc/hostname\njavascript:alert(1)\n",
    "cut-off xml": b"<?xml version='1.0'?>\n<",
    "entity only": b"<url>&k;",  # Scrapy's test_sitemap_non_string_tag
}


@pytest.mark.parametrize("body", NOT_SITEMAPS.values(), ids=NOT_SITEMAPS)
def test_what_is_no_sitemap_is_unreadable_with_a_one_line_reason(body):
    with pytest.raises(UnreadableSource) as raised:
        sitemap_links(body, BASE)
    assert str(raised.value) and "\n" not in str(raised.value)


def test_empty_sitemaps_give_nothing():
    for body in (b"", b"  \n", b"<urlset/>", b'<sitemapindex xmlns="http://x"></sitemapindex>'):
        entries = sitemap_links(body)
        assert (entries.sitemaps, entries.articles, entries.skipped) == ([], [], 0)


def test_entities_are_neither_expanded_nor_fetched():
    entries = _read("scrapy-xml-entity-expansion.xml")  # SYSTEM "file:///etc/passwd"
    assert [link.url for link in entries.articles] == ["http://127.0.0.1:8000/"]
    hostile = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;</loc></url></urlset>"""
    assert sitemap_links(hostile).articles == []
