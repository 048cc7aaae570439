"""Start-up: the wall time of fresh processes, with an empty cache folder (cold) and a filled one (warm).

Usage: ``python -m benchmarks.startup [--rounds R]``. Every command runs in a new process
whose ``XDG_CACHE_HOME`` is a temporary folder, emptied before each cold run and kept
between warm runs (after one run to fill it), so the user's own cache is left alone. The
10,000-document index is built once, with ``dedup index add``, from the generated corpus.
Prints one Markdown table row per command with the medians of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import news_corpus

ROOT = Path(__file__).resolve().parent.parent


def seconds(command: list[str], cache: Path) -> float:
    """Wall time of ``python command`` run from the project's folder with ``cache`` as its cache folder."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache)
    start = time.perf_counter()
    subprocess.run([sys.executable, *command], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def cold_and_warm(command: list[str], work: Path, rounds: int) -> tuple[float, float]:
    cold = []
    for _ in range(rounds):
        shutil.rmtree(work / "cold", ignore_errors=True)
        cold.append(seconds(command, work / "cold"))
    seconds(command, work / "warm")
    warm = [seconds(command, work / "warm") for _ in range(rounds)]
    return statistics.median(cold), statistics.median(warm)


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = news_corpus(10_000)
        with open(work / "news.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"id": doc_id, "text": text}) + "\n" for doc_id, text in corpus.docs)
        (work / "query.txt").write_text(corpus.docs[1234][1].replace("the", "a", 5), "utf-8")
        index = str(work / "index")
        seconds(["-m", "dedup", "index", "add", str(work / "news.jsonl"), "--id-field", "id", "--index", index], work)
        commands = {
            "`python -c pass` (the interpreter alone)": ["-c", "pass"],
            "`import dedup`": ["-c", "import dedup"],
            "`python -m dedup scan seeds`": ["-m", "dedup", "scan", "seeds"],
            "`python -m dedup index query FILE` (10,000 documents)": [
                "-m",
                "dedup",
                "index",
                "query",
                str(work / "query.txt"),
                "--index",
                index,
            ],
        }
        print("| command | cold (s) | warm (s) |")
        print("|---|---|---|")
        for name, command in commands.items():
            cold, warm = cold_and_warm(command, work, rounds)
            print(f"| {name} | {cold:.2f} | {warm:.2f} |", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Wall time of fresh processes, cold and warm.")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each command, cold and warm; medians reported")
    main(parser.parse_args().rounds)
