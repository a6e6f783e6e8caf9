"""Near-duplicate lookup + insert per article, with 1k, 10k and 100k articles stored.

For each size, in a fresh process (so memory figures are its own): the index is filled with
that many random signatures (as unrelated texts give: their band keys never meet), then 300
synthetic ~600-word texts are looked up and inserted one by one, one in five a syndicated copy
of an earlier one (so the comparison path runs too). Two indexes:
- datasketch: the MinHashLSH in memory (threshold 0.5, 128 permutations) with the signatures
  beside it, as storywatch kept it before issue 11; memory is the process's RSS growth;
- bands: storage.dedupe's band table in SQLite, one transaction per article as Store.save does
  (the index's own time is measured; the article row and commit are printed apart); its size
  is the database file's growth.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil
from wordfreq import top_n_list

MEASURED = 300
COPY_EVERY = 5


def _texts(count: int, seed: int = 11) -> list[str]:
    rng, words = random.Random(seed), top_n_list("en", 5000)
    texts: list[str] = []
    for index in range(count):
        if index % COPY_EVERY == COPY_EVERY - 1:
            texts.append(texts[rng.randrange(index)] + " Distributed by an agency, published here.")
        else:
            texts.append(" ".join(rng.choices(words, k=600)))
    return texts


def _random_signatures(count: int) -> np.ndarray:
    """Signatures shaped like datasketch's affine32 ones: 128 uint64 values below 2**32."""
    return np.random.default_rng(5).integers(0, 2**32, size=(count, 128), dtype=np.uint64)


def _rss() -> int:
    return psutil.Process().memory_info().rss


def _datasketch(stored: np.ndarray, signatures: list[bytes]) -> dict:
    from datasketch import MinHash, MinHashLSH

    from storage.dedupe import NUM_PERM, SCHEME, similarity  # numpy: same figures as jaccard()

    before = _rss()
    lsh, kept = MinHashLSH(threshold=0.5, num_perm=NUM_PERM), {}
    for number, row in enumerate(stored):
        kept[number] = row.tobytes()
        lsh.insert(number, MinHash(hashvalues=row, scheme=SCHEME))
    memory = _rss() - before
    found, times = 0, []
    for offset, sig in enumerate(signatures):
        started = time.perf_counter()
        values = np.frombuffer(sig, dtype=np.uint64)
        candidates = lsh.query(MinHash(hashvalues=values, scheme=SCHEME))
        found += any(similarity(sig, kept[key]) >= 0.5 for key in candidates)
        kept[len(stored) + offset] = sig
        lsh.insert(len(stored) + offset, MinHash(hashvalues=values, scheme=SCHEME))
        times.append(time.perf_counter() - started)
    return {"us": 1e6 * statistics.median(times), "index_mb": memory / 2**20, "found": found}


def _bands(stored: np.ndarray, signatures: list[bytes], folder: Path) -> dict:
    from sqlalchemy import insert

    from storage.dedupe import band_keys
    from storage.models import Article
    from storage.store import Store

    store = Store(f"sqlite:///{folder / 'bands.db'}")
    raw = store.engine.raw_connection()
    raw.executemany(
        "INSERT INTO articles (id, title, first_seen_at, last_seen_at, is_seed, signature) "
        "VALUES (?, '', '2024-01-01', '2024-01-01', 0, ?)",
        ((number + 1, row.tobytes()) for number, row in enumerate(stored)),
    )
    raw.commit()
    size_before = _db_size(raw)
    raw.executemany(
        "INSERT INTO near_duplicate_bands (band_key, article_id) VALUES (?, ?)",
        ((key, number + 1) for number, row in enumerate(stored) for key in band_keys(row.tobytes())),
    )
    raw.commit()
    index_mb = (_db_size(raw) - size_before) / 2**20
    raw.close()
    rss_before, found, times, index_times = _rss(), 0, [], []
    for sig in signatures:
        started, index_before = time.perf_counter(), store.near.seconds
        with store.sessions.begin() as session:
            found += store.near.find(session, sig) is not None
            article_id = session.execute(
                insert(Article).values(title="", signature=sig).returning(Article.id)
            ).scalar_one()
            store.near.add(session, article_id, sig)
        index_times.append(store.near.seconds - index_before)
        times.append(time.perf_counter() - started - index_times[-1])
    store.close()
    return {
        "us": 1e6 * statistics.median(index_times),
        "transaction_us": 1e6 * statistics.median(times),
        "index_mb": index_mb,
        "rss_growth_mb": (_rss() - rss_before) / 2**20,
        "found": found,
    }


def _db_size(raw) -> int:
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    return pages * raw.execute("PRAGMA page_size").fetchone()[0]


def one(kind: str, size: int) -> dict:
    from storage.dedupe import signature

    texts = _texts(MEASURED)
    times = []
    for text in texts:
        started = time.perf_counter()
        signature(text)
        times.append(time.perf_counter() - started)
    signatures = [signature(text) for text in texts]
    signature_us = 1e6 * statistics.median(times)
    stored = _random_signatures(size)
    if kind == "datasketch":
        result = _datasketch(stored, signatures)
    else:
        with tempfile.TemporaryDirectory() as folder:
            result = _bands(stored, signatures, Path(folder))
    return {**result, "signature_us": signature_us, "expected": MEASURED // COPY_EVERY}


def main(sizes: list[int]) -> None:
    print("\nnear-duplicate lookup + insert per article (median of 300, 1 in 5 a copy)")
    print(f"{'index':<11} {'stored':>8} {'us/article':>11} {'index MB':>9} {'copies found':>13}")
    for kind in ("datasketch", "bands"):
        for size in sizes:
            command = [sys.executable, "-m", "bench.dedupe", kind, str(size)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode:
                print(f"{kind} {size}: failed\n{done.stderr[-2000:]}")
                continue
            r = json.loads(done.stdout)
            extra = (
                f"  (+{r['transaction_us']:.0f} us article row and commit, RSS +"
                f"{r['rss_growth_mb']:.0f} MB)"
                if "transaction_us" in r
                else ""
            )
            print(
                f"{kind:<11} {size:>8} {r['us']:>11.0f} {r['index_mb']:>9.1f} "
                f"{r['found']:>6}/{r['expected']:<6}{extra}"
            )
    print(f"(the signature itself: {r['signature_us']:.0f} us per text, in the extraction pool)")


if __name__ == "__main__":
    print(json.dumps(one(sys.argv[1], int(sys.argv[2]))))
