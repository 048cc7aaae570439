"""The detector: ties the stages together for one document at a time or for a batch.

::

    text -> tokens -> shingle hashes -> signature -> candidates -> scores -> verdicts
         _tokenize     _shingle        _minhash      _lsh         _rerank   _verdict
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ._config import DetectorConfig
from ._exceptions import InputError
from ._hashing import U32
from ._lsh import LSHIndex, pairs_sharing_keys
from ._minhash import MinHasher, batches, check_texts
from ._rerank import Profiles, Scores
from ._tokenize import I64, U8, Tokens, tokenize
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


#: Threads that compute signatures in a batch scan.
WORKERS = min(2, os.cpu_count() or 1)
_PAIRS_PER_RERANK = 50_000  # candidate pairs whose documents are profiled together


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
        self._index = LSHIndex(c.bands, c.rows)
        self._ids: list[str | None] = []  # by slot; None once removed
        self._slots: dict[str, int] = {}
        self._tokens: list[tuple[U32, U8]] = []  # by slot
        self._signatures = np.zeros((0, c.num_perm), dtype=np.uint32)
        self._sizes = np.zeros(0, dtype=np.int64)  # distinct shingles per slot

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slots

    def __repr__(self) -> str:
        return f"Detector({len(self)} documents)"

    # -- one document at a time -------------------------------------------------------

    def query(self, text: str) -> list[Match]:
        """The indexed documents that ``text`` matches, strongest first; nothing is stored."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        tokens = tokenize([text], chrome=True)
        article = tokens.article()
        return self._matches(tokens, self.minhasher.signatures_of(article)[0], self._size_of(article))

    def add(self, doc_id: str, text: str) -> list[Match]:
        """Index ``text`` as ``doc_id`` and return its matches among earlier documents."""
        _check_id(doc_id)
        if doc_id in self._slots:
            raise InputError(f"document id {doc_id!r} is already indexed")
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        tokens = tokenize([text], chrome=True)
        article = tokens.article()
        signature = self.minhasher.signatures_of(article)
        size = self._size_of(article)
        matches = self._matches(tokens, signature[0], size)
        slot = int(self._index.insert(self._index.keys(signature), live=np.array([size > 0]))[0])
        if slot >= len(self._signatures):
            capacity = max(64, 2 * len(self._signatures))
            self._signatures = np.resize(self._signatures, (capacity, self.config.num_perm))
            self._sizes = np.resize(self._sizes, capacity)
        self._signatures[slot] = signature[0]
        self._sizes[slot] = size
        self._ids.append(doc_id)
        self._tokens.append((tokens.hashes, tokens.flags))
        self._slots[doc_id] = slot
        return matches

    def remove(self, doc_id: str) -> None:
        """Forget ``doc_id``; raises ``KeyError`` if it is not indexed."""
        slot = self._slots.pop(doc_id)
        self._index.remove(slot)
        self._ids[slot] = None
        self._tokens[slot] = (np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint8))

    def _id_at(self, slot: int) -> str:
        doc_id = self._ids[slot]
        assert doc_id is not None, "the index returned a removed slot"
        return doc_id

    def _size_of(self, tokens: Tokens) -> int:
        return int(self._distinct_counts(*self.minhasher.shingles(tokens))[0])

    def _matches(self, tokens: Tokens, signature: U32, size: int) -> list[Match]:
        if size == 0:
            return []
        slots = self._index.query(self._index.keys(signature[None, :])[0])
        estimates = np.mean(self._signatures[slots] == signature, axis=1)
        keep = self._overlap(estimates, size, self._sizes[slots]) >= self.config.candidate_overlap
        slots, estimates = slots[keep], estimates[keep]
        if len(slots) == 0:
            return []
        batch = Tokens.concat([(tokens.hashes, tokens.flags)] + [self._tokens[s] for s in slots])
        left = np.zeros(len(slots), dtype=np.int64)
        right = np.arange(1, len(slots) + 1, dtype=np.int64)
        found = self._rerank(Profiles(batch, self.config), left, right, estimates)
        matches = [Match(self._id_at(int(slots[j - 1])), verdict, scores) for _, j, verdict, scores in found]
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

        The quadratic ``order`` and ``spread`` scores are skipped (left at 0) where the
        cheaper scores already rule a verdict out, unless ``full`` asks for every score.
        """
        c = self.config
        identical = profiles.is_identical(i, j)
        promising = sets["cosine"] >= c.candidate_cosine or sets["containment"] >= c.near_duplicate_containment
        if identical:
            order, spread = 1.0, 1.0
        else:
            order, spread = profiles.alignment(i, j) if (promising or full) else (0.0, 0.0)
        rewrite = (2 * sets["coverage"] + order) / 3
        scores = Scores(
            estimate, sets["jaccard"], sets["containment"], sets["cosine"], sets["coverage"], order, rewrite, spread
        )
        return decide(identical, scores, c), scores

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
        tokens = tokenize([text_a, text_b], chrome=True)
        signatures = self.minhasher.signatures_of(tokens.article())
        profiles = Profiles(tokens, self.config)
        one, two = np.array([0]), np.array([1])
        sets = {n: float(v[0]) for n, v in profiles.set_scores(one, two).items()}
        estimate = float(np.mean(signatures[0] == signatures[1]))
        return self._judge(profiles, 0, 1, sets, estimate, full=True)

    # -- a batch ------------------------------------------------------------------------

    def scan(self, docs: Iterable[tuple[str, str]]) -> ScanResult:
        """Find all pairs among a batch of ``(doc_id, text)`` documents.

        The batch is compared with itself only; the index is neither read nor changed.
        """
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

        tokens, signatures, sizes = self._fingerprint(texts)
        gate = self.config.candidate_overlap
        # The low byte of each signature value: it agrees wherever the full value does, so a
        # pair it rules out is ruled out by the full signatures too, at a quarter of the reads.
        low_bytes = signatures.astype(np.uint8)

        def overlapping(a: I64, b: I64) -> tuple[I64, I64]:
            a, b = a[(sizes[a] > 0) & (sizes[b] > 0)], b[(sizes[a] > 0) & (sizes[b] > 0)]
            rough = np.count_nonzero(low_bytes[a] == low_bytes[b], axis=1) / low_bytes.shape[1]
            maybe = np.flatnonzero(self._overlap(rough, sizes[a], sizes[b]) >= gate)
            estimate = np.mean(signatures[a[maybe]] == signatures[b[maybe]], axis=1)
            keep = np.zeros(len(a), dtype=bool)
            keep[maybe[self._overlap(estimate, sizes[a[maybe]], sizes[b[maybe]]) >= gate]] = True
            return a[keep], b[keep]

        pairs = pairs_sharing_keys(self._index.keys(signatures), keep=overlapping)
        found = []
        for chunk in range(0, len(pairs), _PAIRS_PER_RERANK):
            part = pairs[chunk : chunk + _PAIRS_PER_RERANK]
            docs, local = np.unique(part, return_inverse=True)
            local = local.reshape(part.shape)
            estimates = np.mean(signatures[part[:, 0]] == signatures[part[:, 1]], axis=1)
            profiles = Profiles(tokens.subset(docs), self.config)
            for i, j, verdict, scores in self._rerank(profiles, local[:, 0], local[:, 1], estimates):
                found.append((int(docs[i]), int(docs[j]), verdict, scores))
        result_pairs = tuple(Pair(ids[i], ids[j], v, s) for i, j, v, s in found)
        return ScanResult(result_pairs, self._groups(ids, [(i, j) for i, j, _, _ in found]))

    def _fingerprint(self, texts: list[str]) -> tuple[Tokens, U32, I64]:
        """Tokens, signatures and distinct-shingle counts of texts, batches spread over the cores."""

        def batch(chunk: list[str]) -> tuple[Tokens, U32, I64]:
            tokens = tokenize(chunk, chrome=True)
            hashes, bounds = self.minhasher.shingles(tokens.article())
            return tokens, self.minhasher.sign(hashes, bounds), self._distinct_counts(hashes, bounds)

        chunks = list(batches(texts))
        if len(chunks) > 1 and WORKERS > 1:
            with ThreadPoolExecutor(WORKERS) as pool:  # numpy releases the GIL in the heavy steps
                done = list(pool.map(batch, chunks))
        else:
            done = [batch(chunk) for chunk in chunks] or [batch([])]
        tokens = Tokens.join([d[0] for d in done])
        return tokens, np.concatenate([d[1] for d in done]), np.concatenate([d[2] for d in done])

    @staticmethod
    def _distinct_counts(hashes: U32, bounds: I64) -> I64:
        doc = np.repeat(np.arange(len(bounds) - 1, dtype=np.uint64), np.diff(bounds))
        keys = np.sort((doc << np.uint64(32)) | hashes.astype(np.uint64))
        first = np.concatenate((np.ones(min(len(keys), 1), dtype=bool), keys[1:] != keys[:-1]))
        return np.bincount((keys[first] >> np.uint64(32)).astype(np.int64), minlength=len(bounds) - 1)

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
