"""LSH index insert and query throughput and memory: dedup's LSHIndex against datasketch's MinHashLSH.

Usage: ``python -m benchmarks.index_speed [N_DOCS]``. Both indexes get the same signatures and
the same bands and rows; the candidate sets of every query are checked to be identical.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from datasketch import MinHashLSH

from dedup import MinHasher
from dedup._lsh import LSHIndex

from .corpus import news_corpus


def measure(n_docs: int, num_perm: int, bands: int, rows: int) -> str:
    mh = MinHasher(num_perm=num_perm)
    signatures = mh.signatures(news_corpus(n_docs, seed=3).texts)
    lean = [mh.to_datasketch(s) for s in signatures]

    tracemalloc.start()
    start = time.perf_counter()
    theirs = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    for i, m in enumerate(lean):
        theirs.insert(i, m)
    their_insert = time.perf_counter() - start
    their_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    start = time.perf_counter()
    their_results = [sorted(theirs.query(m)) for m in lean]
    their_query = time.perf_counter() - start

    start = time.perf_counter()
    ours = LSHIndex(bands, rows)
    keys = ours.keys(signatures)
    for i in range(n_docs):  # one at a time, as a pipeline inserts
        ours.insert(keys[i : i + 1])
    our_insert = time.perf_counter() - start
    start = time.perf_counter()
    our_results = [ours.query(k).tolist() for k in keys]
    our_query = time.perf_counter() - start

    assert our_results == their_results, "candidate sets differ"
    return (
        f"| {n_docs:,} | {num_perm} | {bands}x{rows} | {n_docs / our_insert:,.0f} | {n_docs / their_insert:,.0f} "
        f"| {n_docs / our_query:,.0f} | {n_docs / their_query:,.0f} | {ours.nbytes / 1e6:.1f} "
        f"| {their_bytes / 1e6:.1f} | {signatures.nbytes / 1e6:.1f} | yes |"
    )


def main(n_docs: int) -> None:
    print(
        "| docs | perms | bands x rows | our inserts/s | datasketch inserts/s | our queries/s | datasketch queries/s "
        "| our MB | datasketch MB | signature MB | same candidates |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for num_perm, bands, rows in ((128, 25, 5), (256, 128, 2)):
        print(measure(n_docs, num_perm, bands, rows), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
