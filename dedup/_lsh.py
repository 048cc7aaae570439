"""Stage 5, signatures -> candidate pairs: an LSH index of band keys in sorted arrays.

Each signature is cut into ``bands`` bands of ``rows`` values; a band is hashed to one
64-bit key (salted with the band number, so keys of different bands never meet) and two
documents are candidates when they share any key. The index keeps its keys in a few sorted
arrays (a log-structured merge: each insert adds a sorted run, runs are merged into a tail,
the tail into the main array once it passes an eighth of it), each searched with one
vectorised ``searchsorted`` per query batch, so inserts and queries cost the same per
document whether they come one at a time or a thousand at once. This holds the same
candidates as datasketch's ``MinHashLSH`` with the same bands and rows, in a fraction of its
memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._arrays import distinct, runs, search_spans, span_positions
from ._config import check_int
from ._hashing import fmix64, odd_constants
from ._types import I64, U32, U64, Bools

_ROW_WEIGHTS = odd_constants(4096, salt=3)
_BAND_SALTS = odd_constants(4096, salt=4)
_MAX_RUNS = 4  # sorted runs of recent inserts before they are merged into the tail
_MIN_TAIL = 1 << 17  # keys the tail may hold before it is merged into the main array
_ROWS_PER_BLOCK = 2048  # signatures turned into band keys at a time


def band_keys(signatures: U32, bands: int, rows: int, first: int = 0) -> U64:
    """Band keys, shape ``(n, bands)``, of signatures of shape ``(n, num_perm)``.

    With ``first``, the signatures start at band ``first``: ``band_keys(s[:, 2 * r:], 1, r,
    first=2)`` is column 2 of ``band_keys(s, bands, r)``.
    """
    n = signatures.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    for lo in range(0, n, _ROWS_PER_BLOCK):  # 64-bit temporaries of a block stay in the cache
        values = signatures[lo : lo + _ROWS_PER_BLOCK, : bands * rows].reshape(-1, bands, rows)
        # A row at a time: numpy sums a short last axis several times slower than it adds columns.
        mixed = _BAND_SALTS[first : first + bands] + values[:, :, 0] * _ROW_WEIGHTS[0]
        for row in range(1, rows):
            mixed += values[:, :, row] * _ROW_WEIGHTS[row]
        keys[lo : lo + _ROWS_PER_BLOCK] = fmix64(mixed)
    return keys


_PAIRS_PER_CHUNK = 1 << 18  # bounds the memory of candidate generation in a batch


def bucket_pairs(column: U64, among: Bools | None) -> Iterator[tuple[I64, I64]]:
    """Pairs ``(i, j)``, ``i < j``, of rows with equal keys in one band, in chunks.

    With ``among``, only the buckets holding a row where it is true are paired.
    """
    order = np.argsort(column, kind="stable")
    starts, sizes = runs(column[order])
    # Element p of a bucket pairs with every later element of the same bucket.
    partners = np.repeat(starts + sizes, sizes) - np.arange(len(column)) - 1
    if among is not None and len(starts):
        partners[~np.repeat(np.add.reduceat(among[order], starts) > 0, sizes)] = 0
    total = np.cumsum(partners)
    if len(total) == 0 or total[-1] == 0:
        return
    cuts = np.unique(np.searchsorted(total, np.arange(0, total[-1], _PAIRS_PER_CHUNK), side="right"))
    for lo, hi in zip(cuts.tolist(), [*cuts[1:].tolist(), len(column)], strict=True):
        count = partners[lo:hi]
        left = np.repeat(np.arange(lo, hi), count)
        right = left + np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count) + 1
        a, b = order[left], order[right]
        yield np.minimum(a, b), np.maximum(a, b)


def pairs_sharing_keys(keys: U64) -> I64:
    """All pairs ``(i, j)``, ``i < j``, of rows of ``keys`` that share at least one key,
    shape ``(n_pairs, 2)``, sorted by ``i`` then ``j``."""
    n, bands = keys.shape
    codes = [distinct(a * n + b) for band in range(bands) for a, b in bucket_pairs(keys[:, band], None)]
    found = distinct(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
    return np.stack((found // n, found % n), axis=1)


class LSHIndex:
    """An incremental LSH index over band keys; documents are numbered slots.

    Parameters
    ----------
    bands, rows : int
        The banding of the signatures.

    Examples
    --------
    >>> import numpy as np
    >>> index = LSHIndex(bands=2, rows=2)
    >>> sigs = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]], dtype=np.uint32)
    >>> index.insert(band_keys(sigs, 2, 2)).tolist()
    [0, 1, 2]
    >>> index.query(band_keys(sigs[:1], 2, 2)[0]).tolist()
    [0, 1]
    """

    def __init__(self, bands: int, rows: int) -> None:
        check_int("bands", bands, 1)
        check_int("rows", rows, 1)
        self.bands = bands
        self.rows = rows
        self._live = np.zeros(0, dtype=bool)
        self._size = 0
        self._keys = _Levels(_Sorted)

    def __len__(self) -> int:
        """Number of live slots."""
        return int(self._live[: self._size].sum())

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays."""
        return self._live.nbytes + self._keys.nbytes

    def keys(self, signatures: U32) -> U64:
        """Band keys of signatures, shape ``(n, bands)``."""
        return band_keys(signatures, self.bands, self.rows)

    def insert(self, keys: U64, live: npt.NDArray[np.bool_] | None = None) -> I64:
        """Add rows of band keys as new slots and return their slot numbers.

        Rows with ``live`` false take a slot but are never returned as candidates (used
        for documents with no shingles, whose keys would all collide).
        """
        keys = np.asarray(keys, dtype=np.uint64).reshape(-1, self.bands)
        count = len(keys)
        if self._size + count > len(self._live):
            self._live = np.resize(self._live, max(2 * len(self._live), self._size + count, 64))
        slots = np.arange(self._size, self._size + count, dtype=np.int64)
        self._live[slots] = True if live is None else live
        self._size += count
        self._keys.add(keys.ravel(), np.repeat(slots, self.bands))
        return slots

    def remove(self, slot: int) -> None:
        """Stop returning ``slot`` as a candidate."""
        if not 0 <= slot < self._size:
            raise IndexError(f"slot {slot} is not in the index")
        self._live[slot] = False

    def alive(self, slots: I64) -> Bools:
        """Whether each of ``slots`` is live (inserted live and not removed)."""
        return self._live[slots]

    def query(self, keys: U64) -> I64:
        """Sorted live slots sharing at least one band key with ``keys`` (shape ``(bands,)``)."""
        return self.query_many(np.asarray(keys, dtype=np.uint64).reshape(1, -1))[:, 1]

    def query_many(self, keys: U64) -> I64:
        """The live slots sharing a band key with each row of ``keys`` (shape ``(n, bands)``).

        Returns the distinct pairs ``(row, slot)``, shape ``(m, 2)``, sorted.
        """
        keys = np.asarray(keys, dtype=np.uint64).reshape(-1, self.bands)
        flat = keys.ravel()
        order = np.argsort(flat)  # sorted keys search faster
        flat, owner = flat[order], order // self.bands
        rows, slots = self._keys.lookup(flat, owner)
        codes = distinct(rows * max(self._size, 1) + slots)
        pairs = np.stack((codes // max(self._size, 1), codes % max(self._size, 1)), axis=1)
        return pairs[self._live[pairs[:, 1]]]


class PassageIndex:
    """The passage channel's window keys of stored documents (numbered slots, as in an
    :class:`LSHIndex`), in the same sorted levels: a slot holds any number of keys.

    A key and its slot are held in one 64-bit integer (:class:`_Packed`): 8 bytes a key
    instead of 12, and a batch of keys is put in order, its repeats dropped, by one sort of
    integers. Removal is the caller's: it drops the slots it no longer holds from what
    :meth:`query_many` returns, and leaves their keys until it compacts (:meth:`renumbered`).

    Examples
    --------
    >>> import numpy as np
    >>> index = PassageIndex()
    >>> index.insert(np.array([0, 0, 1, 1]), np.array([5, 6, 5, 6], dtype=np.uint64), np.array([7, 8]))
    >>> index.query_many(np.array([0, 0]), np.array([5, 6], dtype=np.uint64)).tolist()
    [[0, 7], [0, 8]]
    """

    def __init__(self) -> None:
        self._keys = _Levels(_Packed)

    def __len__(self) -> int:
        """Number of keys held, each once per slot."""
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays."""
        return self._keys.nbytes

    def insert(self, rows: I64, keys: U64, slots: I64) -> None:
        """Add the window keys ``(rows, keys)`` of documents stored in ``slots`` (row ``r`` in ``slots[r]``)."""
        self._keys.add(keys, slots[rows])

    def query_many(self, rows: I64, keys: U64, min_shared: int = 2, max_holders: int = 50) -> I64:
        """The pairs ``(row, slot)`` sharing at least ``min_shared`` distinct keys, sorted.

        ``(rows, keys)`` are the window keys of the documents looked up; a key held by
        more than ``max_holders`` slots (common phrasing, or a story stored many times) is
        not counted, nor read: a look-up costs the same whatever the size of the index.
        """
        asked = _Packed.of(keys, rows)  # in the order of the index, each key once per row
        found, slots = self._keys.lookup(asked.rows, asked.slots.astype(np.int64), max_holders)
        span = int(slots.max(initial=0)) + 1
        pairs, shared = np.unique(found * span + slots, return_counts=True)
        pairs = pairs[shared >= min_shared]
        return np.stack((pairs // span, pairs % span), axis=1).astype(np.int64)

    def renumbered(self, slot_of: I64) -> PassageIndex:
        """The index with slot ``s`` renumbered ``slot_of[s]``, increasing, and the keys of
        slots renumbered -1 dropped: a compaction, in order, with no sort."""
        fresh = PassageIndex()
        rows = np.concatenate([level.rows for level in self._keys.levels()])
        rows.sort()  # the levels are sorted runs: this is a merge
        slots = slot_of[(rows & _Packed.SLOT).astype(np.int64)]
        kept = slots >= 0
        fresh._keys = _Levels(_Packed, _Packed((rows[kept] & ~_Packed.SLOT) | slots[kept].astype(np.uint64)))
        return fresh


Level = TypeVar("Level", "_Sorted", "_Packed")


class _Levels(Generic[Level]):
    """Sorted levels of keys and their slots, of one kind (:class:`_Sorted` or
    :class:`_Packed`): the main array (``main``, where given), the tail, and a run per recent insert."""

    def __init__(self, kind: type[Level], main: Level | None = None) -> None:
        self._kind: type[Level] = kind
        self._main: Level = kind.empty() if main is None else main
        self._tail: Level = kind.empty()
        self._runs: list[Level] = []

    def __len__(self) -> int:
        return sum(len(level) for level in self.levels())

    @property
    def nbytes(self) -> int:
        return sum(level.nbytes for level in self.levels())

    def levels(self) -> tuple[Level, ...]:
        levels = [self._main, self._tail]
        levels.extend(self._runs)
        return tuple(levels)

    def add(self, keys: U64, slots: I64) -> None:
        self._runs.append(self._kind.of(keys, slots))
        if len(self._runs) > _MAX_RUNS:
            self._tail = self._tail.merge(self._kind.join(self._runs))
            self._runs = []
        if len(self._tail) > max(_MIN_TAIL, len(self._main) // 8):
            self._main = self._main.merge(self._tail)
            self._tail = self._kind.empty()

    def lookup(self, keys: U64, owner: I64, max_holders: int | None = None) -> tuple[I64, I64]:
        """``(owner of the key, slot)`` of every stored key equal to one of ``keys`` (sorted);
        with ``max_holders``, of those held at most that many times only."""
        levels = self.levels()
        spans = [level.span(keys) for level in levels]
        if max_holders is not None:
            rare = sum(hi - lo for lo, hi in spans) <= max_holders
            owner, spans = owner[rare], [(lo[rare], hi[rare]) for lo, hi in spans]
        found: list[tuple[I64, npt.NDArray[np.int32]]] = [
            level.take(lo, hi, owner) for level, (lo, hi) in zip(levels, spans, strict=True)
        ]
        rows = np.concatenate([np.zeros(0, dtype=np.int64), *(r for r, _ in found)])
        slots = np.concatenate([np.zeros(0, dtype=np.int32), *(s for _, s in found)]).astype(np.int64)
        return rows, slots


class _Sorted:
    """Keys in sorted order with the slot of each."""

    def __init__(self, keys: U64, slots: npt.NDArray[np.int32]) -> None:
        self.keys = keys
        self.slots = slots

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def nbytes(self) -> int:
        return self.keys.nbytes + self.slots.nbytes

    @classmethod
    def empty(cls) -> _Sorted:
        return cls(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32))

    @classmethod
    def of(cls, keys: U64, slots: I64) -> _Sorted:
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], slots[order].astype(np.int32))

    @classmethod
    def join(cls, parts: list[_Sorted]) -> _Sorted:
        return cls.of(np.concatenate([p.keys for p in parts]), np.concatenate([p.slots for p in parts]))

    def merge(self, other: _Sorted) -> _Sorted:
        """Both in one sorted array, in one pass: ``other``'s keys go after equal keys of ours."""
        if len(self) + len(other) >= _kernels.MIN_MERGED and _kernels.available():
            return _Sorted(*_kernels.merge_sorted(self.keys, self.slots, other.keys, other.slots))
        at = np.searchsorted(self.keys, other.keys, side="right")
        return _Sorted(np.insert(self.keys, at, other.keys), np.insert(self.slots, at, other.slots))

    def span(self, keys: U64) -> tuple[I64, I64]:
        """Where each of ``keys`` (sorted) starts and ends among ours."""
        return search_spans(self.keys, keys)

    def take(self, lo: I64, hi: I64, owner: I64) -> tuple[I64, npt.NDArray[np.int32]]:
        """``(owner, slot)`` of our keys in the spans ``lo:hi``, one per key looked up."""
        counts = hi - lo
        return np.repeat(owner, counts), self.slots[span_positions(lo, counts)]


class _Packed:
    """Keys with their slots, each pair one sorted integer: a hash of the key in the high
    32 bits, the slot in the low 32.

    Two keys are equal when their 32-bit hashes are. Keys that differ but hash alike add a
    key by chance to a pair of documents, where a candidate needs several: two documents'
    430 window keys hash alike by chance 430**2 / 2**32 = 4e-5 times, so that four of them
    do, in any of the pairs of ten million documents, about 5e-6 times.
    """

    SLOT = np.uint64(0xFFFFFFFF)
    _MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: keys that differ in any bit differ in their high bits

    def __init__(self, rows: U64) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def nbytes(self) -> int:
        return self.rows.nbytes

    @property
    def slots(self) -> npt.NDArray[np.int32]:
        return (self.rows & self.SLOT).astype(np.int32)

    @classmethod
    def empty(cls) -> _Packed:
        return cls(np.zeros(0, dtype=np.uint64))

    @classmethod
    def hashed(cls, keys: U64) -> U64:
        """The high 32 bits of each key's hash, as the rows hold it."""
        return (np.asarray(keys, dtype=np.uint64) * cls._MIX) & ~cls.SLOT

    @classmethod
    def of(cls, keys: U64, slots: I64) -> _Packed:
        """``(key, slot)`` pairs in order, each once."""
        return cls(distinct(cls.hashed(keys) | slots.astype(np.uint64)))

    @classmethod
    def join(cls, parts: list[_Packed]) -> _Packed:
        rows = np.concatenate([p.rows for p in parts])
        rows.sort()
        return cls(rows)

    def merge(self, other: _Packed) -> _Packed:
        """Both in one sorted array, in one pass."""
        if len(self) + len(other) >= _kernels.MIN_MERGED and _kernels.available():
            return _Packed(_kernels.merge_rows(self.rows, other.rows))
        return _Packed(np.insert(self.rows, np.searchsorted(self.rows, other.rows), other.rows))

    def span(self, keys: U64) -> tuple[I64, I64]:
        """Where each of ``keys`` (rows of :meth:`of`, sorted; their slots do not matter) starts and ends among ours."""
        return search_spans(self.rows, keys & ~self.SLOT, int(~self.SLOT))

    def take(self, lo: I64, hi: I64, owner: I64) -> tuple[I64, npt.NDArray[np.int32]]:
        """``(owner, slot)`` of our keys in the spans ``lo:hi``, one per key looked up."""
        counts = hi - lo
        return np.repeat(owner, counts), (self.rows[span_positions(lo, counts)] & self.SLOT).astype(np.int32)
