"""Reading sources into candidate links: every feed flavour, sitemaps, news-search answers."""

from __future__ import annotations

import gzip

from crawler.sources import (
    feed_links,
    fill_query,
    is_wrapper,
    looks_like_article,
    search_links,
    sitemap_links,
)

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
    assert list(search_links(b"<html>not a feed", "https://x.example/")) == []


def test_query_is_url_encoded():
    url = fill_query("https://news.google.com/rss/search?q={query}&hl=en-US", "Ashton Kutcher Sora")
    assert url == "https://news.google.com/rss/search?q=Ashton+Kutcher+Sora&hl=en-US"


def test_sitemap_index_and_news_sitemap():
    index = sitemap_links(b"""<?xml version="1.0"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://news.example/sitemap-news.xml.gz</loc></sitemap></sitemapindex>""")
    assert index.sitemaps == ["https://news.example/sitemap-news.xml.gz"] and not index.articles
    news = sitemap_links(
        gzip.decompress(
            gzip.compress(b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://news.example/2024/06/kutcher-sora</loc><news:news>
      <news:publication><news:name>News</news:name><news:language>en</news:language>
      </news:publication><news:publication_date>2024-06-07T14:27:00-04:00</news:publication_date>
      <news:title>Kutcher and Sora</news:title></news:news></url>
    <url><loc>https://news.example/2024/06/plain</loc><lastmod>2024-06-01</lastmod></url>
    </urlset>""")
        )
    )
    first, second = news.articles
    assert (first.title, first.outlet) == ("Kutcher and Sora", "News")
    assert first.published.isoformat() == "2024-06-07T14:27:00-04:00"
    assert second.published.isoformat() == "2024-06-01T00:00:00+00:00"


def test_sitemap_entities_are_not_expanded():
    hostile = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;</loc></url></urlset>"""
    assert [link.url for link in sitemap_links(hostile).articles if "etc" in link.url] == []


def test_article_looking_links():
    page = "https://news.example/entertainment"
    assert looks_like_article("https://news.example/2024/06/07/kutcher-sora", page)
    assert looks_like_article(
        "https://news.example/entertainment/kutcher-defends-ai-video-tool", page
    )
    assert looks_like_article("https://www.news.example/story/123456", page)
    assert not looks_like_article("https://news.example/tag/ai", page)
    assert not looks_like_article("https://news.example/about", page)
    assert not looks_like_article("https://other.example/2024/06/07/kutcher-sora", page)
    assert not looks_like_article("https://news.example/2024/06/photo-of-the-day.jpg", page)
