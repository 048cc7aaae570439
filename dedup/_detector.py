"""The detector: ties the stages together for one document at a time or for a batch.

::

    text -> tokens -> shingle hashes -> signature -> candidates -> scores -> verdicts
         _tokenize     _shingle        _minhash      _lsh         _rerank   _verdict
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from . import _persist as persist
from ._config import DetectorConfig
from ._exceptions import InputError
from ._hashing import U32, U64
from ._lsh import band_keys, pairs_sharing_keys
from ._memory import Documents, MemoryStore, Store
from ._minhash import MinHasher, batches, check_texts
from ._rerank import Profiles, Scores
from ._tokenize import I64, Tokens, tokenize
from ._verdict import RANK, Verdict, decide


@dataclass(frozen=True)
class Match:
    """An indexed document that the queried text was derived from, or that was derived from it.

    Attributes
    ----------
    doc_id : str
        Id of the indexed document.
    verdict : Verdict
        What the two texts are to each other.
    scores : Scores
        The evidence, for re-thresholding.
    """

    doc_id: str
    verdict: Verdict
    scores: Scores


@dataclass(frozen=True)
class Pair:
    """A pair found by :meth:`Detector.scan`; ``a`` came before ``b`` in the input."""

    a: str
    b: str
    verdict: Verdict
    scores: Scores


@dataclass(frozen=True)
class ScanResult:
    """The outcome of :meth:`Detector.scan`.

    Attributes
    ----------
    pairs : tuple of Pair
        Every pair with a verdict, in input order of ``a`` then ``b``.
    groups : tuple of tuple of str
        Connected groups of documents joined by pairs, each in input order, ordered by
        their first document.
    """

    pairs: tuple[Pair, ...]
    groups: tuple[tuple[str, ...], ...]


def _check_id(doc_id: object) -> str:
    if not isinstance(doc_id, str):
        raise TypeError(f"doc_id must be a str, got {type(doc_id).__name__}")
    return doc_id


def _check_time(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{name} must be a finite number of POSIX seconds, got {value!r}")


def _join(parts: list[Tokens]) -> Tokens:
    """One batch from consecutive batches."""
    if len(parts) == 1:
        return parts[0]
    shifts = np.cumsum([0] + [len(p.hashes) for p in parts[:-1]])
    bounds = np.concatenate([parts[0].bounds[:1]] + [p.bounds[1:] + s for p, s in zip(parts, shifts, strict=True)])
    return Tokens(
        np.concatenate([p.hashes for p in parts]),
        bounds.astype(np.int64),
        np.concatenate([p.flags for p in parts]),
    )


def _parse_docs(docs: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The ids and texts of a batch of ``(doc_id, text)`` documents; ids must be distinct."""
    check_texts(docs)
    ids: list[str] = []
    texts: list[str] = []
    for item in docs:
        if isinstance(item, str) or not isinstance(item, tuple) or len(item) != 2:
            raise TypeError(f"documents must be (doc_id, text) tuples, got {item!r:.60}")
        ids.append(_check_id(item[0]))
        texts.append(item[1])
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        duplicate = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InputError(f"document id {duplicate!r} occurs more than once")
    return ids, texts


def _result(ids: list[str], found: list[tuple[int, int, Verdict, Scores]]) -> ScanResult:
    """The result for pairs ``(i, j, verdict, scores)`` of positions in ``ids``, in order."""
    found = sorted(((min(i, j), max(i, j), v, s) for i, j, v, s in found), key=lambda f: (f[0], f[1]))
    pairs = tuple(Pair(ids[i], ids[j], v, s) for i, j, v, s in found)
    return ScanResult(pairs, Detector._groups(ids, [(i, j) for i, j, _, _ in found]))


def _with_indexed(
    ids: list[str], found: list[tuple[int, int, Verdict, Scores]], indexed: list[tuple[str, int, Verdict, Scores]]
) -> ScanResult:
    """The result for pairs within a batch and pairs ``(indexed id, position, ...)`` with the index.

    Indexed documents from outside the batch come first, by id.
    """
    outside = sorted({doc_id for doc_id, *_ in indexed} - set(ids))
    order = outside + ids
    position = {doc_id: k for k, doc_id in enumerate(order)}
    shift = len(outside)
    shifted = [(i + shift, j + shift, v, s) for i, j, v, s in found]
    return _result(order, shifted + [(position[doc_id], k + shift, v, s) for doc_id, k, v, s in indexed])


class Detector:
    """Finds copies, near-duplicates and paraphrases among documents.

    Parameters
    ----------
    config : DetectorConfig, optional
        All settings; the defaults are tuned for news articles.
    **settings
        Individual settings overriding ``config``, e.g. ``paraphrase_score=0.4``.

    Examples
    --------
    >>> det = Detector()
    >>> det.add("a", "The cat sat on the mat. It was a sunny afternoon in the old town.")
    []
    >>> [m.verdict.value for m in det.query("the cat sat on the mat! it was a sunny afternoon in the old town")]
    ['exact']
    """

    def __init__(self, config: DetectorConfig | None = None, **settings: Any) -> None:
        config = config or DetectorConfig()
        self.config = config.replace(**settings) if settings else config
        c = self.config
        self.minhasher = MinHasher(c.num_perm, c.seed, c.scheme, c.ngram, c.stopwords)
        self._store: Store = MemoryStore(c.num_perm, c.bands, c.rows)
        # Guards the store: tokenising, signing and re-ranking run outside it.
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._store)

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            return doc_id in self._store

    def __repr__(self) -> str:
        return f"Detector({len(self)} documents)"

    # -- one document at a time -------------------------------------------------------

    def query(self, text: str) -> list[Match]:
        """The indexed documents that ``text`` matches, strongest first; nothing is stored."""
        tokens, signature, size = self._sign(text)
        with self._lock:
            found = self._store.candidates(self._keys(signature)[0]) if size else None
        return self._matches(tokens, signature[0], size, found)

    def add(self, doc_id: str, text: str, timestamp: float | None = None) -> list[Match]:
        """Index ``text`` as ``doc_id`` and return its matches among the other indexed documents.

        Adding an id again replaces its document.

        Parameters
        ----------
        doc_id : str
            The document's id.
        text : str
            Its text; only its tokens are kept.
        timestamp : float, optional
            Its time in POSIX seconds. With ``max_age`` set, adding a document forgets the
            documents more than ``max_age`` seconds older than it first. Documents without
            a timestamp never expire.

        Examples
        --------
        >>> det = Detector(max_age=86400)
        >>> det.add("monday", "Russian peacekeepers began leaving Karabakh.", timestamp=1_700_000_000)
        []
        >>> det.add("wednesday", "Flood repairs close the Riverside library.", timestamp=1_700_172_800)
        []
        >>> "monday" in det
        False
        """
        _check_id(doc_id)
        if timestamp is not None:
            _check_time("timestamp", timestamp)
        tokens, signature, size = self._sign(text)
        document = Documents.build(
            [doc_id], signature, np.array([size], dtype=np.int64), [(tokens.hashes, tokens.flags)], [timestamp]
        )
        keys = self._keys(signature)
        max_age = self.config.max_age
        with self._lock:
            self._store.put(document, keys)
            if timestamp is not None and max_age is not None:
                self._store.expire(timestamp - max_age)
            found = self._store.candidates(keys[0], exclude=doc_id) if size else None
        return self._matches(tokens, signature[0], size, found)

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id``; raises ``KeyError`` if it is not indexed."""
        with self._lock:
            self._store.remove(doc_id)

    def expire(self, before: float) -> list[str]:
        """Forget the documents whose timestamp is before ``before``; returns their ids, sorted.

        Examples
        --------
        >>> det = Detector()
        >>> det.add("old", "An old story about the harbour.", timestamp=100.0)
        []
        >>> det.expire(before=200.0)
        ['old']
        """
        _check_time("before", before)
        with self._lock:
            return self._store.expire(before)

    def _sign(self, text: str) -> tuple[Tokens, U32, int]:
        """Tokens, signature (one row) and number of distinct shingles of one text."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        tokens = tokenize([text])
        return tokens, self.minhasher.signatures_of(tokens), len(np.unique(self.minhasher.shingles(tokens)[0]))

    def _keys(self, signatures: U32) -> U64:
        return band_keys(signatures, self.config.bands, self.config.rows)

    def _matches(self, tokens: Tokens, signature: U32, size: int, found: Documents | None) -> list[Match]:
        if found is None or size == 0 or not len(found):
            return []
        estimates = np.mean(found.signatures == signature, axis=1)
        keep = np.flatnonzero(self._overlap(estimates, size, found.sizes) >= self.config.candidate_overlap)
        if len(keep) == 0:
            return []
        batch = Tokens.concat([(tokens.hashes, tokens.flags)] + [found.token_arrays(k) for k in keep.tolist()])
        left = np.zeros(len(keep), dtype=np.int64)
        right = np.arange(1, len(keep) + 1, dtype=np.int64)
        ranked = self._rerank(Profiles(batch, self.config), left, right, estimates[keep])
        matches = [Match(found.ids[keep[j - 1]], verdict, scores) for _, j, verdict, scores in ranked]
        return sorted(matches, key=lambda m: (RANK[m.verdict], -m.scores.rewrite, m.doc_id))

    @staticmethod
    def _overlap(jaccard: np.ndarray, size_a: int | I64, size_b: I64) -> np.ndarray:
        """Estimated share of the smaller shingle set found in the larger, from a Jaccard estimate."""
        shared = jaccard / (1 + jaccard) * (size_a + size_b)
        return shared / np.maximum(np.minimum(size_a, size_b), 1)

    def _rerank(
        self, profiles: Profiles, left: I64, right: I64, estimates: np.ndarray
    ) -> list[tuple[int, int, Verdict, Scores]]:
        """Verdicts and scores of candidate pairs; pairs without a verdict are left out."""
        sets = profiles.set_scores(left, right)
        found = []
        for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
            verdict, scores = self._judge(
                profiles, i, j, {n: float(v[k]) for n, v in sets.items()}, float(estimates[k])
            )
            if verdict is not None:
                found.append((i, j, verdict, scores))
        return found

    def _judge(
        self, profiles: Profiles, i: int, j: int, sets: dict[str, float], estimate: float, full: bool = False
    ) -> tuple[Verdict | None, Scores]:
        """The verdict and scores of one pair.

        The quadratic ``order`` score is skipped (left at 0) where the cheaper scores
        already rule a verdict out, unless ``full`` asks for every score.
        """
        c = self.config
        identical = profiles.is_identical(i, j)
        promising = sets["cosine"] >= c.candidate_cosine or sets["containment"] >= c.near_duplicate_containment
        order = 1.0 if identical else profiles.order(i, j) if (promising or full) else 0.0
        rewrite = (2 * sets["coverage"] + order) / 3
        scores = Scores(
            estimate, sets["jaccard"], sets["containment"], sets["cosine"], sets["coverage"], order, rewrite
        )
        return decide(identical, scores.containment, scores.cosine, rewrite, c), scores

    def compare(self, text_a: str, text_b: str) -> tuple[Verdict | None, Scores]:
        """The verdict (``None`` if unrelated or independent) and all scores of two texts.

        No index is involved: this is the re-ranker applied to one pair.

        Examples
        --------
        >>> verdict, scores = Detector().compare("A cat sat on the mat.", "a CAT sat on the mat")
        >>> verdict.value, scores.containment
        ('exact', 1.0)
        """
        for text in (text_a, text_b):
            if not isinstance(text, str):
                raise TypeError(f"texts must be str, got {type(text).__name__}")
        tokens = tokenize([text_a, text_b])
        signatures = self.minhasher.signatures_of(tokens)
        profiles = Profiles(tokens, self.config)
        one, two = np.array([0]), np.array([1])
        sets = {n: float(v[0]) for n, v in profiles.set_scores(one, two).items()}
        estimate = float(np.mean(signatures[0] == signatures[1]))
        return self._judge(profiles, 0, 1, sets, estimate, full=True)

    # -- persistence --------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the index to the folder ``path``, atomically.

        The folder holds ``.npy`` arrays and a JSON manifest with the settings and a checksum
        of every file; a process killed while saving leaves the previous save loadable. See
        ``docs/persistence.md``.

        Examples
        --------
        >>> import tempfile
        >>> det = Detector()
        >>> det.add("wire", "Flood repairs will close the Riverside library for eighteen months.")
        []
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     det.save(folder)
        ...     loaded = Detector.load(folder)
        >>> [m.doc_id for m in loaded.query("FLOOD REPAIRS WILL CLOSE THE RIVERSIDE LIBRARY FOR EIGHTEEN MONTHS")]
        ['wire']
        """
        with self._lock:
            documents = self._store.documents()
        persist.save(path, self.config, documents)

    @classmethod
    def load(cls, path: str | os.PathLike[str], config: DetectorConfig | None = None, **settings: Any) -> Detector:
        """A detector with the index saved in the folder ``path``.

        It has the saved settings, or ``config`` and ``settings`` where given: thresholds,
        banding and ``max_age`` may change, the settings the signatures depend on
        (``num_perm``, ``seed``, ``scheme``, ``ngram``, ``stopwords``) may not.

        Raises
        ------
        MissingPathError
            If there is no folder ``path``.
        IndexLoadError
            If the index is corrupted, truncated or edited, or was made by an incompatible
            version of dedup or with incompatible settings; the message says which.
        """
        stored, documents = persist.load(path)
        where = f"the index {os.fspath(path)}"
        det = cls(persist.settle_config(stored, config, settings, persist.SIGNATURE_SETTINGS, where))
        det._store.put(documents, det._keys(documents.signatures))
        return det

    @classmethod
    def connect(
        cls,
        redis: Any = "redis://127.0.0.1:6379/0",
        prefix: str = "dedup",
        config: DetectorConfig | None = None,
        **settings: Any,
    ) -> Detector:
        """A detector whose index lives in a Redis server, shared by every process connected to it.

        Needs the ``redis`` extra (``pip install "dedup[redis]"``). The first process to
        use ``prefix`` records its settings there; the others use them, and may set their
        own thresholds and ``max_age`` but not other signature or banding settings. See
        ``docs/persistence.md`` for what is atomic.

        Parameters
        ----------
        redis : str or redis.Redis
            A ``redis://`` URL or a client (which must return bytes).
        prefix : str
            Prefix of the index's keys: one server can hold several indexes.
        config, **settings
            Settings, as for :class:`Detector`.

        Raises
        ------
        IndexLoadError
            If the index under ``prefix`` was made with other signature or banding
            settings, or by an incompatible version of dedup.
        """
        from ._redis import RedisStore

        store, agreed = RedisStore.open(redis, prefix, config, settings)
        det = cls(agreed)
        det._store = store
        return det

    # -- a batch ------------------------------------------------------------------------

    def scan(self, docs: Iterable[tuple[str, str]], with_index: bool = False) -> ScanResult:
        """Find all pairs among a batch of ``(doc_id, text)`` documents.

        The index is never changed. It is not read either, unless ``with_index`` asks to
        pair each document also with the indexed documents it matches; these come first in
        the result, by id, and an indexed document whose id is in the batch is left out
        (the batch holds its current version).

        Examples
        --------
        >>> det = Detector()
        >>> det.add("wire", "Flood repairs will close the Riverside library for eighteen months.")
        []
        >>> result = det.scan([("copy", "FLOOD REPAIRS WILL CLOSE THE RIVERSIDE LIBRARY FOR EIGHTEEN MONTHS")],
        ...                   with_index=True)
        >>> [(p.a, p.b, p.verdict.value) for p in result.pairs]
        [('wire', 'copy', 'exact')]
        """
        ids, texts = _parse_docs(docs)

        parts = [tokenize(batch) for batch in batches(texts)]
        tokens = _join(parts) if parts else tokenize([])
        signatures = (
            np.concatenate([self.minhasher.signatures_of(p) for p in parts])
            if parts
            else np.zeros((0, self.config.num_perm), dtype=np.uint32)
        )
        shingle_hashes, shingle_bounds = self.minhasher.shingles(tokens)
        sizes = self._distinct_counts(shingle_hashes, shingle_bounds)

        keys = self._keys(signatures)
        live = sizes > 0
        pairs = pairs_sharing_keys(keys)
        pairs = pairs[live[pairs[:, 0]] & live[pairs[:, 1]]]
        left, right = pairs[:, 0], pairs[:, 1]
        estimates = np.mean(signatures[left] == signatures[right], axis=1) if len(pairs) else np.zeros(0)
        keep = self._overlap(estimates, sizes[left], sizes[right]) >= self.config.candidate_overlap
        left, right, estimates = left[keep], right[keep], estimates[keep]

        found = self._rerank(Profiles(tokens, self.config), left, right, estimates) if len(left) else []
        if not with_index:
            return _result(ids, found)
        indexed: list[tuple[str, int, Verdict, Scores]] = []
        batch_ids = set(ids)
        for k in range(len(ids)):
            lo, hi = tokens.bounds[k], tokens.bounds[k + 1]
            one = Tokens(tokens.hashes[lo:hi], np.array([0, hi - lo], dtype=np.int64), tokens.flags[lo:hi])
            with self._lock:
                candidates = self._store.candidates(keys[k]) if sizes[k] else None
            matches = self._matches(one, signatures[k], int(sizes[k]), candidates)
            indexed += [(m.doc_id, k, m.verdict, m.scores) for m in matches if m.doc_id not in batch_ids]
        return _with_indexed(ids, found, indexed)

    def add_many(self, docs: Iterable[tuple[str, str]]) -> ScanResult:
        """Add a batch of ``(doc_id, text)`` documents, one after the other, like :meth:`add`.

        Returns the pairs each document made with the documents indexed before it,
        including those earlier in the batch; indexed documents from outside the batch
        come first in the result, by id.

        Examples
        --------
        >>> det = Detector()
        >>> text = "Flood repairs will close the Riverside library for eighteen months."
        >>> [(p.a, p.b) for p in det.add_many([("a", text), ("b", text.upper())]).pairs]
        [('a', 'b')]
        """
        ids, texts = _parse_docs(docs)
        indexed = [
            (m.doc_id, k, m.verdict, m.scores)
            for k, (doc_id, text) in enumerate(zip(ids, texts, strict=True))
            for m in self.add(doc_id, text)
        ]
        return _with_indexed(ids, [], indexed)

    @staticmethod
    def _distinct_counts(hashes: U32, bounds: I64) -> I64:
        doc = np.repeat(np.arange(len(bounds) - 1, dtype=np.uint64), np.diff(bounds))
        distinct = np.unique((doc << np.uint64(32)) | hashes.astype(np.uint64))
        return np.bincount((distinct >> np.uint64(32)).astype(np.int64), minlength=len(bounds) - 1)

    @staticmethod
    def _groups(ids: list[str], edges: list[tuple[int, int]]) -> tuple[tuple[str, ...], ...]:
        if not edges:
            return ()
        rows, cols = np.array(edges).T
        graph = sparse.coo_matrix((np.ones(len(edges)), (rows, cols)), shape=(len(ids), len(ids)))
        _, labels = connected_components(graph, directed=False)
        members: dict[int, list[int]] = {}
        for doc in sorted(set(rows.tolist()) | set(cols.tolist())):
            members.setdefault(int(labels[doc]), []).append(doc)
        return tuple(tuple(ids[d] for d in group) for group in sorted(members.values()))
