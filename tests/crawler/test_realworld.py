"""clean_html on real pages with human ground truth (tests/fixtures/realworld, licensed subset).

Each page once lost body text to the in-body rules; now clean_html must keep every body line
bare trafilatura keeps, and score at least as well as bare trafilatura on the ground truth.
"""

from __future__ import annotations

import pytest

from tests.realworld import (
    FIXTURES,
    bare_text,
    clean_body,
    clean_record,
    evaluate,
    extract_all,
    news_pages,
    trafilatura_pages,
)

SETS = {"trafilatura": list(trafilatura_pages(FIXTURES)), "news": list(news_pages(FIXTURES))}


def test_the_vendored_sets_are_there():
    assert [len(pages) for pages in SETS.values()] == [3, 3]


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_body_line_that_trafilatura_kept_is_lost(name):
    pages = SETS[name]
    bare = extract_all(pages, bare_text)
    kept = extract_all(pages, clean_record)
    result = evaluate(pages, extract_all(pages, clean_body), bare=bare, kept=kept)
    assert result.lost == {}
    # the pages really carry body lines to lose (the trafilatura set knows only its "with" lines)
    assert result.body_lines >= {"news": 40, "trafilatura": 5}[name]


@pytest.mark.parametrize("name", sorted(SETS))
def test_clean_html_scores_at_least_bare_trafilatura(name):
    pages = SETS[name]
    bare = evaluate(pages, extract_all(pages, bare_text)).prf()
    ours = evaluate(pages, extract_all(pages, clean_body)).prf()
    assert ours[2] >= bare[2]  # F1
    assert ours[1] >= bare[1] - 0.005  # recall: the body is kept


def test_ap_subheadings_in_capitals_and_up_next_section_are_body():
    texts = {page.name: clean_body(page.html) for page in SETS["news"]}
    sfgate = next(text for name, text in texts.items() if "sfgate" in name)
    assert "WILL THEY BASH THE BILLIONAIRES?" in sfgate
    assert "CAN THEY SAVE THEMSELVES?" in sfgate
    lakers = next(text for name, text in texts.items() if "mysanantonio" in name)
    assert "UP NEXT" in lakers and "Thunder: Host the Lakers on Friday." in lakers
