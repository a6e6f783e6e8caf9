"""Names in seed texts: people, organisations, products and places, each found by its key word.

A name is a run of capitalised words that does not merely open a sentence ("Ashton Kutcher",
"Inner Mongolia", "Boeing"). Each name is identified by its rarest word, its *key* ("kutcher",
"mongolia"), so "Kutcher", "Ashton Kutcher" and "Kutcher's" are one name. A key must be a word
the seeds write capitalised nearly always (so "Plague" opening a headline is no name) and rare in
the seeds' language (in German, where every noun is capitalised, rarer still).
A name is a place when the seeds mostly put it after a place preposition ("in Valencia").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.vocabulary import NOUN_CAPITALISING, Language, tokens, word_runs

__all__ = ["Name", "find_names", "name_words"]

_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[“\"(«]\s*)$")
_PLACE_BEFORE = frozenset(
    "in near across from at en desde hacia cerca im bei aus nach dans près à".split()
)
MIN_KEY_RARITY = 2.0  # a Zipf frequency under 4.5: "Madrid", "Boeing"; not "Friday"
MIN_CAPITALISED_SHARE = 0.6
LEDE_WORDS = 25  # a name in the first 25 words of a seed is what the seed is about
MAX_RANK_RARITY = 3.0  # past this, rarer does not mean more central


@dataclass(frozen=True)
class Name:
    """One name in the seeds: key word, the form written most, seeds using it, uses, weight."""

    key: str
    display: str
    seeds: int
    uses: int
    weight: float
    is_place: bool


def find_names(texts: Sequence[str], lang: Language) -> list[Name]:
    """Names the seeds use, heaviest first. Weight = share of seeds naming it x (uses + 2 per
    seed whose first 25 words name it) x rarity of its key, capped at 3: the name every seed
    leads with and repeats is the story's actor; a doctor named once is not."""
    runs = [list(_name_runs(text, lang)) for text in texts]
    capitalised = _capitalised_share(texts)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    seeds: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for text_runs in runs:
        keys = set()
        for run, after_place in text_runs:
            key = _key(run, lang)
            if key and capitalised.get(key, 0) >= MIN_CAPITALISED_SHARE:
                forms[key][run] += 1
                places[key] += after_place
                keys.add(key)
        seeds.update(keys)
    uses = Counter(token for text in texts for token in tokens(text))
    ledes = Counter(key for text in texts for key in set(tokens(text)[:LEDE_WORDS]) & set(forms))
    names = [_name(key, forms[key], seeds[key], uses[key] + 2 * ledes[key], places[key],
                   len(texts), lang) for key in forms]  # fmt: skip
    return _merged(sorted(names, key=lambda name: (-name.weight, name.key)))


def _merged(names: list[Name]) -> list[Name]:
    """Drop a name that is a word of a heavier one ("Ashton" beside "Ashton Kutcher")."""
    kept: list[Name] = []
    for name in names:
        if not any(name.key in tokens(heavier.display) for heavier in kept):
            kept.append(name)
    return kept


def _name(key: str, forms: Counter[str], seeds: int, uses: int, places: int, total: int,
          lang: Language) -> Name:  # fmt: skip
    # The full form ("Ashton Kutcher") when used at least a quarter as often as the short one.
    display = max(forms, key=lambda form: (forms[form] * 4 ** min(len(form.split()) - 1, 1), form))
    words = len(display.split())
    full_name = 1.3 if 2 <= words <= 3 else 1.0  # a person's or place's full name: who, where
    weight = seeds / total * uses * min(lang.rarity(key), MAX_RANK_RARITY) * full_name
    return Name(key, display, seeds, uses, round(weight, 4), places * 2 >= sum(forms.values()))


def _key(run: str, lang: Language) -> str | None:
    """The rarest word of a run, if rare enough to identify a name."""
    words = [word for word in tokens(run) if word not in lang.stopwords and len(word) > 2]
    if not words:
        return None
    key = max(words, key=lambda word: (lang.rarity(word), word))
    floor = MIN_KEY_RARITY + (1.0 if lang.code in NOUN_CAPITALISING else 0.0)
    return key if lang.rarity(key) >= floor else None


def _capitalised_share(texts: Sequence[str]) -> dict[str, float]:
    """For each word, the share of its uses written with a capital (sentence openers too)."""
    upper: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for word, _start, _paragraph in word_runs(text):
            token = tokens(word)[0]
            total[token] += 1
            upper[token] += word[0].isupper()
    return {token: upper[token] / total[token] for token in total}


def _name_runs(text: str, lang: Language) -> Iterable[tuple[str, bool]]:
    """(run of capitalised words, whether a place preposition precedes it)."""
    run: list[str] = []
    opens = after_place = False
    previous = ""
    last_paragraph, last_end = None, 0
    for word, start, paragraph in word_runs(text):
        broken = paragraph is not last_paragraph or paragraph[last_end:start].strip()
        if broken and run:
            yield from _finish(run, opens, after_place, lang)
            run = []
        last_paragraph, last_end = paragraph, start + len(word)
        if word[0].isupper():
            if not run:
                opens = bool(_SENTENCE_START.search(paragraph[:start]))
                after_place = previous in _PLACE_BEFORE
            run.append(word)
            if not word.endswith(("'s", "’s")):
                previous = word.lower()
                continue
        if run:
            yield from _finish(run, opens, after_place, lang)
        run = []
        previous = word.lower()
    if run:
        yield from _finish(run, opens, after_place, lang)


def _finish(run: list[str], opens: bool, after_place: bool, lang: Language):
    """A run, possessives dropped, less a sentence-opening common word ("Why", "The")."""
    written = [re.sub(r"['’]s$", "", word) for word in run]
    if opens and len(written) == 1 and lang.rarity(written[0].lower()) < 3.0:
        return
    if opens and written[0].lower() in lang.stopwords:
        after_place = after_place or written[0].lower() in _PLACE_BEFORE  # "In Paiporta, ..."
        written = written[1:]
    if written:
        yield " ".join(written), after_place


def name_words(texts: Sequence[str], lang: Language) -> set[str]:
    """Every word of every name-like run (common words too: "los", "angeles"), so the story's
    words are not names again. Empty for languages that capitalise nouns."""
    if lang.code in NOUN_CAPITALISING:
        return set()
    capitalised = _capitalised_share(texts)
    words = {w for text in texts for run, _ in _name_runs(text, lang) for w in tokens(run)}
    return {w for w in words if capitalised.get(w, 0) >= MIN_CAPITALISED_SHARE}
