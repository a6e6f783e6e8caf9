"""From clean articles to store readings: seeds now, crawled pages through the pipelines."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from crawler.extract import Article
from crawler.profile import StoryProfile
from crawler.seeds import SeedError, SeedFacts, load_manifest, read_seed, seed_files
from storage.store import Snapshot, Store

__all__ = ["SeedBatch", "read_seeds", "store_seeds", "to_snapshot"]


def to_snapshot(
    article: Article,
    *,
    url: str | None = None,
    outlet: str | None = None,
    relevance: float | None = None,
    seed_file: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    published_at: datetime | None = None,
    author: str | None = None,
    source: str | None = None,
    text_hash: str | None = None,
    signature: bytes | None = None,
) -> Snapshot:
    """A store reading of an article; explicit values win over what the page said, except the
    publication date, where the page's own (article:published_time, JSON-LD) wins."""
    return Snapshot(
        text=article.text,
        title=article.title,
        url=url,
        declared_canonical=article.canonical_url,
        seed_file=seed_file,
        outlet=outlet or article.site_name,
        author=author or article.author,
        language=article.language,
        # The page's own publication date beats a listing's (a sitemap lastmod is a change time).
        published_at=article.published_at or published_at,
        relevance=relevance,
        etag=etag,
        last_modified=last_modified,
        source=source,
        text_hash=text_hash,
        signature=signature,
    )


@dataclass
class SeedBatch:
    """The readable seeds of a folder, and one line for each that was not."""

    articles: dict[str, tuple[Article, SeedFacts]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [article.text for article, _ in self.articles.values()]


def read_seeds(folder: Path) -> SeedBatch:
    """Read every seed; a bad file costs its own line in `errors`, never the others."""
    batch = SeedBatch()
    manifest = load_manifest(folder)
    for path in seed_files(folder):
        try:
            batch.articles[path.name] = (read_seed(path), manifest.get(path.name, SeedFacts()))
        except SeedError as exc:
            batch.errors.append(str(exc))
    for name in sorted(set(manifest) - set(batch.articles)):
        if not (folder / name).exists():
            batch.errors.append(
                f"{folder / 'seeds.toml'}: lists {name}, which is not in the folder"
            )
    return batch


def store_seeds(store: Store, batch: SeedBatch, profile: StoryProfile) -> Counter[str]:
    """Store each seed (never announced); returns how many were new, updated, unchanged."""
    outcomes: Counter[str] = Counter()
    for name, (article, facts) in batch.articles.items():
        if facts.title:
            article = replace(article, title=facts.title)
        if facts.published_at:  # what the user recorded beats what the page said
            article = replace(article, published_at=facts.published_at)
        snapshot = to_snapshot(
            article,
            url=facts.url,
            outlet=facts.outlet,
            author=facts.author,
            published_at=facts.published_at,
            relevance=profile.relevance(article.text),
            seed_file=name,
        )
        outcomes[store.save(snapshot, announce=False).outcome.value] += 1
    return outcomes
