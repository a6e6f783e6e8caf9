"""Extraction off the reactor thread: a process pool with a hard time limit per page.

trafilatura has no time limit of its own (a 4.8 MB page of tables took 7.9 s), and the reactor
must keep fetching meanwhile. Each page runs in a worker process under an interval timer, so a
runaway page is stopped inside the worker; if a worker does not answer even then, the pool is
torn down and started again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.decoding import decode_html
from crawler.extract import Article, clean_html

__all__ = ["ExtractionPool", "PageTimeout"]

GRACE_SECONDS = 5.0


class PageTimeout(Exception):
    """A page took longer than the per-page limit to extract."""


def _on_alarm(signum, frame):
    raise PageTimeout


def extract_with_limit(
    body: bytes, url: str, limit: float, content_type: str | None = None
) -> Article:
    """Decoding (with the Content-Type header's charset) and clean_html in a worker process,
    stopped by SIGALRM after `limit` seconds."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return clean_html(decode_html(body, content_type), url)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class ExtractionPool:
    """A small pool of extraction processes (forkserver: no reactor state is inherited)."""

    def __init__(self, workers: int = 2, limit: float = 20.0) -> None:
        self.workers = workers
        self.limit = limit
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    async def extract(self, body: bytes, url: str, content_type: str | None = None) -> Article:
        """The article in a page served with `content_type` (the raw Content-Type header);
        ExtractionError if it has none, PageTimeout if too slow."""
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
