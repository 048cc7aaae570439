"""Stage: signatures -> candidate pairs, within a batch and between a batch and an index.

Two texts are candidates when their signatures share an LSH band key (``_lsh``) and the
share of the smaller shingle set that the signatures estimate to be in the larger reaches
``candidate_overlap``. The low banding threshold that lets rewrites through makes
unrelated texts collide too; the overlap gate drops them before any re-ranking.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _kernels
from ._arrays import agreements, distinct, runs, search_spans, span_positions
from ._batching import WORKERS
from ._config import DetectorConfig
from ._fingerprint import Fingerprints, Sketches
from ._lsh import band_keys, bucket_pairs
from ._parts import Parts
from ._store import Gate
from ._types import F64, I64, U8, U32, U64, Bools


def keys_of(prints: Fingerprints, config: DetectorConfig) -> U64:
    """The band keys of a batch, shape ``(n, bands)``."""
    return band_keys(prints.signatures, config.bands, config.rows)


def overlap(jaccard: F64, size_a: I64, size_b: I64) -> F64:
    """Estimated share of the smaller shingle set found in the larger, from a Jaccard estimate."""
    shared = jaccard / (1 + jaccard) * (size_a + size_b)
    return shared / np.maximum(np.minimum(size_a, size_b), 1)


def overlapping(pairs: I64, left: Sketches, right: Sketches, config: DetectorConfig) -> I64:
    """The rows of ``pairs`` (``(row of left, row of right)``) whose estimated overlap reaches
    ``candidate_overlap``.

    The signatures' low bytes are a first check that reads a quarter of the memory and never
    drops a pair the full signatures keep; the kernel reads both rows of a pair in place.
    """
    a, b = pairs[:, 0], pairs[:, 1]
    gate = config.candidate_overlap
    wanted = (left.sizes[a] > 0) & (right.sizes[b] > 0)
    a, b = a[wanted], b[wanted]
    rough = agreements(left.low, a, b, right.low) / left.low.shape[1]
    maybe = np.flatnonzero(overlap(rough, left.sizes[a], right.sizes[b]) >= gate)
    a, b = a[maybe], b[maybe]
    estimate = agreements(left.signatures, a, b, right.signatures) / max(left.signatures.shape[1], 1)
    keep = overlap(estimate, left.sizes[a], right.sizes[b]) >= gate
    return np.stack((a[keep], b[keep]), axis=1)


def _band_candidates(band: int, sketches: Sketches, config: DetectorConfig, among: Bools | None) -> I64:
    """The pairs ``i * n + j`` (``i < j``) of texts with a shingle that share band ``band``'s key
    and pass the overlap gate, distinct.

    The compiled kernel gates each collision as it meets it, so the collisions of unrelated
    texts, which grow with the square of the batch, are never held; numpy gates them in chunks.
    """
    n, rows = len(sketches.sizes), config.rows
    live = np.flatnonzero(sketches.sizes > 0)
    column = band_keys(sketches.signatures[live, band * rows : (band + 1) * rows], 1, rows, first=band)[:, 0]
    if len(live) < _kernels.MIN_PAIRS or not _kernels.available():  # too few rows to load numba for
        codes = [np.zeros(0, dtype=np.int64)]
        for a, b in bucket_pairs(column, None if among is None else among[live]):
            a, b = live[a], live[b]
            if among is not None:
                wanted = among[a] | among[b]
                a, b = a[wanted], b[wanted]
            kept = overlapping(np.stack((a, b), axis=1), sketches, sketches, config)
            codes.append(kept[:, 0] * n + kept[:, 1])
        return distinct(np.concatenate(codes))
    order = np.argsort(column)
    starts, sizes = runs(column[order])
    ends = starts + sizes
    shared = sizes > 1
    if among is not None:
        shared &= np.add.reduceat(among[live[order]], starts) > 0
    rough = _kernels.gated_collisions(
        live[order],
        starts[shared],
        ends[shared],
        sketches.low,
        sketches.sizes,
        np.zeros(0, dtype=bool) if among is None else among,
        config.candidate_overlap,
    )
    kept = overlapping(rough, sketches, sketches, config)
    return distinct(kept[:, 0] * n + kept[:, 1])


def batch_candidates(sketches: Sketches, config: DetectorConfig, among: Bools | None = None) -> I64:
    """The candidate pairs ``(i, j)``, ``i < j``, of a batch, sorted.

    With ``among``, only the pairs with a text where it is true. Each band's keys are made
    and its collisions gated in turn, on all cores, so memory stays that of one band.
    """
    _ = sketches.low  # made once, before the threads share it
    n = len(sketches.sizes)
    band = functools.partial(_band_candidates, sketches=sketches, config=config, among=among)
    with ThreadPoolExecutor(WORKERS) as pool:
        found = distinct(np.concatenate([np.zeros(0, dtype=np.int64), *pool.map(band, range(config.bands))]))
    return np.stack((found // n, found % n), axis=1)


#: Two texts are passage candidates when they share at least this many window keys...
MIN_SHARED_KEYS = 4
#: ...not counting keys held by more than this many texts of a batch (common phrasing).
MAX_KEY_DOCS = 50


def shared_keys(rows: U64, bits: int, among: Bools | None = None) -> I64:
    """The rows ``(i, j, keys)``, ``i < j``, of the pairs of texts that share window keys and
    how many they share, sorted, from window rows with the document in the low ``bits``
    (:func:`~dedup._fingerprint.window_rows`, sorted here in place: their order means
    nothing); keys held by more than :data:`MAX_KEY_DOCS` texts do not count.

    Every holder of a key must be in ``rows``: the local engine splits the rows by key range
    (``_parts``), the Dask engine routes each key's rows to one bucket, and both add up a
    pair's keys over the parts (:func:`enough_keys`). With ``among``, only the pairs with a
    text where it is true.
    """
    rows.sort()  # by key, then document, in place: the rows are the largest arrays of a scan
    mask = (1 << bits) - 1
    low = np.uint64(mask)
    if among is not None:  # only the keys that a text of ``among`` holds, looked up
        keys = distinct(rows[among[(rows & low).astype(np.int64)]] & ~low)
        lo, hi = search_spans(rows, keys, ~mask)
        rows = rows[span_positions(lo, hi - lo)]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = rows[1:] != rows[:-1]
    rows = rows[first]  # a key a text holds twice counts once
    same = (rows[1:] ^ rows[:-1]) <= low  # the same key
    held_by_others = np.zeros(len(rows), dtype=bool)  # most keys have one holder
    held_by_others[1:] |= same
    held_by_others[:-1] |= same
    rows = rows[held_by_others]
    holder = (rows & low).astype(np.int64)
    starts, holders = runs(rows >> np.uint64(bits))
    pairs = [np.zeros(0, dtype=np.int64)]  # as i << bits | j
    for size in np.unique(holders[(holders >= 2) & (holders <= MAX_KEY_DOCS)]).tolist():
        group = starts[holders == size][:, None] + np.arange(size)
        a, b = np.triu_indices(size, 1)
        pairs.append((holder[group[:, a]] << bits | holder[group[:, b]]).ravel())
    every = np.concatenate(pairs)
    if among is not None:
        every = every[among[every >> bits] | among[every & mask]]
    every.sort()
    found, shared = runs(every)
    counted = np.empty((len(found), 3), dtype=np.int64)
    counted[:, 0], counted[:, 1], counted[:, 2] = every[found] >> bits, every[found] & mask, shared
    return counted


_DOC_BITS = 30  # a document number in a pair packed by enough_keys: a billion documents a batch
# Pairs are counted as ``(pair << 3) * _MIX | keys``: multiplying by an odd number is a bijection
# of 64-bit integers (undone by its inverse) whose high bits are a hash of the pair, the part it goes to.
_MIX = 0x9E3779B97F4A7C15
_UNMIX = pow(_MIX, -1, 1 << 64)


def enough_keys(shared: Iterable[I64], minimum: int = MIN_SHARED_KEYS) -> I64:
    """The pairs ``(i, j)``, sorted, that share at least ``minimum`` (at most 7) window keys
    in all, from rows ``(i, j, keys)`` of the parts (or buckets) of the keys, read a part at
    a time. Each part's rows are kept in 8 bytes (the pair, its keys up to 7) and split by a
    hash of the pair (``_parts``), to be added up a split at a time: pairs sharing one key by
    chance are most of them, and grow faster than the batch.

    Examples
    --------
    >>> parts = [np.array([[0, 1, 3], [0, 2, 1]]), np.array([[0, 1, 2], [1, 2, 9]])]
    >>> enough_keys(parts).tolist()
    [[0, 1], [1, 2]]
    """
    counted = Parts()
    for rows in shared:
        pairs = (rows[:, 0] << (_DOC_BITS + 3) | rows[:, 1] << 3).astype(np.uint64)
        counted.add(pairs * np.uint64(_MIX) | np.minimum(rows[:, 2], 7).astype(np.uint64))
    found = [np.zeros(0, dtype=np.uint64)]
    for part in counted.parts():
        part.sort()
        starts, _ = runs(part >> np.uint64(3))
        total = np.add.reduceat(part & np.uint64(7), starts) if len(part) else np.zeros(0, dtype=np.uint64)
        found.append(((part[starts[total >= minimum]] & ~np.uint64(7)) * np.uint64(_UNMIX)) >> np.uint64(3))
    every = np.sort(np.concatenate(found)).astype(np.int64)
    return np.stack((every >> _DOC_BITS, every & ((1 << _DOC_BITS) - 1)), axis=1)


def passage_candidates(windows: Parts, bits: int, among: Bools | None = None) -> I64:
    """The pairs ``(i, j)``, ``i < j``, of a batch that share a passage, sorted: the passage channel.

    Whole-text signatures of a long text barely move when a tenth of it is another
    text's passage; the rows of its windows (:func:`~dedup._fingerprint.window_rows`, the
    document in the low ``bits``) do. The keys shared are counted a part of the rows at a
    time. With ``among``, only the pairs with a text where it is true.
    """
    return enough_keys(shared_keys(part, bits, among) for part in windows.parts())


def gate_for(prints: Fingerprints, config: DetectorConfig) -> Gate:
    """The overlap gate of a batch's pairs with stored documents, for :meth:`Store.candidates`."""
    batch = Sketches(prints.signatures, prints.sizes)

    def gate(pairs: I64, signatures: U32, sizes: I64, low: U8) -> I64:
        return overlapping(pairs, batch, Sketches(signatures, sizes, stored_low=low), config)

    return gate
