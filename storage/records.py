"""The store's vocabulary: a reading handed in, what the store made of it, what it knows."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One reading of one article, as the crawler hands it over."""

    text: str
    title: str = ""
    url: str | None = None  # where it was fetched; None for a seed file
    declared_canonical: str | None = None  # the page's rel=canonical / og:url
    seed_file: str | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    relevance: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime | None = None
    source: str | None = None  # the configured source that found it
    # storage.dedupe's fingerprint and signature of `text`, when the caller computed them
    # already (the crawler's extraction workers do); else save() computes them.
    text_hash: str | None = None
    signature: bytes | None = None

    @property
    def is_seed(self) -> bool:
        return self.seed_file is not None


class Outcome(enum.StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    TRUNCATED = "truncated"  # far shorter than the stored text: a paywall or error page, kept out


@dataclass(frozen=True, slots=True)
class Known:
    """What a crawler needs to know of a URL it read before, ahead of fetching it again."""

    article_id: int | None  # None: a page that was read and not kept (irrelevant, no article)
    first_seen_at: datetime
    last_seen_at: datetime
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class Saved:
    outcome: Outcome
    article_id: int
    version: int
    duplicate_of: int | None = None
    # A copy published before the stored original becomes the original; this was the old one.
    replaced_original: int | None = None
