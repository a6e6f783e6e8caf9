"""Current-format Google News links resolved through Google's two steps, on a loopback replica.

The crawl runs as `storywatch crawl` in a process of its own, with one setting changed, as
`scrapy crawl -s` would: STORYWATCH_GOOGLE_NEWS_HOSTS names the replica's host:port.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schedules.replica import ReplicaWeb
from tests.conftest import write_config
from tests.crawler.google_news_replica import (
    BATCHEXECUTE,
    CONSENT_WALL,
    GoogleNewsReplica,
    _answer,
    error_answer,
)
from tests.crawler.replica_site import CRAWL_CONFIG_TEXT, PULSE_STYLE, render, story_body
from tests.crawler.test_crawl import export

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
        busy = [(503, "<html>busy</html>"), (200, _answer(articles["sora-after-retry"]))]
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
