"""Item pipelines: extract the article, score it against the story, store it.

Only the relevance score runs on the reactor thread: extraction and the text's hashes run in
the process pool (crawler.pool), the store's work in the crawl's writer thread
(crawler.crawlstore).
"""

from __future__ import annotations

import time

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.crawlstore import CrawlStore, crawl_extension, crawl_store
from crawler.extract import ExtractionError
from crawler.failures import record_failure
from crawler.ingest import to_snapshot
from crawler.items import HTML_TYPES, PageItem
from crawler.pool import ExtractionPool, PageTimeout
from crawler.rescore import rescore_rejected
from crawler.tally import count
from crawler.timing import add_time, timed
from storage.records import Outcome, Saved, Snapshot
from storage.rejections import RejectedText
from storage.store import Store

# How each store outcome counts in a source's tally (crawler.tally).
OUTCOME_TALLY = {
    Outcome.NEW: "stored",
    Outcome.UPDATED: "stored",
    Outcome.DUPLICATE: "stored",
    Outcome.UNCHANGED: "unchanged",
    Outcome.TRUNCATED: "not_coverage",
}


class NotCoverage(DropItem):
    """A page that is not coverage of the story: irrelevant, or not an article at all.
    `kept` is what an irrelevant page keeps for re-scoring (its text, score, profile version)."""

    def __init__(self, outcome: str, message: str, kept: RejectedText | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.kept = kept


class ExtractPipeline:
    """Clean text from the raw page, in a process pool with a per-page time limit."""

    def __init__(self, workers: int, limit: float, stats) -> None:
        self.workers = workers
        self.limit = limit
        self.stats = stats
        self.pool: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.getint("STORYWATCH_EXTRACT_WORKERS"),
            settings.getfloat("STORYWATCH_PAGE_TIMEOUT"),
            crawler.stats,
        )

    def open_spider(self, spider=None) -> None:
        self.pool = ExtractionPool(workers=self.workers, limit=self.limit)

    def close_spider(self, spider=None) -> None:
        self.pool.close()

    async def process_item(self, item: PageItem, spider=None) -> PageItem:
        if item.content_type not in HTML_TYPES:
            self._failed(item, f"not an HTML page ({item.content_type})")
            raise NotCoverage("not_article", f"not HTML: {item.content_type}")
        try:
            extracted = await self.pool.extract(item.body, item.url, item.content_type_header)
        except PageTimeout:
            self._failed(item, f"extraction took over {self.limit:g}s")
            raise DropItem("extraction timed out") from None
        except ExtractionError as exc:
            # No article on the page (a listing, an error page): not coverage, not a failure.
            self.stats.inc_value("storywatch/not_article")
            count(self.stats, item.source, "not_coverage")
            raise NotCoverage("not_article", str(exc)) from None
        except Exception as exc:  # a page that breaks the parser must not stop the crawl
            self._failed(item, f"{type(exc).__name__}: {exc}")
            raise DropItem("extraction failed") from None
        item.article = extracted.article
        item.text_hash, item.signature = extracted.text_hash, extracted.signature
        add_time(self.stats, "extract", extracted.extract_seconds)
        add_time(self.stats, "signature", extracted.signature_seconds)
        item.body = b""  # the text is what travels on
        return item

    def _failed(self, item: PageItem, reason: str) -> None:
        record_failure(self.stats, f"article {item.url}: {reason}")
        count(self.stats, item.source, "failed")


class RelevancePipeline:
    """Pages below the story's min_relevance are counted, not stored as articles; they keep
    their text and score, and open_spider re-scores those a changed profile may now accept."""

    def __init__(self, min_relevance: float, stats, announce: bool = True, crawler=None):
        self.min_relevance = min_relevance
        self.stats = stats
        self.announce = announce
        self.crawler = crawler
        self.profile = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            settings.getfloat("STORYWATCH_MIN_RELEVANCE"),
            crawler.stats,
            settings.getbool("STORYWATCH_ANNOUNCE", True),
            crawler,
        )

    def open_spider(self, spider=None) -> None:
        self.profile = self.crawler.spider.profile
        self._rescore(crawl_store(self.crawler))

    def _rescore(self, store: Store) -> None:
        done = rescore_rejected(store, self.profile, self.min_relevance, announce=self.announce)
        for key in ("rescored", "recovered", "forgotten"):
            if done.counts[key]:
                self.stats.inc_value(f"storywatch/{key}", done.counts[key])
        for outcome in ("new", "updated", "unchanged", "duplicate"):
            if done.counts[outcome]:
                self.stats.inc_value(f"storywatch/{outcome}", done.counts[outcome])
        if done.new_ids:
            new_ids = self.stats.get_value("storywatch/new_ids") or []
            self.stats.set_value("storywatch/new_ids", [*new_ids, *done.new_ids])

    def process_item(self, item: PageItem, spider=None) -> PageItem:
        with timed(self.stats, "relevance"):
            item.relevance = self.profile.relevance(item.article.title + "\n" + item.article.text)
        if item.relevance < self.min_relevance:
            self.stats.inc_value("storywatch/irrelevant")
            count(self.stats, item.source, "not_coverage")
            kept = RejectedText(
                item.article.title,
                item.article.text,
                item.relevance,
                self.profile.version,
                item.outlet or item.article.site_name,
                item.published_at or item.article.published_at,
            )
            raise NotCoverage(
                "irrelevant", f"relevance {item.relevance:.2f} below {self.min_relevance}", kept
            )
        return item


class StorePipeline:
    """New, updated, unchanged or duplicate: the store decides; the stats count it.

    The store's work runs in the crawl's writer thread (crawler.crawlstore); this coroutine
    waits for it, so Scrapy's limit on items in flight holds. Pages dropped as not coverage are
    remembered too (with their validators), so an unchanged irrelevant page is not read again on
    the next run.
    """

    def __init__(self, announce: bool, stats, crawler=None) -> None:
        self.announce = announce
        self.stats = stats
        self.crawler = crawler
        self.writer: CrawlStore | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.getbool("STORYWATCH_ANNOUNCE"), crawler.stats, crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self, spider=None) -> None:
        self.writer = crawl_extension(self.crawler)  # the crawl's one Store and writer thread

    def item_dropped(self, item, response, exception, spider=None) -> None:
        if isinstance(exception, NotCoverage) and isinstance(item, PageItem):
            self.writer.write_later(
                Store.record_page,
                item.url,
                exception.outcome,
                item.etag,
                item.last_modified,
                exception.kept,
                what=f"page {item.url}",
            )

    async def process_item(self, item: PageItem, spider=None) -> PageItem:
        snapshot = to_snapshot(
            item.article,
            url=item.url,
            outlet=item.outlet,
            relevance=item.relevance,
            etag=item.etag,
            last_modified=item.last_modified,
            published_at=item.published_at,
            source=item.source,
            text_hash=item.text_hash,
            signature=item.signature,
        )
        saved, store_seconds, dedupe_seconds = await self.writer.write(
            _save, snapshot, self.announce
        )
        add_time(self.stats, "store", store_seconds)
        add_time(self.stats, "dedupe", dedupe_seconds)
        self.stats.inc_value(f"storywatch/{saved.outcome.value}")
        count(self.stats, item.source, OUTCOME_TALLY[saved.outcome])
        if saved.outcome.value == "new":  # appended in place: a copy each time is O(N^2)
            new_ids = self.stats.get_value("storywatch/new_ids")
            if new_ids is None:
                self.stats.set_value("storywatch/new_ids", new_ids := [])
            new_ids.append(saved.article_id)
        return item


def _save(store: Store, snapshot: Snapshot, announce: bool) -> tuple[Saved, float, float]:
    """In the writer thread: save, and the seconds spent outside and inside the near-duplicate
    index."""
    started, near = time.perf_counter(), store.near_seconds
    saved = store.save(snapshot, announce=announce)
    dedupe = store.near_seconds - near
    return saved, time.perf_counter() - started - dedupe, dedupe
