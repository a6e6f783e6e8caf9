"""One run: read the seeds, work out the story, store what was found, record the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crawler.config import Config, ConfigError
from crawler.ingest import SeedBatch, read_seeds, store_seeds
from crawler.profile import StoryProfile, build_profile
from crawler.seeds import SeedError
from storage.store import Store


@dataclass(frozen=True)
class Story:
    """The story as the seeds tell it: the readable seeds and the profile built from them."""

    seeds: SeedBatch
    profile: StoryProfile


@dataclass
class RunReport:
    """What a run did, for the summary printed at its end."""

    run_id: int
    story: Story
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


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


def run_once(config: Config, store: Store) -> RunReport:
    """Ingest the seeds and record the run (crawling the sources joins here with the spider)."""
    story = load_story(config)
    report = RunReport(run_id=store.start_run(), story=story, failures=list(story.seeds.errors))
    status = "failed"
    try:
        outcomes = store_seeds(store, story.seeds, story.profile)
        report.counts.update({f"seeds_{key}": value for key, value in outcomes.items()})
        report.counts["seeds_failed"] = len(story.seeds.errors)
        status = "completed"
    finally:
        store.finish_run(report.run_id, status, report.counts, report.failures)
    return report
