"""Words of a story's language: which language the seeds use, its stop words, how rare a word is.

The language is the justext stoplist that covers most of the seeds' words (justext ships ~100
stoplists); word rarity comes from `wordfreq` in that language (40+ languages; English figures
for a language wordfreq lacks). Tokens are lower-cased words, a possessive "'s" folded away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from justext import get_stoplist, get_stoplists
from wordfreq import available_languages, zipf_frequency

__all__ = ["Language", "detect_language", "tokens", "word_runs"]

# justext stoplist names for the languages wordfreq knows (wordfreq code -> justext name).
_STOPLIST_NAMES = {
    "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German", "en": "English",
    "es": "Spanish", "fi": "Finnish", "fr": "French", "hu": "Hungarian", "id": "Indonesian",
    "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian_Bokmal",
    "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "sk": "Slovak",
    "sl": "Slovenian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ru": "Russian",
}  # fmt: skip
# Words in every English news story: they say nothing about any one story.
_NEWS_WORDS = frozenset(
    "said says told according added also would could one two year years last week new like "
    "just get got make made people time really even way going think well many much still mr "
    "ms mrs per via including recent recently".split()
)
# Languages that capitalise every noun: there a capital letter alone does not make a name.
NOUN_CAPITALISING = frozenset({"de", "lb"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")


_STEMMERS = {
    "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "nl": "dutch", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    """One language's stop words, word frequencies and stemmer; `code` is wordfreq's ("en")."""

    code: str
    stopwords: frozenset[str]
    stemmer: str | None = None  # a Snowball algorithm name; None: words are their own stems

    def stem(self, word: str) -> str:
        """The Snowball stem: "striking" -> "strike", "inundaciones" -> "inund"."""
        return _stem(word, self.stemmer) if self.stemmer else word

    def rarity(self, word: str) -> float:
        """How unusual a word or phrase is: 6.5 - its Zipf frequency (0 for 'the', ~4 for a
        surname, 6.5 for a word wordfreq never saw). Zipf scale per Speer et al., wordfreq."""
        return _rarity(word, self.code)

    def is_content(self, token: str) -> bool:
        """A token that can carry meaning: 3+ letters, not a stop word."""
        return len(token) > 2 and token not in self.stopwords


@lru_cache(maxsize=200_000)
def _stem(word: str, algorithm: str) -> str:
    return _stemmer(algorithm).stemWord(word)


@lru_cache(maxsize=64)
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=100_000)
def _rarity(word: str, code: str) -> float:
    return max(0.0, 6.5 - zipf_frequency(word, code))


@lru_cache(maxsize=64)
def language(code: str) -> Language:
    """The Language for a wordfreq code; English's news words join its stop words."""
    stop = frozenset(word.lower() for word in get_stoplist(_STOPLIST_NAMES[code]))
    if code == "en":
        stop |= _NEWS_WORDS
    frequency_code = code if code in available_languages() else "en"
    return Language(frequency_code, stop, _STEMMERS.get(code))


def detect_language(texts: Sequence[str]) -> Language:
    """The language whose stop words cover most of the texts' words (English on a tie)."""
    words = [token for text in texts for token in tokens(text)][:5000]
    known = set(get_stoplists())
    best, best_hits = "en", -1
    for code, name in _STOPLIST_NAMES.items():
        if name not in known:
            continue
        hits = sum(word in _stoplist(name) for word in words)
        if hits > best_hits or (hits == best_hits and code == "en"):
            best, best_hits = code, hits
    return language(best)


@lru_cache(maxsize=64)
def _stoplist(name: str) -> frozenset[str]:
    return frozenset(word.lower() for word in get_stoplist(name))


def tokens(text: str) -> list[str]:
    """Lower-cased words, possessives folded: "Kutcher's" -> "kutcher"."""
    return [_fold(match.group()) for match in _WORD.finditer(text)]


def _fold(word: str) -> str:
    return _POSSESSIVE.sub("", word.replace("’", "'")).lower() if "'" in word or "’" in word \
        else word.lower()


def word_runs(text: str) -> Iterable[tuple[str, int, str]]:
    """(word as written, start offset, paragraph) for every word, paragraph by paragraph."""
    for paragraph in text.splitlines():
        for match in _WORD.finditer(paragraph):
            yield match.group(), match.start(), paragraph
