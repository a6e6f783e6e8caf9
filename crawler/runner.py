"""Running the coverage spider once, in this process, and reporting what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.budget import drop_waiting_downloads
from crawler.config import Config
from crawler.failures import failure_lines
from crawler.profile import StoryProfile
from crawler.settings import config_settings
from crawler.spiders.coverage import CoverageSpider
from crawler.tally import source_tallies

# The run's status when the crawl did not finish, by Scrapy's finish_reason.
STOP_STATUS = {"shutdown": "interrupted", "closespider_timeout": "timed out"}


class StoppingProcess(CrawlerProcess):
    """A CrawlerProcess whose stop signal also drops the downloads queued in slots, so a
    stopped crawl takes no new pages and ends once those in flight end (each within
    DOWNLOAD_TIMEOUT), as the README promises."""

    def _signal_shutdown(self, signum: int, frame) -> None:
        from twisted.internet import reactor

        for crawler in list(self.crawlers):
            reactor.callFromThread(drop_waiting_downloads, crawler, "the crawl was stopped")
        super()._signal_shutdown(signum, frame)


@dataclass
class CrawlResult:
    stats: dict = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, int]] = field(default_factory=dict)  # crawler.tally
    finished: bool = True
    stop_status: str = "failed"  # the run's status when it did not finish

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)


def crawl_settings(config: Config, *, announce: bool, verbose: bool, progress: bool) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.setdict(config_settings(config), priority="project")
    settings.set("STORYWATCH_ANNOUNCE", announce, priority="cmdline")
    settings.set("STORYWATCH_PROGRESS", progress, priority="cmdline")
    if not verbose:
        log_file = Path(config.base_dir) / "logs" / "scrapy.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        settings.set("LOG_FILE_APPEND", False, priority="cmdline")
    return settings


def run_crawl(
    config: Config,
    profile: StoryProfile,
    *,
    since: datetime,
    announce: bool,
    verbose: bool = False,
    progress: bool = False,
) -> CrawlResult:
    """One crawl of the configured sources for coverage published from `since` on.

    Twisted's reactor runs once per process.
    """
    if not config.sources:
        return CrawlResult()
    settings = crawl_settings(config, announce=announce, verbose=verbose, progress=progress)
    process = StoppingProcess(settings)
    crawler = process.create_crawler(CoverageSpider)
    process.crawl(crawler, config=config, profile=profile, since=since)
    process.start()
    stats = crawler.stats.get_stats()
    failures = failure_lines(crawler.stats)
    reason = stats.get("finish_reason", "not started")
    if reason == "shutdown":  # SIGTERM/SIGINT: in-flight pages finished, the rest next run
        failures.append("the crawl was stopped by a signal; what it read is stored")
    elif reason == "closespider_timeout":
        failures.append(
            f"the crawl reached its time budget ({config.crawl.budget}, crawl.budget); what it "
            "read is stored, the rest waits for the next run"
        )
    elif reason != "finished":
        failures.append(
            f"the crawl stopped early ({reason}); see {settings.get('LOG_FILE') or 'the log'}"
        )
    return CrawlResult(
        stats=stats,
        failures=failures,
        sources=source_tallies(stats),
        finished=reason == "finished",
        stop_status=STOP_STATUS.get(reason, "failed"),
    )
