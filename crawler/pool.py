"""Extraction off the reactor thread: a process pool with a hard time limit per page.

trafilatura has no time limit of its own (a 4.8 MB page of tables took 7.9 s), and the reactor
must keep fetching meanwhile. Each page runs in a worker process under an interval timer, so a
runaway page is stopped inside the worker; if a worker does not answer even then, the pool is
torn down and started again.

The worker also computes what the store needs of the text (its exact fingerprint and MinHash
signature, storage.dedupe): hashing ~600 words' shingles costs about as much as the rest of the
store's work, and in a worker it runs beside the other page's extraction, not on the reactor.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from crawler.decoding import decode_html
from crawler.extract import Article, clean_html
from storage.dedupe import fingerprint, signature

__all__ = ["Extracted", "ExtractionPool", "PageTimeout"]

GRACE_SECONDS = 5.0


class PageTimeout(Exception):
    """A page took longer than the per-page limit to extract."""


def _on_alarm(signum, frame):
    raise PageTimeout


@dataclass(frozen=True, slots=True)
class Extracted:
    """A page's article with its text's fingerprint and MinHash signature, and what each cost
    in the worker (seconds)."""

    article: Article
    text_hash: str
    signature: bytes
    extract_seconds: float
    signature_seconds: float


def extract_with_limit(
    body: bytes, url: str, limit: float, content_type: str | None = None
) -> Extracted:
    """Decoding (with the Content-Type header's charset), clean_html and the text's hashes in a
    worker process, stopped by SIGALRM after `limit` seconds."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        started = time.perf_counter()
        article = clean_html(decode_html(body, content_type), url)
        extracted = time.perf_counter()
        hashes = fingerprint(article.text), signature(article.text)
        done = time.perf_counter()
        return Extracted(article, *hashes, extracted - started, done - extracted)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Worker(multiprocessing.context.ForkServerProcess):
    """A forkserver process that does not run the parent's `__main__` again.

    multiprocessing imports the parent's main module in every spawned or forkserver child, so
    that functions defined there can be unpickled. Ours are in crawler.pool; the main module is
    `storywatch` (schedules.cli), whose imports (Scrapy, Twisted, SQLAlchemy, wordfreq...) cost
    each worker ~70 MB it never uses. Hidden while the child is prepared, on the thread starting
    it; restored before start() returns.
    """

    def start(self) -> None:
        main = sys.modules["__main__"]
        hidden = {name: main.__dict__.pop(name) for name in ("__spec__", "__file__") if name in main.__dict__}
        main.__spec__ = None
        try:
            super().start()
        finally:
            main.__dict__.update(hidden)


class _WorkerContext(multiprocessing.context.ForkServerContext):
    Process = _Worker


class ExtractionPool:
    """A small pool of extraction processes (forkserver: no reactor state is inherited)."""

    def __init__(self, workers: int = 2, limit: float = 20.0) -> None:
        self.workers = workers
        self.limit = limit
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=_WorkerContext())

    async def extract(self, body: bytes, url: str, content_type: str | None = None) -> Extracted:
        """The article in a page served with `content_type` (the raw Content-Type header), with
        its hashes; ExtractionError if it has none, PageTimeout if too slow."""
        future = self._executor.submit(extract_with_limit, body, url, self.limit, content_type)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.limit + GRACE_SECONDS)
        except (TimeoutError, BrokenProcessPool):
            self._restart()
            raise PageTimeout from None

    def _restart(self) -> None:
        stuck = self._executor
        self._executor = self._start()
        for process in list(getattr(stuck, "_processes", {}).values()):
            process.kill()
        stuck.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
