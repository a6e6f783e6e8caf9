"""The near-duplicate index's table: band keys (storage.dedupe) of original articles, looked up,
added and removed in the caller's transaction. storage.dedupe's docstring gives the design.
"""

from __future__ import annotations

import time

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from storage.dedupe import NEAR_DUPLICATE_JACCARD, band_keys, similarity
from storage.models import Article, NearDuplicateBand

__all__ = ["NearDuplicateIndex"]

_BANDS = NearDuplicateBand.__table__
# Built once, so SQLAlchemy compiles each statement once (a lookup is ~1 ms of Python otherwise).
_CANDIDATES = select(Article.id, Article.signature).where(
    Article.id.in_(
        select(_BANDS.c.article_id)
        .where(_BANDS.c.band_key.in_(bindparam("keys", expanding=True)))
        .distinct()
    ),
    Article.duplicate_of.is_(None),
    Article.signature.is_not(None),
)
_INSERT = insert(_BANDS)
_DELETE = delete(_BANDS).where(
    _BANDS.c.article_id == bindparam("article_id"),
    _BANDS.c.band_key.in_(bindparam("keys", expanding=True)),
)


class NearDuplicateIndex:
    """Original articles by MinHash band (storage.models.NearDuplicateBand), in the caller's
    transaction; `seconds` adds up the time spent here (for the crawl's stage timers)."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.threshold = threshold
        self.seconds = 0.0

    def find(self, session: Session, sig: bytes) -> tuple[int, float] | None:
        """The closest indexed article at or above the threshold, with its similarity (the
        lowest id among equals)."""
        started = time.perf_counter()
        try:
            stored = session.execute(_CANDIDATES, {"keys": band_keys(sig)})
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
        rows = [{"band_key": key, "article_id": article_id} for key in band_keys(sig)]
        session.execute(_INSERT, rows)
        self.seconds += time.perf_counter() - started

    def remove(self, session: Session, article_id: int, sig: bytes | None) -> None:
        """Forget an article's bands (it became a copy, or its text changed); `sig` is the
        signature it was indexed under."""
        if sig is None:
            return
        started = time.perf_counter()
        session.execute(_DELETE, {"article_id": article_id, "keys": band_keys(sig)})
        self.seconds += time.perf_counter() - started
