"""The story's words and phrases, its quotes, and the search queries derived from them."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from crawler.names import Name
from crawler.vocabulary import Language, tokens
from storage.dedupe import normalise_text

__all__ = [
    "bigrams", "derive_queries", "event_terms", "key_terms", "query_anchor", "shared_quotes",
]  # fmt: skip

MAX_WORDS = 50
MAX_PHRASES = 20
FULL_USES = math.log(4)  # a word used 3 times in the seeds counts fully
_QUOTE = re.compile(r"[“\"«]([^“”\"«»]{20,600})[”\"»]")


def bigrams(words: Sequence[str]) -> set[str]:
    """Adjacent word pairs: 'bubonic plague', 'establishing shot'."""
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def key_terms(
    texts: Sequence[str], lang: Language, exclude: set[str]
) -> tuple[dict[str, float], dict[str, str]]:
    """Story words and phrases, by stem -> weight = share of seeds using it x
    min(1, ln(1+uses)/ln 4) x rarity of its commonest form (phrases: mean rarity of their words
    + 1); and each stem's commonest form, for people. Phrases need 2+ uses; with 3+ seeds a
    word needs 2+ seeds. Words in `exclude` (the names' words) are left to the names."""
    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    seeds: Counter[str] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    for text in texts:
        raw = [w if lang.is_content(w) and w not in exclude else "" for w in tokens(text)]
        content = [lang.stem(w) if w else "" for w in raw]
        forms.update((stem, w) for stem, w in zip(content, raw, strict=True) if w)
        pairs = [f"{a} {b}" for a, b in zip(content, content[1:], strict=False) if a and b]
        words.update(w for w in content if w)
        phrases.update(pairs)
        seeds.update({w for w in content if w} | set(pairs))
    surface = _commonest(forms)
    minimum = 2 if len(texts) >= 3 else 1

    def weight(term: str, uses: int) -> float:
        rarity = sum(lang.rarity(surface[w]) for w in term.split()) / len(term.split())
        rarity += 1 if " " in term else 0
        return seeds[term] / len(texts) * min(1.0, math.log1p(uses) / FULL_USES) * rarity

    single = {w: weight(w, n) for w, n in words.items() if seeds[w] >= minimum}
    double = {p: weight(p, n) for p, n in phrases.items() if n >= 2}
    terms = _top(single, MAX_WORDS) | _top(double, MAX_PHRASES)
    shown = {t: " ".join(surface[w] for w in t.split()) for t in terms}
    return terms, shown


def _commonest(forms: Counter[tuple[str, str]]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for (stem, form), count in forms.items():
        if (count, form) > best.get(stem, (0, "")):
            best[stem] = (count, form)
    return {stem: form for stem, (_, form) in best.items()}


def _top(weights: dict[str, float], count: int) -> dict[str, float]:
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:count]
    return {term: round(weight, 4) for term, weight in ranked if weight > 0}


def derive_queries(
    names: Sequence[Name],
    topic: dict[str, float],
    shown: dict[str, str],
    texts: Sequence[str],
    lang: Language,
) -> tuple[str, ...]:
    """'<anchor> <event>', then '<anchor> <partner>' when the seeds name another actor or
    object (not a place) in as many seeds and a third as often ("Ashton Kutcher Sora").
    A name used once never makes a query."""
    usable = [name for name in names if name.uses >= 2]
    event = [shown[term] for term in event_terms(topic, texts, lang)[:1]]
    if not usable:
        return tuple(event)
    anchor = usable[0]
    queries = [f"{anchor.display} {what}" for what in event]
    partner = next(
        (n for n in usable[1:] if n.seeds == anchor.seeds and not n.is_place
         and lang.rarity(n.key) >= 2.5 and n.key not in tokens(anchor.display)
         and n.uses * 3 >= anchor.uses),
        None,
    )  # fmt: skip
    if partner is not None:
        queries.append(f"{anchor.display} {partner.display}")
    return tuple(queries) or (anchor.display,)


def event_terms(topic: dict[str, float], texts: Sequence[str], lang: Language) -> list[str]:
    """The story's words and phrases (stems), most central first: the ones the seeds share and
    repeat most, rarity capped at 3 so a repeated common noun ("plague", "strike") beats a rare
    word used once; a phrase counts one and a half times ("bubonic plague" over "plague")."""
    words = [[lang.stem(w) for w in tokens(text)] for text in texts]
    uses = Counter(w for ws in words for w in ws) + Counter(p for ws in words for p in _pairs(ws))
    seeds = Counter(t for ws in words for t in set(ws) | bigrams(ws))

    def centrality(term: str) -> float:
        phrase = 1.5 if " " in term else 1.0
        rarity = topic[term] / max(seeds[term] / len(texts), 1e-9)  # undo the share
        return seeds[term] * uses[term] * min(rarity, 3.0) * phrase

    return sorted(topic, key=lambda term: (-centrality(term), term))


def _pairs(words: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def query_anchor(
    queries: Sequence[str], names: Sequence[Name], lang: Language
) -> tuple[dict[str, str], dict[str, float]]:
    """From configured queries: the anchor (the first seed name the first query contains, else
    its first rare capitalised word) and the other query words, as evidence."""
    first = queries[0]
    known = [n for n in names if n.display.lower() in first.lower() or n.key in tokens(first)]
    known.sort(key=lambda n: first.lower().find(n.key))
    if known:
        anchor = known[0].display
    else:
        capitalised = [w for w in first.split() if w[:1].isupper() and lang.rarity(w.lower()) >= 2.5]
        anchor = capitalised[0] if capitalised else first.split()[0]
    anchor_words = [w for w in tokens(anchor) if lang.rarity(w) >= 2.5 or w == tokens(anchor)[-1]]
    anchors = {word: anchor for word in anchor_words}
    extra = {
        lang.stem(w): 0.0 for q in queries for w in tokens(q) if lang.is_content(w) and w not in anchors
    }
    return anchors, extra


def shared_quotes(texts: Sequence[str], size: int) -> tuple[tuple[str, ...], frozenset[str]]:
    """Quoted passages whose wording recurs in more than one seed (any, with one seed)."""
    per_text = [[normalise_text(q) for q in _QUOTE.findall(text)] for text in texts]
    seen_in: Counter[str] = Counter()
    for quotes in per_text:
        seen_in.update({s for quote in quotes for s in _shingles(quote, size)})
    minimum = 2 if len(texts) >= 2 else 1
    shared = frozenset(s for s, count in seen_in.items() if count >= minimum)
    distinct: dict[str, None] = {}
    for quotes in per_text:
        for quote in quotes:
            if _shingles(quote, size) & shared:
                distinct.setdefault(quote, None)
    return tuple(distinct)[:20], shared


def _shingles(normal: str, size: int) -> set[str]:
    words = normal.split()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
