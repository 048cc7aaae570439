"""Scan throughput and peak memory at growing corpus sizes, one fresh process per size.

Usage: ``python -m benchmarks.scaling 10000 30000 100000``. One-time start-up costs (loading
the word rarity table, compiling the kernels) are paid before timing. Prints one Markdown
table row per size: documents, megabytes, seconds, documents per second, peak resident memory,
pairs found and the share of planted copies found.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def measure(n_docs: int) -> dict[str, float]:
    from dedup import Detector

    from .corpus import news_corpus

    corpus = news_corpus(n_docs, seed=1)
    Detector().scan(news_corpus(300, seed=2).docs)  # one-time costs: word rarity table, kernel compilation
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


def main(sizes: list[int]) -> None:
    print("| documents | MB | seconds | docs/s | MB/s | peak RSS (MB) | corpus RSS (MB) | pairs | planted found |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-c", f"import json, benchmarks.scaling as s; print(json.dumps(s.measure({n})))"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"| {r['docs']:,} | {r['MB']:.0f} | {r['seconds']:.1f} | {r['docs'] / r['seconds']:,.0f} | "
            f"{r['MB'] / r['seconds']:.1f} | {r['peak_rss_MB']:,.0f} | {r['rss_before_MB']:,.0f} | "
            f"{r['pairs']:,} | {r['planted_recall']:.1%} |",
            flush=True,
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 30_000, 100_000])
