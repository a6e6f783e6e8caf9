"""A redirect that leads back to a URL already requested in its own chain is a loop: say so.

Without this, Scrapy's duplicate filter drops the looping request silently and the page
vanishes from the run without a failure line. URLs are compared as requested (less the
fragment), not canonicalised: `/story` -> 301 -> `/story/` is how most news CMSs answer a
slash-less spelling, a different address of the same article, not a loop.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string


class RedirectLoop(IgnoreRequest):
    """The page redirects in a circle."""


def _address(url: str) -> str:
    return safe_url_string(url.split("#", 1)[0])


class RedirectLoopMiddleware:
    def process_response(self, request, response, spider=None):
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = _address(urljoin(request.url, location.decode("latin-1")))
        visited = [request.url, *request.meta.get("redirect_urls", [])]
        if target in {_address(url) for url in visited}:
            raise RedirectLoop(f"redirect loop back to {target}")
        return response
