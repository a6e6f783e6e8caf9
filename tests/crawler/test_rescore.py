"""Pages left out keep their text and score; a changed profile re-scores them without fetching.

The issue's case: a page missed by the derived profile, remembered as irrelevant, answered 304
on the next run, was never scored again. Now a query fix recovers it on the next run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from alembic import command
from sqlalchemy import select, text

from crawler.profile import build_profile
from crawler.rescore import rescore_rejected
from schedules.replica import Entry, ReplicaWeb, rss
from storage.db import alembic_config, open_engine
from storage.models import Alert, PageFetch
from storage.rejections import RejectedText
from storage.store import Store
from tests.commands import storywatch
from tests.crawler.replica_site import CRAWL_CONFIG_TEXT, PULSE_STYLE, render
from tests.crawler.stories import load_stories
from tests.pages import Body

PLAGUE = next(story for story in load_stories() if story.key == "plague")
# On story, but it names the prefecture (Xilingol League), never the region (Inner Mongolia).
MISSED = Body(
    "Herder in Xilingol diagnosed with bubonic plague",
    (
        "A herder in Xilingol League has been diagnosed with bubonic plague, local health "
        "officials said, the latest of several plague cases this month. The man was treated in "
        "hospital and 28 people who had contact with him were placed in quarantine.",
        "Officials ordered teams to kill rodents and spray for fleas around his village, and "
        "urged herders not to hunt marmots or wild rabbits. Plague is carried by fleas on "
        "rodents and can be cured with antibiotics when caught early. Two patients with "
        "pneumonic plague from the same area were treated in Beijing earlier in the month.",
    ),
)
FOUND = Body("Plague in Inner Mongolia: what we know", (PLAGUE.on[9], PLAGUE.on[3]))
ELSEWHERE = Body("Madagascar plague outbreak", (PLAGUE.off[0], PLAGUE.off[1]))
FIX = '\nqueries = ["Xilingol League plague"]\n'


def _config(project: Path, feed: str, extra: str = "") -> None:
    (project / "storywatch.toml").write_text(
        f'[story]\nname = "Plague"\nseeds = "seeds"{extra}\n\n'
        '[storage]\nurl = "sqlite:///data/storywatch.db"\n'
        f'{CRAWL_CONFIG_TEXT}\n[[sources]]\nkind = "feed"\nurl = "{feed}"\n',
        encoding="utf-8",
    )


@pytest.fixture
def plague_site(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_plague.txt").write_text(PLAGUE.seeds[0], encoding="utf-8")
    with ReplicaWeb() as web:
        pulse = web.outlet("pulse")
        urls = {
            name: pulse.put(f"/2019/11/{name}", render(PULSE_STYLE, body))
            for name, body in (("missed", MISSED), ("found", FOUND), ("elsewhere", ELSEWHERE))
        }
        entries = [Entry(url, name, time.time() - 3600) for name, url in urls.items()]
        pulse.put("/feed.xml", rss("Pulse", entries), "application/rss+xml")
        _config(tmp_path, pulse.url("/feed.xml"))
        yield tmp_path, pulse, urls


def _stored(project: Path) -> set[str]:
    rows = storywatch(project, "export", check=True).stdout.splitlines()
    return {json.loads(row)["canonical_url"] for row in rows if not json.loads(row)["is_seed"]}


def test_query_fix_recovers_a_missed_page_on_the_next_run(plague_site):
    project, pulse, urls = plague_site
    first = storywatch(project, "crawl")
    assert first.returncode == 0, first.stderr
    assert _stored(project) == {urls["found"]}
    rejected = storywatch(project, "rejected", check=True).stdout
    assert urls["missed"] in rejected and "does not name the story's anchor" in rejected

    _config(project, pulse.url("/feed.xml"), FIX)
    asked_before = len(pulse.requests)
    second = storywatch(project, "crawl")
    assert second.returncode == 0, second.stderr
    assert _stored(project) == {urls["found"], urls["missed"]}
    asked = [seen for seen in pulse.requests[asked_before:] if seen.path == "/2019/11/missed"]
    assert asked and all(seen.status == 304 for seen in asked)  # recovered without a refetch
    assert "1 new" in second.stdout
    assert "left out before: 2 re-scored by the changed profile, 1 now coverage" in second.stdout
    database = f"sqlite:///{project / 'data' / 'storywatch.db'}"
    with Store(database) as store, store.sessions() as session:
        kinds = [alert.kind for alert in session.scalars(select(Alert))]
        left = session.scalars(select(PageFetch.url)).all()
    assert kinds == ["new"]  # the recovered page, announced like any new article
    assert urlsplit(urls["missed"]).path not in "".join(left)
    assert any("elsewhere" in url for url in left)


def _reject(store: Store, profile, url: str, body: Body) -> float:
    text = "\n".join(body.paragraphs)
    score = profile.relevance(f"{body.title}\n{text}")
    kept = RejectedText(body.title, text, score, profile.version)
    store.record_page(url, "irrelevant", '"v1"', None, kept)
    return score


def test_unchanged_profile_rescores_nothing(store):
    profile = build_profile(PLAGUE.seeds[:1])
    assert _reject(store, profile, "https://news.example/a", MISSED) < 0.5
    done = rescore_rejected(store, profile, 0.5)
    assert done.counts["rescored"] == 0 and done.new_ids == []


def test_changed_queries_rescore_and_keep_the_new_score(store):
    profile = build_profile(PLAGUE.seeds[:1])
    _reject(store, profile, "https://news.example/elsewhere", ELSEWHERE)
    _reject(store, profile, "https://news.example/missed", MISSED)
    fixed = build_profile(PLAGUE.seeds[:1], ["Xilingol League plague"])
    done = rescore_rejected(store, fixed, 0.5, announce=False)
    assert done.counts["rescored"] == 2 and done.counts["recovered"] == 1
    assert store.article("https://news.example/missed") is not None
    with store.sessions() as session:
        page = session.scalars(select(PageFetch)).one()
    assert page.url == "https://news.example/elsewhere"
    assert page.profile_version == fixed.version and page.relevance < 0.5
    assert rescore_rejected(store, fixed, 0.5).counts["rescored"] == 0  # done once


def test_lowered_min_relevance_recovers_pages_scored_above_it(store):
    profile = build_profile(PLAGUE.seeds[:2])
    near = Body("Plague worry", (PLAGUE.on[4],))
    score = _reject(store, profile, "https://news.example/near", near)
    assert score > 0
    done = rescore_rejected(store, profile, min(score, 0.5))
    assert done.counts["recovered"] == 1 and len(done.new_ids) == 1


def test_not_article_pages_keep_no_text(store):
    store.record_page("https://news.example/pdf", "not_article", None, None)
    store.record_page("https://news.example/pdf", "not_article", None, None)  # seen again
    with store.sessions() as session:
        page = session.scalars(select(PageFetch)).one()
    assert page.text is None and page.relevance is None
    assert rescore_rejected(store, build_profile(PLAGUE.seeds[:1]), 0.0).counts["rescored"] == 0


def test_irrelevant_pages_recorded_without_text_are_read_afresh(store):
    """Rows from before migration 0006 have no text: forgotten, so no 304 hides them again."""
    store.record_page("https://news.example/old-irrelevant", "irrelevant", '"e1"', None)
    store.record_page("https://news.example/report.pdf", "not_article", '"e2"', None)
    done = rescore_rejected(store, build_profile(PLAGUE.seeds[:1]), 0.5)
    assert done.counts["forgotten"] == 1
    assert store.known("https://news.example/old-irrelevant") is None
    assert store.known("https://news.example/report.pdf") is not None


def test_a_database_from_before_0006_upgrades_and_its_old_rejections_are_read_afresh(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = open_engine(url, migrate=False)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO page_fetches (url, outcome, etag, first_seen_at, last_seen_at) "
                "VALUES ('https://news.example/old', 'irrelevant', '\"e\"', :at, :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
    engine.dispose()
    with Store(url) as store:  # upgraded on open
        with store.sessions() as session:
            page = session.scalars(select(PageFetch)).one()
        assert page.text is None and page.profile_version is None
        done = rescore_rejected(store, build_profile(PLAGUE.seeds[:1]), 0.5)
        assert done.counts["forgotten"] == 1 and store.known("https://news.example/old") is None
