"""Pages read and left out as not coverage: their kept text, score, and re-scoring.

A page left out as irrelevant keeps its extracted title and text, its relevance and the
version of the story profile that scored it (`PageFetch`). When the profile changes (seeds,
queries, the model) or min_relevance drops, `stale_rejections` lists what must be scored
again, from the stored text, without fetching; a page now relevant is saved as a new article
(`Store.save`, so it is announced like any new article) and its rejection forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.lookups import page_fetch
from storage.models import PageFetch

__all__ = ["Rejected", "RejectedText", "forget_rejection", "forget_textless", "keep_text",
           "list_rejected", "rescored", "stale_rejections"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class RejectedText:
    """What is kept of an irrelevant page: extracted title and text, score 0..1, profile version."""

    title: str
    text: str
    relevance: float
    profile_version: str
    outlet: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A page left out, as `storywatch rejected` lists it and re-scoring reads it."""

    url: str
    outcome: str
    title: str
    text: str | None
    relevance: float | None
    profile_version: str | None
    last_seen_at: datetime
    etag: str | None
    last_modified: str | None
    outlet: str | None
    published_at: datetime | None


def keep_text(page: PageFetch, kept: RejectedText | None) -> None:
    """Store (or clear, for a page with no article text) what re-scoring needs."""
    page.title = kept.title if kept else None
    page.text = kept.text if kept else None
    page.relevance = kept.relevance if kept else None
    page.profile_version = kept.profile_version if kept else None
    page.outlet = kept.outlet if kept else None
    page.published_at = kept.published_at if kept else None


def list_rejected(session: Session, limit: int | None = None) -> list[Rejected]:
    """Pages left out, highest score first (pages without a score last), newest first within."""
    query = select(PageFetch).order_by(
        PageFetch.relevance.is_(None), PageFetch.relevance.desc(), PageFetch.last_seen_at.desc()
    )
    return [_rejected(page) for page in session.scalars(query.limit(limit))]


def stale_rejections(session: Session, version: str, min_relevance: float) -> list[Rejected]:
    """Kept pages scored by another profile version, or scoring at least `min_relevance` now
    (a lowered threshold)."""
    query = select(PageFetch).where(
        PageFetch.text.is_not(None),
        or_(
            PageFetch.profile_version.is_(None),
            PageFetch.profile_version != version,
            PageFetch.relevance >= min_relevance,
        ),
    )
    return [_rejected(page) for page in session.scalars(query.order_by(PageFetch.id))]


def rescored(session: Session, url: str, relevance: float, version: str) -> None:
    """A kept page scored again and still left out."""
    page = page_fetch(session, url)
    if page is not None:
        page.relevance, page.profile_version = relevance, version


def forget_textless(session: Session) -> int:
    """Forget irrelevant pages recorded without their text (before migration 0006): they cannot
    be re-scored, so the next crawl that meets them reads them afresh. Returns how many."""
    done = session.execute(
        delete(PageFetch).where(PageFetch.outcome == "irrelevant", PageFetch.text.is_(None))
    )
    return done.rowcount or 0


def forget_rejection(session: Session, url: str) -> None:
    """A page that became coverage: its article is what a crawl finds from now on."""
    session.execute(delete(PageFetch).where(PageFetch.url == url))


def _rejected(page: PageFetch) -> Rejected:
    return Rejected(
        page.url, page.outcome, page.title or "", page.text, page.relevance,
        page.profile_version, page.last_seen_at, page.etag, page.last_modified, page.outlet,
        page.published_at,
    )  # fmt: skip
