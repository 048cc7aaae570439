"""The numba kernels behind ``_kernels``, compiled on first use or loaded from numba's on-disk cache.

Importing this module imports numba, so ``_kernels`` imports it only for a batch large
enough to use a kernel; the kernels are cached in :func:`_cache.numba_folder`.
The kernels live in a file of their own because numba's cache is keyed by the file that
defines them: editing anything else leaves the compiled code valid.
"""

from __future__ import annotations

import numba
import numpy as np

from ._cache import use_numba_folder

_kernel = numba.njit(nogil=True, cache=use_numba_folder())

# Constants of the token hash (see ``_tokenize``) and of MurmurHash3's finalisers (see
# ``_hashing``), typed as the numpy code types them; numba freezes globals into the code.
_BASE = np.uint64(0x100000001B3)
_M64_1, _M64_2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_M32_1, _M32_2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
_S33, _S32 = np.uint64(33), np.uint64(32)
_S16, _S13 = np.uint32(16), np.uint32(13)


@_kernel
def token_hash(h):  # type: ignore[no-untyped-def]
    x = h ^ (h >> _S33)
    x *= _M64_1
    x ^= x >> _S33
    x *= _M64_2
    x ^= x >> _S33
    return np.uint32(x >> _S32)


@_kernel
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
            h = h * _BASE + np.uint64(c)
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


@_kernel
def affine32(hashes, bounds, a, b, out):  # type: ignore[no-untyped-def]
    k = len(a)
    for d in range(len(bounds) - 1):
        row = out[d]
        for s in range(bounds[d], bounds[d + 1]):
            v = hashes[s]
            v ^= v >> _S16
            v = np.uint32(v * _M32_1)
            v ^= v >> _S13
            v = np.uint32(v * _M32_2)
            v ^= v >> _S16
            for i in range(k):
                x = np.uint32(np.uint32(a[i] * v) + b[i])
                if x < row[i]:
                    row[i] = x


@_kernel
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


@_kernel
def agreements(values, other, left, right, out):  # type: ignore[no-untyped-def]
    for k in range(len(left)):
        x, y = values[left[k]], other[right[k]]
        count = 0
        for j in range(len(x)):
            count += x[j] == y[j]
        out[k] = count


@_kernel
def gated_collisions(order, starts, ends, low, sizes, among, gate, state, out):  # type: ignore[no-untyped-def]
    # Every pair of rows of ``order`` in one bucket whose low bytes pass the overlap gate,
    # written to ``out`` from where ``state`` (bucket, first, second) left off; returns the
    # pairs written and leaves ``state`` where ``out`` filled up.
    width = low.shape[1]
    count = 0
    g, p, q = state[0], state[1], state[2]
    while g < len(starts):
        p = max(p, starts[g])
        while p < ends[g]:
            a = order[p]
            row = low[a]
            q = max(q, p + 1)
            while q < ends[g]:
                b = order[q]
                if len(among) == 0 or among[a] or among[b]:
                    other = low[b]
                    agree = 0
                    for k in range(width):
                        agree += row[k] == other[k]
                    # _candidates.overlap, in the same floating-point operations.
                    jaccard = agree / width
                    shared = jaccard / (1 + jaccard) * (sizes[a] + sizes[b])
                    if shared / max(min(sizes[a], sizes[b]), 1) >= gate:
                        if count == len(out):
                            state[0], state[1], state[2] = g, p, q
                            return count
                        out[count, 0], out[count, 1] = min(a, b), max(a, b)
                        count += 1
                q += 1
            p += 1
            q = 0
        g += 1
        p = 0
    state[0], state[1], state[2] = g, 0, 0
    return count


@_kernel
def merge_sorted(keys_a, slots_a, keys_b, slots_b, keys, slots):  # type: ignore[no-untyped-def]
    i = 0
    j = 0
    for k in range(len(keys)):
        if j == len(keys_b) or (i < len(keys_a) and keys_a[i] <= keys_b[j]):  # b after equal keys of a
            keys[k] = keys_a[i]
            slots[k] = slots_a[i]
            i += 1
        else:
            keys[k] = keys_b[j]
            slots[k] = slots_b[j]
            j += 1


@_kernel
def merge_rows(a, b, out):  # type: ignore[no-untyped-def]
    i = 0
    j = 0
    for k in range(len(out)):
        if j == len(b) or (i < len(a) and a[i] <= b[j]):
            out[k] = a[i]
            i += 1
        else:
            out[k] = b[j]
            j += 1


@_kernel
def _gallop(haystack, mask, value, place, through):  # type: ignore[no-untyped-def]
    # The first place from ``place`` whose key (under mask) is not below value, or with
    # ``through`` above it: steps of 1, 2, 4, ... from place, then a binary search.
    n = len(haystack)
    below = place - 1  # haystack[below] comes before the place sought (or is before the start)
    above = place
    step = 1
    while above < n and ((haystack[above] & mask) <= value if through else (haystack[above] & mask) < value):
        below = above
        above = place + step
        step *= 2
    above = min(above, n)
    while above - below > 1:
        middle = (below + above) >> 1
        if (haystack[middle] & mask) <= value if through else (haystack[middle] & mask) < value:
            below = middle
        else:
            above = middle
    return above


@_kernel
def sorted_spans(haystack, needles, mask, lo, hi):  # type: ignore[no-untyped-def]
    # Where each sorted needle's keys (under mask) start and end among the sorted haystack's.
    # The start gallops from the previous needle's start, the end from the start: a needle
    # costs the logarithm of the gap to its place and of its keys' count, not of the array.
    place = 0
    for k in range(len(needles)):
        place = _gallop(haystack, mask, needles[k], place, False)
        lo[k] = place
        hi[k] = _gallop(haystack, mask, needles[k], place, True)
