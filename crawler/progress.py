"""A live progress line on the terminal while the crawl runs."""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

COUNTERS = (
    ("fetched", "response_received_count"),
    ("new", "storywatch/new"),
    ("updated", "storywatch/updated"),
    ("duplicate", "storywatch/duplicate"),
    ("irrelevant", "storywatch/irrelevant"),
    ("failed", "storywatch/failed"),
)


def progress_text(stats: dict) -> str:
    return " | ".join(f"{label} {stats.get(key, 0)}" for label, key in COUNTERS)


class ProgressLine:
    def __init__(self, stats, stream=sys.stderr, interval: float = 1.0) -> None:
        self.stats = stats
        self.stream = stream
        self.loop = task.LoopingCall(self.show)
        self.interval = interval

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("STORYWATCH_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider=None) -> None:
        self.loop.start(self.interval)

    def show(self) -> None:
        self.stream.write("\r" + progress_text(self.stats.get_stats()) + "\x1b[K")
        self.stream.flush()

    def closed(self, spider=None) -> None:
        if self.loop.running:
            self.loop.stop()
        self.show()
        self.stream.write("\n")
