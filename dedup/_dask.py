"""The batch scan on a Dask cluster: the same stages, run where the data is.

::

    partitions of texts --fingerprint--> tokens, signatures, sizes      (on workers, kept there)
                        --band keys--> routed by key % buckets           (a shuffle: stable hash)
                        --window keys--> routed by key % buckets         (with partial_reuse)
    buckets --pairs sharing a band key--> routed by (partition of i, partition of j)
            --pairs sharing window keys, with how many--> routed the same way
    blocks of pairs --overlap filter | window keys added up--> candidates
                    --re-rank--> verdicts                   (on the workers holding both partitions)
    driver: boilerplate decision, passages, sources and story groups of the pairs found

Band and window keys are already uniform 64-bit hashes, so ``key % buckets`` is a stable
partitioning (never Python's ``hash()``, which differs between processes). All holders of
a window key meet in one bucket, which skips the key if too many texts hold it and counts
the keys each pair shares there; a pair's counts are added up in its block, over the
buckets, before the passage channel's threshold. Every task calls the stage functions of
the local engine, and scores do not depend on which other documents share a batch, so
the result is identical to the local engine's on the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._candidates import enough_keys, keys_of, overlapping, shared_keys
from ._config import DetectorConfig
from ._exceptions import MissingDependencyError
from ._fingerprint import Fingerprints, Sketches, doc_bits, fingerprint, window_keys, window_rows
from ._judge import Found, judge
from ._lsh import pairs_sharing_keys
from ._types import I64, U64

#: Characters of text per partition: enough to keep the vectorised core busy, small enough
#: that a worker holds two partitions' tokens while re-ranking a block comfortably.
CHARS_PER_PARTITION = 4 << 20


def client_for(scheduler: str | None) -> Any:
    """A ``distributed.Client``: connected to ``scheduler``, or to a new local cluster."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MissingDependencyError("the dask engine needs the 'dask' extra: pip install 'dedup[dask]'") from None
    if scheduler:
        return Client(scheduler)  # type: ignore[no-untyped-call]
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)  # type: ignore[no-untyped-call]
    return Client(cluster)  # type: ignore[no-untyped-call]


def _partitions(texts: Sequence[str]) -> list[tuple[int, list[str]]]:
    """Consecutive slices of ``texts`` of about :data:`CHARS_PER_PARTITION` characters, with offsets."""
    parts: list[tuple[int, list[str]]] = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= CHARS_PER_PARTITION:
            parts.append((start, list(texts[start : i + 1])))
            start, size = i + 1, 0
    if start < len(texts) or not parts:
        parts.append((start, list(texts[start:])))
    return parts


def _split(keys: U64, docs: I64, buckets: int) -> list[tuple[U64, I64]]:
    """``(key, document)`` rows split by destination bucket, ``key % buckets``."""
    destination = (keys % np.uint64(buckets)).astype(np.int64)
    return [(keys[destination == b], docs[destination == b]) for b in range(buckets)]


def _route(config: DetectorConfig, prints: Fingerprints, offset: int, buckets: int) -> list[tuple[U64, I64]]:
    """This partition's ``(band key, document)`` rows, split by destination bucket."""
    keys = keys_of(prints, config)
    docs = np.repeat(np.arange(offset, offset + len(keys)), config.bands)
    keep = np.repeat(prints.sizes > 0, config.bands)  # documents without shingles are never candidates
    return _split(keys.ravel()[keep], docs[keep], buckets)


def _route_windows(config: DetectorConfig, prints: Fingerprints, offset: int, buckets: int) -> list[tuple[U64, I64]]:
    """This partition's ``(window key, document)`` rows of the passage channel, split by
    destination bucket: all holders of a key meet in one bucket, as :func:`shared_keys` needs."""
    docs, keys = window_keys(prints.tokens.article(), config)
    return _split(keys, docs + offset, buckets)


def _by_block(rows: I64, bounds: I64) -> dict[tuple[int, int], I64]:
    """Rows whose first two columns are a pair of documents, by block of (partition, partition)."""
    part_a = np.searchsorted(bounds, rows[:, 0], side="right") - 1
    part_b = np.searchsorted(bounds, rows[:, 1], side="right") - 1
    blocks: dict[tuple[int, int], I64] = {}
    for pa, pb in set(zip(part_a.tolist(), part_b.tolist(), strict=True)):
        blocks[(pa, pb)] = rows[(part_a == pa) & (part_b == pb)]
    return blocks


def _bucket_pairs(rows: list[tuple[U64, I64]], bounds: I64) -> dict[tuple[int, int], I64]:
    """Pairs of documents sharing a band key in this bucket, by block of (partition, partition)."""
    keys = np.concatenate([k for k, _ in rows])
    docs = np.concatenate([d for _, d in rows])
    if len(keys) == 0:
        return {}
    # Reuse the local pair generation: one "band" whose rows are the documents' keys here.
    local = pairs_sharing_keys(keys[:, None])
    a, b = docs[local[:, 0]], docs[local[:, 1]]
    a, b = np.minimum(a, b), np.maximum(a, b)
    a, b = a[a != b], b[a != b]
    return _by_block(np.stack((a, b), axis=1), bounds)


def _bucket_shared(rows: list[tuple[U64, I64]], bounds: I64) -> dict[tuple[int, int], I64]:
    """Rows ``(i, j, keys)`` of the documents sharing window keys of this bucket, by block."""
    keys = np.concatenate([k for k, _ in rows])
    docs = np.concatenate([d for _, d in rows])
    bits = doc_bits(int(bounds[-1]))  # the batch's, as the local engine's
    return _by_block(shared_keys(window_rows(docs, keys, bits), bits), bounds)


def _judge_block(
    config: DetectorConfig,
    pairs: list[I64],
    shared: list[I64],
    first: Fingerprints,
    second: Fingerprints,
    offsets: tuple[int, int],
) -> list[Found]:
    """Filter and re-rank one block's candidate pairs with both partitions at hand: those
    sharing a band key that pass the overlap gate, and those sharing enough window keys
    (``shared``: their keys in each bucket, added up here) as they are."""
    same = offsets[0] == offsets[1]
    parts = [first] if same else [first, second]
    prints = Fingerprints.join(parts)
    base = np.array([offsets[0]] if same else [offsets[0], offsets[1]])
    lengths = np.array([len(p) for p in parts])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    def to_local(found: I64) -> I64:
        part = np.searchsorted(base, found, side="right") - 1
        return found - base[part] + starts[part]

    banded = np.unique(np.concatenate([np.zeros((0, 2), dtype=np.int64), *pairs]), axis=0)
    sketches = Sketches(prints.signatures, prints.sizes)
    gated = overlapping(to_local(banded), sketches, sketches, config)
    passages = to_local(enough_keys(shared))
    local = np.unique(np.concatenate((gated, passages)), axis=0).reshape(-1, 2).astype(np.int64)
    found = judge(local, prints, config)
    to_global = np.concatenate([np.arange(o, o + n) for o, n in zip(base.tolist(), lengths.tolist(), strict=True)])
    return [(int(to_global[i]), int(to_global[j]), v, s) for i, j, v, s in found]


def _blocks_of(client: Any, per_bucket: list[Any]) -> list[tuple[int, int]]:
    """The blocks that the buckets' results hold rows of, sorted."""
    block_lists = client.gather(client.map(lambda b: sorted(b), per_bucket, pure=False))
    return sorted({block for keys in block_lists for block in keys})


def _pieces(client: Any, per_bucket: list[Any], block: tuple[int, int], columns: int) -> list[Any]:
    """The futures of one block's rows in each bucket."""
    empty = np.zeros((0, columns), dtype=np.int64)
    return [client.submit(lambda b, key=block: b.get(key, empty), b, pure=False) for b in per_bucket]


def find_pairs(texts: Sequence[str], client: Any, config: DetectorConfig) -> list[Found]:
    """The pairs of ``texts`` with a verdict, as the local engine (``_scan.find_local``) gives them."""
    parts = _partitions(texts)
    offsets = [offset for offset, _ in parts]
    bounds = np.array([*offsets, len(texts)])
    buckets = max(1, len(parts))
    det = config
    fingerprints = client.map(fingerprint, [p for _, p in parts], [det] * len(parts), pure=False)

    def shuffle(route: Any, find: Any) -> list[Any]:
        """Route every partition's keys with ``route`` and find each bucket's rows with ``find``."""
        routed = client.map(route, [det] * len(parts), fingerprints, offsets, [buckets] * len(parts), pure=False)
        return [
            client.submit(find, [client.submit(lambda r, k=k: r[k], r, pure=False) for r in routed], bounds, pure=False)
            for k in range(buckets)
        ]

    per_bucket = shuffle(_route, _bucket_pairs)
    shared = shuffle(_route_windows, _bucket_shared) if det.partial_reuse else []
    judged = []
    for pa, pb in _blocks_of(client, [*per_bucket, *shared]):
        judged.append(
            client.submit(
                _judge_block,
                det,
                _pieces(client, per_bucket, (pa, pb), 2),
                _pieces(client, shared, (pa, pb), 3),
                fingerprints[pa],
                fingerprints[pb],
                (offsets[pa], offsets[pb]),
                pure=False,
            )
        )
    found = [pair for block in client.gather(judged) for pair in block]
    return sorted(found, key=lambda f: (f[0], f[1]))
