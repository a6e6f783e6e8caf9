"""What the story is, worked out from its seed articles, and how close a text comes to it.

The profile holds:
- key terms: words the seeds share that general English rarely uses (weighted by how many
  seeds use them and by rarity from `wordfreq`, so "Sora" outweighs "film");
- entities: capitalised names the seeds share ("Ashton Kutcher", "Sora", "Eric Schmidt");
- quotes: quoted passages that recur across seeds (what the story's people said);
- queries: 1-3 search phrases, the story's main person or subject with its main object.

`relevance(text)` needs the anchors (the first query's names: who and what) to be present, and
then rewards the story's vocabulary and quotes. Mentioning Kutcher without Sora, or Sora without
Kutcher, is another story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from justext import get_stoplist
from wordfreq import zipf_frequency

from storage.dedupe import normalise_text

__all__ = ["StoryProfile", "build_profile"]

MAX_TERMS = 40
QUOTE_SHINGLE = 6
# Words in every news story: they say nothing about this one.
_NEWS_WORDS = frozenset(
    "said says told according added also would could one two year years last week new like "
    "just get got make made people time really even way going think well many much still mr "
    "ms mrs per via including recent recently".split()
)
_STOPWORDS = frozenset(word.lower() for word in get_stoplist("English")) | _NEWS_WORDS
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_CAPITALISED = re.compile(r"^(?:[A-Z][a-z]+(?:[A-Z][a-z]+)*|[A-Z][a-z]*[A-Z]+[a-z]*|[A-Z]{2,})$")
_QUOTE = re.compile(r"[“\"]([^“”\"]{20,600})[”\"]")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|[“\"(]\s*)$")


def rarity(term: str) -> float:
    """How unusual a word is in general English: 0 for 'the', about 4-5 for a name."""
    return max(0.0, 6.5 - zipf_frequency(term, "en"))


@dataclass(frozen=True)
class Anchor:
    """One thing a relevant text must name: a person, organisation or product, any alias."""

    name: str
    aliases: tuple[str, ...]

    def found_in(self, padded_text: str) -> bool:
        return any(f" {alias} " in padded_text for alias in self.aliases)


@dataclass(frozen=True)
class StoryProfile:
    """The story, as its seeds tell it."""

    terms: dict[str, float]
    entities: tuple[str, ...]
    quotes: tuple[str, ...]
    queries: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    _quote_shingles: frozenset[str] = field(default=frozenset(), repr=False)

    def listing_score(self, text: str) -> float:
        """0..1: how promising a candidate's listing (title, description, URL words) looks."""
        return self.relevance(text)

    def relevance(self, text: str) -> float:
        """0..1: how surely the text is coverage of this story."""
        normal = normalise_text(text)
        padded = f" {normal} "
        coverage = self._anchor_coverage(padded)
        if coverage == 0:
            return 0.0
        context = max(self._term_share(set(normal.split())), self._quote_share(normal))
        return round(coverage**2 * (0.4 + 0.6 * context), 4)

    def _anchor_coverage(self, padded: str) -> float:
        if not self.anchors:
            return 1.0
        return sum(anchor.found_in(padded) for anchor in self.anchors) / len(self.anchors)

    def _term_share(self, tokens: set[str]) -> float:
        # A story's follow-up uses perhaps a third of its vocabulary; that is full context.
        total = sum(self.terms.values()) or 1.0
        present = sum(weight for term, weight in self.terms.items() if term in tokens)
        return min(1.0, present / (0.35 * total))

    def _quote_share(self, normal: str) -> float:
        if not self._quote_shingles:
            return 0.0
        found = sum(
            1 for shingle in _shingles(normal, QUOTE_SHINGLE) if shingle in self._quote_shingles
        )
        return min(1.0, found / 8)


def build_profile(texts: Sequence[str], queries: Sequence[str] = ()) -> StoryProfile:
    """Derive the profile from the seed texts; given `queries` override the derived ones."""
    if not texts:
        raise ValueError("a story profile needs at least one seed text")
    terms = _key_terms(texts)
    names = _names(texts)
    entities = names.ranked(minimum=2 if len(texts) >= 3 else 1)
    quote_texts, quote_shingles = _shared_quotes(texts)
    chosen = tuple(q.strip() for q in queries if q.strip()) or _derive_queries(entities, names)
    anchors = _anchors(chosen[0], entities) if chosen else ()
    return StoryProfile(
        terms=terms,
        entities=tuple(entities),
        quotes=quote_texts,
        queries=chosen,
        anchors=anchors,
        _quote_shingles=quote_shingles,
    )


def _tokens(text: str) -> list[str]:
    return [token.lower().replace("’", "'") for token in _TOKEN.findall(text)]


def _key_terms(texts: Sequence[str]) -> dict[str, float]:
    """Terms weighted by share of seeds using them, log frequency and rarity."""
    document_frequency: Counter[str] = Counter()
    frequency: Counter[str] = Counter()
    for text in texts:
        tokens = [t for t in _tokens(text) if len(t) > 2 and t not in _STOPWORDS and "'" not in t]
        frequency.update(tokens)
        document_frequency.update(set(tokens))
    minimum = 2 if len(texts) >= 3 else 1
    weights = {
        term: document_frequency[term] / len(texts) * math.log1p(count) * rarity(term)
        for term, count in frequency.items()
        if document_frequency[term] >= minimum
    }
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:MAX_TERMS]
    return {term: round(weight, 4) for term, weight in top if weight > 0}


def _name_runs(text: str) -> Iterable[str]:
    """Runs of capitalised words ("Google CEO Eric Schmidt"); a possessive ends a run."""
    for paragraph in text.splitlines():
        run: list[str] = []
        run_opens_sentence = False
        for match in _TOKEN.finditer(paragraph):
            word = _POSSESSIVE.sub("", match.group())
            if _CAPITALISED.match(word):
                if not run:
                    run_opens_sentence = bool(_SENTENCE_START.search(paragraph[: match.start()]))
                run.append(word)
                if word == match.group():
                    continue
            if run and not _sentence_opener(run, run_opens_sentence):
                yield " ".join(run)
            run = []
        if run and not _sentence_opener(run, run_opens_sentence):
            yield " ".join(run)


def _sentence_opener(run: list[str], opens_sentence: bool) -> bool:
    """'Why', 'Instead': a common word capitalised only because it starts a sentence."""
    return opens_sentence and len(run) == 1 and rarity(run[0].lower()) < 3.0


@dataclass(frozen=True)
class _Names:
    """Names in the seeds: how many seeds use each, and how often in all."""

    seeds: Counter[str]
    uses: Counter[str]

    def ranked(self, minimum: int) -> list[str]:
        """Names in at least `minimum` seeds, the most shared and most salient first."""
        kept = [name for name in self.uses if self.seeds[name] >= minimum and _is_name(name)]
        return sorted(kept, key=lambda n: (-self.seeds[n], -self.uses[n] * _name_rarity(n), n))


def _names(texts: Sequence[str]) -> _Names:
    seeds: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for text in texts:
        names = [name for run in _name_runs(text) for name in _split_run(run)]
        uses.update(names)
        seeds.update(set(names))
    return _Names(seeds, uses)


def _split_run(run: str) -> list[str]:
    """'Google CEO Eric Schmidt' -> the run, its last two words, and each rare single word."""
    words = run.split()
    parts = {run}
    if len(words) > 2:
        parts.add(" ".join(words[-2:]))
    parts.update(word for word in words if rarity(word.lower()) >= 2.5)
    return sorted(parts)


def _is_name(name: str) -> bool:
    return name.lower() not in _STOPWORDS and len(name) > 1 and len(name.split()) <= 4


def _name_rarity(name: str) -> float:
    return max(rarity(word.lower()) for word in name.split())


def _derive_queries(entities: Sequence[str], names: _Names) -> tuple[str, ...]:
    """'<who> <what>': the main two-word name with each of the two most used rare names."""
    people = [name for name in entities if len(name.split()) == 2]
    if not people:
        return tuple(entities[:1])
    who = people[0]
    others = [
        name
        for name in entities
        if len(name.split()) == 1 and name not in who.split() and _name_rarity(name) >= 3.0
    ]
    # The story's object is the name the seeds share most and repeat most, however rare.
    others.sort(key=lambda name: (-names.seeds[name], -names.uses[name]))
    return tuple(f"{who} {what}" for what in others[:2]) or (who,)


def _anchors(query: str, entities: Sequence[str]) -> tuple[Anchor, ...]:
    """The names in a query, each with the aliases a text may use for it."""
    remaining = query
    anchors: list[Anchor] = []
    for name in sorted(entities, key=lambda n: -len(n)):
        if len(name.split()) > 1 and name in remaining:
            anchors.append(_anchor_for(name))
            remaining = remaining.replace(name, " ")
    for word in remaining.split():
        if word.lower() not in _STOPWORDS:
            anchors.append(Anchor(word, (normalise_text(word),)))
    return tuple(anchors)


def _anchor_for(name: str) -> Anchor:
    """A multi-word name is found by its full form or by any of its rarer words ('Kutcher')."""
    aliases = {normalise_text(name)}
    aliases.update(normalise_text(word) for word in name.split() if rarity(word.lower()) >= 2.5)
    return Anchor(name, tuple(sorted(aliases, key=len, reverse=True)))


def _shingles(normal: str, size: int) -> set[str]:
    tokens = normal.split()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _shared_quotes(texts: Sequence[str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """Quoted passages whose wording recurs in more than one seed."""
    per_text = [[normalise_text(q) for q in _QUOTE.findall(text)] for text in texts]
    seen_in: Counter[str] = Counter()
    for quotes in per_text:
        seen_in.update({s for quote in quotes for s in _shingles(quote, QUOTE_SHINGLE)})
    minimum = 2 if len(texts) >= 2 else 1
    shared = frozenset(s for s, count in seen_in.items() if count >= minimum)
    distinct: dict[str, None] = {}
    for quotes in per_text:
        for quote in quotes:
            if _shingles(quote, QUOTE_SHINGLE) & shared:
                distinct.setdefault(quote, None)
    return tuple(distinct)[:20], shared
