"""Where a CLI scan spends its time and memory, stage by stage.

``python -m benchmarks.stages FILE.jsonl [OPTION...]`` runs ``python -m dedup scan FILE.jsonl
--id-field id --format jsonl [OPTION...]`` (``--no-partial-reuse``, say) in this process (the
report goes to ``/dev/null``) and prints, on standard
error, the seconds since start, the resident memory and the peak so far as each stage of the
scan begins and ends: keying the lines for page chrome, sketching the texts, candidate pairs,
judging them (twice when copied lines are put back), and explaining the pairs found.
Write a corpus with ``python -c "from pathlib import Path; from benchmarks.scaling import
write_jsonl; write_jsonl(Path('news.jsonl'), 100000)"``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from dedup import _detector, _scan
from dedup._cli import main as dedup_main

_START = time.perf_counter()


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:"))


def _say(event: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    elapsed = time.perf_counter() - _START
    print(f"{elapsed:8.1f} s  {event:<14} RSS {_rss_mb():>6,} MB  peak {peak:>6,} MB", file=sys.stderr)


def _timed(name: str, stage: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(stage)
    def run(*args: Any, **kwargs: Any) -> Any:
        _say(f"> {name}")
        result = stage(*args, **kwargs)
        _say(f"< {name}")
        return result

    return run


STAGES = ((_scan, "Lines"), (_scan, "sketch"), (_scan, "candidates"), (_scan, "judge_pairs"), (_detector, "explain"))


def main(path: str, *options: str) -> int:
    originals = [getattr(module, name) for module, name in STAGES]
    for (module, name), stage in zip(STAGES, originals, strict=True):
        setattr(module, name, _timed(name, stage))
    try:
        _say("reading")
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            status = dedup_main(["scan", path, "--id-field", "id", "--format", "jsonl", *options])
        _say("done")
    finally:
        for (module, name), stage in zip(STAGES, originals, strict=True):
            setattr(module, name, stage)
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
