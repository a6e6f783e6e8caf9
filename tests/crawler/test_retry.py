"""The retry middleware in process, built with Scrapy's get_crawler (the shape of Scrapy's
tests/test_downloadermiddleware_retry.py); the loopback 429 case is in test_crawl.py."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError

from crawler import settings as storywatch_settings
from crawler.middlewares.retry import BackoffRetryMiddleware, RetryLater, retry_after_seconds


@pytest.fixture
def later() -> list[tuple[float, Request]]:
    return []


@pytest.fixture
def middleware(later):
    settings = Settings()
    settings.setmodule(storywatch_settings, priority="project")
    wanted = {
        key: settings[key]
        for key in dir(storywatch_settings)
        if key.startswith(("RETRY", "STORYWATCH_RETRY"))
    }
    # No reactor needed; but an earlier test in the session may have installed one.
    reactor = (
        {"TWISTED_REACTOR": None} if is_reactor_installed() else {"TWISTED_REACTOR_ENABLED": False}
    )
    crawler = get_crawler(Spider, settings_dict={**wanted, **reactor})
    crawler.spider = crawler._create_spider("test")
    built = BackoffRetryMiddleware(crawler.settings, lambda wait, r: later.append((wait, r)))
    built.crawler = crawler
    return built


def request(**meta) -> Request:
    return Request("https://slow.example/a", errback=lambda failure: None, meta=meta)


def test_a_503_leaves_the_downloader_and_comes_back_after_its_wait(middleware, later):
    with pytest.raises(RetryLater):  # no await, no sleep: the download slot is free at once
        middleware.process_response(request(), Response("https://slow.example/a", 503))
    ((wait, retry),) = later
    assert wait == 1.0 and retry.meta["retry_times"] == 1 and retry.dont_filter
    with pytest.raises(RetryLater):
        middleware.process_response(retry, Response(retry.url, 502))
    assert later[1][0] == 2.0 and later[1][1].meta["retry_times"] == 2
    stats = middleware.crawler.stats
    assert stats.get_value("retry/count") == 2 and stats.get_value("retry/backoff_seconds") == 3


def test_a_request_without_errback_is_retried_at_once_as_scrapy_does(middleware, later):
    robots = Request("https://slow.example/robots.txt")
    retry = middleware.process_response(robots, Response(robots.url, 503))
    assert isinstance(retry, Request) and later == []


@pytest.mark.parametrize(("header", "wait"), [(b"7", 7.0), (None, 1.0), (b"soon", 1.0)])
def test_429_waits_as_long_as_retry_after_asks(middleware, later, header, wait):
    headers = {"Retry-After": header} if header else {}
    with pytest.raises(RetryLater):
        middleware.process_response(
            request(), Response("https://slow.example/a", 429, headers=headers)
        )
    assert later[0][0] == wait


def test_429_asking_for_an_hour_gives_up_for_this_run(middleware, later):
    answer = Response("https://slow.example/a", 429, headers={"Retry-After": "3600"})
    assert middleware.process_response(request(), answer) is answer
    assert later == []


def test_retry_after_as_an_http_date():
    later = formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(later, 1.0) <= 30


def test_retries_end_after_retry_times_and_dont_retry_is_honoured(middleware):
    answer = Response("https://slow.example/a", 500)
    exhausted = request(retry_times=2)
    assert middleware.process_response(exhausted, answer) is answer
    assert middleware.process_response(request(dont_retry=True), answer) is answer


@pytest.mark.parametrize(
    "error",
    [
        DownloadTimeoutError("took too long"),
        ResponseDataLossError("cut short"),
        DownloadConnectionRefusedError("refused"),
        DownloadFailedError("reset"),
        TCPTimedOutError(),
        ConnectionLost(),
    ],
)
def test_transport_failures_are_retried_with_backoff(middleware, later, error):
    with pytest.raises(RetryLater):
        middleware.process_exception(request(), error)
    assert later[0][0] == 1.0


@pytest.mark.parametrize(
    "error", [CannotResolveHostError("no such name"), DNSLookupError(), IgnoreRequest("robots")]
)
def test_unresolvable_names_and_refusals_are_not_retried(middleware, later, error):
    assert middleware.process_exception(request(), error) is None
    assert later == []
