"""Reading sources into candidate links: every feed flavour, sitemaps, news-search answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.sources import (
    MAX_DESCRIPTION,
    Link,
    UnreadableSource,
    feed_links,
    fill_query,
    is_wrapper,
    listing_text,
    search_links,
)

FEEDS = Path(__file__).parent / "fixtures" / "feeds"

BASE = "https://news.example/feeds/main.xml"

RSS_091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>T</title>
<item><title>One</title><link>https://news.example/2024/06/one-story-here</link></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>T</title></channel>
<item rdf:about="https://news.example/2024/06/rdf-story"><title>RDF</title>
<link>https://news.example/2024/06/rdf-story</link><dc:date>2024-06-07T10:00:00Z</dc:date></item>
</rdf:RDF>"""

RSS_20 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Relative</title><link>/2024/06/relative-link-story</link>
<pubDate>Fri, 07 Jun 2024 14:27:00 GMT</pubDate></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>T</title><id>urn:x</id><updated>2024-06-07T10:00:00Z</updated>
<entry><title>Atom</title><link rel="alternate" href="https://news.example/2024/06/atom-story"/>
<id>urn:1</id><updated>2024-06-07T11:00:00Z</updated></entry></feed>"""

GOOGLE_NEWS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>
<item><title>Kutcher defends Sora - BBC</title>
<link>https://news.google.com/rss/articles/CBMiLmh0dHBzOi8vd3d3LmJiYy5jb20vbmV3cy9hcnRpY2xlcy9jampqbnhkdjE4OG_SATJodHRwczovL3d3dy5iYmMuY29tL25ld3MvYXJ0aWNsZXMvY2pqam54ZHYxODhvLmFtcA?oc=5</link>
<pubDate>Fri, 07 Jun 2024 14:27:00 GMT</pubDate>
<source url="https://www.bbc.com">BBC</source></item>
<item><title>Kutcher - Deadline</title>
<link>https://news.google.com/rss/articles/CBMiWkFVX3lxTE5fd2E?oc=5</link>
<source url="https://deadline.com">Deadline</source></item></channel></rss>"""

BING = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bing</title>
<item><title>Kutcher</title>
<link>http://www.bing.com/news/apiclick.aspx?ref=FexRss&amp;aid=&amp;tid=1&amp;url=https%3a%2f%2fdeadline.com%2f2024%2f06%2fkutcher-sora%2f&amp;c=1&amp;mkt=en-us</link>
</item></channel></rss>"""

GDELT = b"""{"articles": [{"url": "https://www.foxnews.com/entertainment/kutcher-sora",
 "title": "Kutcher", "seendate": "20240607T142700Z", "domain": "foxnews.com"},
 {"url": "javascript:alert(1)"}, {"title": "no url"}]}"""


def test_every_feed_flavour_gives_its_links():
    assert [link.url for link in feed_links(RSS_091, BASE)] == [
        "https://news.example/2024/06/one-story-here"
    ]
    (rdf,) = feed_links(RSS_10, BASE)
    assert rdf.url.endswith("/rdf-story") and rdf.published.isoformat().startswith("2024-06-07")
    (relative,) = feed_links(RSS_20, BASE)
    assert relative.url == "https://news.example/2024/06/relative-link-story"
    (entry,) = feed_links(ATOM, BASE)
    assert entry.url == "https://news.example/2024/06/atom-story" and entry.title == "Atom"


def test_news_search_answers():
    old_style, new_style = search_links(GOOGLE_NEWS, "https://news.google.com/rss/search?q=x")
    # A real old-format id (googlenewsdecoder issue #5): decoded offline, AMP field aside.
    assert old_style.url == "https://www.bbc.com/news/articles/cjjjnxdv188o"
    assert old_style.outlet == "BBC"
    assert is_wrapper(new_style.url)  # current format: resolved online (crawler/gnews.py)
    (bing,) = search_links(BING, "https://www.bing.com/news/search?q=x&format=rss")
    assert bing.url == "https://deadline.com/2024/06/kutcher-sora/"
    (gdelt,) = search_links(GDELT, "https://api.gdeltproject.org/api/v2/doc/doc?query=x")
    assert gdelt.url == "https://www.foxnews.com/entertainment/kutcher-sora"
    assert gdelt.published.isoformat() == "2024-06-07T14:27:00+00:00"


def test_query_is_url_encoded():
    url = fill_query("https://news.google.com/rss/search?q={query}&hl=en-US", "Ashton Kutcher Sora")
    assert url == "https://news.google.com/rss/search?q=Ashton+Kutcher+Sora&hl=en-US"


def test_listing_text_reads_title_description_and_url_words():
    link = Link(
        "https://www.bbc.co.uk/news/entertainment-arts-68912345",
        title="Kutcher defends Sora",
        description="The actor said crews should learn the tools.",
    )
    assert listing_text(link) == (
        "Kutcher defends Sora The actor said crews should learn the tools. "
        "news entertainment arts"
    )


# --- feedparser's own test feeds: each file's `Expect:` line names the entry link ----------


def _expected_link(path: Path) -> str:
    header = path.read_text(encoding="utf-8", errors="replace")[:600]
    return re.search(r"\['link'\] == '([^']+)'|\.link == '([^']+)'", header).group(1, 2)


LINK_FEEDS = sorted(path for path in FEEDS.glob("*.xml") if "link" in path.name)


@pytest.mark.parametrize("path", LINK_FEEDS, ids=lambda path: path.stem)
def test_feedparser_test_feeds_give_their_entry_link(path):
    expected = next(value for value in _expected_link(path) if value)
    links = list(feed_links(path.read_bytes(), "https://feeds.example/feed.xml"))
    assert links and links[0].url == expected


def test_feedparser_ill_formed_feeds():
    """Bozo but a feed (a cut-off document, an unfinished CDATA): nothing listed, no error;
    a document with no feed in it at all: unreadable, with the parser's reason."""
    for name in (
        "illformed__aaa_illformed.xml",
        "illformed__rss_incomplete_cdata.xml",
        "illformed__chardet__koi8r.xml",  # items without links
    ):
        assert list(feed_links((FEEDS / name).read_bytes(), "https://f.example/")) == []
    with pytest.raises(UnreadableSource, match="not an RSS or Atom feed"):
        feed_links((FEEDS / "illformed__rss_empty_document.xml").read_bytes(), "https://f.ex/")


# --- what a feed or search URL answers when it is not a feed -------------------------------

NOT_FEEDS = {
    "html page": b"<!DOCTYPE html><html><head><title>Moved</title></head><body>Gone</body></html>",
    "gdelt text error": b"Timespan is too short.\n",
    "gdelt phrase error": b"The specified phrase is too short.",
    "empty": b"",
    "xml error": b'<?xml version="1.0"?><error><code>429</code><message>Slow down</message></error>',
}


@pytest.mark.parametrize("body", NOT_FEEDS.values(), ids=NOT_FEEDS.keys())
def test_an_answer_that_is_no_feed_is_unreadable_with_a_one_line_reason(body):
    with pytest.raises(UnreadableSource) as raised:
        list(search_links(body, "https://news.example/search?q=x"))
    assert "\n" not in str(raised.value) and str(raised.value)


def test_a_feed_with_no_entries_gives_nothing():
    empty_rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    empty_atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>'
    assert list(feed_links(empty_rss, BASE)) == [] and list(feed_links(empty_atom, BASE)) == []


# --- descriptions -------------------------------------------------------------------------

GOOGLE_NEWS_ITEM = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>
<item><title>Ashton Kutcher defends Sora - Variety</title>
<link>https://news.google.com/rss/articles/CBMiWkFVX3lxTE5fd2E?oc=5</link>
<description>&lt;a href="https://news.google.com/rss/articles/CBMiWkFVX3lxTE5fd2E?oc=5" target="_blank"&gt;Ashton Kutcher defends Sora&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Variety&lt;/font&gt;</description>
<source url="https://variety.com">Variety</source></item></channel></rss>"""

LONG_SUMMARY = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Bing</title>
<item><title>Kutcher</title><link>https://deadline.com/2024/06/kutcher-sora/</link>
<description><![CDATA[<p>Ashton Kutcher <b>doubled down</b> on &quot;Sora&quot;. """ + b"word " * 200 + b"""</p>]]></description>
</item></channel></rss>"""


def test_entry_summaries_become_plain_text_descriptions():
    (google,) = feed_links(GOOGLE_NEWS_ITEM, "https://news.google.com/rss/search?q=x")
    assert google.description == "Ashton Kutcher defends Sora Variety"
    (bing,) = feed_links(LONG_SUMMARY, "https://www.bing.com/news/search?q=x&format=rss")
    assert bing.description.startswith('Ashton Kutcher doubled down on "Sora". word word')
    assert len(bing.description) <= MAX_DESCRIPTION and bing.description.endswith("word")
    (rss,) = feed_links(RSS_091, BASE)
    assert rss.description == ""


# --- GDELT answers: repaired when a tolerant reader can, unreadable otherwise -------------

GDELT_ARTICLE = (
    '{"url": "https://www.foxnews.com/entertainment/kutcher-sora", "title": "%s",'
    ' "seendate": "20240607T142700Z", "domain": "foxnews.com"}'
)
BROKEN_GDELT = {
    "invalid escape": (GDELT_ARTICLE % "Kutcher\\'s Sora").encode(),
    "invalid escapes": (GDELT_ARTICLE % "Kutcher\\'s \\Sora").encode(),
    "raw tab": (GDELT_ARTICLE % "Kutcher's\tSora").encode(),
    "raw newline": (GDELT_ARTICLE % "Kutcher's\nSora").encode(),
    "byte-order mark": b"\xef\xbb\xbf" + (GDELT_ARTICLE % "Kutcher's Sora").encode(),
}
TRAILING = {"html comment": b"\n<!-- 0.1s -->", "second document": b"{}", "nul": b"\x00\x00"}


@pytest.mark.parametrize("article", BROKEN_GDELT.values(), ids=BROKEN_GDELT.keys())
def test_broken_gdelt_answers_are_repaired(article):
    body = b'{"articles": [' + article.removeprefix(b"\xef\xbb\xbf") + b"]}"
    if article.startswith(b"\xef\xbb\xbf"):
        body = b"\xef\xbb\xbf" + body
    (link,) = search_links(body, "https://api.gdeltproject.org/api/v2/doc/doc?query=x")
    assert link.url == "https://www.foxnews.com/entertainment/kutcher-sora"
    assert link.title.startswith("Kutcher") and link.title.endswith("Sora")
    assert link.published.isoformat() == "2024-06-07T14:27:00+00:00"


@pytest.mark.parametrize("garbage", TRAILING.values(), ids=TRAILING.keys())
def test_gdelt_answers_with_trailing_garbage_are_read(garbage):
    body = b'{"articles": [' + (GDELT_ARTICLE % "Kutcher").encode() + b"]}" + garbage
    (link,) = search_links(body, "https://api.gdeltproject.org/api/v2/doc/doc?query=x")
    assert link.title == "Kutcher"


def test_gdelt_answers_with_no_articles_give_nothing():
    """GDELT answers `{}` when nothing matched: read, and empty (the spider reports it)."""
    for body in (b"{}", b'{"articles": []}', b"[]"):
        assert list(search_links(body, "https://api.gdeltproject.org/api/v2/doc/doc")) == []


def test_unrepairable_gdelt_answers_are_unreadable():
    cut_off = b'{"articles": [{"url": "https://www.foxnews.com/entertainment/kut'
    for body in (cut_off, b'{"articles": [}', b"{'articles': []}"):
        with pytest.raises(UnreadableSource, match="not readable JSON"):
            list(search_links(body, "https://api.gdeltproject.org/api/v2/doc/doc"))


def test_the_public_names_of_the_source_readers():
    """What the spider imports from crawler.sources (Link, UnreadableSource and SitemapEntries
    live in crawler.links / crawler.sitemaps and are re-exported)."""
    import crawler.sources

    for name in crawler.sources.__all__:
        assert getattr(crawler.sources, name) is not None
    assert issubclass(crawler.sources.UnreadableSource, ValueError)
    assert [f for f in crawler.sources.Link.__dataclass_fields__] == [
        "url", "title", "published", "outlet", "description"
    ]
