"""The crawl against the replica web, run as a user runs it: `storywatch crawl` in a process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from schedules.replica import Entry, ReplicaWeb, news_sitemap, rss
from storage.urls import canonicalize_url
from tests.commands import storywatch
from tests.conftest import write_config
from tests.crawler.replica_site import (
    CORRECTION,
    CRAWL_CONFIG_TEXT,
    HOUR,
    PULSE_STYLE,
    STORY_TIME,
    build_site,
    render,
    story_body,
)


def crawl(project: Path, *args: str) -> subprocess.CompletedProcess:
    return storywatch(project, "crawl", *args)


def export(project: Path) -> dict[str, dict]:
    done = storywatch(project, "export", check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {row["canonical_url"] or row["seed_file"]: row for row in rows}


@pytest.fixture
def site():
    with ReplicaWeb() as web:
        yield build_site(web)


@pytest.fixture
def crawl_project(project, site):
    write_config(project, CRAWL_CONFIG_TEXT + site.sources)
    return project


def test_two_rounds_over_the_replica_web(crawl_project, site):
    started = time.monotonic()
    first = crawl(crawl_project)
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert seconds < 90

    stored = export(crawl_project)
    urls = site.urls
    story, copy = stored[urls["story"]], stored[urls["copy"]]
    # Fetched concurrently: whichever was stored first is the original, the other its copy.
    original, duplicate = (story, copy) if copy["duplicate_of"] else (copy, story)
    assert original["duplicate_of"] is None and duplicate["duplicate_of"] == original["id"]
    assert story["versions"] == 1
    for key in (
        "sitemap_fresh",
        "section_article",
        "search_target",
        "gdelt_target",
        "slow",
        "cp1252",
        "junk",
        "section_id_shaped",
        "section_php",
        "tag_article",
        "wp_recent",
        "wp_older",
    ):
        assert canonicalize_url(urls[key]) in stored, key
    for key in ("irrelevant", "section_other", "sitemap_old", "wrapper", "amp"):
        assert urls[key] not in stored, key
    assert "\ufffd" not in stored[urls["cp1252"]]["text"]
    assert "café" in stored[urls["cp1252"]]["text"]
    assert "Subscribe to keep reading" not in story["text"]
    assert len([row for row in stored.values() if not row["is_seed"]]) == 14
    # The WordPress outlet's articles were requested as listed, once each, never slash-less.
    assert sorted(site.wordpress.fetched("/2024/")) == sorted(
        urlsplit(urls[key]).path for key in ("wp_recent", "wp_older")
    )
    # Of the sitemap index's 26 children only the two changed since the window opened.
    assert sorted(site.ledger.fetched("/sitemaps/")) == [
        "/sitemaps/news.xml.gz",
        "/sitemaps/recent.xml",
    ]

    failures = first.stderr.strip().splitlines()
    assert failures[0] == f"{len(failures) - 1} failed:"
    for key in ("missing", "error", "pdf", "loop", "huge", "metadata"):
        assert sum(canonicalize_url(urls[key]) in line for line in failures) == 1, (key, failures)
    assert len(failures) - 1 == 6
    assert "169.254.169.254" in "".join(failures) and "link-local" in "".join(failures)
    assert not site.pulse.fetched("/private/")
    assert site.pulse.fetched("/2024/06/server-error").count("/2024/06/server-error") == 3
    gdelt = [seen.at for seen in site.gdelt.requests if seen.path.startswith("/api/v2/doc/doc")]
    assert len(gdelt) == 3  # two queries, one of them retried after its 429
    assert min(later - earlier for earlier, later in zip(gdelt, gdelt[1:], strict=False)) >= 0.9

    site.second_round()
    round1_requests = {name: len(outlet.requests) for name, outlet in site.web.outlets.items()}
    second = crawl(crawl_project)
    assert second.returncode == 0, second.stderr
    stored = export(crawl_project)
    assert stored[urls["story"]]["versions"] == 2
    assert urls["round2_pulse"] in stored and urls["round2_ledger"] in stored
    assert "2 new" in second.stdout
    diff = storywatch(crawl_project, "diff", urls["story"], check=True).stdout
    assert f"+{CORRECTION}" in diff.splitlines()
    # Unchanged pages, stored or irrelevant, are asked conditionally and answer 304.
    for outlet, key in (
        (site.ledger, "sitemap_fresh"),
        (site.pulse, "irrelevant"),
        (site.pulse, "cp1252"),
    ):
        path = urlsplit(urls[key]).path
        asked = [
            seen for seen in outlet.requests[round1_requests[outlet.name] :] if seen.path == path
        ]
        assert asked and all(seen.status == 304 for seen in asked), key
    bad = {
        canonicalize_url(urls[key])
        for key in ("missing", "error", "pdf", "loop", "huge", "metadata")
    }
    for line in second.stderr.strip().splitlines()[1:]:
        assert any(url in line for url in bad), line


def test_status_shows_articles_per_source(crawl_project, site):
    assert crawl(crawl_project).returncode == 0
    status = storywatch(crawl_project, "status", check=True).stdout
    assert "articles found per source:" in status
    assert site.pulse.url("/feed.xml") in status and site.techwire.url("/entertainment") in status


def test_scrapy_crawl_coverage_runs_the_same_spider(crawl_project, site):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "coverage",
            "-s",
            f"STORYWATCH_CONFIG={crawl_project / 'storywatch.toml'}",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    stored = export(crawl_project)
    assert site.urls["story"] in stored and site.urls["section_article"] in stored


def test_unreachable_sources_cost_one_line_each(project):
    from tests.schedules.smtp import free_port

    closed = f"http://127.0.0.1:{free_port()}/feed.xml"
    unknown = "http://feeds.storywatch.invalid/rss.xml"
    write_config(
        project,
        CRAWL_CONFIG_TEXT
        + "".join(f'\n[[sources]]\nkind = "feed"\nurl = "{url}"\n' for url in (closed, unknown)),
    )
    done = crawl(project)
    assert done.returncode == 0
    header, *lines = done.stderr.strip().splitlines()
    assert header == "2 failed:" and len(lines) == 2
    assert (
        sum(closed in line for line in lines) == 1 and sum(unknown in line for line in lines) == 1
    )


def test_an_amp_only_article_is_fetched_once_as_listed(project):
    with ReplicaWeb() as web:
        outlet = web.outlet("amponly")
        amp = outlet.put(
            "/2024/06/kutcher-sora-amp-only/amp",
            render(PULSE_STYLE, story_body(4, "Kutcher doubles down")),
        )
        outlet.put(
            "/feed.xml", rss("AMP", [Entry(amp, "AMP only", time.time())]), "application/rss+xml"
        )
        write_config(
            project,
            CRAWL_CONFIG_TEXT + f'\n[[sources]]\nkind = "feed"\n'
            f'url = "{outlet.url("/feed.xml")}"\n',
        )
        done = crawl(project)
        fetched = outlet.fetched("/2024/06/")
    assert done.returncode == 0 and done.stderr == ""
    assert fetched == ["/2024/06/kutcher-sora-amp-only/amp"]  # as listed, once
    assert [row for row in export(project).values() if not row["is_seed"]]


def run_tallies(project: Path) -> list[dict[str, dict[str, int]]]:
    """Each run's per-source tallies, oldest first, as stored in the database."""
    from sqlalchemy import select

    from storage.models import Run
    from storage.store import Store

    url = f"sqlite:///{project / 'data' / 'storywatch.db'}"
    with Store(url) as store, store.sessions() as session:
        return [run.sources or {} for run in session.scalars(select(Run).order_by(Run.id))]


def test_every_source_accounts_for_every_candidate(crawl_project, site):
    from crawler.tally import adds_up

    assert crawl(crawl_project).returncode == 0
    site.second_round()
    assert crawl(crawl_project).returncode == 0
    for tallies in run_tallies(crawl_project):
        assert len(tallies) == 7
        for source, tally in tallies.items():
            assert adds_up(tally), (source, tally)
    first, second = run_tallies(crawl_project)
    feed = first[site.pulse.url("/feed.xml")]
    # refused: the metadata address, and /private/ by robots.txt
    assert (feed["listed"], feed["refused"]) == (12, 2)
    # The story is listed by the Pulse feed and, as its AMP page, by the Ledger's Atom feed:
    # whichever answer is read first lists it, the other counts it repeated (a race of hosts).
    assert feed["repeated"] + first[site.ledger.url("/atom.xml")]["repeated"] == 1
    sitemap = first[site.ledger.url("/sitemap_index.xml")]
    assert (sitemap["old_sitemaps"], sitemap["outside_window"], sitemap["stored"]) == (24, 1, 1)
    # Young pages are due again: asked conditionally, a 304 counts as unchanged.
    assert second[site.pulse.url("/feed.xml")]["unchanged"] >= 2
    status = storywatch(crawl_project, "status", check=True).stdout
    assert "per source, run #2" in status and site.wordpress.url("/feed") in status


def test_the_cap_fetches_the_most_promising_first_and_keeps_the_rest(project):
    on_story = [
        ("Ashton Kutcher defends Sora praise", story_body(1, "Kutcher defends Sora")),
        ("Crews answer Ashton Kutcher over Sora", story_body(2, "Crews answer Kutcher")),
        ("Ashton Kutcher's Sora remarks, a week on", story_body(5, "A week on")),
    ]
    with ReplicaWeb() as web:
        outlet = web.outlet("capped")
        entries = []
        for index, (title, body) in enumerate(on_story):
            url = outlet.put(f"/story-{index}", render(PULSE_STYLE, body))
            entries.append(Entry(url, title, STORY_TIME - index * HOUR))
        for index in range(3):
            url = outlet.put(f"/other-{index}", render(PULSE_STYLE, story_body(0, "x")))
            entries.insert(0, Entry(url, f"Council budget vote {index}", STORY_TIME))
        outlet.put("/sitemap.xml", news_sitemap("Capped", entries), "application/xml")
        write_config(
            project,
            CRAWL_CONFIG_TEXT.replace("[crawl]", "[crawl]\nmax_pages_per_run = 2")
            + f'\n[[sources]]\nkind = "sitemap"\nurl = "{outlet.url("/sitemap.xml")}"\n',
        )
        first = crawl(project)
        fetched_first = outlet.fetched("/story-") + outlet.fetched("/other-")
        second = crawl(project)
        fetched_second = outlet.fetched("/story-") + outlet.fetched("/other-")
    assert first.returncode == 0 and second.returncode == 0
    assert len(fetched_first) == 2 and all(p.startswith("/story-") for p in fetched_first)
    assert "/story-2" in fetched_second[2:]  # the third on-story page, next run, before others
    one, two = (tallies[next(iter(tallies))] for tallies in run_tallies(project))
    assert (one["listed"], one["fetched"], one["capped"]) == (6, 2, 4)
    # Run 2 lists the same six: two re-checks (outside the cap), two new, two wait again.
    assert (two["listed"], two["carried"], two["fetched"], two["capped"]) == (6, 0, 4, 2)
    assert two["unchanged"] == 2
