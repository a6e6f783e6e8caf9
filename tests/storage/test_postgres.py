"""The store on PostgreSQL (the scale-out database), in a database made for the test."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from storage.lock import CrawlLocked, crawl_lock
from storage.store import Outcome, Snapshot, Store
from tests.pages import BODIES

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture
def pg_url():
    admin = create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    name = f"storywatch_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL is not running on 127.0.0.1:5432: {exc.orig}")
    yield f"{SERVER}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_store_versions_and_duplicates_on_postgres(pg_url):
    text_v1 = "\n\n".join(BODIES[0].paragraphs)
    with Store(pg_url) as store:
        first = store.save(Snapshot(text=text_v1, title="t", url="https://a.example/story"))
        update = store.save(
            Snapshot(
                text=text_v1 + "\n\nCorrection: a detail.",
                title="t",
                url="https://a.example/story?utm_source=x",
            )
        )
        copy = store.save(Snapshot(text=text_v1, title="t", url="https://b.example/copy"))
    assert first.outcome is Outcome.NEW and update.outcome is Outcome.UPDATED
    assert copy.duplicate_of == first.article_id
    with Store(pg_url) as reopened:  # migrations are a no-op the second time
        assert reopened.article_count() == 2


def test_crawl_lock_is_an_advisory_lock(pg_url):
    held = crawl_lock(pg_url, Path("/nonexistent"))
    with held, pytest.raises(CrawlLocked), crawl_lock(pg_url, Path("/nonexistent")):
        pass
    with crawl_lock(pg_url, Path("/nonexistent")):
        pass  # released when the first holder left


def test_concurrent_first_opens_on_postgresql_migrate_once(pg_url):
    from tests.storage.test_first_open import _open_together

    results = _open_together(pg_url, processes=4)
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr[-400:] for r in results]
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert len(versions) == 1
