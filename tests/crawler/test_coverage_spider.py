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


def test_a_sitemap_index_that_lists_itself_is_read_once_and_said(spider):
    source = spider.config.sources[0]
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{SITEMAP}</loc></sitemap>"
        f"<sitemap><loc>{SITEMAP}?utm_source=x</loc></sitemap></sitemapindex>"
    )
    assert list(spider.parse_sitemap(answer(spider, SITEMAP, index), source, 0)) == []
    (line,) = spider.crawler.stats.get_value("storywatch/failure_lines")
    assert line == f"sitemap source 'Ledger' {SITEMAP}: lists 2 sitemap(s) read already"


def test_an_entry_dated_in_the_future_counts_as_undated(spider):
    source = spider.config.sources[0]
    body = urlset(("https://ledger.example/2099/01/01/kutcher-sora-future/", "2099-01-01"))
    (request,) = spider.parse_sitemap(answer(spider, SITEMAP, body), source, 0)
    assert request.meta["candidate"].published_at is None
    assert spider.crawler.stats.get_value("storywatch/future_dates") == 1


def page_source_spider(spider):
    from crawler.config import SourceConfig

    section = SourceConfig(kind="page", url="https://ledger.example/news/", name="Section")
    spider.sources[section.label] = section
    spider._listing[section.label] = set()
    return section


def article_response(spider, section, url: str, html: str):
    from scrapy.http import HtmlResponse

    from storage.candidates import Pending

    candidate = Pending(source=section.label, key=url, url=url, depth=1)
    request = spider._article_request(candidate, section, known=None)
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)


NAV = "".join(f'<a href="/section-{n}">Section {n}</a> ' for n in range(30))


def test_an_article_page_that_says_nothing_of_itself_is_not_followed(spider):
    section = page_source_spider(spider)
    prose = "".join(f"<p>{RELEVANT[n]}</p>" for n in range(4))
    page = f"<html><body><nav>{NAV}</nav><article>{prose}</article></body></html>"
    url = "https://ledger.example/a/1"
    output = list(spider.parse_article(article_response(spider, section, url, page), section))
    assert [type(item).__name__ for item in output] == ["PageItem"]  # its menu is no candidate


def test_a_listing_that_says_nothing_of_itself_is_followed(spider):
    section = page_source_spider(spider)
    teasers = "".join(
        f'<li><a href="/2024/06/0{n}/kutcher-sora-{n}">Kutcher and Sora, part {n}</a></li>'
        for n in range(1, 4)
    )
    page = f"<html><body><nav>{NAV}</nav><ul>{teasers}</ul></body></html>"
    url = "https://ledger.example/tag/sora"
    output = list(spider.parse_article(article_response(spider, section, url, page), section))
    requests = [r for r in output if isinstance(r, Request)]
    # Its 33 links are candidates; with a cap of 2, two of the on-story teasers go first.
    assert len(requests) == 2 and all("kutcher-sora" in r.url for r in requests)
    assert len(spider.frontier.leftovers()) == 31


def test_a_fetch_that_failed_in_transit_waits_for_the_next_run_and_a_404_is_remembered(spider):
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import ConnectionRefusedError
    from twisted.python.failure import Failure

    from crawler.crawlstore import crawl_store
    from storage.candidates import Pending

    source = spider.config.sources[0]
    outage, gone = (
        Pending(source=source.label, key=url, url=url)
        for url in ("https://ledger.example/a/outage", "https://ledger.example/a/gone")
    )
    for candidate in (outage, gone):
        request = spider._article_request(candidate, source, known=None)
        if candidate is outage:
            failure = Failure(ConnectionRefusedError())
        else:
            from scrapy.http import Response

            failure = Failure(HttpError(Response(candidate.url, status=404, request=request)))
        failure.request = request
        list(spider.failed(failure))
    spider.keep_leftovers()
    store = crawl_store(spider.crawler)
    assert [c.url for c in store.candidates.waiting(source.label)] == [outage.url]
    assert store.known(gone.url) is not None and store.known(outage.url) is None
    tally = source_tallies(spider.crawler.stats.get_stats())[source.label]
    assert (tally["failed"], tally["capped"]) == (2, 0)
