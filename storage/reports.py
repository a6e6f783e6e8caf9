"""Read-only views of the store: exports, diffs, status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Alert, Article, ArticleSource, ArticleUrl, Diff, Run, Version
from storage.outbox import PENDING

EXPORT_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "outlet",
    "author",
    "published_at",
    "first_seen_at",
    "last_seen_at",
    "relevance",
    "duplicate_of",
    "versions",
    "updated_at",
    "is_seed",
    "seed_file",
    "text",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_rows(session: Session) -> Iterator[dict]:
    """One plain dict per stored article, oldest first, with its latest text."""
    latest = (
        select(Version.article_id, func.max(Version.number).label("number"))
        .group_by(Version.article_id)
        .subquery()
    )
    first_url = (
        select(ArticleUrl.article_id, func.min(ArticleUrl.id).label("url_id"))
        .group_by(ArticleUrl.article_id)
        .subquery()
    )
    query = (
        select(Article, Version, ArticleUrl.url)
        .join(latest, latest.c.article_id == Article.id)
        .join(Version, (Version.article_id == Article.id) & (Version.number == latest.c.number))
        .outerjoin(first_url, first_url.c.article_id == Article.id)
        .outerjoin(ArticleUrl, ArticleUrl.id == first_url.c.url_id)
        .order_by(Article.id)
    )
    for article, version, url in session.execute(query):
        yield {
            "id": article.id,
            "url": version.url or url,  # the address it was fetched at
            "canonical_url": article.canonical_url,
            "title": article.title,
            "outlet": article.outlet,
            "author": article.author,
            "published_at": _iso(article.published_at),
            "first_seen_at": _iso(article.first_seen_at),
            "last_seen_at": _iso(article.last_seen_at),
            "relevance": article.relevance,
            "duplicate_of": article.duplicate_of,
            "versions": version.number,
            "updated_at": _iso(version.fetched_at),
            "is_seed": article.is_seed,
            "seed_file": article.seed_file,
            "text": version.text,
        }


def article_diffs(session: Session, article_id: int) -> list[Diff]:
    """The diffs between consecutive versions of an article, oldest first."""
    return list(
        session.scalars(select(Diff).where(Diff.article_id == article_id).order_by(Diff.id))
    )


def recent_runs(session: Session, limit: int = 5) -> list[Run]:
    return list(session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)))


def article_counts(session: Session) -> dict[str, int]:
    """Stored articles: all, seeds, duplicates, and alerts waiting in the outbox."""
    count = func.count(Article.id)
    return {
        "articles": session.scalar(select(count)) or 0,
        "seeds": session.scalar(select(count).where(Article.is_seed)) or 0,
        "duplicates": session.scalar(select(count).where(Article.duplicate_of.is_not(None))) or 0,
        "versions": session.scalar(select(func.count(Version.id))) or 0,
        "outbox": session.scalar(select(func.count(Alert.id)).where(Alert.status == PENDING)) or 0,
    }


def articles_per_source(session: Session) -> list[tuple[str, int]]:
    """How many articles each source found, the most productive first."""
    count = func.count(ArticleSource.article_id)
    query = (
        select(ArticleSource.source, count).group_by(ArticleSource.source).order_by(count.desc())
    )
    return [(source, found) for source, found in session.execute(query)]


def has_crawled(session: Session) -> bool:
    """Whether an earlier run fetched pages (what the first real crawl finds is not announced)."""
    runs = session.scalars(select(Run.counts).where(Run.status == "completed"))
    return any((counts or {}).get("pages_fetched", 0) > 0 for counts in runs)


def articles_by_id(session: Session, ids: list[int]) -> list[Article]:
    if not ids:
        return []
    return list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))
