"""Candidates waiting for a later run: pages a source listed that its per-run cap left unfetched.

The crawler ranks each source's candidates by what their listing says and fetches the most
promising first, up to `crawl.max_pages_per_run`; the rest are kept here, by source and
canonical URL, and offered again on the next run beside that run's own listings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Candidate, utcnow

__all__ = ["CandidateQueue", "Pending"]


@dataclass(frozen=True, slots=True)
class Pending:
    """One candidate as listed: `key` is its canonical URL, `url` the address to request."""

    source: str
    key: str
    url: str
    title: str = ""
    description: str = ""
    outlet: str = ""
    published_at: datetime | None = None
    score: float = 0.0
    depth: int = 0


class CandidateQueue:
    """The waiting candidates of every source, in the store's database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def waiting(self, source: str) -> list[Pending]:
        """A source's waiting candidates, best score first."""
        query = select(Candidate).where(Candidate.source == source).order_by(
            Candidate.score.desc(), Candidate.id
        )
        with self.sessions() as session:
            return [_pending(row) for row in session.scalars(query)]

    def replace(self, source: str, candidates: Iterable[Pending]) -> int:
        """A source's waiting candidates become `candidates` (one per key); returns how many."""
        rows = {c.key: c for c in candidates}
        with self.sessions.begin() as session:
            session.execute(delete(Candidate).where(Candidate.source == source))
            for candidate in rows.values():
                session.add(_row(candidate))
        return len(rows)

    def count(self) -> dict[str, int]:
        """Waiting candidates per source."""
        query = select(Candidate.source, func.count(Candidate.id)).group_by(Candidate.source)
        with self.sessions() as session:
            return {source: waiting for source, waiting in session.execute(query)}


def _row(candidate: Pending) -> Candidate:
    return Candidate(
        source=candidate.source,
        url_key=candidate.key,
        url=candidate.url,
        title=candidate.title[:2000],
        description=candidate.description[:2000],
        outlet=candidate.outlet[:255],
        published_at=candidate.published_at,
        score=candidate.score,
        depth=candidate.depth,
        first_listed_at=utcnow(),
    )


def _pending(row: Candidate) -> Pending:
    return Pending(
        source=row.source,
        key=row.url_key,
        url=row.url,
        title=row.title,
        description=row.description,
        outlet=row.outlet,
        published_at=row.published_at,
        score=row.score,
        depth=row.depth,
    )
