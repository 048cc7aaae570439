"""Text -> 128-permutation signature throughput of dedup, datasketch and rensa, timed alternately.

Usage: ``python -m benchmarks.throughput [ROUNDS]``. Each round times every method once on
the same texts, in turn, so that load on a shared machine hits all of them alike; the
table gives the median over rounds. Two corpora: the generated one of the benchmarks, and
about 3 KB pieces of the real articles in ``../shared/data`` when that folder exists.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from dedup import MinHasher, _kernels

from .corpus import news_corpus
from .references import datasketch_bulk, datasketch_update_loop, rensa_minhashes

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def shared_corpus(n_docs: int = 1000, size: int = 3000) -> list[str]:
    """``n_docs`` pieces of ``size`` characters cut from the real articles, in a fixed order."""
    texts = []
    with open(SHARED / "semeval2022-task8-en" / "pairs.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            texts += [row["text1"], row["text2"]]
    texts += [p.read_text("utf-8", "replace") for p in sorted((SHARED / "clough-stevenson-2011").glob("orig_*.txt"))]
    blob = "\n\n".join(texts)
    return [blob[(i * size) % (len(blob) - size) :][:size] for i in range(n_docs)]


def methods(texts: list[str]) -> dict[str, Callable[[], object]]:
    mh = MinHasher(num_perm=128)

    def numpy_only() -> object:
        saved = _kernels.MIN_BYTES, _kernels.MIN_SHINGLES
        _kernels.MIN_BYTES = _kernels.MIN_SHINGLES = 1 << 62
        try:
            return mh.signatures(texts)
        finally:
            _kernels.MIN_BYTES, _kernels.MIN_SHINGLES = saved

    found: dict[str, Callable[[], object]] = {
        "dedup MinHasher": lambda: mh.signatures(texts),
        "dedup MinHasher, numpy only": numpy_only,
        "datasketch MinHash.bulk (word 5-grams)": lambda: datasketch_bulk(texts),
        "datasketch update loop (word 5-grams)": lambda: datasketch_update_loop(texts),
    }
    try:
        import rensa  # noqa: F401
    except ImportError:
        return found
    found["rensa RMinHash (word 5-grams)"] = lambda: rensa_minhashes(texts)
    return found


def table(name: str, texts: list[str], rounds: int) -> None:
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    runs = methods(texts)
    for run in runs.values():
        run()  # warm up: compiles the kernels, loads tables
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(rounds):
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            times[label].append(time.perf_counter() - start)
    median = {label: statistics.median(t) for label, t in times.items()}
    bulk = median["datasketch MinHash.bulk (word 5-grams)"]
    print(f"\n{name}: {len(texts)} documents, {megabytes:.1f} MB, median of {rounds} rounds\n")
    print("| method | MB/s | docs/s | dedup is faster by |")
    print("|---|---|---|---|")
    ours = median["dedup MinHasher"]
    for label, seconds in sorted(median.items(), key=lambda kv: kv[1]):
        ratio = "—" if label.startswith("dedup") else f"{seconds / ours:.1f}x"
        print(f"| {label} | {megabytes / seconds:.1f} | {len(texts) / seconds:,.0f} | {ratio} |")
    print(f"\ndedup / datasketch bulk: {bulk / ours:.1f}x")


def main(rounds: int) -> None:
    table("generated news-like corpus", news_corpus(1000, seed=4).texts, rounds)
    if SHARED.is_dir():
        table("pieces of real articles from ../shared/data", shared_corpus(), rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
