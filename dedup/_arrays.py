"""Array helpers shared by the stages: distinct values, codes, selections and row comparisons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _kernels
from ._types import I64, U32, U64, Bools


def doc_index(bounds: I64) -> I64:
    """The document number of each element of a flat array split at ``bounds``."""
    return np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array.

    Sorting and masking repeats is several times faster than ``np.unique`` on the large
    integer arrays of a batch (numpy 2 answers ``np.unique`` with a hash table).
    """
    ordered = np.sort(values, axis=None)
    return ordered[np.concatenate((np.ones(min(len(ordered), 1), dtype=bool), ordered[1:] != ordered[:-1]))]


def runs(ordered: np.ndarray) -> tuple[I64, I64]:
    """The start and length of each run of equal values of a sorted array.

    Examples
    --------
    >>> [a.tolist() for a in runs(np.array([3, 3, 5, 8, 8, 8]))]
    [[0, 2, 3], [2, 1, 3]]
    """
    starts = np.flatnonzero(np.concatenate((np.ones(min(len(ordered), 1), dtype=bool), ordered[1:] != ordered[:-1])))
    return starts, np.diff(np.append(starts, len(ordered)))


#: A mask that keeps every bit of a key.
WHOLE_KEY = (1 << 64) - 1


def search_spans(haystack: U64, needles: U64, mask: int = WHOLE_KEY) -> tuple[I64, I64]:
    """Where each of ``needles`` starts and ends among ``haystack``: the index's look-ups,
    a batch's keys among all the stored ones. Both are sorted, and keys are compared under
    ``mask`` (the needles hold no bit outside it): rows whose low bits are a slot or a
    document number (``_lsh._Packed``, ``_candidates.shared_keys``) compare by their key.

    numpy searches each key from the previous one's place to the end of the array; the
    compiled kernel gallops from that place, which costs the logarithm of the gap between
    two keys' places, a few steps where numpy takes some twenty-five in a large index, and
    finds each end from its start.

    Examples
    --------
    >>> rows = np.array([0x10, 0x11, 0x21, 0x30], dtype=np.uint64)
    >>> [a.tolist() for a in search_spans(rows, np.array([0x10, 0x20, 0x40], dtype=np.uint64), ~0xF)]
    [[0, 2, 4], [2, 3, 4]]
    """
    mask &= WHOLE_KEY
    if len(needles) >= _kernels.MIN_SEARCHED and _kernels.available():
        found: tuple[I64, I64] = _kernels.sorted_spans(haystack, needles, mask)
        return found
    lo = np.searchsorted(haystack, needles, "left")
    hi = lo.copy()
    if len(haystack):  # most keys looked up are held by no stored text: only the others' ends are searched for
        held = np.flatnonzero(haystack[np.minimum(lo, len(haystack) - 1)] & np.uint64(mask) == needles)
        hi[held] = np.searchsorted(haystack, needles[held] | np.uint64(~mask & WHOLE_KEY), "right")
    return lo, hi


def span_positions(starts: I64, counts: I64) -> I64:
    """The positions ``starts[k], ..., starts[k] + counts[k] - 1`` of every span ``k``, in turn.

    Examples
    --------
    >>> span_positions(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())


def distinct_rows(rows: I64, keys: U64) -> tuple[I64, U64]:
    """The distinct ``(row, key)`` pairs of two parallel arrays, sorted by row, then key.

    Examples
    --------
    >>> rows, keys = distinct_rows(np.array([1, 0, 1]), np.array([7, 9, 7], dtype=np.uint64))
    >>> rows.tolist(), keys.tolist()
    ([0, 1], [9, 7])
    """
    order = np.lexsort((keys, rows))  # several times faster than np.unique(..., axis=0)
    rows, keys = rows[order].astype(np.int64), keys[order].astype(np.uint64)
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (keys[1:] != keys[:-1])
    return rows[first], keys[first]


def codes(values: U32) -> tuple[U32, I64]:
    """The sorted distinct values of a ``uint32`` array and each value's index among them.

    Sorts each value packed with its position (below ``2**32``) into one ``uint64``,
    which is about twice as fast as ``np.argsort`` and far faster than looking every value
    up with ``np.searchsorted`` once the distinct values outgrow the cache.

    Examples
    --------
    >>> [a.tolist() for a in codes(np.array([7, 3, 7, 9], dtype=np.uint32))]
    [[3, 7, 9], [1, 0, 1, 2]]
    """
    packed = (values.astype(np.uint64) << np.uint64(32)) | np.arange(len(values), dtype=np.uint64)
    packed.sort()
    ordered = (packed >> np.uint64(32)).astype(np.uint32)
    new = np.concatenate((np.ones(min(len(ordered), 1), dtype=bool), ordered[1:] != ordered[:-1]))
    index = np.empty(len(values), dtype=np.int64)
    index[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)] = np.cumsum(new) - 1
    return ordered[new], index


def select(hashes: U32, bounds: I64, keep: np.ndarray) -> tuple[U32, I64]:
    """Keep the elements where ``keep`` is true, with the document bounds adjusted."""
    kept = np.concatenate(([0], np.cumsum(keep))).astype(np.int64)
    return hashes[keep], kept[bounds]


def agreements(
    values: np.ndarray, left: Sequence[int] | I64, right: Sequence[int] | I64, other: np.ndarray | None = None
) -> I64:
    """How many positions row ``left[k]`` of a 2-d array and row ``right[k]`` of ``other``
    (default: the same array) agree at, for each ``k``.

    The compiled kernel reads the two rows of each pair in place: numpy first gathers
    them into new arrays, which costs several times more on the random rows of a batch.
    """
    other = values if other is None else other
    if len(left) >= _kernels.MIN_PAIRS and _kernels.available():
        return _kernels.agreements(values, left, right, other)
    return np.count_nonzero(values[left] == other[right], axis=1)


def member(values: np.ndarray, of: np.ndarray) -> Bools:
    """``np.isin(values, of)`` for a small sorted set ``of`` and many values.

    A 16-bit presence table rules most values out with one lookup, so that ``np.isin``
    sorts only the few that pass, not the millions of tokens of a batch.
    """
    present = np.zeros(1 << 16, dtype=bool)
    present[of & 0xFFFF] = True
    found = present[values & 0xFFFF]
    found[found] = np.isin(values[found], of)
    return found
