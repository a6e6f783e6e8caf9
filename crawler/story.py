"""The story a run follows: the readable seeds and the profile built from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.config import Config, ConfigError
from crawler.ingest import SeedBatch, read_seeds
from crawler.profile import StoryProfile, build_profile
from crawler.seeds import SeedError


@dataclass(frozen=True)
class Story:
    seeds: SeedBatch
    profile: StoryProfile


def load_story(config: Config) -> Story:
    """Read the seeds and build the profile; a missing or empty seeds folder is a config error."""
    try:
        seeds = read_seeds(config.seeds_dir)
    except SeedError as exc:
        raise ConfigError(f"{config.path}: story.seeds: {exc}") from None
    if not seeds.articles:
        raise ConfigError(
            f"{config.path}: story.seeds: no readable seed article in {config.seeds_dir}"
        )
    return Story(seeds=seeds, profile=build_profile(seeds.texts, config.story.queries))


def earliest_seed_date(seeds: SeedBatch) -> datetime | None:
    """The earliest publication date the seeds state (manifest first, then the page's own)."""
    dates = [
        facts.published_at or article.published_at
        for article, facts in seeds.articles.values()
        if facts.published_at or article.published_at
    ]
    return min(dates) if dates else None


def window_start(config: Config, seeds: SeedBatch, first_run_at: datetime | None) -> datetime:
    """When the story's coverage window opens: entries published before it are not coverage.

    `story.since` when set; else the earliest seed date less `story.since_margin` (seeds are
    rarely a story's first coverage); with no dated seed, the first run's date (or now, before
    any run) less the margin. The window never closes: coverage is whatever appears from then on.
    """
    if config.story.since is not None:
        return config.story.since
    anchor = earliest_seed_date(seeds) or first_run_at or datetime.now(UTC)
    return (anchor - config.story.since_margin).astimezone(UTC)
