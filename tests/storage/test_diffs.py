"""Diffs at sentence granularity."""

from storage.diffs import diff_texts, sentences


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
