"""The stored world: articles, the URLs they were seen at, their versions and diffs, runs, alerts.

Schema changes go through an Alembic migration in storage/migrations/versions, never through
`create_all`, so a user's database upgrades in place.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Article(Base):
    """One real article, however many URLs or readings it has."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    seed_file: Mapped[str | None] = mapped_column(String(255), unique=True)
    site: Mapped[str | None] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    outlet: Mapped[str | None] = mapped_column(String(255))
    author: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    relevance: Mapped[float | None] = mapped_column(Float)
    is_seed: Mapped[bool] = mapped_column(default=False)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    # MinHash signature of the latest text (storage.dedupe); its bands are NearDuplicateBand rows.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)

    urls: Mapped[list[ArticleUrl]] = relationship(back_populates="article", cascade="all")
    versions: Mapped[list[Version]] = relationship(
        back_populates="article", cascade="all", order_by="Version.number"
    )

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.canonical_url or self.seed_file!r} {self.title[:40]!r}>"


class NearDuplicateBand(Base):
    """One LSH band of an original article's signature (storage.dedupe): a key shared with an
    article is a near-duplicate candidate. Only originals are indexed."""

    __tablename__ = "near_duplicate_bands"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the row: no rowid b-tree beside it

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id"), primary_key=True, autoincrement=False
    )

    def __repr__(self) -> str:
        return f"<NearDuplicateBand {self.band_key} -> {self.article_id}>"


class ArticleUrl(Base):
    """A canonicalised URL at which an article was seen."""

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    article: Mapped[Article] = relationship(back_populates="urls")

    def __repr__(self) -> str:
        return f"<ArticleUrl {self.url!r} -> {self.article_id}>"


class ArticleSource(Base):
    """Provenance: which configured source found an article (so users see which earn their keep)."""

    __tablename__ = "article_sources"
    __table_args__ = (UniqueConstraint("article_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    source: Mapped[str] = mapped_column(String(2048), index=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ArticleSource {self.article_id} {self.source!r}>"


class PageFetch(Base):
    """A page fetched that is not an article: irrelevant, or no article text. Not fetched again
    while unchanged, so a feed's unrelated items cost one request, not one per run.

    An irrelevant page keeps its extracted title and text, its score and the version of the
    story profile that gave it, so a changed profile re-scores it without fetching it again."""

    __tablename__ = "page_fetches"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    outcome: Mapped[str] = mapped_column(String(32))
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    relevance: Mapped[float | None] = mapped_column(Float)
    profile_version: Mapped[str | None] = mapped_column(String(32))
    outlet: Mapped[str | None] = mapped_column(String(255))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<PageFetch {self.url!r} {self.outcome} {self.relevance}>"


class Version(Base):
    """The full text of one distinct reading of an article."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str | None] = mapped_column(String(2048))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))

    article: Mapped[Article] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<Version {self.article_id}#{self.number} {self.text_hash[:10]}>"


class Diff(Base):
    """A readable unified diff between two consecutive versions of an article."""

    __tablename__ = "diffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    added: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Diff {self.article_id} v{self.from_version_id}->v{self.to_version_id} +{self.added}-{self.removed}>"


class Run(Base):
    """One crawl (or seed ingest), with what it found and what failed."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    failures: Mapped[list] = mapped_column(JSON, default=list)
    # {source label: {listed, outside_window, capped, fetched, stored, ...}} (crawler.tally)
    sources: Mapped[dict | None] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<Run {self.id} {self.status} {self.counts}>"


class Candidate(Base):
    """A listed page not fetched yet (over a source's per-run cap): it waits for a later run.

    `url_key` is the canonical URL (the identity); `url` is the address as the source listed it.
    """

    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("source", "url_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(2048), index=True)
    url_key: Mapped[str] = mapped_column(String(2048))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    outlet: Mapped[str] = mapped_column(String(255), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    first_listed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Candidate {self.source!r} {self.url!r} {self.score:.2f}>"


class Alert(Base):
    """The outbox: one row per announcement, written with the article it announces."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_unsent", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    kind: Mapped[str] = mapped_column(String(16))  # "new" | "updated"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    # pending -> sent | failed (permanent refusal) | skipped (updates not announced)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    digest_key: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<Alert {self.id} {self.kind} article={self.article_id} sent={self.sent_at}>"


class DatabaseIdentity(Base):
    """One row: a random token made when the database was created (migration 0008), so a
    digest's Message-ID is unique across databases (RFC 5322 3.6.4), not only within one."""

    __tablename__ = "database_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))

    def __repr__(self) -> str:
        return f"<DatabaseIdentity {self.token}>"
