"""Requests as listed, fingerprinted on the canonical URL; loops only when a URL comes back."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import Response

from crawler.fingerprint import CanonicalKeyFingerprinter
from crawler.middlewares.redirects import RedirectLoop, RedirectLoopMiddleware
from storage.urls import canonicalize_url

fingerprinter = CanonicalKeyFingerprinter()


def listed(url: str) -> Request:
    request = Request(url, meta={"canonical_key": canonicalize_url(url)})
    request.meta["listed_url"] = request.url
    return request


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # WordPress and most CMSs: the trailing slash; a feed's tracking parameters.
        ("https://variety.com/2024/film/news/a-b-c/", "https://variety.com/2024/film/news/a-b-c"),
        ("https://deadline.com/2024/06/x-y/?utm_source=rss", "https://deadline.com/2024/06/x-y/"),
        # An AMP rendering, and a Google AMP-cache wrapper of the same page.
        ("https://www.theverge.com/2024/6/7/1/a", "https://www.theverge.com/2024/6/7/1/a/amp"),
        (
            "https://www.bbc.co.uk/news/entertainment-arts-68912345",
            "https://www-bbc-co-uk.cdn.ampproject.org/c/s/www.bbc.co.uk/news/entertainment-arts-68912345",
        ),
    ],
)
def test_variants_as_listed_share_one_fingerprint(first, second):
    assert fingerprinter.fingerprint(listed(first)) == fingerprinter.fingerprint(listed(second))


def test_a_redirected_request_has_its_own_fingerprint():
    request = listed("https://example.com/2024/06/07/story")
    redirected = request.replace(url="https://example.com/2024/06/07/story/")
    assert fingerprinter.fingerprint(redirected) != fingerprinter.fingerprint(request)


def test_other_requests_keep_scrapys_fingerprint():
    feed = Request("https://example.com/feed/")
    assert fingerprinter.fingerprint(feed) != fingerprinter.fingerprint(
        Request("https://example.com/feed")
    )


def redirect(request: Request, location: str, status: int = 301) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


def test_a_slashless_spelling_redirecting_to_the_listed_one_is_not_a_loop():
    middleware = RedirectLoopMiddleware()
    request = Request("https://example.com/2024/06/07/story")
    response = redirect(request, "https://example.com/2024/06/07/story/")
    assert middleware.process_response(request, response) is response


def test_http_to_https_and_back_is_not_a_loop_until_a_url_comes_back():
    middleware = RedirectLoopMiddleware()
    first = Request("http://example.com/a")
    assert middleware.process_response(first, redirect(first, "https://example.com/a"))
    second = Request("https://example.com/a", meta={"redirect_urls": ["http://example.com/a"]})
    with pytest.raises(RedirectLoop):
        middleware.process_response(second, redirect(second, "http://example.com/a#top", 302))


def test_a_page_redirecting_to_itself_is_a_loop():
    middleware = RedirectLoopMiddleware()
    request = Request("https://example.com/loop")
    with pytest.raises(RedirectLoop):
        middleware.process_response(request, redirect(request, "/loop", 302))
