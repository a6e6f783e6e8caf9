"""One sentence splitter for diffs and digest excerpts.

sentencex (Wikimedia, MIT; rules for ~300 languages with their abbreviation lists) finds the
boundaries: "Nov. 5", "U.S.", "Dr." and "z. B." do not end a sentence. Where its rules miss,
three mends join a piece to the one before it:
- it starts with a lower-case letter (in cased scripts no sentence starts that way);
- the one before ends in a title, a month or an initial ("M.", "Mme", "Dr.", "Nov.", "J."),
  from the lists of the Unicode CLDR segmentation exceptions and news style guides;
- in languages that write ordinals with a full stop (German, the Nordic and Slavic languages),
  the one before ends in a day number ("Am 5. Nov.").
"""

from __future__ import annotations

import re

import sentencex

__all__ = ["paragraph_sentences", "split_sentences"]

DEFAULT_LANGUAGE = "en"
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:[A-Z]|Dr|Drs|Prof|Mr|Mrs|Ms|Mme|Mlle|Mgr|Me|M|St|Ste|Sr|Sra|Sres|Jr|Gov|Gen|"
    r"Sen|Rep|Lt|Col|Capt|Sgt|Hr|Fr|Hrn|[Jj]an|[Ff]eb|[Mm]ar|[Aa]pr|[Jj]un|[Jj]ul|[Aa]ug|[Ss]ept?|"
    r"[Oo][ck]t|[Nn]ov|[Dd][eé]c|[Dd]ez|[Jj]anv|[Ff][ée]vr?|[Aa]vr|[Jj]uil|[Ee]ne|[Dd]ic|[Gg]en|"
    r"[Gg]iu|[Ll]ug|[Ss]ett|[Oo]tt)\.$"
)
_ORDINAL_DOT_LANGUAGES = frozenset(
    {"de", "da", "nb", "no", "fi", "is", "cs", "sk", "pl", "hu", "et", "lv", "sl", "hr", "sr"}
)
_DAY_NUMBER = re.compile(r"(?:^|\s)\d{1,2}\.$")


def _continues(before: str, piece: str, language: str) -> bool:
    """True when `piece` is the rest of the sentence `before` began (see the module's mends)."""
    if piece[0].islower() or _ABBREVIATION.search(before):
        return True
    return language in _ORDINAL_DOT_LANGUAGES and bool(_DAY_NUMBER.search(before))


def split_sentences(paragraph: str, language: str | None = None) -> list[str]:
    """The sentences of one paragraph, white space folded, in order; [] for blank text.

    `language` is an ISO 639-1 code; None or an unknown code uses the English rules.
    """
    text = " ".join(paragraph.split())
    if not text:
        return []
    language = language or DEFAULT_LANGUAGE
    pieces: list[str] = []
    for piece in sentencex.segment(language, text):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and _continues(pieces[-1], piece, language):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


def paragraph_sentences(text: str, language: str | None = None) -> list[list[str]]:
    """The text's paragraphs (split at line breaks), each as its list of sentences."""
    paragraphs = (split_sentences(part, language) for part in re.split(r"\n+", text.strip()))
    return [paragraph for paragraph in paragraphs if paragraph]
