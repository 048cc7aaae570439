"""Two word sequences -> their verbatim runs: the longest stretches of identical words they share.

Copy-and-paste reuse leaves long runs of words identical in both texts, which neither
independent reports of one event nor a rewrite produce; a run of :data:`RUN_WORDS` words
or more (about 300 characters of English) is taken for copied text. Where a pair has
such runs, they are its reused passages, exact to the word, instead of the sentences that
seed-and-extend aligns around them (which take in neighbouring sentences on the same topic);
this is how the best PAN text-alignment system treats verbatim reuse (Sanchez-Perez et al.
2015). The same runs serve the verdict (on tokens) and the report (on words of the text).

Runs are found from shared :data:`K`-word shingles: a shingle of one text at word ``i``
equal to one of the other at word ``j`` lies on diagonal ``j - i``, and consecutive shingles
on one diagonal make a run.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from ._arrays import span_positions
from ._tokenize import _powers
from ._types import F64, I64, U64, Bools

#: A shared run of at least this many words is copied text.
RUN_WORDS = 50
#: Runs in order in both texts and at most this many words apart in each are one passage
#: (a copy with a word or a figure changed).
RUN_GAP = 8
#: Words per shingle; a shingle found more than :data:`MAX_REPEATS` times in the second
#: text (a phrase it repeats) is not followed there.
K = 4
MAX_REPEATS = 50

_WORD = re.compile(r"\w+")


def shared_runs(a: np.ndarray, b: np.ndarray, minimum: int = RUN_WORDS) -> I64:
    """The maximal runs of at least ``minimum`` equal elements that ``a`` and ``b`` share, as
    rows ``(a_start, a_end, b_start, b_end)`` (element numbers, ends exclusive), longest first,
    none overlapping another in either sequence.

    Examples
    --------
    >>> a = np.array([9, 1, 2, 3, 4, 5, 6, 9])
    >>> b = np.array([7, 7, 1, 2, 3, 4, 5, 6])
    >>> shared_runs(a, b, minimum=5).tolist()
    [[1, 7, 2, 8]]
    """
    if min(len(a), len(b)) < max(K, minimum):
        return np.zeros((0, 4), dtype=np.int64)
    keys_a, keys_b = _shingles(a), _shingles(b)
    order = np.argsort(keys_b, kind="stable")
    sorted_b = keys_b[order]
    lo, hi = np.searchsorted(sorted_b, keys_a, "left"), np.searchsorted(sorted_b, keys_a, "right")
    counts = np.where(hi - lo <= MAX_REPEATS, hi - lo, 0)
    at_a = np.repeat(np.arange(len(keys_a)), counts)
    at_b = order[span_positions(lo, counts)]
    if len(at_a) == 0:
        return np.zeros((0, 4), dtype=np.int64)
    diagonal = at_b - at_a
    by_diagonal = np.lexsort((at_a, diagonal))
    at_a, diagonal = at_a[by_diagonal], diagonal[by_diagonal]
    starts = np.flatnonzero(np.concatenate(([True], (np.diff(diagonal) != 0) | (np.diff(at_a) != 1))))
    lengths = np.diff(np.append(starts, len(at_a))) + K - 1
    long = lengths >= minimum
    first, length, offset = at_a[starts][long], lengths[long], diagonal[starts][long]
    runs = np.stack((first, first + length, first + offset, first + offset + length), axis=1)
    runs = runs[np.argsort(-length, kind="stable")]
    kept: list[list[int]] = []
    for run in runs.tolist():
        if not any((run[0] < k[1] and k[0] < run[1]) or (run[2] < k[3] and k[2] < run[3]) for k in kept):
            kept.append(run)
    return np.array(kept, dtype=np.int64).reshape(-1, 4)


def _shingles(ids: np.ndarray) -> np.ndarray:
    """A 64-bit key for each :data:`K` consecutive elements of ``ids``."""
    ids = ids.astype(np.uint64)
    keys = np.zeros(len(ids) - K + 1, dtype=np.uint64)
    for k in range(K):
        keys = keys * np.uint64(0x9E3779B97F4A7C15) + ids[k : len(ids) - K + 1 + k] + np.uint64(1)
    return keys


def joined(runs: I64, gap: int = RUN_GAP) -> I64:
    """``runs`` in order of the first sequence, those in order in both and at most ``gap``
    elements apart in each joined into one, with a fifth column: the elements in runs.

    Examples
    --------
    >>> joined(np.array([[50, 90, 0, 40], [0, 45, 100, 145], [93, 140, 42, 89]])).tolist()
    [[0, 45, 100, 145, 45], [50, 140, 0, 89, 87]]
    """
    done: list[list[int]] = []
    for run in runs[np.argsort(runs[:, 0], kind="stable")].tolist():
        if done and 0 <= run[0] - done[-1][1] <= gap and 0 <= run[2] - done[-1][3] <= gap:
            done[-1][1], done[-1][3] = run[1], run[3]
            done[-1][4] += run[1] - run[0]
        else:
            done.append([*run, run[1] - run[0]])
    return np.array(done, dtype=np.int64).reshape(-1, 5)


@functools.cache
def _basic_plane() -> tuple[Bools, U64, Bools]:
    """For each code point of the basic plane: whether ``\\w`` matches it, its case folding
    (as a code point), and whether that folding is one character."""
    chars = [chr(c) for c in range(0x10000)]
    folds = [c.casefold() for c in chars]
    word = np.array([c.isalnum() or c == "_" for c in chars], dtype=bool)
    single = np.array([len(f) == 1 for f in folds], dtype=bool)
    folded = np.array([ord(f) if len(f) == 1 else 0 for f in folds], dtype=np.uint64)
    return word, folded, single


def words_of(text: str) -> tuple[I64, I64]:
    """The words of ``text`` (runs of word characters, as ``\\w+`` finds them): their
    character spans, shape ``(n, 2)``, and a key per word, equal for words equal case-folded
    (in any text).

    Words are found on the text's code points as arrays; a text with a character beyond the
    basic plane, or one whose folding is several characters (``ß``, ligatures), takes the
    regular expression. Either way a word's key hashes its folded code points.

    Examples
    --------
    >>> spans, keys = words_of("naïve, NAÏVE; naive")
    >>> spans.tolist(), len(set(keys.tolist()))
    ([[0, 5], [7, 12], [14, 19]], 2)
    >>> words_of("Straße STRASSE naive")[1].tolist()[1:] == [words_of("strasse")[1][0], keys[2]]
    True
    """
    word_char, folded, single = _basic_plane()
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(points) and (int(points.max()) > 0xFFFF or not single[points].all()):
        found = list(_WORD.finditer(text))
        spans = np.array([m.span() for m in found], dtype=np.int64).reshape(-1, 2)
        words = [m.group().casefold() for m in found]
        lengths = np.array([len(w) for w in words], dtype=np.int64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        joined = np.frombuffer("".join(words).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return spans, _hashed(joined.astype(np.uint64), starts, ends)
    edges = np.flatnonzero(np.diff(word_char[points].astype(np.int8), prepend=0, append=0))
    starts, ends = edges[0::2], edges[1::2]
    return np.stack((starts, ends), axis=1).astype(np.int64), _hashed(folded[points], starts, ends)


def _hashed(points: U64, starts: I64, ends: I64) -> I64:
    """A key per word ``points[starts[k]:ends[k]]``, whatever its position: a polynomial hash
    from one prefix sum, as the tokeniser hashes tokens."""
    up, down = _powers.upto(len(points) + 1)
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(points * down[: len(points)], out=prefix[1:])
    keys: I64 = ((prefix[ends] - prefix[starts]) * up[np.maximum(ends - 1, 0)]).view(np.int64)
    return keys


def text_runs(a: tuple[I64, I64], b: tuple[I64, I64], minimum: int = RUN_WORDS) -> tuple[I64, F64]:
    """The verbatim runs of two texts, given by their :func:`words_of`, as character ranges
    ``(a_start, a_end, b_start, b_end)`` in order of the first text, runs near each other
    joined (see :func:`joined`), and the share of the words of each that are in runs (1 for
    a single run).

    Examples
    --------
    >>> shared = " ".join(f"word{n}" for n in range(55))
    >>> a, b = "Intro here. " + shared + " End.", shared.upper() + " and more."
    >>> runs, share = text_runs(words_of(a), words_of(b))
    >>> [a[r[0]:r[1]] == b[r[2]:r[3]].lower() == shared for r in runs.tolist()], share.tolist()
    ([True], [1.0])
    """
    (spans_a, keys_a), (spans_b, keys_b) = a, b
    runs = joined(shared_runs(keys_a, keys_b, minimum))
    share = 2 * runs[:, 4] / (runs[:, 1] - runs[:, 0] + runs[:, 3] - runs[:, 2])
    chars = (spans_a[runs[:, 0], 0], spans_a[runs[:, 1] - 1, 1], spans_b[runs[:, 2], 0], spans_b[runs[:, 3] - 1, 1])
    return np.stack(chars, axis=1), share
