"""The near-duplicate index's table: band keys (storage.dedupe) of original articles, looked up,
added and removed in the caller's transaction. storage.dedupe's docstring gives the design.
"""

from __future__ import annotations

import time

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from storage.dedupe import BANDS, NEAR_DUPLICATE_JACCARD, band_keys, similarity
from storage.models import Article, NearDuplicateBand

__all__ = ["NearDuplicateIndex"]

_BANDS = NearDuplicateBand.__table__
_ARTICLES = Article.__table__
_KEYS = [bindparam(f"k{number}") for number in range(BANDS)]
# Core statements with a fixed number of parameters, built once: SQLAlchemy compiles each once
# and they run on the session's connection, without the ORM's per-statement work.
_CANDIDATES = select(_ARTICLES.c.id, _ARTICLES.c.signature).where(
    _ARTICLES.c.id.in_(
        select(_BANDS.c.article_id).where(_BANDS.c.band_key.in_(_KEYS)).distinct()
    ),
    _ARTICLES.c.duplicate_of.is_(None),
    _ARTICLES.c.signature.is_not(None),
)
_INSERT = insert(_BANDS)
_DELETE = delete(_BANDS).where(
    _BANDS.c.article_id == bindparam("article_id"), _BANDS.c.band_key.in_(_KEYS)
)


def _key_params(keys: list[int]) -> dict[str, int]:
    """k0..k15; a signature with fewer distinct keys repeats its first (IN ignores repeats)."""
    padded = keys + [keys[0]] * (BANDS - len(keys))
    return {f"k{number}": key for number, key in enumerate(padded)}


class NearDuplicateIndex:
    """Original articles by MinHash band (storage.models.NearDuplicateBand), in the caller's
    transaction; `seconds` adds up the time spent here (for the crawl's stage timers)."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.threshold = threshold
        self.seconds = 0.0
        self._last: tuple[bytes, list[int]] = (b"", [])

    def _keys(self, sig: bytes) -> list[int]:
        """band_keys, kept for the signature last asked (a save looks up, then adds it)."""
        if self._last[0] != sig:
            self._last = (sig, band_keys(sig))
        return self._last[1]

    def find(self, session: Session, sig: bytes) -> tuple[int, float] | None:
        """The closest indexed article at or above the threshold, with its similarity (the
        lowest id among equals)."""
        started = time.perf_counter()
        try:
            stored = session.connection().execute(_CANDIDATES, _key_params(self._keys(sig)))
            scored = [(similarity(sig, other), key) for key, other in stored]
            scored = [(score, key) for score, key in scored if score >= self.threshold]
            if not scored:
                return None
            score, key = max(scored, key=lambda pair: (pair[0], -pair[1]))
            return key, score
        finally:
            self.seconds += time.perf_counter() - started

    def add(self, session: Session, article_id: int, sig: bytes) -> None:
        """Index an original under its signature's bands."""
        started = time.perf_counter()
        rows = [{"band_key": key, "article_id": article_id} for key in self._keys(sig)]
        session.connection().execute(_INSERT, rows)
        self.seconds += time.perf_counter() - started

    def remove(self, session: Session, article_id: int, sig: bytes | None) -> None:
        """Forget an article's bands (it became a copy, or its text changed); `sig` is the
        signature it was indexed under."""
        if sig is None:
            return
        started = time.perf_counter()
        params = {"article_id": article_id, **_key_params(band_keys(sig))}
        session.connection().execute(_DELETE, params)
        self.seconds += time.perf_counter() - started
