"""Near-duplicate signatures and the band index: datasketch's values, copies found, others not."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash
from sqlalchemy import create_engine, func, select, text

from storage.db import alembic_config
from storage.dedupe import _shingles, band_keys, signature, similarity
from storage.models import NearDuplicateBand
from storage.store import Snapshot, Store
from tests.crawler.labelled_texts import IRRELEVANT, RELEVANT
from tests.pages import BODIES


def _datasketch(text: str) -> MinHash:
    minhash = MinHash(num_perm=128, scheme="affine32")
    minhash.update_batch(list(_shingles(text)))
    return minhash


def test_signatures_are_datasketch_affine32_value_for_value():
    texts = ["", "one two", *RELEVANT, *IRRELEVANT, *("\n\n".join(b.paragraphs) for b in BODIES)]
    for sample in texts:
        expected = _datasketch(sample)
        assert signature(sample) == expected.hashvalues.astype(np.uint64).tobytes()
    for left, right in zip(RELEVANT, RELEVANT[1:], strict=False):
        assert similarity(signature(left), signature(right)) == _datasketch(left).jaccard(
            _datasketch(right)
        )


def test_a_copy_shares_bands_and_a_different_story_does_not():
    body = "\n\n".join(BODIES[0].paragraphs)
    copy = "\n\n".join(BODIES[0].paragraphs[1:]) + "\n\nThis story was first published by Pulse."
    other = "\n\n".join(BODIES[1].paragraphs)
    assert len(band_keys(signature(body))) == 16
    assert set(band_keys(signature(body))) & set(band_keys(signature(copy)))
    assert not set(band_keys(signature(body))) & set(band_keys(signature(other)))


def _reading(body: str, url: str) -> Snapshot:
    return Snapshot(text=body, title="t", url=url)


def test_only_originals_are_indexed_under_their_latest_text(store):
    body = "\n\n".join(BODIES[0].paragraphs)
    original = store.save(_reading(body, "https://ledger.example/a"))
    copy = store.save(_reading(body + "\n\nVia an agency.", "https://pulse.example/b"))
    assert copy.duplicate_of == original.article_id
    with store.sessions() as session:
        indexed = set(session.scalars(select(NearDuplicateBand.article_id)))
    assert indexed == {original.article_id}
    other = "\n\n".join(BODIES[2].paragraphs)
    updated = store.save(_reading(other, "https://ledger.example/a"))  # rewritten whole
    assert updated.outcome.value == "updated"
    with store.sessions() as session:
        keys = set(session.scalars(select(NearDuplicateBand.band_key)))
    assert keys == set(band_keys(signature(other)))


def test_the_migration_indexes_the_originals_already_stored(tmp_path):
    """A database from before the band table: its originals are found after the upgrade."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.execute(
            text(
                "INSERT INTO articles (id, title, first_seen_at, last_seen_at, is_seed, signature,"
                " canonical_url, site) VALUES (1, 't', '2024-06-01', '2024-06-01', 0, :sig,"
                " 'https://ledger.example/a', 'ledger.example')"
            ),
            {"sig": signature("\n\n".join(BODIES[0].paragraphs))},
        )
    engine.dispose()
    with Store(url) as store, store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(NearDuplicateBand)) == 16
        copy = "\n\n".join(BODIES[0].paragraphs) + "\n\nVia an agency."
        assert store.near.find(session, signature(copy))[0] == 1
