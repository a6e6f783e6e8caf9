"""Versions are edits a reader would call edits: volatile text and layout never make one."""

from __future__ import annotations

import pytest

from storage.diffs import with_word_marks
from storage.edits import is_edit, mask_volatile
from storage.models import Alert, Diff, Version
from storage.store import Outcome, Snapshot

URL = "https://film.example/news/2024/06/vfx-artists-answer-kutcher-sora"
BODY = {
    "en": "A group of visual effects artists has published an open letter replying to Ashton "
    "Kutcher.\n\nThe letter asks studios to put in writing that crews will not be replaced.",
    "de": "Eine Gruppe von Trickfilm-Künstlern hat einen offenen Brief an Ashton Kutcher "
    "veröffentlicht.\n\nDer Brief fordert die Studios auf, die Crews nicht zu ersetzen.",
    "fr": "Un groupe d'artistes des effets visuels a publié une lettre ouverte à Ashton "
    "Kutcher.\n\nLa lettre demande aux studios de ne pas remplacer les équipes.",
    "es": "Un grupo de artistas de efectos visuales publicó una carta abierta a Ashton "
    "Kutcher.\n\nLa carta pide a los estudios que no reemplacen a los equipos.",
}
# (first reading, second reading) of the line under the headline: only volatile text differs.
VOLATILE = {
    "en": [
        ("Jo Smith · Film reporter · 1 hour ago", "Jo Smith · Film reporter · 2 hours ago"),
        ("Updated 5 minutes ago · 1,204 views", "Updated 35 minutes ago · 3,977 views"),
        ("Posted just now · 3 comments", "Posted an hour ago · 41 comments"),
        (
            "| LOW | LOWE'S COMPANIES INC. | 113.40 | -1.62 | -1.41% |",
            "| LOW | LOWE'S COMPANIES INC. | 112.95 | -2.07 | -1.80% |",
        ),
    ],
    "de": [
        ("Von Jo Schmidt · vor 1 Stunde", "Von Jo Schmidt · vor 3 Stunden"),
        ("Aktualisiert vor 10 Minuten · 12 Kommentare", "Aktualisiert vor 2 Tagen · 80 Kommentare"),
    ],
    "fr": [
        ("Par Jo Martin · il y a 2 heures", "Par Jo Martin · il y a 5 heures"),
        (
            "Mis à jour il y a 3 minutes · 8 commentaires",
            "Mis à jour il y a 1 jour · 9 commentaires",
        ),
    ],
    "es": [("Por Jo García · hace 1 hora", "Por Jo García · hace 4 horas")],
}
CASES = [(lang, old, new) for lang, pairs in VOLATILE.items() for old, new in pairs]


def save(store, text: str, title: str = "Artists answer Kutcher over Sora"):
    return store.save(Snapshot(text=text, title=title, url=URL, outlet="Film Daily"))


@pytest.mark.parametrize(("language", "old", "new"), CASES)
def test_volatile_text_never_makes_a_version(store, language, old, new):
    first = save(store, f"{old}\n\n{BODY[language]}")
    again = save(store, f"{new}\n\n{BODY[language]}")
    assert (first.outcome, again.outcome, again.version) == (Outcome.NEW, Outcome.UNCHANGED, 1)
    with store.sessions() as session:
        assert session.query(Diff).count() == 0
        assert session.query(Alert).filter_by(kind="updated").count() == 0


@pytest.mark.parametrize("language", sorted(BODY))
def test_a_real_edit_and_a_headline_change_each_make_a_version(store, language):
    save(store, BODY[language])
    edited = BODY[language].replace("Kutcher", "Kutcher and OpenAI", 1)
    assert save(store, edited).outcome is Outcome.UPDATED
    renamed = save(store, edited, title="Artists answer Kutcher and OpenAI over Sora")
    assert (renamed.outcome, renamed.version) == (Outcome.UPDATED, 3)
    with store.sessions() as session:
        diff = session.query(Diff).order_by(Diff.id.desc()).first()
        assert "-Title: Artists answer Kutcher over Sora" in diff.text
        assert (diff.added, diff.removed) == (0, 0)  # the headline is not counted as a sentence
        latest = session.get(Version, diff.to_version_id)
        assert latest.title == "Artists answer Kutcher and OpenAI over Sora"


@pytest.mark.parametrize(
    "respelled",
    [
        lambda text: text.replace(" ", "  ").replace("\n\n", "\n\n\n"),  # layout
        lambda text: text.replace(".", "!").replace("'", "’"),  # punctuation and quote marks
        lambda text: text.upper(),  # case
    ],
)
def test_whitespace_punctuation_and_case_are_not_edits(store, respelled):
    save(store, BODY["en"])
    assert save(store, respelled(BODY["en"])).outcome is Outcome.UNCHANGED


def test_numbers_that_are_news_still_count():
    """Only relative times, counters and ticker lines are masked, not every number."""
    assert is_edit("T", "The fire has killed 3 people.", "T", "The fire has killed 5 people.")
    assert is_edit("T", "The siege lasted 3 days.", "T", "The siege lasted 4 days.")
    assert is_edit("T", "Il y a eu 3 morts.", "T", "Il y a eu 5 morts.")
    assert "2024" in mask_volatile("Published 5 June 2024, 3 hours ago")
    assert is_edit("T", "The 40-year-old actor spoke.", "T", "The 41-year-old actor spoke.")


def test_diff_marks_the_words_that_changed_inside_a_sentence(store):
    save(store, "The project will cost $12 million, the council said. Work starts in April.")
    save(store, "The project will cost $14 million, the council said. Work starts in April.")
    with store.sessions() as session:
        shown = with_word_marks(session.query(Diff).one().text)
    assert "~The project will cost [-$12-] {+$14+} million, the council said." in shown
    assert " Work starts in April." in shown
