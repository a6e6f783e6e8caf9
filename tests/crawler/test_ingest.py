"""From a clean article to a store reading: whose date counts."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.extract import clean_html
from crawler.ingest import to_snapshot
from tests.crawler.replica_site import LEDGER_STYLE, PULSE_STYLE, render, story_body

PUBLISHED = '<meta property="article:published_time" content="2024-06-07T14:27:00-04:00">'


def test_the_pages_own_publication_date_beats_a_sitemaps_lastmod():
    page = render(LEDGER_STYLE, story_body(1, "Crew members still angry at Kutcher"))
    article = clean_html(page.replace("</head>", PUBLISHED + "</head>"))
    lastmod = datetime(2024, 6, 20, 8, 0, tzinfo=UTC)  # a later edit, as sitemaps say
    snapshot = to_snapshot(article, url="https://ledger.example/a", published_at=lastmod)
    assert snapshot.published_at == datetime(2024, 6, 7, 18, 27, tzinfo=UTC)


def test_a_listing_date_is_used_when_the_page_states_none():
    article = clean_html(render(PULSE_STYLE, story_body(1, "Crew members still angry")))
    listed = datetime(2024, 6, 8, 11, 0, tzinfo=UTC)
    assert article.published_at is None
    assert (
        to_snapshot(article, url="https://ledger.example/a", published_at=listed).published_at
        == listed
    )
