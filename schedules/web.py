"""Fetching one page a person named (`story --score URL`, `init --seed URL`), outside a crawl.

A URL typed by the user is fetched as given (the crawl's private-address guard is for links
found on the web). Bodies over 5 MiB are refused, as seed files are (crawler/seeds.py).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from crawler.seeds import MAX_SEED_BYTES
from crawler.settings import USER_AGENT

__all__ = ["FetchError", "Fetched", "fetch_page"]

TIMEOUT = 20.0  # seconds, for connecting and for each read


class FetchError(Exception):
    """A page that could not be fetched, said in one line."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


def fetch_page(url: str, config=None) -> Fetched:
    """GET `url` with storywatch's (or the config's) user agent; FetchError on any failure."""
    agent = (config.crawl.user_agent if config is not None else "") or USER_AGENT
    request = urllib.request.Request(url, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_SEED_BYTES + 1)
            final, kind = response.geturl(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"{url}: {getattr(exc, 'reason', exc)}") from None
    if len(body) > MAX_SEED_BYTES:
        raise FetchError(f"{url}: larger than {MAX_SEED_BYTES // 1024 // 1024} MiB")
    return Fetched(final, body, kind)
