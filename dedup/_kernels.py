"""Compiled kernels for the hot path, used when numba is installed (the ``fast`` extra).

Each kernel computes exactly what the numpy code beside it computes (the tests compare
them on the same input); numba only removes numpy's one-pass-per-operation overhead by
fusing the passes into one loop. The kernels themselves are in ``_jit``.

Compiling them takes seconds, so they run only on batches large enough to repay it, and
the compiled code is kept on disk (see :func:`_cache.numba_folder`) for later processes, which
load it in a fraction of a second. numba itself, slow to import, is imported only when a
batch first reaches a kernel: callers check the size before :func:`available`.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

import numpy as np

#: Bytes of text (tokeniser), shingles (signatures), cells (alignment), pairs of rows
#: (agreements) or keys (merge) from which a kernel is used.
MIN_BYTES = 1 << 18
MIN_SHINGLES = 1 << 15
MIN_CELLS = 1 << 12
MIN_PAIRS = 1 << 12
#: Keys of two sorted arrays from which :func:`merge_sorted` and :func:`merge_rows` merge them.
MIN_MERGED = 1 << 20
#: Sorted keys looked up at once from which :func:`sorted_spans` finds their places.
MIN_SEARCHED = 1 << 14
#: Cells of alignment tables a process computes with numpy before it turns to the alignment
#: kernel: a few tenths of a second of numpy work, about what importing numba and loading the
#: compiled kernel take. The other kernels run on whole batches; the alignment runs once a
#: candidate pair, on tables well above MIN_CELLS, so without this a scan of two articles
#: would load numba to save a few milliseconds.
CELLS_BEFORE_KERNEL = 1 << 22
_cells_with_numpy = 0


@functools.cache
def _compiled() -> ModuleType | None:
    try:
        from . import _jit
    except ImportError:  # numba is not installed, or not for this numpy
        return None
    return _jit


def available() -> bool:
    """Whether numba is installed, so that the kernels can be used (imports it)."""
    return _compiled() is not None


def aligns(cells: int) -> bool:
    """Whether to compute an alignment table of ``cells`` cells with :func:`lcs_rows`; counts it when not."""
    global _cells_with_numpy
    if cells >= MIN_CELLS and _cells_with_numpy >= CELLS_BEFORE_KERNEL and available():
        return True
    _cells_with_numpy += cells
    return False


def tokens(b: Any, high: Any, high_word: Any, sentence_ends: Any) -> tuple[Any, Any, Any]:
    """Token hashes, start offsets and flags of a byte buffer (see ``_tokenize``)."""
    kernels = _compiled()
    assert kernels is not None
    size = len(b) // 2 + 2
    hashes = np.empty(size, dtype=np.uint32)
    starts = np.empty(size, dtype=np.int64)
    flags = np.empty(size, dtype=np.uint8)
    count = kernels.tokens(b, high, high_word, sentence_ends, hashes, starts, flags)
    return hashes[:count], starts[:count], flags[:count]


def affine32(hashes: Any, bounds: Any, a: Any, b: Any, out: Any) -> None:
    """Fold the shingle hashes of each document into its row of ``out`` (see ``_minhash``)."""
    kernels = _compiled()
    assert kernels is not None
    kernels.affine32(hashes, bounds, a, b, out)


def lcs_rows(a: Any, weights_a: Any, b: Any, rows: Any) -> Any:
    """Rows of the heaviest-common-subsequence table (see ``_lcs.common_rows``)."""
    kernels = _compiled()
    assert kernels is not None
    table = np.zeros((len(rows), len(b) + 1), dtype=np.int64)
    # Contiguous copies of reversed views: one compiled version serves both directions.
    a, weights_a, b, rows = (np.ascontiguousarray(x) for x in (a, weights_a.astype(np.int64), b, rows))
    kernels.lcs_rows(a, weights_a, b, rows, table)
    return table


def agreements(values: Any, left: Any, right: Any, other: Any = None) -> Any:
    """How many entries row ``left[k]`` of ``values`` and row ``right[k]`` of ``other`` (default
    ``values``) have in common (see ``_arrays.agreements``)."""
    kernels = _compiled()
    assert kernels is not None
    out = np.empty(len(left), dtype=np.int64)
    other = values if other is None else other
    kernels.agreements(values, other, np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), out)
    return out


#: Pairs a call of :func:`gated_collisions` hands back at a time.
COLLISIONS_PER_CALL = 1 << 16


def gated_collisions(order: Any, starts: Any, ends: Any, low: Any, sizes: Any, among: Any, gate: float) -> Any:
    """The pairs ``(a, b)``, ``a < b``, of rows ``order[starts[g]:ends[g]]`` of each bucket ``g``
    whose low bytes pass the overlap gate (see ``_candidates.overlapping``), never holding
    more than :data:`COLLISIONS_PER_CALL` pairs that fail it."""
    kernels = _compiled()
    assert kernels is not None
    state = np.zeros(3, dtype=np.int64)
    parts = []
    while state[0] < len(starts):
        out = np.empty((COLLISIONS_PER_CALL, 2), dtype=np.int64)
        count = kernels.gated_collisions(order, starts, ends, low, sizes, among, gate, state, out)
        parts.append(out[:count])
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


def merge_sorted(keys_a: Any, slots_a: Any, keys_b: Any, slots_b: Any) -> tuple[Any, Any]:
    """Two sorted arrays of keys, each key with a slot, merged into one in one pass, the keys of
    ``b`` after equal keys of ``a`` (see ``_lsh._Sorted.merge``)."""
    kernels = _compiled()
    assert kernels is not None
    keys = np.empty(len(keys_a) + len(keys_b), dtype=keys_a.dtype)
    slots = np.empty(len(keys), dtype=slots_a.dtype)
    kernels.merge_sorted(keys_a, slots_a, keys_b, slots_b, keys, slots)
    return keys, slots


def merge_rows(a: Any, b: Any) -> Any:
    """Two sorted arrays merged into one sorted array in one pass (see ``_lsh._Packed.merge``)."""
    kernels = _compiled()
    assert kernels is not None
    out = np.empty(len(a) + len(b), dtype=a.dtype)
    kernels.merge_rows(a, b, out)
    return out


def sorted_spans(haystack: Any, needles: Any, mask: Any) -> tuple[Any, Any]:
    """Where each of the sorted ``needles`` starts and ends among the sorted ``haystack``'s
    keys under ``mask``, in one pass (see ``_arrays.search_spans``)."""
    kernels = _compiled()
    assert kernels is not None
    lo = np.empty(len(needles), dtype=np.int64)
    hi = np.empty(len(needles), dtype=np.int64)
    kernels.sorted_spans(haystack, needles, np.uint64(mask), lo, hi)
    return lo, hi
