"""RelevancePipeline in process: what an irrelevant page keeps, and re-scoring at open."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.crawlstore import CrawlStore
from crawler.extract import Article
from crawler.items import PageItem
from crawler.pipelines import NotCoverage, RelevancePipeline
from crawler.profile import build_profile
from storage.rejections import RejectedText
from storage.store import Store
from tests.crawler.stories import load_stories

STRIKE = next(story for story in load_stories() if story.key == "boeing_strike")


def _pipeline(profile, database_url: str = "sqlite://") -> RelevancePipeline:
    stats = MemoryStatsCollector(get_crawler())
    crawler = SimpleNamespace(
        spider=SimpleNamespace(profile=profile),
        extensions=SimpleNamespace(middlewares=[CrawlStore(database_url)]),
    )
    return RelevancePipeline(0.5, stats, announce=True, crawler=crawler)


def _item(title: str, text: str) -> PageItem:
    item = PageItem(url="https://news.example/2024/10/page", body=b"", source="feed")
    item.article = Article(title=title, text=text, site_name="News Example")
    return item


def test_an_irrelevant_page_keeps_its_text_score_and_profile_version():
    profile = build_profile(STRIKE.seeds[:2])
    pipeline = _pipeline(profile)
    pipeline.open_spider()
    with pytest.raises(NotCoverage) as raised:
        pipeline.process_item(_item("Port strike", STRIKE.off[5]))
    kept = raised.value.kept
    assert raised.value.outcome == "irrelevant"
    assert kept.text == STRIKE.off[5] and kept.title == "Port strike"
    assert kept.relevance < 0.5 and kept.profile_version == profile.version
    assert kept.outlet == "News Example"
    assert pipeline.stats.get_value("storywatch/irrelevant") == 1


def test_a_relevant_page_passes_with_its_score():
    pipeline = _pipeline(build_profile(STRIKE.seeds[:2]))
    pipeline.open_spider()
    item = pipeline.process_item(_item("Strike", STRIKE.on[0]))
    assert item.relevance >= 0.5


def test_open_spider_recovers_pages_a_changed_profile_accepts(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    derived = build_profile(STRIKE.seeds[:1])
    text = STRIKE.on[2]  # withdrawn offer, talks broken down
    with Store(url) as store:
        kept = RejectedText("Talks break down", text, 0.1, "an-older-profile")
        store.record_page("https://news.example/talks", "irrelevant", None, None, kept)
    pipeline = _pipeline(derived, url)
    pipeline.open_spider()
    stats = pipeline.stats
    assert stats.get_value("storywatch/rescored") == 1
    assert stats.get_value("storywatch/recovered") == 1 and stats.get_value("storywatch/new") == 1
    assert len(stats.get_value("storywatch/new_ids")) == 1
