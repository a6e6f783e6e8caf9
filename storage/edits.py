"""Is a new reading of an article an edit a reader would call an edit?

diffengine's rule: a new version only when the title or the normalised text changed
(punctuation, case and white space folded away; `storage.dedupe.normalise_text`). On top of it,
text that changes by itself between two readings is not an edit (changedetection.io #9 and
#215, apify/actor-content-checker #23): relative times ("1 hour ago", "vor 2 Stunden", "il y a
3 heures"), view, comment and share counters, and ticker lines of prices and percentages.
Those are masked before the texts are compared; the stored text keeps them.
"""

from __future__ import annotations

import re

from storage.dedupe import normalise_text

__all__ = ["edit_key", "has_relative_time", "is_edit", "mask_volatile"]

_UNITS = (
    r"(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|hours?|days?|weeks?|months?|years?|"
    r"sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?|"
    r"secondes?|heures?|jours?|semaines?|mois|ans?|"
    r"segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|años?|"
    r"secondi|minuti|ore|ora|giorni|giorno|settimane|mesi|anni)"
)
_AMOUNT = rf"(?:\d+|an?|one|ein(?:e|em|er)?|un[ae]?)\s*{_UNITS}"
# A duration is relative only with its marker ("3 days" in "the siege lasted 3 days" is news).
_RELATIVE_TIME = re.compile(
    rf"(?i)\b(?:vor|il y a|hace|há)\s+{_AMOUNT}\b|\b{_AMOUNT}\s+(?:ago|fa|atrás)\b|"
    r"\b(?:just now|gerade eben|à l'instant|ahora mismo|adesso)\b"
)
_COUNTER = re.compile(
    r"(?i)\b\d[\d.,]*\s*[kKmM]?\s+(?:views?|reads?|comments?|replies|shares?|likes?|"
    r"aufrufe|kommentare|vues|commentaires|visitas|comentarios|visualizzazioni|commenti)\b"
)
_TICKER_NUMBER = re.compile(r"[+\-−]?\d[\d.,]*%?")


def has_relative_time(text: str) -> bool:
    """'1 hour ago', 'vor 2 Stunden', 'il y a 3 heures', 'hace 1 hora', '2 ore fa'."""
    return bool(_RELATIVE_TIME.search(text))


def _is_ticker(line: str) -> bool:
    """A line of quotes: a short line, a third of it prices and changes, one a percentage."""
    tokens = line.replace("|", " ").split()
    numbers = sum(bool(_TICKER_NUMBER.fullmatch(token)) for token in tokens)
    return "%" in line and len(tokens) <= 20 and numbers >= max(3, len(tokens) / 3)


def mask_volatile(text: str) -> str:
    """The text with relative times and counters blanked and ticker lines dropped."""
    lines = [line for line in text.splitlines() if not _is_ticker(line)]
    masked = _COUNTER.sub(" ", _RELATIVE_TIME.sub(" ", "\n".join(lines)))
    return masked


def edit_key(title: str | None, text: str) -> tuple[str, str]:
    """What two readings must share to be one version: normalised title and stable text."""
    return normalise_text(title or ""), normalise_text(mask_volatile(text))


def is_edit(old_title: str | None, old_text: str, new_title: str | None, new_text: str) -> bool:
    """True when the headline or the text changed in a way a reader would see as an edit.

    A reading without a title (a plain-text seed, a page with none) keeps the old one.
    """
    new_title = new_title if new_title else old_title
    return edit_key(old_title, old_text) != edit_key(new_title, new_text)
