"""Extraction off the reactor: a hard per-page time limit, and the pool survives it."""

from __future__ import annotations

import asyncio
import time

import pytest

from crawler.pool import ExtractionPool, PageTimeout
from storage.dedupe import signature
from tests.pages import styled_pages


def _table_page(rows: int) -> bytes:
    cells = "".join(
        f"<tr><td>row {i} cell one text</td><td>more words {i} here</td></tr>" for i in range(rows)
    )
    return f"<html><body><article><table>{cells}</table></article></body></html>".encode()


def test_a_page_over_the_limit_fails_and_the_next_page_is_extracted():
    pool = ExtractionPool(workers=1, limit=0.3)
    try:
        started = time.monotonic()
        with pytest.raises(PageTimeout):
            asyncio.run(pool.extract(_table_page(60_000), "http://127.0.0.2/huge"))
        assert time.monotonic() - started < 10
        page = styled_pages()[0]
        pool.limit = 20
        extracted = asyncio.run(pool.extract(page.html.encode(), "http://127.0.0.2/ok"))
        assert page.body_sentences[0] in extracted.article.text
        assert extracted.signature == signature(extracted.article.text)  # what the store uses
    finally:
        pool.close()
