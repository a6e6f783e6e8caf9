"""The alert outbox: what is waiting to be announced, and recording how delivery went.

An alert is marked sent only after the mail server accepted the message carrying it; until
then it stays pending, so a crash or an outage loses nothing and the next run sends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Alert, Article, ArticleUrl, Diff, Version, utcnow

PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"


@dataclass(frozen=True)
class Copy:
    outlet: str | None
    url: str | None


@dataclass(frozen=True)
class Announcement:
    """One pending alert with what a digest needs to show it."""

    alert_id: int
    kind: str
    article_id: int
    title: str
    outlet: str | None
    url: str | None
    published_at: datetime | None
    text: str
    diff: str | None
    added: int
    removed: int
    copies: tuple[Copy, ...]


def pending(session: Session, include_updates: bool) -> list[Announcement]:
    """Pending alerts, oldest first; 'updated' ones only when updates are announced."""
    kinds = ("new", "updated") if include_updates else ("new",)
    alerts = session.scalars(
        select(Alert).where(Alert.status == PENDING, Alert.kind.in_(kinds)).order_by(Alert.id)
    )
    return [_announcement(session, alert) for alert in alerts]


def _announcement(session: Session, alert: Alert) -> Announcement:
    article = session.get(Article, alert.article_id)
    version = session.get(Version, alert.version_id) if alert.version_id else None
    diff = session.scalars(select(Diff).where(Diff.to_version_id == alert.version_id)).first()
    copies = session.scalars(select(Article).where(Article.duplicate_of == article.id))
    return Announcement(
        alert_id=alert.id,
        kind=alert.kind,
        article_id=article.id,
        title=article.title,
        outlet=article.outlet or article.site,
        url=_address(session, article),
        published_at=article.published_at,
        text=version.text if version else "",
        diff=diff.text if diff and alert.kind == "updated" else None,
        added=diff.added if diff else 0,
        removed=diff.removed if diff else 0,
        copies=tuple(Copy(c.outlet or c.site, _address(session, c)) for c in copies),
    )


def _address(session: Session, article: Article) -> str | None:
    """Where a reader finds the article: the address it was last fetched at (the canonical URL
    is an identity key, and a slash-less spelling may only redirect), else a stored URL."""
    fetched = session.scalar(
        select(Version.url)
        .where(Version.article_id == article.id, Version.url.is_not(None))
        .order_by(Version.number.desc())
    )
    return fetched or article.canonical_url or _first_url(session, article.id)


def _first_url(session: Session, article_id: int) -> str | None:
    return session.scalar(
        select(ArticleUrl.url).where(ArticleUrl.article_id == article_id).order_by(ArticleUrl.id)
    )


def skip_updates(session: Session) -> int:
    """Updated-article alerts when updates are not announced: closed, never sent."""
    alerts = session.scalars(select(Alert).where(Alert.status == PENDING, Alert.kind == "updated"))
    count = 0
    for alert in alerts:
        alert.status = SKIPPED
        count += 1
    return count


def mark_sent(session: Session, alert_ids: list[int], digest_key: str) -> None:
    for alert in session.scalars(select(Alert).where(Alert.id.in_(alert_ids))):
        alert.status, alert.sent_at, alert.digest_key, alert.error = (
            SENT,
            utcnow(),
            digest_key,
            None,
        )
        alert.attempts += 1


def mark_failed(session: Session, alert_ids: list[int], error: str, permanent: bool) -> None:
    """A refused delivery: permanent ones close the alert, temporary ones leave it pending."""
    for alert in session.scalars(select(Alert).where(Alert.id.in_(alert_ids))):
        alert.error = error
        alert.attempts += 1
        if permanent:
            alert.status = FAILED


def other_texts(session: Session, article_ids: list[int]) -> list[str]:
    """Latest texts of every stored article but these: what readers have already seen."""
    latest = (
        select(Version.article_id, func.max(Version.number).label("number"))
        .where(Version.article_id.not_in(article_ids))
        .group_by(Version.article_id)
        .subquery()
    )
    query = select(Version.text).join(
        latest, (Version.article_id == latest.c.article_id) & (Version.number == latest.c.number)
    )
    return list(session.scalars(query))


def delivery_problems(session: Session, limit: int = 5) -> list[tuple[str, str, int]]:
    """Recent delivery errors: (status, error, how many alerts)."""
    query = (
        select(Alert.status, Alert.error, func.count(Alert.id))
        .where(Alert.error.is_not(None), Alert.status.in_((PENDING, FAILED)))
        .group_by(Alert.status, Alert.error)
        .limit(limit)
    )
    return [(status, error, count) for status, error, count in session.execute(query)]
