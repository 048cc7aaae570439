"""The heaviest monotone alignment: one dynamic programme for re-ranking and for passages.

Given gains ``g[i, j]`` between the elements of two sequences, ``best[i, j]`` is the
heaviest total gain of an order-preserving one-to-one matching of ``a[:i]`` and ``b[:j]``:

    best[i + 1, j + 1] = max(best[i, j + 1], best[i + 1, j], best[i, j] + g[i, j])

computed a row at a time. The re-ranker's ``order`` is its weighted longest common
subsequence (``g[i, j]`` is the rarity of word ``a[i]`` where ``b[j]`` is the same word);
the passage aligner matches sentences (``g`` is their similarity). Tokens take a compiled
kernel of the same recurrence when numba is installed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _kernels
from ._types import I64, U32


def heaviest_rows(
    gain_row: Callable[[int], np.ndarray], n_rows: int, n_cols: int, rows: I64, dtype: type = np.int64
) -> np.ndarray:
    """Rows ``rows`` (sorted, in ``[0, n_rows]``) of the table ``best``, of type ``dtype``.

    ``gain_row(i)`` gives row ``i`` of the gains, length ``n_cols``. Memory is linear in
    ``n_cols`` beyond the rows asked for.
    """
    table: np.ndarray = np.zeros((len(rows), n_cols + 1), dtype=dtype)
    best: np.ndarray = np.zeros(n_cols + 1, dtype=dtype)
    k = int(np.searchsorted(rows, 0, side="right"))
    for i in range(1, n_rows + 1):
        diagonal = best[:-1] + gain_row(i - 1)
        best[1:] = np.maximum.accumulate(np.maximum(best[1:], diagonal))
        while k < len(rows) and rows[k] == i:
            table[k] = best
            k += 1
    return table


def common_rows(a: U32, weights_a: I64, b: U32, rows: I64) -> I64:
    """Rows of the heaviest-common-subsequence table of token sequences ``a`` and ``b``.

    Row ``k`` of the result holds, for every ``j``, the heaviest total weight of a common
    subsequence of ``a[:rows[k]]`` and ``b[:j]``; ``rows`` must be sorted.

    Examples
    --------
    >>> a, b = np.array([1, 2, 3], dtype=np.uint32), np.array([2, 1, 3], dtype=np.uint32)
    >>> common_rows(a, np.array([5, 1, 1]), b, np.array([3])).tolist()
    [[0, 1, 5, 6]]
    """
    if _kernels.aligns(len(a) * len(b)):
        return _kernels.lcs_rows(a, weights_a, b, rows)
    weights = weights_a.astype(np.int64)
    return heaviest_rows(lambda i: (b == a[i]) * weights[i], len(a), len(b), rows)


def monotone_alignment(similarity: np.ndarray, minimum: float) -> I64:
    """The order-preserving one-to-one matching with the largest total similarity.

    Only cells at or above ``minimum`` may be matched. Returns the matched ``(row, column)``
    pairs, shape ``(n, 2)``, increasing in both.

    Examples
    --------
    >>> s = np.array([[0.9, 0.0, 0.0], [0.0, 0.1, 0.8], [0.0, 0.7, 0.0]])
    >>> monotone_alignment(s, 0.5).tolist()
    [[0, 0], [1, 2]]
    """
    n_rows, n_cols = similarity.shape
    gain = np.where(similarity >= minimum, similarity, 0.0)
    best = heaviest_rows(lambda i: gain[i], n_rows, n_cols, np.arange(n_rows + 1), np.float64)
    pairs = []
    i, j = n_rows, n_cols
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return np.array(pairs[::-1], dtype=np.int64).reshape(-1, 2)
