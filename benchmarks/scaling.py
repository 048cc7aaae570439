"""Scan throughput and peak memory at growing corpus sizes, one fresh process per size.

Two modes. ``python -m benchmarks.scaling --cli [--max-rss GB] [--max-minutes M] 100000
300000 1000000`` scans as a user would: each corpus is written once as JSON lines to a
temporary folder (streamed, so that the generator holds no texts) and scanned with
``python -m dedup scan FILE --id-field id --format jsonl`` in a child process, start-up
included. Peak RSS is the child's own (``wait4``); planted recall is read from its JSON-lines
output. A watchdog kills the child, and the size is reported as stopped, when its RSS passes
``--max-rss`` (16 GB by default) or its time ``--max-minutes`` (60); the larger sizes are then
skipped. Prints one Markdown table row per size: documents, megabytes, seconds, documents per
second, time per document relative to the first size, peak RSS, pairs found and the share of
planted copies found.

``python -m benchmarks.scaling [--rounds R] 10000 30000 100000`` measures ``Detector.scan``
in-process instead. One-time start-up
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
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


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


def write_jsonl(path: Path, n_docs: int, seed: int = 1) -> tuple[list[tuple[str, str, str]], int]:
    """Write ``news_corpus(n_docs, seed)`` to ``path`` as JSON lines ``{"id", "text"}``.

    Returns the planted ``(original, copy, kind)`` triples and the bytes of text. Only the
    offsets of the lines are kept: a planted copy reads its original back from the file.
    """
    from .corpus import news_documents

    offsets = array("q")
    planted: list[tuple[str, str, str]] = []
    text_bytes = 0
    with path.open("w+b") as out:

        def text_of(i: int) -> str:
            end = out.tell()
            out.seek(offsets[i])
            line = out.readline()
            out.seek(end)
            text: str = json.loads(line)["text"]
            return text

        for doc_id, text, copy in news_documents(n_docs, text_of, seed=seed):
            offsets.append(out.tell())
            out.write(json.dumps({"id": doc_id, "text": text}).encode("utf-8") + b"\n")
            text_bytes += len(text.encode("utf-8"))
            if copy is not None:
                planted.append(copy)
    return planted, text_bytes


def planted_recall(report_lines: Iterable[str], planted: Iterable[tuple[str, str, str]]) -> tuple[int, float]:
    """The pairs in a ``--format jsonl`` report and the share of ``planted`` pairs among them, in either order."""
    found = set()
    for line in report_lines:
        if line.strip():
            record = json.loads(line)
            found.add(frozenset((record["a"], record["b"])))
    wanted = {frozenset((a, b)) for a, b, _ in planted}
    return len(found), len(found & wanted) / max(1, len(wanted))


@dataclass(frozen=True)
class CliRun:
    seconds: float
    peak_rss_mb: float
    stopped: str | None  # why the watchdog killed the scan, or None when it finished


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def scan_cli(path: Path, report: Path, max_rss_mb: float, max_seconds: float) -> CliRun:
    """Run the CLI's scan of ``path`` with its JSON-lines report in ``report``, under a watchdog."""
    command = [sys.executable, "-m", "dedup", "scan", str(path), "--id-field", "id", "--format", "jsonl"]
    start = time.perf_counter()
    with report.open("wb") as out:
        child = subprocess.Popen(command, stdout=out)
    stopped = None
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.perf_counter() - start
        rss = _rss_mb(child.pid)
        if stopped is None and (rss > max_rss_mb or elapsed > max_seconds):
            stopped = f"RSS {rss:,.0f} MB > --max-rss" if rss > max_rss_mb else f"{elapsed:.0f} s > --max-minutes"
            child.send_signal(signal.SIGKILL)
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if stopped is None and child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with status {child.returncode}")
    return CliRun(seconds, usage.ru_maxrss / 1024, stopped)


def main_cli(sizes: list[int], max_rss_mb: float, max_seconds: float, folder: str | None) -> None:
    print("| documents | MB | seconds | docs/s | time per doc (relative) | peak RSS (MB) | pairs | planted found |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    unit = None
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        for n in sizes:
            corpus, report = Path(tmp) / f"news-{n}.jsonl", Path(tmp) / f"pairs-{n}.jsonl"
            planted, text_bytes = write_jsonl(corpus, n)
            run = scan_cli(corpus, report, max_rss_mb, max_seconds)
            corpus.unlink()
            if run.stopped:
                print(
                    f"| {n:,} | {text_bytes / 1e6:.0f} | stopped after {run.seconds:.0f} s: {run.stopped} "
                    f"| | | {run.peak_rss_mb:,.0f} | | |",
                    flush=True,
                )
                break
            with report.open() as lines:
                pairs, recall = planted_recall(lines, planted)
            unit = unit or run.seconds / n
            print(
                f"| {n:,} | {text_bytes / 1e6:.0f} | {run.seconds:.1f} | {n / run.seconds:,.0f} | "
                f"{run.seconds / n / unit:.2f} | {run.peak_rss_mb:,.0f} | {pairs:,} | {recall:.1%} |",
                flush=True,
            )


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
    parser.add_argument("--cli", action="store_true", help="scan JSON lines files with the CLI, one run per size")
    parser.add_argument("--max-rss", type=float, default=16.0, help="with --cli: GB of RSS at which a scan is killed")
    parser.add_argument("--max-minutes", type=float, default=60.0, help="with --cli: minutes at which a scan is killed")
    parser.add_argument("--tmp", default=None, help="with --cli: folder for the corpus files (default: the system's)")
    args = parser.parse_args()
    if args.cli:
        main_cli(args.sizes, args.max_rss * 1024, args.max_minutes * 60, args.tmp)
    else:
        main(args.sizes, args.rounds)
