"""Stored documents: what an index keeps of each document, and the protocol of a store.

A detector keeps, per document, what re-ranking a candidate needs without its text: the
token hashes and flags, the signature, the number of distinct shingles and an optional
timestamp; and, with ``keep_text``, the text itself, which aligned passages and datelines
need. A :class:`Store` holds them with the LSH band keys that find candidates:
``MemoryStore`` (``_memory.py``) in this process, ``RedisStore`` (``_redis.py``) in a Redis
server shared by several processes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ._tokenize import Tokens
from ._types import F64, I64, U8, U32, U64


@dataclass(frozen=True)
class Documents:
    """A batch of stored documents, one row per document.

    Attributes
    ----------
    ids : tuple of str
        Document ids, distinct.
    signatures : ndarray of uint32, shape (n, num_perm)
        MinHash signatures.
    sizes : ndarray of int64, shape (n,)
        Number of distinct shingles; documents with none are never candidates.
    tokens : Tokens
        Token hashes and flags of the documents, in the same order.
    timestamps : ndarray of float64, shape (n,)
        POSIX seconds, NaN for a document without a timestamp.
    texts : tuple of str or None
        The texts, ``None`` for a document whose text is not kept.
    """

    ids: tuple[str, ...]
    signatures: U32
    sizes: I64
    tokens: Tokens
    timestamps: F64
    texts: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls, num_perm: int) -> Documents:
        """No documents."""
        return cls.build([], np.zeros((0, num_perm), dtype=np.uint32), np.zeros(0, dtype=np.int64), [], [])

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        signatures: U32,
        sizes: I64,
        tokens: Sequence[tuple[U32, U8]],
        timestamps: Sequence[float | None] | F64,
        texts: Sequence[str | None] | None = None,
    ) -> Documents:
        """Documents from per-document token arrays, optional timestamps and optional texts."""
        stamps = np.array([math.nan if t is None else t for t in timestamps], dtype=np.float64)
        kept = tuple(texts) if texts is not None else (None,) * len(ids)
        return cls(tuple(ids), signatures, sizes, Tokens.concat(tokens), stamps, kept)

    def time(self, i: int) -> float | None:
        """The timestamp of document ``i``, ``None`` if it has none."""
        stamp = float(self.timestamps[i])
        return None if math.isnan(stamp) else stamp

    def token_arrays(self, i: int) -> tuple[U32, U8]:
        """Copies of document ``i``'s token hashes and flags (copies, so the batch can be freed)."""
        lo, hi = self.tokens.bounds[i], self.tokens.bounds[i + 1]
        return self.tokens.hashes[lo:hi].copy(), self.tokens.flags[lo:hi].copy()


#: A filter of colliding pairs by their signatures, see :meth:`Store.candidates`.
Gate = Callable[[I64, U32, I64, U8], I64]
#: The passage channel's ``(row, key)`` window keys of a batch
#: (:func:`~dedup._fingerprint.window_keys`), see :meth:`Store.candidates`.
Windows = tuple[I64, U64]


def renumber(pairs: I64) -> tuple[I64, I64]:
    """The distinct values of ``pairs[:, 1]``, and ``pairs`` with them numbered from 0 in that order."""
    values, rows = np.unique(pairs[:, 1], return_inverse=True)
    return values, np.stack((pairs[:, 0], rows.ravel()), axis=1)


class Store(Protocol):
    """Where a detector keeps its documents; every method is atomic on its own."""

    def __len__(self) -> int: ...

    def __contains__(self, doc_id: object) -> bool: ...

    def put(self, documents: Documents, keys: U64, windows: Windows | None = None) -> None:
        """Store documents with their band keys, replacing any stored under the same id;
        with ``windows``, their window keys too."""

    def remove(self, doc_id: str) -> None:
        """Forget a document; ``KeyError`` if it is not stored."""

    def expire(self, before: float) -> list[str]:
        """Forget the documents with a timestamp before ``before``; returns their ids, sorted."""

    def candidates(self, keys: U64, gate: Gate, windows: Windows | None = None) -> tuple[I64, Documents]:
        """The documents sharing a band key with each row of ``keys`` (shape ``(n, bands)``) that pass ``gate``.

        ``gate(pairs, signatures, sizes, low)`` is given the colliding pairs ``(row of keys,
        row of signatures)`` with the signatures, shingle counts and signatures' low bytes
        (``signatures.astype(np.uint8)``) of the stored documents they name, and returns the
        pairs to keep, so that only those documents are fetched.
        With ``windows``, the documents stored with window keys that share a passage with a
        row (:data:`~dedup._candidates.MIN_SHARED_KEYS` window keys) are candidates too,
        ungated, as in a scan; a store that keeps no window keys ignores them.
        Returns the pairs kept ``(row of keys, row of the documents)``, shape ``(m, 2)``,
        sorted, and the documents they name, each once.
        """

    def documents(self) -> Documents:
        """Every stored document, oldest first."""
