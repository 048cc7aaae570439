"""Compiled kernels for the hot path, used when numba is installed (the ``fast`` extra).

Each kernel computes exactly what the numpy code beside it computes (the tests compare
them on the same input); numba only removes numpy's one-pass-per-operation overhead by
fusing the passes into one loop. Compilation takes a second or two per process, so the
kernels run only on batches large enough to repay it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

#: Bytes of text (tokeniser), shingles (signatures), cells (alignment) or pairs of rows
#: (agreements) from which a kernel is used.
MIN_BYTES = 1 << 18
MIN_SHINGLES = 1 << 15
MIN_CELLS = 1 << 12
MIN_PAIRS = 1 << 12


@functools.cache
def _compiled() -> dict[str, Callable[..., Any]] | None:
    try:
        import numba
    except ImportError:
        return None

    base = np.uint64(0x100000001B3)
    m64a, m64b = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
    m32a, m32b = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
    s33, s32 = np.uint64(33), np.uint64(32)
    s16, s13 = np.uint32(16), np.uint32(13)

    @numba.njit(nogil=True, cache=False)
    def token_hash(h):  # type: ignore[no-untyped-def]
        x = h ^ (h >> s33)
        x *= m64a
        x ^= x >> s33
        x *= m64b
        x ^= x >> s33
        return np.uint32(x >> s32)

    @numba.njit(nogil=True, cache=False)
    def tokens(b, high, high_word, sentence_ends, hashes, starts, flags):  # type: ignore[no-untyped-def]
        n = len(b)
        count = 0
        h = np.uint64(0)
        in_word = False
        seen_end = True
        next_high = 0
        next_end = 0
        for j in range(n):
            c = b[j]
            if next_high < len(high) and high[next_high] == j:  # a byte of a non-ASCII character
                word = high_word[next_high]
                next_high += 1
                is_end = next_end < len(sentence_ends) and sentence_ends[next_end] == j
                if is_end:
                    next_end += 1
            else:
                if 65 <= c <= 90:
                    c += 32
                digit = 48 <= c <= 57
                word = digit or 97 <= c <= 122
                if not word and (c == 44 or c == 46) and 0 < j < n - 1:
                    word = 48 <= b[j - 1] <= 57 and 48 <= b[j + 1] <= 57
                is_end = not word and (c == 46 or c == 33 or c == 63 or c == 10)
            if word:
                if not in_word:
                    starts[count] = j
                    flags[count] = (1 if 48 <= c <= 57 else 0) | (2 if seen_end else 0)
                    seen_end = False
                    in_word = True
                    h = np.uint64(0)
                h = h * base + np.uint64(c)
            else:
                if in_word:
                    hashes[count] = token_hash(h)
                    count += 1
                    in_word = False
                if is_end:
                    seen_end = True
        if in_word:
            hashes[count] = token_hash(h)
            count += 1
        return count

    @numba.njit(nogil=True, cache=False)
    def affine32(hashes, bounds, a, b, out):  # type: ignore[no-untyped-def]
        k = len(a)
        for d in range(len(bounds) - 1):
            row = out[d]
            for s in range(bounds[d], bounds[d + 1]):
                v = hashes[s]
                v ^= v >> s16
                v = np.uint32(v * m32a)
                v ^= v >> s13
                v = np.uint32(v * m32b)
                v ^= v >> s16
                for i in range(k):
                    x = np.uint32(np.uint32(a[i] * v) + b[i])
                    if x < row[i]:
                        row[i] = x

    @numba.njit(nogil=True, cache=False)
    def lcs_rows(a, weights_a, b, rows, table):  # type: ignore[no-untyped-def]
        best = np.zeros(len(b) + 1, dtype=np.int64)
        k = 0
        while k < len(rows) and rows[k] == 0:
            k += 1
        for i in range(1, len(a) + 1):
            token, weight = a[i - 1], weights_a[i - 1]
            diagonal = 0  # best[j - 1] of the previous row
            left = 0  # best[j - 1] of this row
            for j in range(1, len(b) + 1):
                above = best[j]
                value = above
                if b[j - 1] == token and diagonal + weight > value:
                    value = diagonal + weight
                if left > value:
                    value = left
                best[j] = value
                diagonal, left = above, value
            while k < len(rows) and rows[k] == i:
                table[k, :] = best
                k += 1

    @numba.njit(nogil=True, cache=False)
    def agreements(values, left, right, out):  # type: ignore[no-untyped-def]
        for k in range(len(left)):
            x, y = values[left[k]], values[right[k]]
            count = 0
            for j in range(len(x)):
                count += x[j] == y[j]
            out[k] = count

    return {"tokens": tokens, "affine32": affine32, "lcs_rows": lcs_rows, "agreements": agreements}


def available() -> bool:
    """Whether numba is installed, so that the kernels can be used."""
    return _compiled() is not None


def tokens(b: Any, high: Any, high_word: Any, sentence_ends: Any) -> tuple[Any, Any, Any]:
    """Token hashes, start offsets and flags of a byte buffer (see ``_tokenize``)."""
    kernels = _compiled()
    assert kernels is not None
    size = len(b) // 2 + 2
    hashes = np.empty(size, dtype=np.uint32)
    starts = np.empty(size, dtype=np.int64)
    flags = np.empty(size, dtype=np.uint8)
    count = kernels["tokens"](b, high, high_word, sentence_ends, hashes, starts, flags)
    return hashes[:count], starts[:count], flags[:count]


def affine32(hashes: Any, bounds: Any, a: Any, b: Any, out: Any) -> None:
    """Fold the shingle hashes of each document into its row of ``out`` (see ``_minhash``)."""
    kernels = _compiled()
    assert kernels is not None
    kernels["affine32"](hashes, bounds, a, b, out)


def lcs_rows(a: Any, weights_a: Any, b: Any, rows: Any) -> Any:
    """Rows of the heaviest-common-subsequence table (see ``_lcs.common_rows``)."""
    kernels = _compiled()
    assert kernels is not None
    table = np.zeros((len(rows), len(b) + 1), dtype=np.int64)
    kernels["lcs_rows"](a, weights_a.astype(np.int64), b, rows, table)
    return table


def agreements(values: Any, left: Any, right: Any) -> Any:
    """How many entries rows ``left[k]`` and ``right[k]`` of ``values`` have in common (see ``_minhash``)."""
    kernels = _compiled()
    assert kernels is not None
    out = np.empty(len(left), dtype=np.int64)
    kernels["agreements"](values, np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), out)
    return out
