"""The index in this process: stored documents numbered by slot, with an LSH index of their
band keys and, where they are given (``partial_reuse``), a passage index of their window keys."""

from __future__ import annotations

import math

import numpy as np

from ._candidates import MAX_KEY_DOCS, MIN_SHARED_KEYS
from ._lsh import LSHIndex, PassageIndex
from ._store import Documents, Gate, Windows, renumber
from ._tokenize import Tokens
from ._types import I64, U8, U32, U64

#: A store is compacted when it has more dead slots than live ones and at least this many.
MIN_DEAD_TO_COMPACT = 1024


class MemoryStore:
    """Documents held in this process, numbered by slot.

    Removing a document frees its tokens at once and leaves a dead slot behind; when dead
    slots outnumber live ones (and number at least :data:`MIN_DEAD_TO_COMPACT`) the store
    is compacted, so a pipeline that adds and expires documents for months holds memory
    for the live ones only.

    Parameters
    ----------
    num_perm, bands, rows : int
        Signature length and LSH banding.
    """

    def __init__(self, num_perm: int, bands: int, rows: int) -> None:
        self._num_perm = num_perm
        self._index = LSHIndex(bands, rows)
        self._passages = PassageIndex()
        self._ids: list[str | None] = []  # by slot; None once removed
        self._slots: dict[str, int] = {}
        self._tokens: list[tuple[U32, U8]] = []  # by slot
        self._texts: list[str | None] = []  # by slot, where kept
        self._signatures = np.zeros((0, num_perm), dtype=np.uint32)
        self._low = np.zeros((0, num_perm), dtype=np.uint8)  # the signatures' low bytes, for the gate
        self._sizes = np.zeros(0, dtype=np.int64)
        self._timestamps = np.zeros(0, dtype=np.float64)
        self._oldest = math.inf  # no live document has an earlier timestamp

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slots

    @property
    def nbytes(self) -> int:
        """Bytes held by the stored arrays (the token arrays, signatures and band keys)."""
        arrays = (self._signatures, self._low, self._sizes, self._timestamps)
        tokens = sum(h.nbytes + f.nbytes for h, f in self._tokens)
        return self._index.nbytes + self._passages.nbytes + tokens + sum(a.nbytes for a in arrays)

    def put(self, documents: Documents, keys: U64, windows: Windows | None = None) -> None:
        for doc_id in documents.ids:
            if doc_id in self._slots:
                self.remove(doc_id)
        slots = self._index.insert(keys, live=documents.sizes > 0)
        if windows is not None:
            self._passages.insert(*windows, slots)
        if len(slots) and slots[-1] >= len(self._signatures):
            capacity = max(64, 2 * len(self._signatures), int(slots[-1]) + 1)
            self._signatures = np.resize(self._signatures, (capacity, self._num_perm))
            self._low = np.resize(self._low, (capacity, self._num_perm))
            self._sizes = np.resize(self._sizes, capacity)
            self._timestamps = np.resize(self._timestamps, capacity)
        self._signatures[slots] = documents.signatures
        self._low[slots] = documents.signatures.astype(np.uint8)
        self._sizes[slots] = documents.sizes
        self._timestamps[slots] = documents.timestamps
        self._ids.extend(documents.ids)
        self._tokens.extend(documents.token_arrays(i) for i in range(len(documents)))
        self._texts.extend(documents.texts)
        self._slots.update(zip(documents.ids, slots.tolist(), strict=True))
        if len(documents) and not np.isnan(documents.timestamps).all():
            self._oldest = min(self._oldest, float(np.nanmin(documents.timestamps)))

    def remove(self, doc_id: str) -> None:
        slot = self._slots.pop(doc_id)
        self._index.remove(slot)
        self._ids[slot] = None
        self._timestamps[slot] = math.nan  # so that expiry skips dead slots
        self._tokens[slot] = (np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint8))
        self._texts[slot] = None
        dead = len(self._ids) - len(self._slots)
        if dead >= MIN_DEAD_TO_COMPACT and dead > len(self._slots):
            self._compact()

    def expire(self, before: float) -> list[str]:
        if not before > self._oldest:
            return []
        old = np.flatnonzero(self._timestamps[: len(self._ids)] < before)
        expired = sorted(self._id_at(s) for s in old.tolist())
        for doc_id in expired:
            self.remove(doc_id)
        stamps = self._timestamps[: len(self._ids)]
        self._oldest = math.inf if np.isnan(stamps).all() else float(np.nanmin(stamps))
        return expired

    def candidates(self, keys: U64, gate: Gate, windows: Windows | None = None) -> tuple[I64, Documents]:
        # The gate reads the stored rows in place: only the documents it keeps are copied.
        pairs = gate(self._index.query_many(keys), self._signatures, self._sizes, self._low)
        if windows is not None and len(self._passages):
            shared = self._passages.query_many(*windows, MIN_SHARED_KEYS, MAX_KEY_DOCS)
            shared = shared[self._index.alive(shared[:, 1])]
            pairs = np.unique(np.concatenate((pairs, shared)), axis=0).reshape(-1, 2).astype(np.int64)
        used, pairs = renumber(pairs)
        return pairs, self._at(used)

    def documents(self) -> Documents:
        return self._at(np.array(sorted(self._slots.values()), dtype=np.int64))

    def _id_at(self, slot: int) -> str:
        doc_id = self._ids[slot]
        if doc_id is None:
            raise RuntimeError(f"slot {slot} was removed but is still indexed")
        return doc_id

    def _at(self, slots: I64) -> Documents:
        return Documents(
            tuple(self._id_at(s) for s in slots.tolist()),
            self._signatures[slots],
            self._sizes[slots],
            Tokens.concat([self._tokens[s] for s in slots.tolist()]),
            self._timestamps[slots],
            tuple(self._texts[s] for s in slots.tolist()),
        )

    def _compact(self) -> None:
        """Renumber the live documents from 0, dropping dead slots and their band and window keys."""
        slots = np.array(sorted(self._slots.values()), dtype=np.int64)
        live = self._at(slots)
        row = np.full(len(self._ids), -1, dtype=np.int64)
        row[slots] = np.arange(len(slots))
        fresh = MemoryStore(self._num_perm, self._index.bands, self._index.rows)
        fresh.put(live, self._index.keys(live.signatures))
        fresh._passages = self._passages.renumbered(row)
        vars(self).update(vars(fresh))
