"""What a new process pays before its work: compiled kernels come from disk, heavy libraries load when needed.

Each test runs a fresh interpreter, since what matters is what one process imports and
finds on disk, with warnings raised as errors.
"""

import json
import os
import subprocess
import sys

import pytest

import dedup
from dedup import _kernels

from .conftest import SEEDS

# Runs the agreement kernel on rows that agree at 0, 2 and 3 positions, and prints the
# result with where numba cached it and how often it found compiled code there.
AGREEMENTS = """
import json
import numpy as np
from dedup import _cache, _jit, _kernels
values = np.array([[1, 2, 3], [4, 5, 6], [1, 0, 3], [1, 2, 3]], dtype=np.uint8)
counts = _kernels.agreements(values, [0, 0, 0], [1, 2, 3])
stats = _jit.agreements.stats
print(json.dumps({
    "counts": counts.tolist(),
    "folder": _cache.numba_folder(),
    "hits": sum(stats.cache_hits.values()),
    "misses": sum(stats.cache_misses.values()),
}))
"""


def run(code: str, **env: str) -> str:
    """The standard output of ``code`` in a new interpreter; its standard error must stay empty."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "XDG_CACHE_HOME")}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_import_dedup_leaves_the_heavy_libraries_unimported():
    loaded = set(json.loads(run("import json, sys, dedup; print(json.dumps(sorted(sys.modules)))")))
    assert "dedup" in loaded
    assert {"sklearn", "scipy", "datasketch", "numba", "wordfreq"}.isdisjoint(loaded)


def test_names_loaded_on_first_use_are_those_of_their_modules():
    from dedup._align import align
    from dedup._detector import Detector
    from dedup._rerank import Scores

    assert (dedup.Detector, dedup.align, dedup.Scores) == (Detector, align, Scores)
    assert {"Detector", "align", "Scores"} <= set(dir(dedup))
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        dedup.Nothing  # noqa: B018


def test_compiled_kernels_are_cached_on_disk_for_the_next_process(tmp_path):
    pytest.importorskip("numba", reason="numba is not installed (the 'fast' extra)")
    folder = tmp_path / "numba"
    first = json.loads(run(AGREEMENTS, NUMBA_CACHE_DIR=str(folder)))
    assert first == {"counts": [0, 2, 3], "folder": str(folder), "hits": 0, "misses": 1}
    assert any(path.suffix == ".nbi" for path in folder.rglob("*"))
    second = json.loads(run(AGREEMENTS, NUMBA_CACHE_DIR=str(folder)))
    assert second == {"counts": [0, 2, 3], "folder": str(folder), "hits": 1, "misses": 0}


def test_kernels_are_cached_in_the_user_cache_folder_by_default(tmp_path):
    pytest.importorskip("numba", reason="numba is not installed (the 'fast' extra)")
    result = json.loads(run(AGREEMENTS, XDG_CACHE_HOME=str(tmp_path)))
    assert result["folder"] == str(tmp_path / "dedup" / "numba")
    assert any(path.suffix == ".nbi" for path in (tmp_path / "dedup" / "numba").rglob("*"))


def test_an_unwritable_cache_folder_leaves_the_kernels_uncached_and_silent(tmp_path):
    pytest.importorskip("numba", reason="numba is not installed (the 'fast' extra)")
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # no folder can be made under a file, whoever runs the test
    for _ in range(2):
        result = json.loads(run(AGREEMENTS, NUMBA_CACHE_DIR=str(blocker / "numba")))
        assert result == {"counts": [0, 2, 3], "folder": None, "hits": 0, "misses": 1}
    assert blocker.is_file()


# Scores two seed articles (a rewrite and its source) and prints the scores with the
# libraries the process imported; the tokeniser's kernel is left out, which would only
# compile it for the rarity table.
SCAN = """
import json, sys
from pathlib import Path
from dedup import Detector, _kernels
_kernels.MIN_BYTES = 1 << 62
texts = [(p.name, p.read_text("utf-8")) for p in sorted(Path({seeds!r}).glob("00[01]_*.txt"))]
pair = Detector().scan(texts).pairs[0]
print(json.dumps({{
    "scores": pair.scores.as_dict(),
    "loaded": sorted({{"numba", "wordfreq"}} & set(sys.modules)),
}}))
"""


def test_the_rarity_table_is_kept_for_the_next_process_which_loads_neither_numba_nor_wordfreq(tmp_path):
    code = SCAN.format(seeds=str(SEEDS))
    first = json.loads(run(code, XDG_CACHE_HOME=str(tmp_path)))
    assert first["loaded"] == ["wordfreq"]
    assert [path.suffix for path in (tmp_path / "dedup" / "rarity").iterdir()] == [".npz"]
    second = json.loads(run(code, XDG_CACHE_HOME=str(tmp_path)))
    assert second == {"scores": first["scores"], "loaded": []}


def test_a_damaged_or_unwritable_cache_gives_the_same_scores_silently(tmp_path):
    code = SCAN.format(seeds=str(SEEDS))
    expected = json.loads(run(code, XDG_CACHE_HOME=str(tmp_path / "cache")))["scores"]
    (table,) = (tmp_path / "cache" / "dedup" / "rarity").iterdir()
    table.write_bytes(table.read_bytes()[:1000])
    assert json.loads(run(code, XDG_CACHE_HOME=str(tmp_path / "cache")))["scores"] == expected
    assert json.loads(run(code, XDG_CACHE_HOME=str(tmp_path / "cache")))["loaded"] == []  # made again whole
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert json.loads(run(code, XDG_CACHE_HOME=str(blocker)))["scores"] == expected


def test_the_alignment_kernel_waits_until_numpy_has_done_its_share(monkeypatch):
    monkeypatch.setattr(_kernels, "CELLS_BEFORE_KERNEL", 10_000)
    monkeypatch.setattr(_kernels, "_cells_with_numpy", 0)
    monkeypatch.setattr(_kernels, "available", lambda: True)
    assert [_kernels.aligns(6_000) for _ in range(3)] == [False, False, True]
    assert not _kernels.aligns(_kernels.MIN_CELLS - 1)
