"""Scan throughput and peak memory at growing corpus sizes, one fresh process per size.

Usage: ``python -m benchmarks.scaling [--rounds R] 10000 30000 100000``. One-time start-up
costs (loading the word rarity table, compiling the kernels) are paid before timing. Every
size runs once per round, the sizes in turn, and the fastest of its rounds is reported: the
machines are shared, and on a virtual machine the first process to use a range of memory
can pay several times more for its page faults than the next one. Prints one Markdown table
row per size: documents, megabytes, seconds, documents per second, time per document
relative to the first size, peak resident memory, pairs found and the share of planted
copies found.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def measure(n_docs: int) -> dict[str, float]:
    import numpy as np

    from dedup import Detector, _kernels

    from .corpus import news_corpus

    corpus = news_corpus(n_docs, seed=1)
    _kernels.CELLS_BEFORE_KERNEL = 0  # the alignment kernel from the first pair, as in a process long under way
    Detector().scan(news_corpus(300, seed=2).docs)  # one-time costs: word rarity table, kernel compilation
    if _kernels.available():  # and the collision filter's kernel, which 300 documents do not reach
        _kernels.agreements(np.zeros((2, 8), dtype=np.uint8), [0], [1])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    result = Detector().scan(corpus.docs)
    seconds = time.perf_counter() - start
    found = {(p.a, p.b) for p in result.pairs}
    planted = {(a, b) for a, b, _ in corpus.planted}
    return {
        "docs": n_docs,
        "MB": corpus.bytes / 1e6,
        "seconds": seconds,
        "rss_before_MB": before,
        "peak_rss_MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pairs": len(found),
        "planted_recall": len(found & planted) / max(1, len(planted)),
    }


def _run(n_docs: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", f"import json, benchmarks.scaling as s; print(json.dumps(s.measure({n_docs})))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int], rounds: int) -> None:
    best: dict[int, dict[str, float]] = {}
    for _ in range(rounds):
        for n in sizes:
            r = _run(n)
            if n not in best or r["seconds"] < best[n]["seconds"]:
                best[n] = r
    print(
        "| documents | MB | seconds | docs/s | MB/s | time per doc (relative) "
        "| peak RSS (MB) | corpus RSS (MB) | pairs | planted found |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    unit = best[sizes[0]]["seconds"] / sizes[0]
    for n in sizes:
        r = best[n]
        print(
            f"| {r['docs']:,} | {r['MB']:.0f} | {r['seconds']:.1f} | {r['docs'] / r['seconds']:,.0f} | "
            f"{r['MB'] / r['seconds']:.1f} | {r['seconds'] / n / unit:.2f} | {r['peak_rss_MB']:,.0f} | "
            f"{r['rss_before_MB']:,.0f} | {r['pairs']:,} | {r['planted_recall']:.1%} |",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Scan time and memory at growing corpus sizes.")
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 30_000, 100_000])
    parser.add_argument("--rounds", type=int, default=2, help="runs per size; the fastest is reported")
    args = parser.parse_args()
    main(args.sizes, args.rounds)
