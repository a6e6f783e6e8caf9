"""The store on a real SQLite file: new, unchanged, updated, duplicate; outbox; migrations."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from storage.models import Alert, Article, ArticleUrl, Diff, Version
from storage.reports import article_diffs, articles_per_source, export_rows, has_crawled
from storage.store import Outcome, Snapshot, Store
from tests.pages import BODIES

STORY = "\n\n".join(BODIES[0].paragraphs)
OTHER = "\n\n".join(BODIES[1].paragraphs)
URL = "https://pulse.example/2024/06/kutcher-sora-unions"


def reading(text: str = STORY, url: str = URL, **extra) -> Snapshot:
    return Snapshot(text=text, title=extra.pop("title", BODIES[0].title), url=url, **extra)


def count(store: Store, model) -> int:
    with store.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_new_article_is_stored_with_an_alert_in_the_outbox(store):
    saved = store.save(reading(outlet="Pulse"))
    assert saved.outcome is Outcome.NEW
    with store.sessions() as session:
        article = session.get(Article, saved.article_id)
        assert article.canonical_url == URL and article.outlet == "Pulse"
        alert = session.scalars(select(Alert)).one()
        assert (alert.article_id, alert.kind, alert.sent_at) == (article.id, "new", None)


def test_url_variants_are_one_article(store):
    first = store.save(reading())
    for variant in (URL + "?utm_source=rss", URL + "#comments", URL + "/amp"):
        again = store.save(reading(url=variant))
        assert (again.outcome, again.article_id) == (Outcome.UNCHANGED, first.article_id)
    amp = store.save(reading(url="https://pulse.example/amp-page-9", declared_canonical=URL))
    assert amp.article_id == first.article_id
    assert count(store, Article) == 1 and count(store, Version) == 1
    assert count(store, Alert) == 1


def test_unchanged_text_only_moves_last_seen(store):
    first = store.save(reading())
    reflowed = STORY.replace("\n\n", "\n").replace('"', "“", 1)
    again = store.save(reading(text=reflowed))
    assert again.outcome is Outcome.UNCHANGED
    with store.sessions() as session:
        article = session.get(Article, first.article_id)
        assert article.last_seen_at > article.first_seen_at
    assert count(store, Version) == 1


def test_a_correction_is_a_new_version_with_a_readable_diff(store):
    first = store.save(reading())
    corrected = (
        STORY + "\n\nCorrection: An earlier version of this article misstated the union's size."
    )
    updated = store.save(reading(text=corrected))
    assert (updated.outcome, updated.version) == (Outcome.UPDATED, 2)
    with store.sessions() as session:
        diff = article_diffs(session, first.article_id)[0]
        kinds = [alert.kind for alert in session.scalars(select(Alert).order_by(Alert.id))]
    assert (
        "+Correction: An earlier version of this article misstated the union's size." in diff.text
    )
    assert (diff.added, diff.removed) == (1, 0)
    assert kinds == ["new", "updated"]


def test_syndicated_copy_on_another_outlet_is_a_duplicate(store):
    original = store.save(reading())
    copy_text = (
        "By Wire Staff\n\n" + "\n\n".join(BODIES[0].paragraphs[:-1]) + "\n\nRead more at Pulse."
    )
    copy = store.save(reading(text=copy_text, url="https://ledger.example/wire/kutcher-unions"))
    exact = store.save(reading(url="https://techwire.example/syndicated/99"))
    assert (copy.outcome, copy.duplicate_of) == (Outcome.DUPLICATE, original.article_id)
    assert (exact.outcome, exact.duplicate_of) == (Outcome.DUPLICATE, original.article_id)
    assert count(store, Alert) == 1  # only the original is announced
    unrelated = store.save(reading(text=OTHER, url="https://ledger.example/city/bus-lane"))
    assert (unrelated.outcome, unrelated.duplicate_of) == (Outcome.NEW, None)


def test_near_duplicate_index_survives_a_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'index.db'}"
    with Store(url) as first:
        original = first.save(reading())
    copy_text = (
        "\n\n".join(BODIES[0].paragraphs[1:]) + "\n\nThis story was first published by Pulse."
    )
    with Store(url) as reopened:
        copy = reopened.save(reading(text=copy_text, url="https://ledger.example/wire/1"))
    assert copy.duplicate_of == original.article_id


def test_seed_is_never_announced_and_is_found_by_file_name(store):
    saved = store.save(Snapshot(text=STORY, title="t", seed_file="000.txt"), announce=True)
    again = store.save(
        Snapshot(text=STORY + "\n\nA later paragraph was added here.", seed_file="000.txt")
    )
    assert (saved.outcome, again.outcome) == (Outcome.NEW, Outcome.UPDATED)
    assert count(store, Alert) == 0
    assert store.article("000.txt").id == saved.article_id


def test_a_failed_save_leaves_nothing_half_written(store, monkeypatch):
    store.save(reading())

    def broken_diff(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("storage.store.diff_texts", broken_diff)
    with pytest.raises(RuntimeError):
        store.save(reading(text=STORY + "\n\nAn added paragraph that will never be stored."))
    assert count(store, Version) == 1 and count(store, Diff) == 0 and count(store, Alert) == 1


def test_export_rows_carry_the_promised_fields(store):
    store.save(reading(outlet="Pulse"))
    with store.sessions() as session:
        (row,) = list(export_rows(session))
    assert {
        "url",
        "canonical_url",
        "title",
        "outlet",
        "published_at",
        "first_seen_at",
        "last_seen_at",
        "relevance",
        "duplicate_of",
        "versions",
        "is_seed",
        "text",
    } <= set(row)
    assert row["text"] == STORY and row["versions"] == 1 and row["is_seed"] is False


def test_sqlite_runs_in_wal_mode_with_the_schema_from_migrations(tmp_path):
    path = tmp_path / "wal.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"articles", "article_urls", "versions", "diffs", "runs", "alerts"} <= tables


def test_every_url_seen_is_recorded(store):
    saved = store.save(reading(url=URL + "?utm_medium=social"))
    store.save(reading(url="https://pulse.example/amp/2024/06/kutcher-sora-unions"))
    store.save(reading(url="https://pulse.example/p/123", declared_canonical=URL))
    with store.sessions() as session:
        urls = set(
            session.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == saved.article_id))
        )
    assert urls == {URL, "https://pulse.example/p/123"}


def test_a_much_shorter_reading_is_an_outage_not_a_version(store):
    first = store.save(reading())
    paywalled = store.save(reading(text=BODIES[0].paragraphs[0] + "\n\nSubscribe to read more."))
    assert (paywalled.outcome, paywalled.article_id) == (Outcome.TRUNCATED, first.article_id)
    assert count(store, Version) == 1 and count(store, Diff) == 0 and count(store, Alert) == 1


def test_sources_are_credited_once_each(store):
    store.save(reading(source="feed A"))
    store.save(reading(url=URL + "?utm_source=x", source="feed A"))
    store.save(reading(source="sitemap B"))
    with store.sessions() as session:
        assert articles_per_source(session) == [("feed A", 1), ("sitemap B", 1)]


def test_only_a_run_that_fetched_pages_ends_the_first_crawl(store):
    def crawled() -> bool:
        with store.sessions() as session:
            return has_crawled(session)

    assert not crawled()
    store.finish_run(store.start_run(), "completed", {"pages_fetched": 0}, ["all sources down"])
    assert not crawled()  # an offline first run must not make the next one announce everything
    store.finish_run(store.start_run(), "failed", {"pages_fetched": 3}, [])
    assert not crawled()
    store.finish_run(store.start_run(), "completed", {"pages_fetched": 4}, [])
    assert crawled()


def test_the_earliest_published_copy_is_the_original_whatever_the_fetch_order(store):
    from datetime import UTC, datetime

    june = [datetime(2024, 6, day, 9, tzinfo=UTC) for day in (7, 8, 9)]
    wire = store.save(reading(url="https://ledger.example/wire/1", published_at=june[1]))
    later = store.save(reading(url="https://techwire.example/syndicated/9", published_at=june[2]))
    first = store.save(reading(published_at=june[0]))  # the outlet that broke it, fetched last
    assert (first.outcome, first.duplicate_of) == (Outcome.DUPLICATE, None)
    assert first.replaced_original == wire.article_id
    with store.sessions() as session:
        copies = {a.id: a.duplicate_of for a in session.scalars(select(Article))}
    assert copies == {
        wire.article_id: first.article_id,
        later.article_id: first.article_id,
        first.article_id: None,
    }
    assert count(store, Alert) == 1  # announced once, as the copy found first
    # The near-duplicate index now points further copies at the new original.
    undated = store.save(reading(url="https://fourth.example/a"))
    assert undated.duplicate_of == first.article_id


def test_an_undated_copy_never_displaces_a_dated_original(store):
    from datetime import UTC, datetime

    dated = store.save(reading(published_at=datetime(2024, 6, 8, tzinfo=UTC)))
    undated = store.save(reading(url="https://ledger.example/wire/1"))
    assert undated.duplicate_of == dated.article_id and undated.replaced_original is None


def test_waiting_candidates_are_kept_per_source_and_replaced_whole(store):
    from storage.candidates import Pending

    def waiting(key: str, score: float) -> Pending:
        return Pending(source="feed", key=key, url=key + "/", score=score)

    assert store.candidates.replace("feed", [waiting("https://a/1", 0.2), waiting("https://a/2", 0.8)])
    assert [c.url for c in store.candidates.waiting("feed")] == ["https://a/2/", "https://a/1/"]
    store.candidates.replace("feed", [waiting("https://a/3", 0.5)])
    assert store.candidates.count() == {"feed": 1}
    store.candidates.replace("feed", [])
    assert store.candidates.waiting("feed") == []


def test_an_alias_read_again_never_makes_a_version_of_its_article(store):
    original = store.save(reading())
    # The same outlet's other URL with a near-identical text (a print view, another section).
    alias_text = STORY + "\n\nPrinted from Pulse."
    alias_url = "https://pulse.example/print/kutcher-sora-unions"
    first = store.save(reading(text=alias_text, url=alias_url))
    again = store.save(reading(text=alias_text + " Page 1 of 1.", url=alias_url))
    assert first.article_id == again.article_id == original.article_id
    assert (first.outcome, again.outcome) == (Outcome.UNCHANGED, Outcome.UNCHANGED)
    corrected = store.save(reading(text=STORY + "\n\nCorrection: the union has 4,000 members."))
    assert (corrected.outcome, corrected.version) == (Outcome.UPDATED, 2)
