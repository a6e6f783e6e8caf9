"""The store: decides what a reading of an article is, and keeps it.

A reading (`Snapshot`) is one of:
- NEW: an article not seen before (announced in the outbox, unless it is a seed);
- UPDATED: a known article whose text changed (a new version, its diff, an "updated" alert);
- UNCHANGED: a known article, same text (only last_seen_at moves);
- DUPLICATE: another outlet's copy of a stored article (kept, with duplicate_of set);
- TRUNCATED: far shorter than the stored text, a paywall or an error page (kept out).

Everything one reading changes is written in one transaction, outbox row included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.bands import NearDuplicateIndex
from storage.candidates import CandidateQueue
from storage.db import open_engine, session_factory
from storage.dedupe import fingerprint, signature
from storage.diffs import diff_texts
from storage.edits import is_edit
from storage.lookups import find_article, known_by_key, latest_version, page_fetch
from storage.models import (
    Alert,
    Article,
    ArticleSource,
    ArticleUrl,
    DatabaseIdentity,
    Diff,
    PageFetch,
    Run,
    Version,
    utcnow,
)
from storage.records import Known, Outcome, Saved, Snapshot
from storage.rejections import RejectedText, keep_text
from storage.urls import canonicalize_url, choose_canonical, reader_address, registered_domain

__all__ = ["Known", "Outcome", "Saved", "Snapshot", "Store", "find_article"]

# A reading with less than this share of the stored text is an outage, not an edit.
TRUNCATION_RATIO = 0.5
# Database URLs this process brought to the newest migration: a command's later Stores (the
# crawl's own) skip the check. An in-memory SQLite database is new each time.
_MIGRATED: set[str] = set()


def _needs_migration(url: str) -> bool:
    return url not in _MIGRATED or ":memory:" in url or url.rstrip("/") == "sqlite:"


@dataclass(frozen=True, slots=True)
class _Reading:
    """What save() derives once from a snapshot."""

    snapshot: Snapshot
    canonical_url: str | None
    url_keys: tuple[str, ...]
    text_hash: str
    signature: bytes
    at: datetime


class Store:
    """Articles in a SQL database, with the near-duplicate index (storage.dedupe) beside them."""

    def __init__(self, url: str) -> None:
        self.engine = open_engine(url, migrate=_needs_migration(url))
        _MIGRATED.add(url)
        self.sessions = session_factory(self.engine)
        self.candidates = CandidateQueue(self.sessions)
        self.near = NearDuplicateIndex()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def identity(self) -> str:
        """This database's random token (32 hex digits), the same for its whole life."""
        with self.sessions() as session:
            return session.get(DatabaseIdentity, 1).token

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def near_seconds(self) -> float:
        """Seconds spent in the near-duplicate index so far (the crawl's dedupe stage)."""
        return self.near.seconds

    # --- writing -----------------------------------------------------------------------------

    def save(self, snapshot: Snapshot, *, announce: bool = True) -> Saved:
        """Store one reading; `announce=False` keeps it out of the alert outbox."""
        reading = _read(snapshot)
        with self.sessions.begin() as session:
            article = _find_known(session, reading)
            indexed = article.signature if article is not None else None
            if article is not None:
                # Reached by an alias URL (a same-site copy stored as this article): another
                # rendering, never an edit; corrections come through the article's own URL.
                alias = bool(article.canonical_url) and article.canonical_url != reading.canonical_url
                saved = _revisit(session, article, reading, announce, as_alias=alias)
            else:
                saved = self._add(session, reading, announce)
            if snapshot.source and saved.outcome is not Outcome.TRUNCATED:
                _credit_source(session, saved.article_id, snapshot.source, reading.at)
            self._reindex(session, saved, reading.signature, indexed)
        return saved

    def _reindex(self, session: Session, saved: Saved, sig: bytes, indexed: bytes | None) -> None:
        """Originals only, each under its latest text's signature, in the save's transaction."""
        if saved.replaced_original is not None:
            old = session.get(Article, saved.replaced_original)
            self.near.remove(session, old.id, old.signature)
        if saved.duplicate_of is not None:
            return
        if saved.outcome is Outcome.UPDATED:
            self.near.remove(session, saved.article_id, indexed)
        if saved.outcome in (Outcome.NEW, Outcome.UPDATED) or saved.replaced_original:
            self.near.add(session, saved.article_id, sig)

    def _add(self, session: Session, reading: _Reading, announce: bool) -> Saved:
        original = self._find_copy(session, reading)
        if original is not None and _same_site(original, reading):
            return _revisit(session, original, reading, announce, as_alias=True)
        root = session.get(Article, original.duplicate_of or original.id) if original else None
        earlier = root is not None and _published_before(reading.snapshot, root)
        article = _new_article(reading, duplicate_of=None if earlier else root and root.id)
        session.add(article)
        _add_urls(session, article, reading)
        version = _new_version(article, reading, number=1)
        session.flush()
        if earlier:  # the earliest published copy is the original, whatever the fetch order
            _repoint_copies(session, root.id, article.id)
            return Saved(Outcome.DUPLICATE, article.id, 1, replaced_original=root.id)
        if root is not None:
            return Saved(Outcome.DUPLICATE, article.id, 1, duplicate_of=root.id)
        if announce and not reading.snapshot.is_seed:
            session.add(Alert(article_id=article.id, version_id=version.id, kind="new"))
        return Saved(Outcome.NEW, article.id, 1)

    def _find_copy(self, session: Session, reading: _Reading) -> Article | None:
        """A stored article with the same text, exactly or nearly."""
        exact = session.scalars(
            select(Article)
            .join(Version, Version.article_id == Article.id)
            .where(Version.text_hash == reading.text_hash)
            .order_by(Article.id)
            .limit(1)
        ).first()
        if exact is not None:
            return exact
        near = self.near.find(session, reading.signature)
        return session.get(Article, near[0]) if near else None

    # --- reading -----------------------------------------------------------------------------

    def known(self, url: str) -> Known | None:
        """What was read at a URL (any variant) before, with its latest HTTP validators."""
        with self.sessions() as session:
            article = find_article(session, url)
            if article is not None:
                latest = latest_version(session, article)
                return Known(
                    article.id,
                    article.first_seen_at,
                    article.last_seen_at,
                    latest.etag,
                    latest.last_modified,
                )
            page = page_fetch(session, url)
            if page is not None:
                return Known(
                    None, page.first_seen_at, page.last_seen_at, page.etag, page.last_modified
                )
            return None

    def known_many(self, keys: list[str]) -> dict[str, Known]:
        """`known` for many canonical URLs in one query: {canonical URL: what was read there}."""
        with self.sessions() as session:
            return known_by_key(session, keys)

    def first_run_at(self) -> datetime | None:
        """When the first run of this database started (None before any run)."""
        with self.sessions() as session:
            return session.scalar(select(func.min(Run.started_at)))

    def touch(self, url: str, at: datetime | None = None) -> None:
        """Seen again, unchanged (a 304): only last_seen_at moves."""
        at = at or utcnow()
        with self.sessions.begin() as session:
            record = find_article(session, url) or page_fetch(session, url)
            if record is not None:
                record.last_seen_at = max(record.last_seen_at, at)

    def touch_many(self, urls: list[str], at: datetime | None = None) -> None:
        """`touch` for many URLs (the 304s of a moment of a crawl) in one transaction."""
        at = at or utcnow()
        keys = sorted({canonicalize_url(url) for url in urls})
        with self.sessions.begin() as session:
            for chunk in (keys[start : start + 500] for start in range(0, len(keys), 500)):
                seen = select(ArticleUrl.article_id).where(ArticleUrl.url.in_(chunk))
                session.execute(
                    update(Article)
                    .where(Article.id.in_(seen), Article.last_seen_at < at)
                    .values(last_seen_at=at)
                )
                session.execute(
                    update(PageFetch)
                    .where(PageFetch.url.in_(chunk), PageFetch.last_seen_at < at)
                    .values(last_seen_at=at)
                )

    def record_page(
        self,
        url: str,
        outcome: str,
        etag: str | None = None,
        last_modified: str | None = None,
        kept: RejectedText | None = None,
    ) -> None:
        """Remember a page that was read and not kept, so an unchanged copy is not read again;
        `kept` (an irrelevant page's text and score) lets a changed profile re-score it."""
        now = utcnow()
        with self.sessions.begin() as session:
            page = page_fetch(session, url)
            if page is None:
                page = PageFetch(url=canonicalize_url(url), first_seen_at=now)
                session.add(page)
            page.outcome, page.etag, page.last_modified = outcome, etag, last_modified
            page.last_seen_at = now
            keep_text(page, kept)

    def start_run(self) -> int:
        """Record a run as started; returns its id.

        Called with the crawl lock held, so a run still marked running died with its process.
        """
        with self.sessions.begin() as session:
            for stale in session.scalars(select(Run).where(Run.status == "running")):
                stale.status = "interrupted"
            run = Run(started_at=utcnow(), status="running", counts={}, failures=[])
            session.add(run)
            session.flush()
            return run.id

    def finish_run(
        self,
        run_id: int,
        status: str,
        counts: dict,
        failures: list[str],
        sources: dict[str, dict[str, int]] | None = None,
    ) -> None:
        """Record how a run ended: its counts, failure lines and per-source tallies."""
        with self.sessions.begin() as session:
            run = session.get(Run, run_id)
            run.finished_at = utcnow()
            run.status = status
            run.counts = dict(counts)
            run.failures = list(failures)
            run.sources = {name: dict(tally) for name, tally in (sources or {}).items()}

    def article(self, ref: str | int) -> Article | None:
        """An article by id, by any URL it was seen at, or by seed file name."""
        with self.sessions() as session:
            return find_article(session, ref)

    def article_count(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count(Article.id))) or 0


def _read(snapshot: Snapshot) -> _Reading:
    canonical = None
    keys: tuple[str, ...] = ()
    if snapshot.url:
        canonical = choose_canonical(snapshot.url, snapshot.declared_canonical)
        keys = tuple(dict.fromkeys((canonical, canonicalize_url(snapshot.url))))
    return _Reading(
        snapshot=snapshot,
        canonical_url=canonical,
        url_keys=keys,
        text_hash=snapshot.text_hash or fingerprint(snapshot.text),
        signature=snapshot.signature or signature(snapshot.text),
        at=snapshot.fetched_at or utcnow(),
    )


def _find_known(session: Session, reading: _Reading) -> Article | None:
    if reading.snapshot.seed_file:
        return session.scalars(
            select(Article).where(Article.seed_file == reading.snapshot.seed_file)
        ).first()
    if not reading.url_keys:
        return None
    return session.scalars(
        select(Article).join(ArticleUrl).where(ArticleUrl.url.in_(reading.url_keys)).limit(1)
    ).first()


def _same_site(article: Article, reading: _Reading) -> bool:
    return bool(article.site and reading.canonical_url) and article.site == registered_domain(
        reading.canonical_url
    )


def _published_before(snap: Snapshot, article: Article) -> bool:
    """The reading states an earlier publication date than the stored article."""
    return bool(snap.published_at and article.published_at) and (
        snap.published_at < article.published_at
    )


def _repoint_copies(session: Session, old_root: int, new_root: int) -> None:
    """The old original and its copies become copies of the new original."""
    session.execute(
        update(Article)
        .where((Article.id == old_root) | (Article.duplicate_of == old_root))
        .values(duplicate_of=new_root)
    )


def _new_article(reading: _Reading, duplicate_of: int | None) -> Article:
    snap = reading.snapshot
    return Article(
        canonical_url=reading.canonical_url,
        seed_file=snap.seed_file,
        site=registered_domain(reading.canonical_url) if reading.canonical_url else None,
        title=snap.title,
        outlet=snap.outlet,
        author=snap.author,
        language=snap.language,
        published_at=snap.published_at,
        first_seen_at=reading.at,
        last_seen_at=reading.at,
        relevance=snap.relevance,
        is_seed=snap.is_seed,
        duplicate_of=duplicate_of,
        signature=reading.signature,
        # Empty, not unloaded: appending to them after an autoflush would load them first.
        urls=[],
        versions=[],
    )


def _add_urls(session: Session, article: Article, reading: _Reading) -> None:
    known = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(reading.url_keys))))
    for key in reading.url_keys:
        if key not in known:
            article.urls.append(ArticleUrl(url=key, first_seen_at=reading.at))


def _new_version(article: Article, reading: _Reading, number: int) -> Version:
    snap = reading.snapshot
    version = Version(
        number=number,
        title=snap.title,
        text=snap.text,
        text_hash=reading.text_hash,
        # Where readers go: the page's same-site canonical address, else where it was fetched.
        url=reader_address(snap.url, snap.declared_canonical) if snap.url else None,
        fetched_at=reading.at,
        etag=snap.etag,
        last_modified=snap.last_modified,
    )
    article.versions.append(version)
    return version


def _revisit(
    session: Session, article: Article, reading: _Reading, announce: bool, as_alias: bool = False
) -> Saved:
    """A known article read again: a new version if its text changed, else only seen again."""
    _add_urls(session, article, reading)
    _fill_missing(article, reading.snapshot)
    article.last_seen_at = max(article.last_seen_at, reading.at)
    latest = latest_version(session, article)
    if len(reading.snapshot.text) < TRUNCATION_RATIO * len(latest.text):
        return Saved(Outcome.TRUNCATED, article.id, latest.number, article.duplicate_of)
    # Another URL of the same article (an alias) is a rendering, not an edit: no new version.
    # Nor is a reading whose only changes are volatile (relative times, counters, layout).
    snap = reading.snapshot
    if as_alias or not is_edit(latest.title, latest.text, snap.title, snap.text):
        if not as_alias:
            latest.etag = snap.etag or latest.etag
            latest.last_modified = snap.last_modified or latest.last_modified
        return Saved(Outcome.UNCHANGED, article.id, latest.number, article.duplicate_of)
    version = _new_version(article, reading, number=latest.number + 1)
    _update_article(article, reading)
    session.flush()
    change = diff_texts(
        latest.text,
        version.text,
        f"version {latest.number}",
        f"version {version.number}",
        titles=(latest.title, version.title),
    )
    session.add(
        Diff(
            article_id=article.id,
            from_version_id=latest.id,
            to_version_id=version.id,
            text=change.text,
            added=change.added,
            removed=change.removed,
            created_at=reading.at,
        )
    )
    if announce and not article.is_seed:
        session.add(Alert(article_id=article.id, version_id=version.id, kind="updated"))
    return Saved(Outcome.UPDATED, article.id, version.number, article.duplicate_of)


def _update_article(article: Article, reading: _Reading) -> None:
    snap = reading.snapshot
    article.title = snap.title or article.title
    article.signature = reading.signature
    article.author = snap.author or article.author
    article.published_at = article.published_at or snap.published_at
    if snap.relevance is not None:
        article.relevance = snap.relevance


def _credit_source(session: Session, article_id: int, source: str, at: datetime) -> None:
    exists = session.scalar(
        select(ArticleSource.id).where(
            ArticleSource.article_id == article_id, ArticleSource.source == source
        )
    )
    if exists is None:
        session.add(ArticleSource(article_id=article_id, source=source, first_seen_at=at))


def _fill_missing(article: Article, snap: Snapshot) -> None:
    """Metadata a later reading knows and the first did not (a seed manifest entry, say)."""
    article.outlet = article.outlet or snap.outlet
    article.author = article.author or snap.author
    article.language = article.language or snap.language
    article.published_at = article.published_at or snap.published_at
