"""The crawl's one Store, owned by an extension and shared by the spider, middlewares and
pipelines (one engine and one migration check per crawl, not one per component).

Shaped like Scrapy's own extensions (scrapy/extensions/closespider.py): settings read once in
`from_crawler`, only the signal it needs, and the resource opened on first use, not in
`__init__`.
"""

from __future__ import annotations

from scrapy import signals

from storage.store import Store


class CrawlStore:
    """Extension: opens the database on first use, closes it when the engine stops."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler) -> CrawlStore:
        extension = cls(crawler.settings["STORYWATCH_DATABASE_URL"])
        # engine_stopped comes after spider_closed, whose handlers still write (leftovers).
        crawler.signals.connect(extension.close, signal=signals.engine_stopped)
        return extension

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.database_url)
        return self._store

    def close(self, spider=None) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def crawl_store(crawler) -> Store:
    """The Store of a running crawl (the CrawlStore extension must be enabled)."""
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, CrawlStore):
            return extension.store
    raise RuntimeError("the CrawlStore extension is not enabled in EXTENSIONS")
