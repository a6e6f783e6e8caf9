"""One sentence splitter for diffs and digest excerpts.

sentencex (Wikimedia, MIT; rules for ~300 languages with their abbreviation lists) finds the
boundaries: "Nov. 5", "U.S.", "Dr." and "z. B." do not end a sentence. On top of it, a piece that
starts with a lower-case letter is joined to the one before: in cased scripts no sentence starts
that way, and it mends the date forms the rules miss ("Am 5. Nov. kam er an").
"""

from __future__ import annotations

import re

import sentencex

__all__ = ["paragraph_sentences", "split_sentences"]

DEFAULT_LANGUAGE = "en"


def split_sentences(paragraph: str, language: str | None = None) -> list[str]:
    """The sentences of one paragraph, white space folded, in order; [] for blank text.

    `language` is an ISO 639-1 code; None or an unknown code uses the English rules.
    """
    text = " ".join(paragraph.split())
    if not text:
        return []
    pieces: list[str] = []
    for piece in sentencex.segment(language or DEFAULT_LANGUAGE, text):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and piece[0].islower():
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def paragraph_sentences(text: str, language: str | None = None) -> list[list[str]]:
    """The text's paragraphs (split at line breaks), each as its list of sentences."""
    paragraphs = (split_sentences(part, language) for part in re.split(r"\n+", text.strip()))
    return [paragraph for paragraph in paragraphs if paragraph]
