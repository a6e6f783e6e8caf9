"""The benchmark's own crawl, small (N = 50): correctness only, never time.

Every page of the bench site is stored once, as an original or as a copy of its original; no
page is downloaded twice (the feed's tracking-parameter variants are the sitemap's pages); an
unchanged second crawl stores nothing and downloads no article again.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.__main__ import serving
from bench.crawl import crawl_stats, make_project
from bench.measure import server_stats
from storage.models import Article
from storage.store import Store
from tests.commands import storywatch

PAGES = 50


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    with serving(folder, PAGES) as (site, base):
        project = make_project(folder / "project", site, PAGES)
        rounds = []
        for _ in range(2):
            server_stats(base, reset=True)
            done = storywatch(project, "crawl", "--no-alerts", timeout=300)
            assert done.returncode == 0, done.stderr
            rounds.append((server_stats(base, reset=True), crawl_stats(project)))
        yield site, project, rounds


def _served(page) -> str:
    """How the bench server names a request it served: address and path."""
    return page.host.split(":")[0] + page.path


def _articles(project: Path):
    return Store(f"sqlite:///{project / 'data' / 'storywatch.db'}")


def test_every_page_is_stored_once_as_an_original_or_a_copy(crawled):
    site, project, _ = crawled
    with _articles(project) as store:
        ids = [store.article(page.url) for page in site.pages]
        assert all(article is not None for article in ids)
        assert len({article.id for article in ids}) == PAGES
        for page, article in zip(site.pages, ids, strict=True):
            original = ids[page.copy_of].id if page.copy_of is not None else None
            assert article.duplicate_of == original, page.url
        with store.sessions() as session:
            crawled_rows = session.scalar(select(func.count(Article.id)).where(~Article.is_seed))
        assert crawled_rows == PAGES


def _by_page(served: dict) -> Counter[str]:
    """Requests per page, a URL variant (tracking parameters) counted as its page."""
    counts: Counter[str] = Counter()
    for path, number in served["paths"].items():
        counts[path.split("?")[0]] += number
    return counts


def test_no_page_is_downloaded_twice_whichever_source_listed_it(crawled):
    site, _, rounds = crawled
    served, stats = rounds[0]
    requests = _by_page(served)
    for page in site.pages:
        assert requests[_served(page)] == 1, page.url
    assert stats["storywatch/new"] + stats["storywatch/duplicate"] == PAGES
    assert stats["storywatch/duplicate"] == site.copies


def test_an_unchanged_second_crawl_stores_nothing_and_reads_no_article_again(crawled):
    site, _, rounds = crawled
    served, stats = rounds[1]
    assert stats.get("storywatch/new", 0) == stats.get("storywatch/updated", 0) == 0
    articles = {_served(page) for page in site.pages}
    asked = sum(n for path, n in _by_page(served).items() if path in articles)
    assert asked + stats.get("storywatch/known_skipped", 0) == PAGES
    assert served.get("not_modified", 0) == asked  # every article asked again was a 304
    site_bytes = sum(site.file(page).stat().st_size for page in site.pages)
    assert served.get("bytes", 0) < site_bytes / 10
