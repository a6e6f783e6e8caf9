"""The retry middleware in process, built with Scrapy's get_crawler (the shape of Scrapy's
tests/test_downloadermiddleware_retry.py); the loopback 429 case is in test_crawl.py."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Slot
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
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost, DNSLookupError, TCPTimedOutError

from crawler import settings as storywatch_settings
from crawler.middlewares.retry import BackoffRetryMiddleware, retry_after_seconds


@pytest.fixture
def slots() -> dict[str, Slot]:
    return {"slow.example": Slot(2, 0.0, 0.0), "other.example": Slot(2, 0.0, 0.0)}


@pytest.fixture
def middleware(slots):
    settings = Settings()
    settings.setmodule(storywatch_settings, priority="project")
    wanted = {
        key: settings[key]
        for key in dir(storywatch_settings)
        if key.startswith(("RETRY", "STORYWATCH_RETRY"))
    }
    crawler = get_crawler(Spider, settings_dict={**wanted, "TWISTED_REACTOR_ENABLED": False})
    crawler.spider = crawler._create_spider("test")
    built = BackoffRetryMiddleware(crawler.settings, lambda: slots)
    built.crawler = crawler
    return built


def request(**meta) -> Request:
    return Request("https://slow.example/a", meta={"download_slot": "slow.example", **meta})


def test_a_503_is_retried_at_once_and_the_wait_goes_into_the_hosts_slot(middleware, slots):
    before = time.monotonic()
    retry = middleware.process_response(request(), Response("https://slow.example/a", 503))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1  # no await, no sleep
    assert slots["slow.example"].delay == 1.0 and slots["slow.example"].lastseen >= before
    assert slots["other.example"].delay == 0.0  # other hosts go on
    second = middleware.process_response(retry, Response(retry.url, 502))
    assert slots["slow.example"].delay == 2.0 and second.meta["retry_times"] == 2
    stats = middleware.crawler.stats
    assert stats.get_value("retry/count") == 2 and stats.get_value("retry/backoff_seconds") == 3


def test_the_slot_delay_is_put_back_after_the_next_good_answer(middleware, slots):
    retry = middleware.process_response(request(), Response("https://slow.example/a", 504))
    assert slots["slow.example"].delay == 1.0
    middleware.process_response(retry, Response(retry.url, 200))
    assert slots["slow.example"].delay == 0.0


@pytest.mark.parametrize(("header", "wait"), [(b"7", 7.0), (None, 1.0), (b"soon", 1.0)])
def test_429_waits_as_long_as_retry_after_asks(middleware, slots, header, wait):
    headers = {"Retry-After": header} if header else {}
    retry = middleware.process_response(
        request(), Response("https://slow.example/a", 429, headers=headers)
    )
    assert isinstance(retry, Request) and slots["slow.example"].delay == wait


def test_429_asking_for_an_hour_gives_up_for_this_run(middleware, slots):
    answer = Response("https://slow.example/a", 429, headers={"Retry-After": "3600"})
    assert middleware.process_response(request(), answer) is answer
    assert slots["slow.example"].delay == 0.0


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
def test_transport_failures_are_retried_with_backoff(middleware, slots, error):
    retry = middleware.process_exception(request(), error)
    assert isinstance(retry, Request) and slots["slow.example"].delay == 1.0


@pytest.mark.parametrize(
    "error", [CannotResolveHostError("no such name"), DNSLookupError(), IgnoreRequest("robots")]
)
def test_unresolvable_names_and_refusals_are_not_retried(middleware, slots, error):
    assert middleware.process_exception(request(), error) is None
    assert slots["slow.example"].delay == 0.0
