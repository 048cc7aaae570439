"""Streaming ingestion: documents added batch by batch while the index grows, against a scan of the same documents.

Usage: ``python -m benchmarks.streaming [--docs 100000] [--batch 1000] [--sizes 10000,30000,100000]
[--redis URL | --no-redis] [--max-rss GB] [--max-minutes M]``.

The generated news corpus goes through ``Detector().add_many`` in batches, in one fresh
process, and through ``Detector.connect`` to a Redis server in another: the one given by
``--redis`` (under a prefix of its own, deleted afterwards), or else a ``redis-server``
started on 127.0.0.1 for the run when one is installed. At each checkpoint size it records
the documents per second of the last stretch and since the start (``add_many`` calls only),
the process's resident memory (current, and the peak so far), the latency of single
queries of held-out texts (copies of indexed articles and fresh articles, the same texts at
every checkpoint) and the share of planted copies reported so far. Then each checkpoint's
documents are scanned at once in a fresh process, for the ratios of ingestion to scan in
speed and in memory: the peak resident memory less that of the process once the corpus is
generated, plus the Redis server's memory for the Redis store. Start-up costs (the word
rarity table, compiling the kernels) are paid before timing, on another corpus no larger
than the work measured. An ingestion stops, saying why, when its resident memory passes
``--max-rss`` or its time ``--max-minutes``. Prints two Markdown tables.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import Corpus, copies_of, news_corpus

ROOT = Path(__file__).resolve().parent.parent
QUERIES = 200
WARM_UP_DOCS = 5_000  # a scan of this many documents compiles every kernel a larger scan uses
WARM_UP_SEED = 99
MB = 2**20


def rss_mb() -> float:
    """The process's resident memory now."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def peak_rss_mb() -> float:
    """The process's highest resident memory so far (the kernel updates its figure lazily)."""
    return max(rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def warm_up_scan(n_docs: int) -> None:
    """Pay a scan's one-time costs on another corpus of up to ``WARM_UP_DOCS`` documents."""
    from dedup import Detector

    Detector().scan(news_corpus(min(n_docs, WARM_UP_DOCS), seed=WARM_UP_SEED).docs)


def warm_up_ingestion(n_docs: int, batch: int) -> None:
    """Pay ingestion's one-time costs: two batches, at most ``n_docs`` documents, into a throwaway detector."""
    from dedup import Detector

    docs = news_corpus(min(n_docs, 2 * batch), seed=WARM_UP_SEED).docs
    det = Detector()
    for k in range(0, len(docs), batch):
        det.add_many(docs[k : k + batch])
    det.query(docs[0][1])


def held_out(corpus: Corpus, among: int, n: int = QUERIES, seed: int = 0) -> list[tuple[str | None, str]]:
    """``n`` texts to query, as ``(original, text)``.

    Half are copies of articles among the first ``among`` documents, with the original's id
    (fewer when there are not enough articles), the others fresh articles, with ``None``.
    """
    rng = np.random.default_rng(seed)
    copies = {copy for _, copy, _ in corpus.planted}
    articles = [doc for doc in corpus.docs[:among] if doc[0] not in copies]
    picked = [articles[i] for i in sorted(rng.choice(len(articles), size=min(n // 2, len(articles)), replace=False))]
    fresh = news_corpus(n - len(picked), seed=seed + 1000, planted_share=0.0).texts
    return [
        *zip((doc_id for doc_id, _ in picked), copies_of([text for _, text in picked], seed=seed), strict=True),
        *((None, text) for text in fresh),
    ]


def query_latencies(det: Any, queries: list[tuple[str | None, str]]) -> tuple[list[float], int]:
    """The milliseconds each query took, and how many of the copies among them matched their original."""
    latencies, matched = [], 0
    for original, text in queries:
        start = time.perf_counter()
        matches = det.query(text)
        latencies.append(1000 * (time.perf_counter() - start))
        matched += original is not None and original in {m.doc_id for m in matches}
    return latencies, matched


@dataclass(frozen=True)
class Limits:
    """When an ingestion stops: resident memory (MB) or time since its start (seconds)."""

    rss_mb: float = float("inf")
    seconds: float = float("inf")


def ingest(
    det: Any,
    corpus: Corpus,
    batch: int,
    checkpoints: Sequence[int],
    queries: list[tuple[str | None, str]],
    limits: Limits = Limits(),
) -> Iterator[dict[str, Any]]:
    """Add ``corpus`` to ``det`` with ``add_many`` in batches, yielding a record at each checkpoint.

    Batches end at the checkpoints. Only the ``add_many`` calls are timed. Each record has the
    documents indexed, the seconds of the last stretch and since the start, the memory, the
    query latencies in milliseconds, the share of the copies queried whose original was
    matched, and the share of the planted copies among the documents indexed whose pair
    (original, copy) was reported by the batch that added the copy or a later one. When a
    limit is passed, the last record is ``{"stopped": reason}``.
    """
    position = {doc_id: k for k, (doc_id, _) in enumerate(corpus.docs)}
    planted = {(a, b): position[b] for a, b, _ in corpus.planted}
    found: set[tuple[str, str]] = set()
    done, last, seconds, stretch, started = 0, 0, 0.0, 0.0, time.perf_counter()
    for checkpoint in sorted(checkpoints):
        while done < checkpoint:
            now, elapsed = rss_mb(), time.perf_counter() - started
            if now > limits.rss_mb or elapsed > limits.seconds:
                passed = "--max-rss" if now > limits.rss_mb else "--max-minutes"
                yield {
                    "stopped": f"stopped after {done:,} documents, past {passed}: RSS {now / 1024:.1f} GB "
                    f"(limit {limits.rss_mb / 1024:.1f}), {elapsed / 60:.1f} minutes (limit {limits.seconds / 60:.0f})"
                }
                return
            docs = corpus.docs[done : min(done + batch, checkpoint)]
            start = time.perf_counter()
            result = det.add_many(docs)
            stretch += time.perf_counter() - start
            found.update((p.a, p.b) for p in result.pairs)
            done += len(docs)
        latencies, matched = query_latencies(det, queries)
        indexed = [pair for pair, k in planted.items() if k < done]
        seconds += stretch
        yield {
            "indexed": done,
            "seconds": seconds,
            "stretch_seconds": stretch,
            "stretch_docs": done - last,
            "rss_MB": rss_mb(),
            "peak_rss_MB": peak_rss_mb(),
            "p50_ms": float(np.percentile(latencies, 50)),
            "p99_ms": float(np.percentile(latencies, 99)),
            "queried_copies_found": matched / max(1, sum(original is not None for original, _ in queries)),
            "planted_found": len(found.intersection(indexed)) / max(1, len(indexed)),
            "pairs": len(found),
        }
        last, stretch = done, 0.0


def measure_ingestion(
    n_docs: int,
    batch: int,
    checkpoints: list[int],
    redis: str | None = None,
    prefix: str = "dedup",
    max_rss_mb: float = float("inf"),
    max_seconds: float = float("inf"),
) -> None:
    """Ingest the corpus in this process, printing the records of :func:`ingest` as JSON lines."""
    from dedup import Detector

    corpus = news_corpus(n_docs, seed=1)
    queries = held_out(corpus, among=min(checkpoints))
    print(json.dumps({"before_MB": rss_mb()}), flush=True)
    warm_up_ingestion(min(checkpoints), batch)
    det = Detector() if redis is None else Detector.connect(redis, prefix=prefix)
    for record in ingest(det, corpus, batch, checkpoints, queries, Limits(max_rss_mb, max_seconds)):
        if redis is not None and "indexed" in record:
            record["server_MB"] = _server_mb(redis)
        print(json.dumps(record), flush=True)


def measure_scan(n_docs: int) -> None:
    """Scan the first ``n_docs`` documents of the corpus in this process, printing one JSON line."""
    from dedup import Detector

    corpus = news_corpus(n_docs, seed=1)
    before = rss_mb()
    warm_up_scan(n_docs)
    start = time.perf_counter()
    result = Detector().scan(corpus.docs)
    seconds = time.perf_counter() - start
    found = {(p.a, p.b) for p in result.pairs}
    planted = {(a, b) for a, b, _ in corpus.planted}
    record = {
        "indexed": n_docs,
        "seconds": seconds,
        "before_MB": before,
        "peak_rss_MB": peak_rss_mb(),
        "planted_found": len(found & planted) / max(1, len(planted)),
        "pairs": len(found),
    }
    print(json.dumps(record), flush=True)


def _server_mb(url: str) -> float:
    import redis

    with redis.Redis.from_url(url) as client:
        return client.info("memory")["used_memory"] / MB


def _delete_prefix(url: str, prefix: str) -> None:
    import redis

    with redis.Redis.from_url(url) as client:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=10_000))
        for k in range(0, len(keys), 10_000):
            client.delete(*keys[k : k + 10_000])


@contextlib.contextmanager
def local_redis() -> Iterator[str | None]:
    """The URL of a redis-server started on 127.0.0.1 for the run, or ``None`` when none can be."""
    server = shutil.which("redis-server")
    try:
        import redis
    except ImportError:
        server = None
    if server is None:
        yield None
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with (
        tempfile.TemporaryDirectory() as folder,
        subprocess.Popen([*command, "--dir", folder], stdout=subprocess.DEVNULL) as process,
    ):
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        client.close()
        try:
            yield url if process.poll() is None and time.monotonic() < deadline else None
        finally:
            process.terminate()


def _child(function: str, **arguments: Any) -> Iterator[dict[str, Any]]:
    """The JSON records a function of this module prints in a fresh process."""
    code = f"import json, sys, benchmarks.streaming as s; s.{function}(**json.loads(sys.argv[1]))"
    command = [sys.executable, "-c", code, json.dumps(arguments)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout or ():
            if line.startswith("{"):
                yield json.loads(line)
    if child.returncode != 0:
        yield {"stopped": f"the process ended with status {child.returncode}"}


def _ingestion(store: str, **arguments: Any) -> tuple[float, list[dict[str, Any]], str | None]:
    before, records = 0.0, []
    for record in _child("measure_ingestion", **arguments):
        if "stopped" in record:
            print(f"{store}: {record['stopped']}", file=sys.stderr, flush=True)
            return before, records, record["stopped"]
        if "before_MB" in record:
            before = record["before_MB"]
            continue
        print(f"{store}: {record['indexed']:,} documents indexed", file=sys.stderr, flush=True)
        records.append(record)
    return before, records, None


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _print_header(columns: Sequence[str]) -> None:
    """A Markdown table's header and the line under it."""
    print(_row(columns))
    print(_row(["---"] * len(columns)))


def main(n_docs: int, batch: int, sizes: list[int], redis: str | None, use_redis: bool, limits: Limits) -> None:
    stores: dict[str, tuple[float, list[dict[str, Any]], str | None]] = {}
    arguments = {"n_docs": n_docs, "batch": batch, "checkpoints": sizes}
    limit = {"max_rss_mb": limits.rss_mb, "max_seconds": limits.seconds}
    stores["memory"] = _ingestion("memory", **arguments, **limit)
    with contextlib.ExitStack() as stack:
        url = redis if redis is not None or not use_redis else stack.enter_context(local_redis())
        if url is None and use_redis:
            print("redis: no redis-server to start; the Redis store is not measured", file=sys.stderr)
        elif url is not None:
            prefix = f"dedup-streaming-{os.getpid()}"
            try:
                stores["redis"] = _ingestion("redis", **arguments, **limit, redis=url, prefix=prefix)
            finally:
                _delete_prefix(url, prefix)
    reached = sorted({r["indexed"] for _, records, _ in stores.values() for r in records})
    scans = {}
    for n in reached:
        [scans[n]] = _child("measure_scan", n_docs=n)
        if "stopped" in scans[n]:
            raise SystemExit(f"the scan of {n:,} documents failed: {scans[n]['stopped']}")
        print(f"scan: {n:,} documents", file=sys.stderr, flush=True)

    _print_header(
        [
            "store",
            "indexed",
            "docs/s, last stretch",
            "docs/s, cumulative",
            "RSS (MB)",
            "peak RSS (MB)",
            "Redis server (MB)",
            "query p50 (ms)",
            "query p99 (ms)",
            "queried copies found",
            "planted found",
        ]
    )
    for store, (_, records, _) in stores.items():
        for r in records:
            server = f"{r['server_MB']:,.0f}" if "server_MB" in r else "—"
            print(
                _row(
                    [
                        store,
                        f"{r['indexed']:,}",
                        f"{r['stretch_docs'] / r['stretch_seconds']:,.0f}",
                        f"{r['indexed'] / r['seconds']:,.0f}",
                        f"{r['rss_MB']:,.0f}",
                        f"{r['peak_rss_MB']:,.0f}",
                        server,
                        f"{r['p50_ms']:.1f}",
                        f"{r['p99_ms']:.1f}",
                        f"{r['queried_copies_found']:.0%}",
                        f"{r['planted_found']:.1%}",
                    ]
                )
            )
    print()
    _print_header(
        [
            "store",
            "documents",
            "add_many docs/s",
            "scan docs/s",
            "add_many/scan docs/s",
            "add_many memory (MB)",
            "scan memory (MB)",
            "add_many/scan memory",
            "planted found: add_many",
            "planted found: scan",
        ]
    )
    for store, (before, records, _) in stores.items():
        for r in records:
            s = scans[r["indexed"]]
            ingested, scanned = r["indexed"] / r["seconds"], s["indexed"] / s["seconds"]
            memory = r["peak_rss_MB"] - before + r.get("server_MB", 0.0)
            scan_memory = max(1.0, s["peak_rss_MB"] - s["before_MB"])
            print(
                _row(
                    [
                        store,
                        f"{r['indexed']:,}",
                        f"{ingested:,.0f}",
                        f"{scanned:,.0f}",
                        f"{ingested / scanned:.2f}",
                        f"{memory:,.0f}",
                        f"{scan_memory:,.0f}",
                        f"{memory / scan_memory:.1f}",
                        f"{r['planted_found']:.1%}",
                        f"{s['planted_found']:.1%}",
                    ]
                )
            )
    for store, (_, _, stopped) in stores.items():
        if stopped is not None:
            print(f"\n{store}: {stopped}")


def _sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",")]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Streaming ingestion with add_many, against a scan.")
    parser.add_argument("--docs", type=int, default=100_000, help="documents to ingest")
    parser.add_argument("--batch", type=int, default=1_000, help="documents per add_many call")
    parser.add_argument(
        "--sizes", type=_sizes, help="checkpoints, comma-separated (default 10000,30000,100000 up to --docs)"
    )
    server = parser.add_mutually_exclusive_group()
    server.add_argument("--redis", help="a Redis URL to ingest into as well (default: a local redis-server)")
    server.add_argument("--no-redis", action="store_true", help="measure the memory store only")
    parser.add_argument("--max-rss", type=float, default=12.0, help="GB of RSS at which an ingestion stops")
    parser.add_argument("--max-minutes", type=float, default=180.0, help="minutes at which an ingestion stops")
    args = parser.parse_args()
    sizes = args.sizes or [size for size in (10_000, 30_000, 100_000) if size < args.docs]
    if args.docs < 1 or args.batch < 1:
        parser.error(f"--docs and --batch must be at least 1, got {args.docs} and {args.batch}")
    if not all(1 <= size <= args.docs for size in sizes):
        parser.error(f"--sizes must lie between 1 and --docs ({args.docs}), got {args.sizes}")
    limits = Limits(rss_mb=args.max_rss * 1024, seconds=args.max_minutes * 60)
    main(args.docs, args.batch, sorted({*sizes, args.docs}), args.redis, not args.no_redis, limits)
