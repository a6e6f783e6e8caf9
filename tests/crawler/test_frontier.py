"""The frontier: the story window, one fetch per canonical URL, the best first, the cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.frontier import Frontier
from storage.candidates import Pending
from storage.records import Known
from storage.urls import canonicalize_url

SINCE = datetime(2024, 5, 10, tzinfo=UTC)


def candidate(url: str, score: float = 0.5, source: str = "feed", **fields) -> Pending:
    return Pending(source=source, key=canonicalize_url(url), url=url, score=score, **fields)


def never_due(known: Known) -> bool:
    return False


def test_entries_dated_before_the_story_are_outside_its_window_however_old_the_story_is():
    frontier = Frontier(SINCE, cap=10)
    before = candidate("https://a.example/2024/05/01/x/", published_at=SINCE - timedelta(days=1))
    years_later = datetime(2024, 6, 1, tzinfo=UTC)  # two years before "today": still coverage
    inside = candidate("https://a.example/2024/06/01/y/", published_at=years_later)
    undated = candidate("https://a.example/news/entertainment-arts-68912345")
    assert frontier.offer(before) == "outside_window"
    assert frontier.offer(inside) == "waiting"
    assert frontier.offer(undated) == "waiting"
    assert [c.url for c, _ in frontier.take("feed", {}, never_due).fetch] == [
        inside.url,
        undated.url,
    ]


def test_variants_of_one_article_are_fetched_once_across_sources():
    frontier = Frontier(SINCE, cap=10)
    listed = "https://www.example.com/2024/06/07/vfx-artists-answer-kutcher/"
    variants = [
        listed + "?utm_source=rss#comments",
        "https://www.example.com/2024/06/07/vfx-artists-answer-kutcher",
        listed + "amp/",
    ]
    assert frontier.offer(candidate(listed)) == "waiting"
    for url in variants:
        assert frontier.offer(candidate(url, source="search")) == "repeated"
    taken = frontier.take("feed", {}, never_due)
    assert [c.url for c, _ in taken.fetch] == [listed]  # the address as listed, slash and all


def test_the_best_scored_are_taken_up_to_the_cap_and_the_rest_wait():
    frontier = Frontier(SINCE, cap=2)
    for index, score in enumerate((0.1, 0.9, 0.5, 0.7)):
        frontier.offer(candidate(f"https://a.example/p/{index}", score))
    taken = frontier.take("feed", {}, never_due)
    assert [c.score for c, _ in taken.fetch] == [0.9, 0.7]
    assert sorted(c.score for c in frontier.leftovers()) == [0.1, 0.5]
    assert frontier.take("feed", {}, never_due).fetch == []  # the cap holds for the whole run


def test_known_pages_not_due_pass_over_without_using_the_cap():
    frontier = Frontier(SINCE, cap=1)
    old, new = candidate("https://a.example/old", 0.9), candidate("https://a.example/new", 0.1)
    frontier.offer(old)
    frontier.offer(new)
    at = datetime(2024, 6, 1, tzinfo=UTC)
    taken = frontier.take("feed", {old.key: Known(1, at, at, None, None)}, never_due)
    assert taken.known == 1
    assert [c.url for c, _ in taken.fetch] == [new.url]


def test_a_due_known_page_is_rechecked_with_what_the_store_knows_outside_the_cap():
    frontier = Frontier(SINCE, cap=1)
    page, new = candidate("https://a.example/p", 0.9), candidate("https://a.example/new", 0.1)
    frontier.offer(page)
    frontier.offer(new)
    at = datetime(2024, 6, 1, tzinfo=UTC)
    known = Known(7, at, at, '"etag"', None)
    taken = frontier.take("feed", {page.key: known}, lambda k: True)
    assert taken.fetch == [(page, known), (new, None)]


def test_a_carried_candidate_listed_again_is_one_candidate():
    frontier = Frontier(SINCE, cap=5)
    kept = candidate("https://a.example/p", 0.2)
    assert frontier.carry(kept)
    assert frontier.offer(candidate("https://a.example/p", 0.4)) == "relisted"
    assert frontier.offer(candidate("https://a.example/p", 0.4, source="other")) == "repeated"
    assert [c.score for c, _ in frontier.take("feed", {}, never_due).fetch] == [0.4]


def test_a_carried_candidate_now_outside_the_window_is_dropped():
    frontier = Frontier(SINCE, cap=5)
    stale = candidate("https://a.example/p", published_at=SINCE - timedelta(days=3))
    assert not frontier.carry(stale)
    assert frontier.leftovers() == []


def test_an_amp_listing_is_fetched_at_the_full_pages_address_when_another_source_gives_it():
    frontier = Frontier(SINCE, cap=5)
    story = "https://pulse.example/2024/06/kutcher-sora-unions"
    assert frontier.offer(candidate(story + "/amp", source="ledger")) == "waiting"
    assert frontier.offer(candidate(story + "?utm_source=rss", source="pulse")) == "repeated"
    ((taken, _),) = frontier.take("ledger", {}, never_due).fetch
    assert taken.url == story + "?utm_source=rss" and taken.source == "ledger"


def test_a_full_page_listed_first_is_never_swapped_for_its_amp_rendering():
    frontier = Frontier(SINCE, cap=5)
    story = "https://pulse.example/2024/06/kutcher-sora-unions"
    frontier.offer(candidate(story))
    frontier.offer(candidate(story + ".amp", source="ledger"))
    assert [c.url for c, _ in frontier.take("feed", {}, never_due).fetch] == [story]
