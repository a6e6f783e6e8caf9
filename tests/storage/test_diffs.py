"""Diffs at sentence granularity."""

import pytest

from storage.diffs import diff_texts, sentences, with_word_marks, word_marks
from storage.sentences import split_sentences


def test_sentences_split_paragraphs_and_sentences():
    text = 'He said it. "Then he left." She stayed.\n\nA new paragraph; one sentence.'
    assert sentences(text) == [
        "He said it.",
        '"Then he left."',
        "She stayed.",
        "",
        "A new paragraph; one sentence.",
    ]


def test_a_changed_figure_shows_as_one_removed_and_one_added_sentence():
    old = "The project will cost $12 million. Work starts in April."
    new = "The project will cost $14 million. Work starts in April."
    diff = diff_texts(old, new, "version 1", "version 2")
    assert "-The project will cost $12 million." in diff.text
    assert "+The project will cost $14 million." in diff.text
    assert " Work starts in April." in diff.text
    assert (diff.added, diff.removed) == (1, 1)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Xi arrived on Nov. 5, according to the state-run Xinhua News Agency. He left.",
            ["Xi arrived on Nov. 5, according to the state-run Xinhua News Agency.", "He left."],
        ),
        (
            "en",
            "The U.S. embassy said Dr. Smith met Gov. Newsom at 5 p.m. on Friday. Talks ended.",
            [
                "The U.S. embassy said Dr. Smith met Gov. Newsom at 5 p.m. on Friday.",
                "Talks ended.",
            ],
        ),
        (
            "de",
            "Am 5. Nov. kam er an, z. B. mit Dr. Müller. Am 3. Oktober ging er.",
            ["Am 5. Nov. kam er an, z. B. mit Dr. Müller.", "Am 3. Oktober ging er."],
        ),
        (
            "fr",
            "M. Macron a reçu le Dr. Dupont le 5 nov. à Paris. Ils ont parlé.",
            ["M. Macron a reçu le Dr. Dupont le 5 nov. à Paris.", "Ils ont parlé."],
        ),
    ],
)
def test_abbreviations_and_dates_do_not_end_a_sentence(language, text, expected):
    assert split_sentences(text, language) == expected


def test_a_headline_change_leads_the_diff_and_is_not_a_sentence():
    diff = diff_texts("Same text here.", "Same text here.", titles=("Old head", "New head"))
    assert diff.text.splitlines()[3:5] == ["-Title: Old head", "+Title: New head"]
    assert (diff.added, diff.removed, diff.title_changed) == (0, 0, True)


def test_word_marks_show_only_the_changed_words():
    assert word_marks("Voting ends on Friday in Ohio.", "Voting ends on Monday in Ohio.") == (
        "Voting ends on [-Friday-] {+Monday+} in Ohio."
    )
    shown = with_word_marks(
        diff_texts("A new lane. It costs $12 million.", "A new lane. It costs $14 million.").text
    )
    assert shown.splitlines()[-1] == "~It costs [-$12-] {+$14+} million."
