"""The crawl's Store and its writer thread; AutoThrottle and 304s; stage timers."""

from __future__ import annotations

import asyncio
import threading

from scrapy.http import Request, Response
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.crawlstore import CrawlStore
from crawler.failures import failure_lines
from crawler.throttle import ConditionalAutoThrottle
from storage.store import Snapshot, Store
from tests.pages import BODIES

TEXT = "\n\n".join(BODIES[0].paragraphs)


def _stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


def test_writes_run_in_one_thread_in_order_and_return_their_result(tmp_path):
    extension = CrawlStore(f"sqlite:///{tmp_path / 'w.db'}", _stats())
    threads = set()

    def save(store: Store, url: str):
        threads.add(threading.current_thread().name)
        return store.save(Snapshot(text=TEXT + url, title="t", url=url))

    async def both():
        return await asyncio.gather(
            extension.write(save, "https://a.example/1"), extension.write(save, "https://b.example/2")
        )

    first, second = asyncio.run(both())
    extension.close()
    assert threads == {"store-writer_0"}
    assert first.outcome.value == "new"
    assert second.duplicate_of == first.article_id  # the second saw the first's commit


def test_a_write_handed_over_is_done_before_close_and_its_failure_is_a_line(tmp_path):
    stats = _stats()
    extension = CrawlStore(f"sqlite:///{tmp_path / 'w.db'}", stats)
    extension.write_later(Store.record_page, "https://a.example/x", "irrelevant", what="page a")

    def broken(store: Store) -> None:
        raise RuntimeError("disk full")

    extension.write_later(broken, what="page b")
    extension.close()
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store:
        assert store.known("https://a.example/x") is not None
    assert failure_lines(stats) == ["page b: not recorded (RuntimeError: disk full)"]


class _Slot:
    delay = 0.5
    transferring: set = set()


def test_a_304_lowers_the_autothrottle_delay_like_a_200():
    crawler = get_crawler(settings_dict={"AUTOTHROTTLE_ENABLED": True})
    throttle = ConditionalAutoThrottle(crawler)
    throttle.target_concurrency, throttle.mindelay, throttle.maxdelay = 1.0, 0.0, 30.0
    request = Request("http://127.0.0.2/a")
    for status, lowered in ((304, True), (500, False), (200, True)):
        slot = _Slot()
        throttle._adjust_delay(slot, 0.01, Response(request.url, status=status, request=request))
        assert (slot.delay < 0.5) is lowered, status


def test_304s_move_last_seen_in_one_batch_for_articles_and_pages_read_before(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    with Store(url) as store:
        saved = store.save(Snapshot(text=TEXT, title="t", url="https://a.example/story?utm_source=x"))
        store.record_page("https://a.example/other", "irrelevant")
        before = store.known("https://a.example/story")
        store.touch_many(["https://a.example/story", "https://a.example/other/", "https://x.example/"])
        after = store.known("https://a.example/story")
        assert after.article_id == saved.article_id
        assert after.last_seen_at > before.last_seen_at
        assert store.known("https://a.example/other").last_seen_at > before.last_seen_at
        assert after.first_seen_at == before.first_seen_at
