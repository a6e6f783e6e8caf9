"""The crawl's one Store, owned by an extension and shared by the spider, middlewares and
pipelines (one engine and one migration check per crawl, not one per component), and the one
thread that writes to it.

Database work stays off the reactor thread: every write (a page saved, a 304 recorded, a page
that was not coverage) runs in a single writer thread, in the order it was handed in, so the
reactor keeps fetching and SQLite sees one writer, never two fighting for its lock. A pipeline
awaits its write (`await extension.write(...)`); a middleware hands one over and moves on
(`write_later`), and a write that fails there becomes a failure line, not a lost error. Reads
that decide what to fetch (`known_many`, once per source listing) stay on the reactor: WAL lets
them run beside the writer.

Shaped like Scrapy's own extensions (scrapy/extensions/closespider.py): settings read once in
`from_crawler`, only the signal it needs, and the resource opened on first use, not in
`__init__`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from scrapy import signals

from crawler.failures import record_failure
from storage.store import Store

T = TypeVar("T")


class CrawlStore:
    """Extension: opens the database on first use, writes in one thread, closes it all when the
    engine stops."""

    def __init__(
        self,
        database_url: str,
        stats=None,
        call_in_reactor: Callable[..., object] | None = None,
    ) -> None:
        self.database_url = database_url
        self.stats = stats
        # How the writer thread hands a failure line back (reactor.callFromThread in a crawl).
        self.call_in_reactor = call_in_reactor or (lambda call, *args: call(*args))
        self._store: Store | None = None
        self._writer: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> CrawlStore:
        from twisted.internet import reactor  # the crawl's, installed by now

        extension = cls(
            crawler.settings["STORYWATCH_DATABASE_URL"], crawler.stats, reactor.callFromThread
        )
        # engine_stopped comes after spider_closed, whose handlers still write (leftovers).
        crawler.signals.connect(extension.close, signal=signals.engine_stopped)
        return extension

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.database_url)
        return self._store

    def _submit(self, call: Callable[..., T], *args, **kwargs) -> Future:
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        store = self.store  # opened (and migrated) here, not in the writer
        return self._writer.submit(call, store, *args, **kwargs)

    async def write(self, call: Callable[..., T], *args, **kwargs) -> T:
        """`call(store, *args, **kwargs)` in the writer thread; its result, or its exception."""
        return await asyncio.wrap_future(self._submit(call, *args, **kwargs))

    def write_later(self, call: Callable[..., object], *args, what: str = "", **kwargs) -> None:
        """`call(store, ...)` in the writer thread, not awaited; a failure is recorded."""
        future = self._submit(call, *args, **kwargs)
        future.add_done_callback(lambda done: self._report(done, what))

    def _report(self, done: Future, what: str) -> None:
        """In the writer thread: a failed write becomes a failure line, on the reactor thread."""
        error = done.exception()
        if error is not None and self.stats is not None:
            line = f"{what}: not recorded ({type(error).__name__}: {error})"
            self.call_in_reactor(record_failure, self.stats, line)

    def close(self, spider=None) -> None:
        """Wait for the writes handed in, then close the database."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        if self._store is not None:
            self._store.close()
            self._store = None


def crawl_extension(crawler) -> CrawlStore:
    """The CrawlStore extension of a running crawl (it must be enabled in EXTENSIONS)."""
    for extension in crawler.extensions.middlewares:
        if isinstance(extension, CrawlStore):
            return extension
    raise RuntimeError("the CrawlStore extension is not enabled in EXTENSIONS")


def crawl_store(crawler) -> Store:
    """The Store of a running crawl, for reads on the reactor thread."""
    return crawl_extension(crawler).store
