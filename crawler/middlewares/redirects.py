"""A redirect that leads back to a URL already visited is a loop: say so, once.

Without this, Scrapy's duplicate filter drops the looping request silently and the page
vanishes from the run without a failure line.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

from storage.urls import canonicalize_url


class RedirectLoop(IgnoreRequest):
    """The page redirects in a circle."""


class RedirectLoopMiddleware:
    def process_response(self, request, response, spider=None):
        location = response.headers.get("Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
        visited = [request.url, *request.meta.get("redirect_urls", [])]
        if target in {canonicalize_url(url) for url in visited}:
            raise RedirectLoop(f"redirect loop back to {target}")
        return response
