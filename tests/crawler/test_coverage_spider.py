"""The spider's callbacks, built in process (Scrapy's get_crawler) on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from crawler.config import config_from_dict
from crawler.profile import build_profile
from crawler.settings import config_settings
from crawler.spiders.coverage import CoverageSpider
from crawler.tally import source_tallies
from tests.crawler.labelled_texts import RELEVANT

SITEMAP = "https://ledger.example/sitemap_index.xml"
SINCE = datetime(2024, 5, 10, tzinfo=UTC)


@pytest.fixture
def spider(tmp_path):
    config = config_from_dict(
        {
            "story": {"name": "Kutcher and Sora", "seeds": "seeds"},
            "storage": {"url": f"sqlite:///{tmp_path / 'db.sqlite'}"},
            "crawl": {"max_pages_per_run": 2},
            "sources": [{"kind": "sitemap", "url": SITEMAP, "name": "Ledger"}],
        },
        tmp_path / "storywatch.toml",
    )
    settings = {**config_settings(config), "EXTENSIONS": {"crawler.crawlstore.CrawlStore": 0}}
    crawler = get_crawler(CoverageSpider, settings)
    profile = build_profile(list(RELEVANT[:3]), ())
    spider = CoverageSpider.from_crawler(crawler, config=config, profile=profile, since=SINCE)
    crawler.spider = spider
    return spider


def answer(spider, url: str, body: str, request: Request | None = None) -> XmlResponse:
    source = spider.config.sources[0]
    request = request or spider._source_request(url, source, kind="sitemap", depth=0)
    return XmlResponse(url, body=body.encode(), request=request)


def urlset(*entries: tuple[str, str]) -> str:
    items = "".join(
        f"<url><loc>{loc}</loc><lastmod>{date}</lastmod></url>" for loc, date in entries
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'


def test_candidates_wait_until_every_sitemap_of_the_source_is_read(spider):
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://ledger.example/2024-06.xml</loc><lastmod>2024-06-08</lastmod>"
        "</sitemap><sitemap><loc>https://ledger.example/2022-01.xml</loc>"
        "<lastmod>2022-01-31</lastmod></sitemap></sitemapindex>"
    )
    source = spider.config.sources[0]
    (child,) = spider.parse_sitemap(answer(spider, SITEMAP, index), source, 0)
    assert child.url == "https://ledger.example/2024-06.xml"  # the 2022 child is not fetched
    june = urlset(
        ("https://ledger.example/2024/06/07/ashton-kutcher-sora-backlash/", "2024-06-07"),
        ("https://ledger.example/2024/06/07/council-budget/", "2024-06-07"),
        ("https://ledger.example/2024/06/08/kutcher-openai-sora-crews/", "2024-06-08"),
        ("https://ledger.example/2023/01/02/old-kutcher-story/", "2023-01-02"),
    )
    requests = list(spider.parse_sitemap(answer(spider, child.url, june, child), source, 1))
    assert sorted(r.url for r in requests) == [
        "https://ledger.example/2024/06/07/ashton-kutcher-sora-backlash/",
        "https://ledger.example/2024/06/08/kutcher-openai-sora-crews/",
    ]  # as listed; the two on-story ones of three in the window, the cap being 2
    spider.keep_leftovers()
    tally = source_tallies(spider.crawler.stats.get_stats())["Ledger"]
    assert {key: tally[key] for key in ("listed", "outside_window", "capped", "fetched")} == {
        "listed": 4,
        "outside_window": 1,
        "capped": 1,
        "fetched": 2,
    }
    assert tally["old_sitemaps"] == 1


def test_a_source_that_lists_nothing_says_so(spider):
    source = spider.config.sources[0]
    assert list(spider.parse_sitemap(answer(spider, SITEMAP, urlset()), source, 0)) == []
    (line,) = spider.crawler.stats.get_value("storywatch/failure_lines")
    assert line == f"sitemap source 'Ledger' {SITEMAP}: answered, but listed no entries"


def test_a_callback_that_raises_is_a_line_and_its_source_is_done(spider):
    from twisted.python.failure import Failure

    source_response = answer(spider, SITEMAP, urlset())
    spider.on_error(Failure(KeyError("boom")), source_response)
    (line,) = spider.crawler.stats.get_value("storywatch/failure_lines")
    assert line == f"sitemap source {SITEMAP}: could not be read (KeyError: 'boom')"
