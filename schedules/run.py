"""One run: read the seeds, work out the story, crawl the sources, record the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from crawler.config import Config
from crawler.ingest import store_seeds
from crawler.runner import CrawlResult, run_crawl
from crawler.story import Story, load_story, window_start
from schedules.alerts import DeliveryReport, send_outbox
from storage.lock import crawl_lock
from storage.reports import has_crawled
from storage.store import Store

# Run counts, by name in `storywatch status`, from the crawler's stats.
STAT_COUNTS = {
    "pages_fetched": "response_received_count",
    "new": "storywatch/new",
    "updated": "storywatch/updated",
    "unchanged": "storywatch/unchanged",
    "duplicate": "storywatch/duplicate",
    "truncated": "storywatch/truncated",
    "irrelevant": "storywatch/irrelevant",
    "rescored": "storywatch/rescored",  # rejected pages scored again by a changed profile
    "recovered": "storywatch/recovered",  # ... and now coverage
    "forgotten": "storywatch/forgotten",  # irrelevant pages kept without text, to read afresh
    "not_modified": "storywatch/not_modified",
    "known_skipped": "storywatch/known_skipped",
    "failed": "storywatch/failed",
}


@dataclass
class RunReport:
    """What a run did, for the summary printed at its end."""

    run_id: int
    story: Story
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # crawler.tally, per source
    new_article_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    since: datetime | None = None  # the story window's start
    delivery: DeliveryReport | None = None
    status: str = "running"  # then completed, interrupted, timed out or failed


def run_once(
    config: Config,
    store: Store,
    *,
    alerts: bool = True,
    verbose: bool = False,
    progress: bool = False,
) -> RunReport:
    """One run under the database's crawl lock (CrawlLocked when another run holds it).

    The outbox is sent at the end, under the same lock, so no two processes send one alert.
    """
    with crawl_lock(config.database_url, config.base_dir):
        report = _run(config, store, alerts, {"verbose": verbose, "progress": progress})
        if alerts and config.alerts.enabled:
            report.delivery = send_outbox(store, config)
        return report


def _run(config: Config, store: Store, alerts: bool, crawl_options: dict) -> RunReport:
    """Ingest the seeds, crawl the sources, and record the run with its counts and failures."""
    story = load_story(config)
    with store.sessions() as session:
        announce = alerts and (config.alerts.on_first_run or has_crawled(session))
    report = RunReport(run_id=store.start_run(), story=story, failures=list(story.seeds.errors))
    report.since = window_start(config, story.seeds, store.first_run_at())
    status = "failed"
    try:
        outcomes = store_seeds(store, story.seeds, story.profile)
        report.counts.update({f"seeds_{key}": value for key, value in outcomes.items()})
        report.counts["seeds_failed"] = len(story.seeds.errors)
        crawl = run_crawl(
            config, story.profile, since=report.since, announce=announce, **crawl_options
        )
        _add_crawl(report, crawl)
        status = "completed" if crawl.finished else crawl.stop_status
    finally:
        report.status = status
        store.finish_run(report.run_id, status, report.counts, report.failures, report.sources)
    return report


def _add_crawl(report: RunReport, crawl: CrawlResult) -> None:
    for name, key in STAT_COUNTS.items():
        report.counts[name] = crawl.count(key)
    report.failures.extend(crawl.failures)
    report.sources = crawl.sources
    report.new_article_ids = list(crawl.stats.get("storywatch/new_ids") or [])
    elapsed = crawl.stats.get("elapsed_time_seconds")
    report.seconds = float(elapsed or 0.0)
