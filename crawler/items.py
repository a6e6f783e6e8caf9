"""What the spider yields: one fetched article page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crawler.extract import Article

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class PageItem:
    url: str  # the final URL, after redirects
    body: bytes  # raw bytes, decoded off the reactor by crawler.decoding.decode_html
    source: str
    etag: str | None = None
    last_modified: str | None = None
    outlet: str | None = None  # what the source said (a news sitemap, a search result)
    published_at: datetime | None = None
    content_type: str = "text/html"  # the media type alone, lower case
    content_type_header: str | None = None  # the raw Content-Type header: its charset decodes body
    article: Article | None = None
    text_hash: str | None = None  # of article.text, from the extraction worker (storage.dedupe)
    signature: bytes | None = None  # MinHash of article.text, from the extraction worker
    relevance: float | None = None
