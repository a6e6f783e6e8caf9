"""Refuse bodies cut short inside their compression: a page must decompress to its end.

Scrapy's gunzip returns "as much data as possible" from a truncated gzip body
(scrapy/utils/gz.py), so a body cut at two thirds became a stored article cut mid-word, and for
a known article a version 2 with an "updated" alert (0.52 of the stored length passes the
store's 0.5 guard). This middleware sits just outside HttpCompressionMiddleware (590), so it
sees the compressed bytes: gzip and deflate bodies are streamed through zlib, without keeping
the output, and one that ends before its compressed stream does is a failure
(`storywatch/truncated_body`). A body cut short on the wire (shorter than its Content-Length)
is Scrapy's own ResponseDataLossError (DOWNLOAD_FAIL_ON_DATALOSS), retried, then a failure.
"""

from __future__ import annotations

import zlib

from scrapy.exceptions import IgnoreRequest

CHUNK = 64 * 1024
WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class TruncatedBody(IgnoreRequest):
    """The body ended inside its compressed stream."""


def decompresses_fully(body: bytes, encoding: str, limit: int) -> bool:
    """True if `body` (gzip or deflate, RFC 1952/1950, or raw deflate) reaches the end of its
    compressed stream, or if it inflates past `limit` bytes first (the size cap's business);
    False if it is cut short or corrupt."""
    wbits = WBITS[encoding]
    for attempt in (wbits, -zlib.MAX_WBITS) if encoding == "deflate" else (wbits,):
        inflater, produced, pending = zlib.decompressobj(attempt), 0, body
        try:
            while pending and not inflater.eof and (not limit or produced <= limit):
                produced += len(inflater.decompress(pending, CHUNK))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue
        if inflater.eof or (limit and produced > limit):
            return True
    return False


class CompleteBodyMiddleware:
    def __init__(self, max_size: int, stats=None) -> None:
        self.max_size = max_size
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"), crawler.stats)

    def process_response(self, request, response, spider=None):
        header = response.headers.get("Content-Encoding", b"").decode("latin-1").lower()
        encodings = [part.strip() for part in header.split(",") if part.strip()]
        if not response.body or not encodings or encodings[-1] not in WBITS:
            return response
        if decompresses_fully(response.body, encodings[-1], self.max_size):
            return response
        if self.stats is not None:
            self.stats.inc_value("storywatch/truncated_body")
        raise TruncatedBody(
            f"the {encodings[-1]} body ends before its compressed data does ({len(response.body)}"
            " bytes received): truncated, not stored"
        )
