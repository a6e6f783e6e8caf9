"""The story a run follows: the readable seeds and the profile built from them."""

from __future__ import annotations

from dataclasses import dataclass

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
