"""Finding stored things by the keys users and crawlers hold: ids, URLs, seed file names."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleUrl, PageFetch, Version
from storage.records import Known
from storage.urls import canonicalize_url


def find_article(session: Session, ref: str | int) -> Article | None:
    """An article by id, URL (any variant) or seed file name."""
    text = str(ref).strip()
    if text.isdigit():
        return session.get(Article, int(text))
    if "://" in text:
        key = canonicalize_url(text)
        return session.scalars(
            select(Article).join(ArticleUrl).where(ArticleUrl.url == key)
        ).first()
    return session.scalars(select(Article).where(Article.seed_file == text)).first()


def latest_version(session: Session, article: Article) -> Version:
    """The newest version of an article."""
    return session.scalars(
        select(Version).where(Version.article_id == article.id).order_by(Version.number.desc())
    ).first()


def page_fetch(session: Session, url: str) -> PageFetch | None:
    """The record of a page read and not kept, by any spelling of its URL."""
    return session.scalars(select(PageFetch).where(PageFetch.url == canonicalize_url(url))).first()


def known_by_key(session: Session, keys: list[str]) -> dict[str, Known]:
    """What was read at each canonical URL: stored articles (with their latest version's HTTP
    validators) first, then pages read and not kept. Keys never read are absent."""
    keys = list(dict.fromkeys(keys))
    found: dict[str, Known] = {}
    for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
        found.update(_known_chunk(session, keys[start : start + 500]))
    return found


def _known_chunk(session: Session, keys: list[str]) -> dict[str, Known]:
    newest = (
        select(Version.article_id, func.max(Version.number).label("number"))
        .group_by(Version.article_id)
        .subquery()
    )
    articles = session.execute(
        select(ArticleUrl.url, Article, Version)
        .join(Article, Article.id == ArticleUrl.article_id)
        .join(newest, newest.c.article_id == Article.id)
        .join(Version, (Version.article_id == Article.id) & (Version.number == newest.c.number))
        .where(ArticleUrl.url.in_(keys))
    )
    found = {
        url: Known(a.id, a.first_seen_at, a.last_seen_at, v.etag, v.last_modified)
        for url, a, v in articles
    }
    for page in session.scalars(select(PageFetch).where(PageFetch.url.in_(keys))):
        found.setdefault(
            page.url,
            Known(None, page.first_seen_at, page.last_seen_at, page.etag, page.last_modified),
        )
    return found
