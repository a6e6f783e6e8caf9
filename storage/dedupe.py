"""Is this text one we already have? Exact fingerprints and near-duplicate search.

Exact: a SHA-256 of the text with case, punctuation and white space folded away (diffengine's
rule), so a re-encoded quote mark or a reflowed paragraph is not a new text.

Near-duplicate: MinHash over word 5-shingles. MinHash estimates Jaccard overlap of
shingle sets, which is what a syndicated copy keeps: the same paragraphs, with another outlet's
headline, intro or tail around them, so the overlap is high but not total. SimHash suits
near-identical pages with small edits better, but a reprint that adds a paragraph moves it
further than MinHash, and it needs a permuted-table index we would write ourselves.

The signature is datasketch 2's MinHash, scheme "affine32", seed 1, 128 permutations (SHA-1's
first 4 bytes of each shingle, the MurmurHash3 finalizer, then h -> a*h + b mod 2^32), computed
here in a few lines of numpy, value for value (tests/storage/test_dedupe.py checks it against
datasketch itself). Importing datasketch imports scipy for its LSH: 55 MB in every process that
hashes text (the crawl and both extraction workers), for what is one vectorised expression.

The index: LSH banding (Leskovec, Rajaraman and Ullman, Mining of Massive Datasets, ch. 3.4) in
the database, one row per band (`NearDuplicateBand`: a 63-bit key, the article id) for each
original. A text's candidates are the articles sharing a band key with it; each is then checked
against the full 128-value signature, so the bands decide only what is compared. Why not
datasketch's MinHashLSH in memory: at 100k articles it took 347 MB and had to be rebuilt from
every stored signature when a process started; in the database it costs no memory, survives
restarts, and is written in the same transaction as the article it indexes. `make bench`
(bench/dedupe.py) measured, as medians per article, lookup + insert at 1k, 10k and 100k stored:
241, 245 and 342 us for the band table (28 MB of database at 100k), against datasketch's 306,
320 and 323 us with 9, 90 and 962 MB of memory (its LSH and the signatures it compares).
Why 16 bands of 4 rows (64 of the 128 values): the chance that a pair of Jaccard overlap J
becomes candidates is 1 - (1 - J^4)^16: 0.64 at J = 0.5, 0.89 at 0.6, 0.99 at 0.7 and above
(a syndicated copy is 0.8 or more), against datasketch's choice for this threshold (25 bands
of 5 rows) 0.55, 0.87 and 0.99, with 16 rows an article instead of 25. Pairs at J = 0.3 become
candidates 12% of the time (6% with 25x5), and cost one signature comparison each.
At 100k articles the table holds 1.6M rows (`make bench` prints its size and the time per
lookup and insert). The table work is storage.bands; this module is plain numpy, so the
extraction workers that compute signatures load no database code.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

__all__ = [
    "band_keys",
    "fingerprint",
    "normalise_text",
    "signature",
    "similarity",
]

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; stored signatures depend on it
SEED = 1  # datasketch's default seed
SHINGLE_WORDS = 5
# Two different articles of one story share quotes, but rarely a third of their 5-shingles;
# a syndicated copy shares most of them. tests/storage/test_dedupe.py holds both cases.
NEAR_DUPLICATE_JACCARD = 0.5
BANDS, ROWS = 16, 4  # see the module docstring
KEY_MASK = (1 << 63) - 1  # band keys fit a signed 64-bit column on every backend

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


def _affine32_permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch 2's affine32 parameters: odd a, any b, from RandomState(seed)."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_A, _B = _affine32_permutations()
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint64).tobytes()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (wrapping arithmetic is the point)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(text: str) -> bytes:
    """The MinHash signature of a text: 128 values below 2**32, as uint64 bytes (1,024 bytes)."""
    shingles = _shingles(text)
    if not shingles:
        return _EMPTY
    hashes = np.fromiter(
        (int.from_bytes(hashlib.sha1(shingle).digest()[:4], "little") for shingle in shingles),
        dtype=np.uint32,
        count=len(shingles),
    )
    permuted = _fmix32(hashes).reshape(-1, 1) * _A + _B
    return permuted.min(axis=0).astype(np.uint64).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard overlap of two texts' shingle sets: the share of equal values."""
    left, right = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(left == right)) / len(left)


def band_keys(sig: bytes) -> list[int]:
    """The signature's BANDS band keys: each band's ROWS values and its number, hashed to 63 bits."""
    values = np.frombuffer(sig, dtype=np.uint64)[: BANDS * ROWS].astype("<u8").reshape(BANDS, ROWS)
    keys = (
        int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8, salt=bytes([number])).digest())
        & KEY_MASK
        for number, band in enumerate(values)
    )
    return list(dict.fromkeys(keys))
