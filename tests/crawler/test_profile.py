"""The story profile, derived from the seeds, and relevance against it."""

from __future__ import annotations

import pytest

from crawler.extract import clean_text
from crawler.profile import build_profile
from tests.crawler.labelled_texts import IRRELEVANT, RELEVANT
from tests.pages import SEEDS

DEFAULT_MIN_RELEVANCE = 0.5


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    return [
        clean_text(path.read_text(encoding="utf-8")).text for path in sorted(SEEDS.glob("*.txt"))
    ]


@pytest.fixture(scope="module")
def profile(seed_texts):
    return build_profile(seed_texts)


def test_profile_names_who_and_what(profile):
    assert profile.queries[0] == "Ashton Kutcher Sora"
    assert 1 <= len(profile.queries) <= 3
    assert {"Ashton Kutcher", "Sora", "OpenAI", "Eric Schmidt"} <= set(profile.entities)
    assert {"kutcher", "sora", "backlash"} <= set(list(profile.terms)[:10])
    assert any("leaps and bounds" in quote for quote in profile.quotes)


def test_labelled_set_precision_and_recall(profile):
    assert len(RELEVANT) >= 10 and len(IRRELEVANT) >= 20
    predicted_relevant = [t for t in RELEVANT if profile.relevance(t) >= DEFAULT_MIN_RELEVANCE]
    false_alarms = [t for t in IRRELEVANT if profile.relevance(t) >= DEFAULT_MIN_RELEVANCE]
    true_positives = len(predicted_relevant)
    precision = true_positives / max(1, true_positives + len(false_alarms))
    recall = true_positives / len(RELEVANT)
    assert precision >= 0.9, false_alarms
    assert recall >= 0.9


def test_seeds_score_as_relevant(profile, seed_texts):
    assert min(profile.relevance(text) for text in seed_texts) >= 0.9


def test_configured_queries_override_and_set_the_anchors(seed_texts):
    profile = build_profile(seed_texts, queries=["Eric Schmidt Berggruen"])
    assert profile.queries == ("Eric Schmidt Berggruen",)
    text = "Eric Schmidt spoke at the Berggruen Salon about AI and film with Ashton Kutcher."
    assert profile.relevance(text) > profile.relevance("Ashton Kutcher praised Sora again.")


def test_empty_seed_list_is_refused():
    with pytest.raises(ValueError):
        build_profile([])
