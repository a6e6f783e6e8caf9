"""Is this text one we already have? Exact fingerprints and near-duplicate search.

Exact: a SHA-256 of the text with case, punctuation and white space folded away (diffengine's
rule), so a re-encoded quote mark or a reflowed paragraph is not a new text.

Near-duplicate: MinHash over word 5-shingles with datasketch's LSH index. MinHash estimates
Jaccard overlap of shingle sets, which is what a syndicated copy keeps: the same paragraphs,
with another outlet's headline, intro or tail around them, so the overlap is high but not total.
SimHash suits near-identical pages with small edits better, but a reprint that adds a paragraph
moves it further than MinHash, and it needs a permuted-table index we would write ourselves.

The index lives in memory and is not persisted. It is rebuilt from the signatures stored with
each article (`Article.signature`) when a process first needs it, so a restart costs one pass
over stored bytes, not re-hashing every text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NearDuplicateIndex", "fingerprint", "signature", "normalise_text"]

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; stored signatures depend on it
SHINGLE_WORDS = 5
# Two different articles of one story share quotes, but rarely a third of their 5-shingles;
# a syndicated copy shares most of them. tests/storage/test_dedupe.py holds both cases.
NEAR_DUPLICATE_JACCARD = 0.5

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Lower case words separated by single spaces: punctuation and layout folded away."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _NON_WORD.sub(" ", text).strip()


def fingerprint(text: str) -> str:
    """SHA-256 of the normalised text: equal for texts that differ only in layout."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def _shingles(text: str) -> set[bytes]:
    tokens = normalise_text(text).split()
    if len(tokens) <= SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    return {
        " ".join(tokens[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> bytes:
    """The MinHash signature of a text, as bytes to store beside it."""
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch(list(_shingles(text)))
    return minhash.hashvalues.astype(np.uint64).tobytes()


def _minhash(sig: bytes) -> MinHash:
    return MinHash(hashvalues=np.frombuffer(sig, dtype=np.uint64), scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard overlap of two texts' shingle sets."""
    return _minhash(a).jaccard(_minhash(b))


class NearDuplicateIndex:
    """Articles by MinHash signature; finds a stored article whose text nearly matches."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_JACCARD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[int, bytes] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, article_id: int, sig: bytes) -> None:
        if article_id in self._signatures:
            self._lsh.remove(article_id)
        self._signatures[article_id] = sig
        self._lsh.insert(article_id, _minhash(sig))

    def remove(self, article_id: int) -> None:
        """Forget an article (it became a copy of another); unknown ids are ignored."""
        if self._signatures.pop(article_id, None) is not None:
            self._lsh.remove(article_id)

    def find(self, sig: bytes) -> tuple[int, float] | None:
        """The closest stored article at or above the threshold, with its similarity."""
        candidates = self._lsh.query(_minhash(sig))
        scored = [(similarity(sig, self._signatures[key]), key) for key in candidates]
        scored = [(score, key) for score, key in scored if score >= self.threshold]
        if not scored:
            return None
        score, key = max(scored, key=lambda pair: (pair[0], -pair[1]))
        return key, score
