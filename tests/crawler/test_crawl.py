"""The crawl against the replica web, run as a user runs it: `storywatch crawl` in a process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schedules.replica import ReplicaWeb
from tests.conftest import write_config
from tests.crawler.replica_site import CORRECTION, build_site

CRAWL_CONFIG = """
[crawl]
allow_private_addresses = true
download_timeout = 10
max_age = "7d"
"""


def crawl(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schedules.cli",
            "crawl",
            "--config",
            str(project / "storywatch.toml"),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def export(project: Path) -> dict[str, dict]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "schedules.cli",
            "export",
            "--config",
            str(project / "storywatch.toml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {row["canonical_url"] or row["seed_file"]: row for row in rows}


@pytest.fixture
def site():
    with ReplicaWeb() as web:
        yield build_site(web)


@pytest.fixture
def crawl_project(project, site):
    write_config(project, CRAWL_CONFIG + site.sources)
    return project


def test_two_rounds_over_the_replica_web(crawl_project, site):
    started = time.monotonic()
    first = crawl(crawl_project)
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stderr
    assert seconds < 90

    stored = export(crawl_project)
    urls = site.urls
    story = stored[urls["story"]]
    assert story["versions"] == 1 and story["duplicate_of"] is None
    assert stored[urls["copy"]]["duplicate_of"] == story["id"]
    for key in (
        "sitemap_fresh",
        "section_article",
        "search_target",
        "gdelt_target",
        "slow",
        "cp1252",
        "junk",
    ):
        assert urls[key] in stored, key
    for key in ("irrelevant", "section_other", "sitemap_old", "wrapper", "amp"):
        assert urls[key] not in stored, key
    assert "\ufffd" not in stored[urls["cp1252"]]["text"]
    assert "café" in stored[urls["cp1252"]]["text"]
    assert "Subscribe to keep reading" not in story["text"]
    assert len([row for row in stored.values() if not row["is_seed"]]) == 9

    failures = first.stderr.strip().splitlines()
    assert failures[0] == f"{len(failures) - 1} failed:"
    for key in ("missing", "error", "pdf", "loop", "huge", "metadata"):
        assert sum(urls[key].split("#")[0] in line for line in failures) == 1, (key, failures)
    assert len(failures) - 1 == 6
    assert "169.254.169.254" in "".join(failures) and "link-local" in "".join(failures)
    assert not site.pulse.fetched("/private/")
    assert site.pulse.fetched("/2024/06/server-error").count("/2024/06/server-error") == 3

    site.second_round()
    round1_requests = {name: len(outlet.requests) for name, outlet in site.web.outlets.items()}
    second = crawl(crawl_project)
    assert second.returncode == 0, second.stderr
    stored = export(crawl_project)
    assert stored[urls["story"]]["versions"] == 2
    assert urls["round2_pulse"] in stored and urls["round2_ledger"] in stored
    assert "2 new" in second.stdout
    diff = subprocess.run(
        [
            sys.executable,
            "-m",
            "schedules.cli",
            "diff",
            urls["story"],
            "--config",
            str(crawl_project / "storywatch.toml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"+{CORRECTION}" in diff.splitlines()
    conditional = [
        seen
        for seen in site.ledger.requests[round1_requests["ledger"] :]
        if seen.path == "/2024/06/08/crew-angry-at-kutcher"
    ]
    assert conditional and all("If-None-Match" in seen.headers for seen in conditional)


def test_status_shows_articles_per_source(crawl_project, site):
    assert crawl(crawl_project).returncode == 0
    status = subprocess.run(
        [
            sys.executable,
            "-m",
            "schedules.cli",
            "status",
            "--config",
            str(crawl_project / "storywatch.toml"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "articles found per source:" in status
    assert site.pulse.url("/feed.xml") in status and site.techwire.url("/entertainment") in status
