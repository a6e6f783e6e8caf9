"""What every source reader gives and raises: a candidate link, an unreadable answer.

Plain values, no Scrapy; crawler.sources and crawler.sitemaps build on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from w3lib.html import remove_tags, replace_entities

__all__ = ["MAX_DESCRIPTION", "Link", "UnreadableSource", "document_start", "plain_text"]

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # lxml reads the encoding from the mark
MAX_DESCRIPTION = 500  # characters of a feed summary or search snippet kept for scoring


class UnreadableSource(ValueError):
    """A source answered with a document that is not what its kind promised (a feed that is
    not RSS/Atom, a sitemap that is neither XML nor text, a search answer that is not JSON)."""


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate article: its URL and what the source said about it.

    `description` is the feed entry's summary or the search result's snippet, as plain text of
    at most MAX_DESCRIPTION characters ("" when the source gives none).
    """

    url: str
    title: str = ""
    published: datetime | None = None
    outlet: str = ""
    description: str = ""


def plain_text(value: object, limit: int = MAX_DESCRIPTION) -> str:
    """Markup-free, whitespace-collapsed text, cut at a word boundary under `limit` chars."""
    if not isinstance(value, str):
        return ""
    text = " ".join(replace_entities(remove_tags(value)).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def document_start(body: bytes) -> str:
    """The first words of a document, quoted, for a one-line error (at most 60 characters)."""
    return repr(" ".join(body[:80].decode("utf-8", errors="replace").split())[:60])
