"""Finding stored things by the keys users and crawlers hold: ids, URLs, seed file names."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, ArticleUrl, PageFetch, Version
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
