"""Documents in a Redis server: one index shared by several processes.

Under a key prefix ``P`` the server holds::

    P:manifest      JSON: format, versions and settings, as in a saved index's manifest
    P:doc:<id>      hash of a document: sig, size, hashes, flags, keys (raw little-endian
                    array bytes), windows (its distinct window keys, when the process that
                    added it has partial_reuse), ts (its timestamp, when it has one) and
                    text (its text as UTF-8, when the process that added it keeps texts)
    P:band:<key>    set of the ids of the documents with this band key (8 raw bytes)
    P:win:<key>     set of the ids of the documents with this window key (8 raw bytes)
    P:ids           sorted set of the ids, scored by when they were added
    P:time          sorted set of the timestamped ids, scored by timestamp
    P:seq           counter that orders the adds

Nothing read from the server is unpickled or evaluated: arrays are raw bytes checked for
length before use, the manifest is JSON. Storing a document (with its band keys) and
removing one are each one ``MULTI``/``EXEC`` transaction watched on the document's key,
so a reader never sees half a document and two workers replacing one id leave one whole
version. What is not atomic is documented in ``docs/persistence.md``: an ``add`` stores
its document, then looks for candidates, so two workers adding copies of one story at the
same instant may each report the other; neither misses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._arrays import distinct_rows
from ._candidates import MAX_KEY_DOCS, MIN_SHARED_KEYS
from ._config import DetectorConfig
from ._exceptions import ConfigError, IndexLoadError
from ._persist import SIGNATURE_SETTINGS, check_header, header, settle_config
from ._store import Documents, Gate, Windows
from ._types import I64, U8, U32, U64

if TYPE_CHECKING:
    import redis

#: Settings a shared index cannot change once made: those of the signatures and the
#: banding, whose keys are stored.
SHARED_SETTINGS = (*SIGNATURE_SETTINGS, "bands", "rows")
_FIELDS = (b"sig", b"size", b"hashes", b"flags", b"ts", b"text")


def _encode(doc_id: str) -> bytes:
    return doc_id.encode("utf-8", "surrogatepass")


def _decode(doc_id: bytes) -> str:
    return doc_id.decode("utf-8", "surrogatepass")


def _by_row(windows: Windows | None, n: int) -> list[bytes] | None:
    """Each of ``n`` rows' distinct window keys as raw little-endian bytes, or ``None``."""
    if windows is None:
        return None
    rows, keys = distinct_rows(*windows)
    cuts = np.searchsorted(rows, np.arange(n + 1))
    raw = keys.astype("<u8")
    return [raw[cuts[i] : cuts[i + 1]].tobytes() for i in range(n)]


class RedisStore:
    """Documents kept in a Redis server under a key prefix; see the module docstring.

    Parameters
    ----------
    client : redis.Redis
        A client that returns bytes (``decode_responses=False``, the default).
    prefix : str
        Prefix of every key of this index.
    num_perm : int
        Signature length.
    """

    def __init__(self, client: redis.Redis, prefix: str, num_perm: int) -> None:
        if client.get_connection_kwargs().get("decode_responses"):
            raise ConfigError("the Redis client must return bytes: create it with decode_responses=False")
        self._client: Any = client  # redis-py's replies are typed as unions of bytes and str
        self._prefix = _encode(prefix) + b":"
        self._num_perm = num_perm
        self._ids = self._prefix + b"ids"
        self._time = self._prefix + b"time"

    @classmethod
    def open(
        cls, client: redis.Redis | str, prefix: str, config: DetectorConfig | None, settings: dict[str, Any]
    ) -> tuple[RedisStore, DetectorConfig]:
        """The store under ``prefix`` and the settings to use it with.

        The first process to open a prefix records its settings there; later ones use
        them, with thresholds and ``max_age`` of their own if they ask, and are refused
        with :class:`IndexLoadError` if they ask for other signature or banding settings.
        """
        import redis as redis_module

        if isinstance(client, str):
            client = redis_module.Redis.from_url(client)
        where = f"the Redis index {prefix!r}"
        key = _encode(prefix) + b":manifest"
        proposed = config or DetectorConfig()
        proposed = proposed.replace(**settings) if settings else proposed
        client.set(key, json.dumps(header(proposed), sort_keys=True), nx=True)
        stored = client.get(key)
        try:
            manifest = json.loads(stored) if stored is not None else None
        except ValueError:
            manifest = None
        if not isinstance(manifest, dict):
            raise IndexLoadError(f"{where} has a corrupted manifest")
        agreed = settle_config(check_header(manifest, where), config, settings, SHARED_SETTINGS, where)
        return cls(client, prefix, agreed.num_perm), agreed

    def _doc(self, doc_id: bytes) -> bytes:
        return self._prefix + b"doc:" + doc_id

    def __len__(self) -> int:
        return int(self._client.zcard(self._ids))

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self._client.zscore(self._ids, _encode(doc_id)) is not None

    def put(self, documents: Documents, keys: U64, windows: Windows | None = None) -> None:
        """Store a batch in one transaction (watching its documents, so that a concurrent
        change of one of them makes it start again).

        With ``windows``, each document's distinct window keys are kept in its hash and
        indexed under ``P:win:<key>``.
        """
        ids = [_encode(doc_id) for doc_id in documents.ids]
        if not ids:
            return
        first = int(self._client.incrby(self._prefix + b"seq", len(ids))) - len(ids) + 1
        own = _by_row(windows, len(ids))

        def replace(pipe: Any) -> None:
            old = [pipe.hmget(self._doc(doc_id), (b"keys", b"windows")) for doc_id in ids]
            pipe.multi()
            for i, doc_id in enumerate(ids):
                self._unlink(pipe, doc_id, *old[i])
                fields = self._fields(documents, keys, i)
                if own is not None:
                    fields[b"windows"] = own[i]
                    for window in self._window_keys(own[i]):
                        pipe.sadd(window, doc_id)
                pipe.hset(self._doc(doc_id), mapping=fields)
                if documents.sizes[i] > 0:
                    for band in self._band_keys(keys[i].astype("<u8").tobytes()):
                        pipe.sadd(band, doc_id)
                pipe.zadd(self._ids, {doc_id: first + i})
                timestamp = float(documents.timestamps[i])
                if not np.isnan(timestamp):
                    pipe.zadd(self._time, {doc_id: timestamp})

        self._client.transaction(replace, *(self._doc(doc_id) for doc_id in ids))

    @staticmethod
    def _fields(documents: Documents, keys: U64, i: int) -> dict[bytes, bytes]:
        """The hash fields of document ``i`` of a batch."""
        hashes, flags = documents.token_arrays(i)
        fields = {
            b"sig": documents.signatures[i].astype("<u4").tobytes(),
            b"size": str(int(documents.sizes[i])).encode(),
            b"hashes": hashes.astype("<u4").tobytes(),
            b"flags": flags.tobytes(),
            b"keys": keys[i].astype("<u8").tobytes(),
        }
        timestamp = float(documents.timestamps[i])
        if not np.isnan(timestamp):
            fields[b"ts"] = repr(timestamp).encode()
        text = documents.texts[i]
        if text is not None:
            fields[b"text"] = _encode(text)
        return fields

    def _band_keys(self, raw: bytes) -> list[bytes]:
        return [self._prefix + b"band:" + raw[k : k + 8] for k in range(0, len(raw), 8)]

    def _window_keys(self, raw: bytes) -> list[bytes]:
        return [self._prefix + b"win:" + raw[k : k + 8] for k in range(0, len(raw), 8)]

    def _unlink(self, pipe: Any, doc_id: bytes, keys: bytes | None, windows: bytes | None = None) -> None:
        """Queue the removal of a document stored with band keys ``keys`` (None: not stored)
        and window keys ``windows``."""
        if keys is None:
            return
        for band in self._band_keys(keys):
            pipe.srem(band, doc_id)
        for window in self._window_keys(windows or b""):
            pipe.srem(window, doc_id)
        pipe.delete(self._doc(doc_id))
        pipe.zrem(self._ids, doc_id)
        pipe.zrem(self._time, doc_id)

    def remove(self, doc_id: str) -> None:
        raw = _encode(doc_id)

        def remove(pipe: Any) -> None:
            keys, windows = pipe.hmget(self._doc(raw), (b"keys", b"windows"))
            if keys is None:
                raise KeyError(doc_id)
            pipe.multi()
            self._unlink(pipe, raw, keys, windows)

        self._client.transaction(remove, self._doc(raw))

    def expire(self, before: float) -> list[str]:
        expired = []
        for raw in self._client.zrangebyscore(self._time, "-inf", f"({before!r}"):
            try:
                self.remove(_decode(raw))
                expired.append(_decode(raw))
            except KeyError:  # another process removed it first
                pass
        return sorted(expired)

    def candidates(self, keys: U64, gate: Gate, windows: Windows | None = None) -> tuple[I64, Documents]:
        """See :meth:`Store.candidates`; documents stored without window keys (by a process
        without ``partial_reuse``) are found by their band keys only."""
        pipe = self._client.pipeline(transaction=False)
        for row in keys:
            pipe.sunion(self._band_keys(row.astype("<u8").tobytes()))
        found = pipe.execute()
        ids = sorted(set().union(*found))
        for doc_id in ids:
            pipe.hmget(self._doc(doc_id), (b"sig", b"size"))
        stored = {
            doc_id: self._signature(_decode(doc_id), values)
            for doc_id, values in zip(ids, pipe.execute(), strict=True)
            if values[0] is not None  # removed meanwhile
        }
        ids = list(stored)
        position = {doc_id: k for k, doc_id in enumerate(ids)}
        colliding = [(row, position[d]) for row, members in enumerate(found) for d in members if d in position]
        signatures = np.stack([stored[d][0] for d in ids]) if ids else np.zeros((0, self._num_perm), dtype=np.uint32)
        sizes = np.array([stored[d][1] for d in ids], dtype=np.int64)
        colliding_pairs = np.array(sorted(colliding), dtype=np.int64).reshape(-1, 2)
        kept = gate(colliding_pairs, signatures, sizes, signatures.astype(np.uint8)).tolist()
        proposed = {(row, ids[k]) for row, k in kept} | self._sharing_passages(windows)
        documents = self._fetch(sorted({doc_id for _, doc_id in proposed}))
        row_of = {_encode(doc_id): k for k, doc_id in enumerate(documents.ids)}
        pairs = sorted((row, row_of[d]) for row, d in proposed if d in row_of)  # some may be removed meanwhile
        return np.array(pairs, dtype=np.int64).reshape(-1, 2), documents

    def _sharing_passages(self, windows: Windows | None) -> set[tuple[int, bytes]]:
        """The ``(row, id)`` of the stored documents sharing :data:`MIN_SHARED_KEYS` window
        keys with a row, not counting keys held by more than :data:`MAX_KEY_DOCS` documents."""
        if windows is None:
            return set()
        rows, keys = distinct_rows(*windows)
        names = self._window_keys(keys.astype("<u8").tobytes())
        pipe = self._client.pipeline(transaction=False)
        for name in names:
            pipe.scard(name)
        rare = [k for k, count in enumerate(pipe.execute()) if 0 < int(count) <= MAX_KEY_DOCS]
        for k in rare:
            pipe.smembers(names[k])
        shared: dict[tuple[int, bytes], int] = {}
        for k, members in zip(rare, pipe.execute(), strict=True):
            for doc_id in members:
                pair = (int(rows[k]), doc_id)
                shared[pair] = shared.get(pair, 0) + 1
        return {pair for pair, count in shared.items() if count >= MIN_SHARED_KEYS}

    def _signature(self, doc_id: str, values: list[bytes | None]) -> tuple[U32, int]:
        """A stored document's signature and number of distinct shingles, checked."""
        signature, size = values
        try:
            if signature is None or size is None or len(signature) != 4 * self._num_perm or int(size) < 0:
                raise ValueError("arrays of the wrong length")
            return np.frombuffer(signature, dtype="<u4").astype(np.uint32), int(size)
        except ValueError as err:
            raise IndexLoadError(f"document {doc_id!r} of the Redis index is corrupted: {err}") from None

    def documents(self) -> Documents:
        return self._fetch(self._client.zrange(self._ids, 0, -1))

    def _fetch(self, ids: Iterable[bytes]) -> Documents:
        """The documents stored under ``ids``, in that order; those removed meanwhile are left out."""
        ids = list(ids)
        pipe = self._client.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(self._doc(doc_id), _FIELDS)
        kept, signatures, sizes, tokens, stamps, texts = [], [], [], [], [], []
        for doc_id, values in zip(ids, pipe.execute(), strict=True):
            if values[0] is None:
                continue
            signature, size, hashes, flags, timestamp, text = self._parse(_decode(doc_id), values)
            kept.append(_decode(doc_id))
            signatures.append(signature)
            sizes.append(size)
            tokens.append((hashes, flags))
            stamps.append(timestamp)
            texts.append(text)
        matrix = np.stack(signatures) if signatures else np.zeros((0, self._num_perm), dtype=np.uint32)
        return Documents.build(kept, matrix, np.array(sizes, dtype=np.int64), tokens, stamps, texts)

    def _parse(self, doc_id: str, values: list[bytes | None]) -> tuple[U32, int, U32, U8, float | None, str | None]:
        signature, size = self._signature(doc_id, values[:2])
        hashes, flags, timestamp, text = values[2:]
        try:
            if hashes is None or flags is None or len(hashes) != 4 * len(flags):
                raise ValueError("arrays of the wrong length")
            return (
                signature,
                size,
                np.frombuffer(hashes, dtype="<u4").astype(np.uint32),
                np.frombuffer(flags, dtype=np.uint8).copy(),
                None if timestamp is None else float(timestamp),
                None if text is None else _decode(text),
            )
        except ValueError as err:
            raise IndexLoadError(f"document {doc_id!r} of the Redis index is corrupted: {err}") from None
