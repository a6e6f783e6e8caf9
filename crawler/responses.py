"""What a fetched response is: its media type, a header, HTML or not; site furniture paths."""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

from crawler.items import HTML_TYPES

__all__ = ["UTILITY_PATH", "content_type", "header", "is_html"]

# Site furniture that is never coverage nor a listing of it: accounts, legal pages, feeds.
UTILITY_PATH = re.compile(
    r"/(login|log-in|signin|sign-in|signup|sign-up|register|subscribe|subscription|account|"
    r"newsletters?|privacy|privacy-policy|terms|terms-of-use|cookies?|contact|contact-us|about|"
    r"about-us|careers|jobs|advertise|feed|rss|cart|checkout)(/|$)",
    re.IGNORECASE,
)


def is_html(response: Response) -> bool:
    return isinstance(response, TextResponse) and content_type(response) in HTML_TYPES


def content_type(response: Response) -> str:
    """The media type; a page served without one that starts with markup counts as HTML."""
    declared = header(response, "Content-Type")
    if declared:
        return declared.split(";")[0].strip().lower()
    return "text/html" if response.body[:1024].lstrip()[:1] == b"<" else "unknown"


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
