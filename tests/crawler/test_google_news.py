"""Current-format Google News links resolved through Google's two steps, on a loopback replica.

The crawl runs as `storywatch crawl` in a process of its own, with one setting changed, as
`scrapy crawl -s` would: STORYWATCH_GOOGLE_NEWS_HOSTS names the replica's host:port. Below it,
the spider's callbacks are driven directly with responses, for the meta each step hands on.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from schedules.replica import ReplicaWeb
from storage.candidates import Pending
from storage.urls import canonicalize_url
from tests.conftest import write_config
from tests.crawler.google_news_replica import (
    BATCHEXECUTE,
    CONSENT_WALL,
    GoogleNewsReplica,
    error_answer,
    garturlres_answer,
)
from tests.crawler.replica_site import CRAWL_CONFIG_TEXT, PULSE_STYLE, render, story_body
from tests.crawler.test_crawl import export
from tests.crawler.test_gnews import LINK, google_answer, page_response

CRAWL_WITH_HOSTS = (
    "import sys, crawler.settings as s; s.STORYWATCH_GOOGLE_NEWS_HOSTS = [sys.argv.pop(1)]; "
    "from schedules.cli import main; sys.exit(main(sys.argv[1:]))"
)


def crawl_with_google_at(project: Path, hosts: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", CRAWL_WITH_HOSTS, hosts, "crawl", "--config"]
    return subprocess.run(
        [*command, str(project / "storywatch.toml")], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def google_web():
    """Google's replica and a publisher; links[name] is each story's Google News link."""
    with ReplicaWeb() as web:
        google, publisher = GoogleNewsReplica(web.outlet("google")), web.outlet("publisher")
        articles = {
            name: publisher.put(f"/2024/06/{name}", render(PULSE_STYLE, story_body(i, title)))
            for name, i, title in (
                ("wga-answers-kutcher", 5, "The WGA answers Kutcher"),
                ("crew-on-sora", 1, "Crew members on Sora"),
                ("sora-after-retry", 9, "Sora, after a retry"),
            )
        }
        missing = publisher.url("/2024/06/deleted-kutcher-story")
        busy = [(503, "<html>busy</html>"), (200, garturlres_answer(articles["sora-after-retry"]))]
        tokens = {
            "rss": google.add(articles["wga-answers-kutcher"], "WGA answers Kutcher", "Pulse"),
            "articles_form": google.add(articles["crew-on-sora"], "Crew on Sora", "Pulse"),
            "retried": google.add(
                articles["sora-after-retry"], "Sora retry", "Pulse", answers=busy
            ),
            "consent": google.add(missing + "?1", "Consent", "Pulse", page=CONSENT_WALL),
            "page_error": google.add(missing + "?2", "Page error", "Pulse", page_status=500),
            "refused": google.add(missing + "?3", "Refused", "Pulse", answers=[(400, "")]),
            "null_result": google.add(
                missing + "?4", "Null", "Pulse", answers=[(200, error_answer())]
            ),
            "deleted": google.add(missing, "Deleted", "Pulse"),
        }
        links = {
            name: google.link(token, "articles" if name == "articles_form" else "rss/articles")
            for name, token in tokens.items()
        }
        google.publish_search(list(links.values()))
        yield google, publisher, links, articles


def test_new_format_links_are_stored_under_the_publishers_url(project, google_web):
    google, publisher, links, articles = google_web
    search = google.outlet.url("/rss/search?q={query}&hl=en-US&gl=US&ceid=US:en")
    write_config(project, CRAWL_CONFIG_TEXT + f'\n[[sources]]\nkind = "search"\nurl = "{search}"\n')
    done = crawl_with_google_at(project, google.outlet.host)
    assert done.returncode == 0, done.stderr

    stored = export(project)
    for url in articles.values():
        assert url in stored, (url, done.stderr)
    assert not [url for url in stored if google.outlet.host in url]

    # Each step went through Scrapy: the posted f.req carried the id and the page's signature
    # (the replica answers 400 otherwise), and the 503 was retried.
    posts = [seen for seen in google.outlet.requests if seen.method == "POST"]
    assert all(seen.path.startswith(BATCHEXECUTE) for seen in posts)
    assert all(seen.headers["User-Agent"].startswith("storywatch/") for seen in posts)
    answered = {call[2] for call in google.calls if call}
    assert len(google.calls) == len(answered) + 1  # one lookup per link (two queries), one retry
    assert answered == set(google.stories) - {_token(links["consent"]), _token(links["page_error"])}
    # /articles/<id> redirects a crawler to a 'sorry' page: its /rss/articles/ page is asked.
    assert not google.outlet.fetched("/articles/")
    pages = [path.split("?")[0] for path in google.outlet.fetched("/rss/articles/")]
    assert pages.count(f"/rss/articles/{_token(links['page_error'])}") == 3  # retried 500s

    header, *lines = done.stderr.strip().splitlines()
    assert header == f"{len(lines)} failed:"
    broken = ("consent", "page_error", "refused", "null_result", "deleted")
    for name in broken:
        assert sum(_token(links[name]) in line for line in lines) == 1, (name, lines)
    assert len(lines) == len(broken), lines
    line = {name: next(x for x in lines if _token(links[name]) in x) for name in broken}
    assert "no signature" in line["consent"] and "HTTP 500" in line["page_error"]
    assert "lookup failed (HTTP 400)" in line["refused"]
    assert "without a result" in line["null_result"]
    assert "HTTP 404" in line["deleted"] and publisher.host in line["deleted"]


def _token(link: str) -> str:
    return link.split("?")[0].rsplit("/", 1)[-1]


# --- the spider's callbacks: page -> lookup -> publisher, with the meta the brief fixes --------


@pytest.fixture
def spider(project):
    from scrapy.utils.test import get_crawler

    from crawler.config import load_config
    from crawler.profile import build_profile
    from crawler.spiders.coverage import CoverageSpider

    config = load_config(str(project / "storywatch.toml"))
    crawler = get_crawler(
        CoverageSpider, {"STORYWATCH_DATABASE_URL": "sqlite://", "STORYWATCH_CONFIG": ""}
    )
    profile = build_profile(["Ashton Kutcher praised OpenAI's Sora video generator."], ("q",))
    since = datetime(2024, 5, 10, tzinfo=UTC)
    return CoverageSpider.from_crawler(crawler, config=config, profile=profile, since=since)


def candidate(url: str, **fields) -> Pending:
    return Pending(source=_search_source().label, key=url, url=url, **fields)


def test_the_spider_walks_the_steps_with_the_link_kept(spider):
    source = _search_source()
    listed = candidate(LINK, title="WGA answers Kutcher", outlet="Variety")
    first = spider._article_request(listed, source, known=None)
    assert first.url == LINK and first.meta["listed_url"] == LINK

    page = page_response(request_meta=first.meta)
    (lookup,) = spider.parse_article(page, source=source)
    assert lookup.method == "POST" and lookup.callback == spider.parse_google_news_answer
    assert lookup.meta["source"] == source.label and "article" not in lookup.meta

    publisher = "https://variety.com/2024/film/news/ashton-kutcher-sora-1236027196/"
    answer = TextResponse(lookup.url, body=google_answer(publisher).encode(), request=lookup)
    (article,) = spider.parse_google_news_answer(answer, **lookup.cb_kwargs)
    assert article.url == publisher  # as Google's answer spells it, the canonical URL its key
    assert article.meta["canonical_key"] == canonicalize_url(publisher)
    assert article.callback == spider.parse_article
    assert article.meta["listed_url"] == publisher and article.meta["google_news_link"] == LINK
    assert article.meta["article"] and LINK in article.meta["what"]
    assert article.meta["candidate"].outlet == "Variety"
    # A second search link that leads to the same article is not fetched twice.
    assert list(spider.parse_google_news_answer(answer, **lookup.cb_kwargs)) == []


def test_the_spider_counts_a_broken_step_once(spider):
    source = _search_source()
    listed = candidate(LINK)
    consent = page_response(body=CONSENT, request_meta={"candidate": listed})
    assert list(spider.parse_article(consent, source)) == []
    answer = TextResponse(LINK, body=b"<html>Error 400</html>", request=Request(LINK))
    assert list(spider.parse_google_news_answer(answer, source, listed)) == []
    publisher = "https://a.example/2024/06/story"
    back = page_response(google_news_link=LINK, request_meta={"candidate": candidate(publisher)})
    assert list(spider.parse_article(back, source)) == []
    lines = spider.crawler.stats.get_value("storywatch/failure_lines")
    assert [line.split(": ", 1)[0] for line in lines] == [f"article {LINK}"] * 3
    assert "no signature" in lines[0] and "prefix" in lines[1] and "publisher" in lines[2]
    tally = spider.crawler.stats.get_value(f"storywatch/source/{source.label}/failed")
    assert tally == 3


CONSENT = "<html><head><title>Before you continue to Google</title></head><body></body></html>"


def _search_source():
    from crawler.config import SourceConfig

    return SourceConfig(kind="search", url="https://news.google.com/rss/search?q={query}")
