"""The batch scan on a Dask cluster: the same stages, run where the data is.

::

    partitions of texts --fingerprint--> tokens, signatures, sizes      (on workers, kept there)
                        --band keys--> routed by key % buckets           (a shuffle: stable hash)
    buckets --pairs sharing a key--> routed by (partition of i, partition of j)
    blocks of pairs --overlap filter, re-rank--> verdicts               (on the workers holding
                                                                         both partitions)
    driver: boilerplate decision, passages, sources and story groups of the pairs found

Band keys are already uniform 64-bit hashes, so ``key % buckets`` is a stable partitioning
(never Python's ``hash()``, which differs between processes). Every task calls the stage
functions of the local engine, and scores do not depend on which other documents share a
batch, so the result is identical to the local engine's on the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._candidates import keys_of, overlapping
from ._config import DetectorConfig
from ._exceptions import MissingDependencyError
from ._fingerprint import Fingerprints, Sketches, fingerprint
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


def _route(config: DetectorConfig, prints: Fingerprints, offset: int, buckets: int) -> list[Any]:
    """This partition's ``(key, document)`` rows, split by destination bucket."""
    keys = keys_of(prints, config)
    docs = np.repeat(np.arange(offset, offset + len(keys)), config.bands)
    flat = keys.ravel()
    keep = np.repeat(prints.sizes > 0, config.bands)  # documents without shingles are never candidates
    flat, docs = flat[keep], docs[keep]
    destination = (flat % np.uint64(buckets)).astype(np.int64)
    return [(flat[destination == b], docs[destination == b]) for b in range(buckets)]


def _bucket_pairs(rows: list[tuple[U64, I64]], bounds: I64) -> dict[tuple[int, int], I64]:
    """Pairs of documents sharing a key in this bucket, by block of (partition, partition)."""
    keys = np.concatenate([k for k, _ in rows])
    docs = np.concatenate([d for _, d in rows])
    if len(keys) == 0:
        return {}
    # Reuse the local pair generation: one "band" whose rows are the documents' keys here.
    local = pairs_sharing_keys(keys[:, None])
    a, b = docs[local[:, 0]], docs[local[:, 1]]
    a, b = np.minimum(a, b), np.maximum(a, b)
    a, b = a[a != b], b[a != b]
    part_a = np.searchsorted(bounds, a, side="right") - 1
    part_b = np.searchsorted(bounds, b, side="right") - 1
    blocks: dict[tuple[int, int], I64] = {}
    for pa, pb in set(zip(part_a.tolist(), part_b.tolist(), strict=True)):
        chosen = (part_a == pa) & (part_b == pb)
        blocks[(pa, pb)] = np.stack((a[chosen], b[chosen]), axis=1)
    return blocks


def _judge_block(
    config: DetectorConfig, pairs: list[I64], first: Fingerprints, second: Fingerprints, offsets: tuple[int, int]
) -> list[Found]:
    """Filter and re-rank one block of candidate pairs with both partitions at hand."""
    pairs_here = np.unique(np.concatenate(pairs), axis=0)
    same = offsets[0] == offsets[1]
    parts = [first] if same else [first, second]
    prints = Fingerprints.join(parts)
    base = np.array([offsets[0]] if same else [offsets[0], offsets[1]])
    lengths = np.array([len(p) for p in parts])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    part = np.searchsorted(base, pairs_here, side="right") - 1
    local = pairs_here - base[part] + starts[part]
    sketches = Sketches(prints.signatures, prints.sizes)
    found = judge(overlapping(local, sketches, sketches, config), prints, config)
    to_global = np.concatenate([np.arange(o, o + n) for o, n in zip(base.tolist(), lengths.tolist(), strict=True)])
    return [(int(to_global[i]), int(to_global[j]), v, s) for i, j, v, s in found]


def find_pairs(texts: Sequence[str], client: Any, config: DetectorConfig) -> list[Found]:
    """The pairs of ``texts`` with a verdict, as the local engine (``_scan.find_local``) gives them."""
    parts = _partitions(texts)
    offsets = [offset for offset, _ in parts]
    bounds = np.array([*offsets, len(texts)])
    buckets = max(1, len(parts))
    det = config
    fingerprints = client.map(fingerprint, [p for _, p in parts], [det] * len(parts), pure=False)
    routed = client.map(_route, [det] * len(parts), fingerprints, offsets, [buckets] * len(parts), pure=False)
    per_bucket = [
        client.submit(
            _bucket_pairs, [client.submit(lambda r, k=k: r[k], r, pure=False) for r in routed], bounds, pure=False
        )
        for k in range(buckets)
    ]
    block_lists = client.gather(client.map(lambda b: sorted(b), per_bucket, pure=False))
    blocks = sorted({block for keys in block_lists for block in keys})
    judged = []
    for pa, pb in blocks:
        pieces = [
            client.submit(lambda b, key=(pa, pb): b.get(key, np.zeros((0, 2), np.int64)), b, pure=False)
            for b in per_bucket
        ]
        judged.append(
            client.submit(
                _judge_block, det, pieces, fingerprints[pa], fingerprints[pb], (offsets[pa], offsets[pb]), pure=False
            )
        )
    found = [pair for block in client.gather(judged) for pair in block]
    return sorted(found, key=lambda f: (f[0], f[1]))
