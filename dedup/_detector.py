"""The detector: ties the stages together for one document at a time or for a batch.

::

    text -> tokens -> shingle hashes -> signature -> candidates -> scores -> verdicts
         _tokenize     _shingle        _minhash      _lsh         _rerank   _verdict

A scan first strips page chrome (``_boilerplate``) and then explains what it found:
aligned passages (``_align``), the likely original of each pair (``_source``) and
story groups around sources (``_groups``). Indexed documents live in a store
(``_memory``, ``_redis``) and are saved and loaded by ``_persist``.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import _persist as persist
from ._align import Passage, Sentences
from ._boilerplate import Boilerplate, Lines, known_chrome
from ._config import DetectorConfig
from ._exceptions import ConfigError, InputError
from ._groups import Group, Link, star_groups
from ._hashing import U32, U64
from ._lsh import band_keys, pairs_sharing_keys
from ._memory import Documents, MemoryStore, Store
from ._minhash import MinHasher, agreements, check_texts, map_batches
from ._rerank import Profiles, Scores
from ._shingle import distinct
from ._source import Evidence, check_timestamp, original_of, wire_dateline
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
    passages : tuple of Passage
        The aligned passages, in order, ``a`` offsets into the queried text and ``b``
        offsets into the matched document's; empty unless the detector keeps texts
        (``keep_text=True``).
    """

    doc_id: str
    verdict: Verdict
    scores: Scores
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Pair:
    """A pair found by :meth:`Detector.scan`; ``a`` came before ``b`` in the input.

    Attributes
    ----------
    a, b : str
        The two document ids.
    verdict : Verdict
        What the two texts are to each other.
    scores : Scores
        The evidence, for re-thresholding.
    passages : tuple of Passage
        The aligned passages, in order, with offsets into ``a``'s and ``b``'s texts.
    source : str or None
        ``a`` or ``b``, whichever is the likely original; ``None`` when nothing tells.
    evidence : Evidence
        What named ``source``.
    """

    a: str
    b: str
    verdict: Verdict
    scores: Scores
    passages: tuple[Passage, ...] = ()
    source: str | None = None
    evidence: Evidence = Evidence.NONE


@dataclass(frozen=True)
class ScanResult:
    """The outcome of :meth:`Detector.scan`.

    Attributes
    ----------
    pairs : tuple of Pair
        Every pair with a verdict, in input order of ``a`` then ``b``.
    groups : tuple of Group
        Story groups: each a source and the documents derived from it, in the input
        order of their sources (see :class:`Group`).
    boilerplate : tuple of Boilerplate
        The page chrome stripped before comparing, most frequent first.
    """

    pairs: tuple[Pair, ...]
    groups: tuple[Group, ...]
    boilerplate: tuple[Boilerplate, ...] = ()


def _check_id(doc_id: object) -> str:
    if not isinstance(doc_id, str):
        raise TypeError(f"doc_id must be a str, got {type(doc_id).__name__}")
    return doc_id


def _check_time(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{name} must be a finite number of POSIX seconds, got {value!r}")


#: Where a batch scan finds its pairs: in this process, or on a Dask cluster.
ENGINES = ("local", "dask")
_PAIRS_PER_RERANK = 50_000  # candidate pairs whose documents are profiled together

#: A pair of documents with a verdict: ``(i, j, verdict, scores)``, positions in a batch.
Found = tuple[int, int, Verdict, Scores]
#: The tokens, signatures and distinct-shingle counts of a batch.
Fingerprints = tuple[Tokens, U32, I64]
#: Documents of the index that one text was compared with, and its verdicts on them as
#: ``(row of the documents, verdict, scores)``.
Ranked = tuple[Documents, list[tuple[int, Verdict, Scores]]]


def _documents(docs: Iterable[tuple[Any, ...]]) -> tuple[list[str], list[str], list[float | None]]:
    """The ids, texts and timestamps of a batch of ``(doc_id, text[, timestamp])`` tuples."""
    check_texts(docs)
    ids: list[str] = []
    texts: list[str] = []
    times: list[float | None] = []
    for item in docs:
        if isinstance(item, str) or not isinstance(item, tuple) or len(item) not in (2, 3):
            raise TypeError(f"documents must be (doc_id, text) or (doc_id, text, timestamp) tuples, got {item!r:.60}")
        if not isinstance(item[1], str):
            raise TypeError(f"text of {item[0]!r:.60} is a {type(item[1]).__name__}, expected str")
        ids.append(_check_id(item[0]))
        texts.append(item[1])
        times.append(check_timestamp(item[2]) if len(item) == 3 else None)
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        duplicate = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InputError(f"document id {duplicate!r} occurs more than once")
    return ids, texts, times


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
        found = self._candidates(self._keys(signature)[0], size)
        return self._matches(text, self._rank(tokens, signature[0], size, found))

    def add(self, doc_id: str, text: str, timestamp: float | None = None) -> list[Match]:
        """Index ``text`` as ``doc_id`` and return its matches among the other indexed documents.

        Adding an id again replaces its document.

        Parameters
        ----------
        doc_id : str
            The document's id.
        text : str
            Its text; only its tokens are kept, and the text itself with ``keep_text``.
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
        return self._matches(text, self._add(doc_id, text, timestamp))

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

    def _add(self, doc_id: str, text: str, timestamp: float | None) -> Ranked:
        """Store a document, then rank the other indexed documents against it."""
        _check_id(doc_id)
        if timestamp is not None:
            _check_time("timestamp", timestamp)
        tokens, signature, size = self._sign(text)
        document = Documents.build(
            [doc_id],
            signature,
            np.array([size], dtype=np.int64),
            [(tokens.hashes, tokens.flags)],
            [timestamp],
            [text if self.config.keep_text else None],
        )
        keys = self._keys(signature)
        max_age = self.config.max_age
        # Stored and looked up under one lock, so that two copies added at once by two
        # threads find each other once, not twice.
        with self._lock:
            self._store.put(document, keys)
            if timestamp is not None and max_age is not None:
                self._store.expire(timestamp - max_age)
            found = self._candidates(keys[0], size)
        return self._rank(tokens, signature[0], size, found, exclude=(doc_id,))

    def _sign(self, text: str) -> tuple[Tokens, U32, int]:
        """Tokens, signature (one row) and number of distinct shingles of one text."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        tokens = tokenize([text], chrome=True)
        hashes, bounds = self.minhasher.shingles(tokens.article())  # index keys leave page chrome out
        return tokens, self.minhasher.sign(hashes, bounds), int(self._distinct_counts(hashes, bounds)[0])

    def _keys(self, signatures: U32) -> U64:
        return band_keys(signatures, self.config.bands, self.config.rows)

    def _candidates(self, keys: U64, size: int) -> Documents:
        """The indexed documents sharing a band key with ``keys``; none for a text without shingles."""
        if size == 0:
            return Documents.empty(self.config.num_perm)
        with self._lock:
            return self._store.candidates(keys)

    def _rank(
        self, tokens: Tokens, signature: U32, size: int, found: Documents, exclude: Collection[str] = ()
    ) -> Ranked:
        """The verdicts of one text (its ``tokens``, ``signature`` and ``size``) on candidates ``found``.

        Documents whose ids are in ``exclude`` are left out.
        """
        if size == 0 or not len(found):
            return found, []
        estimates = np.mean(found.signatures == signature, axis=1)
        keep = self._overlap(estimates, size, found.sizes) >= self.config.candidate_overlap
        if exclude:
            keep &= np.array([doc_id not in exclude for doc_id in found.ids], dtype=bool)
        rows = np.flatnonzero(keep)
        if len(rows) == 0:
            return found, []
        batch = Tokens.join([tokens, found.tokens.subset(rows)])
        left = np.zeros(len(rows), dtype=np.int64)
        right = np.arange(1, len(rows) + 1, dtype=np.int64)
        ranked = self._rerank(Profiles(batch, self.config), left, right, estimates[rows])
        return found, [(int(rows[j - 1]), verdict, scores) for _, j, verdict, scores in ranked]

    def _matches(self, text: str, ranked: Ranked) -> list[Match]:
        found, verdicts = ranked
        passages = self._passages_of(text, [found.texts[row] for row, _, _ in verdicts])
        matches = [
            Match(found.ids[row], verdict, scores, aligned)
            for (row, verdict, scores), aligned in zip(verdicts, passages, strict=True)
        ]
        return sorted(matches, key=lambda m: (RANK[m.verdict], -m.scores.rewrite, m.doc_id))

    def _passages_of(self, text: str, others: list[str | None]) -> list[tuple[Passage, ...]]:
        """The passages of ``text`` aligned with each of ``others``, if texts are kept."""
        if not others or not self.config.keep_text:
            return [()] * len(others)
        sentences = Sentences([text, *(other or "" for other in others)])
        return [sentences.align(0, k, self.config.passage_similarity) for k in range(1, len(others) + 1)]

    @staticmethod
    def _overlap(jaccard: np.ndarray, size_a: int | I64, size_b: I64) -> np.ndarray:
        """Estimated share of the smaller shingle set found in the larger, from a Jaccard estimate."""
        shared = jaccard / (1 + jaccard) * (size_a + size_b)
        return shared / np.maximum(np.minimum(size_a, size_b), 1)

    def _rerank(self, profiles: Profiles, left: I64, right: I64, estimates: np.ndarray) -> list[Found]:
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

    # -- persistence --------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the index to the folder ``path``, atomically.

        The folder holds ``.npy`` arrays and a JSON manifest with the settings and a checksum
        of every file, and the texts where they are kept (``keep_text``); a process killed
        while saving leaves the previous save loadable. See ``docs/persistence.md``.

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
        banding, ``keep_text`` and ``max_age`` may change, the settings the signatures
        depend on (``num_perm``, ``seed``, ``scheme``, ``ngram``, ``stopwords``) may not.
        Saved texts are loaded when the detector keeps texts.

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
        if not det.config.keep_text:
            documents = replace(documents, texts=(None,) * len(documents))
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
        own thresholds, ``keep_text`` and ``max_age`` but not other signature or banding
        settings. See ``docs/persistence.md`` for what is atomic.

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

    def scan(
        self,
        docs: Iterable[tuple[str, str] | tuple[str, str, float | None]],
        with_index: bool = False,
        engine: str = "local",
        scheduler: str | None = None,
    ) -> ScanResult:
        """Find all pairs and story groups among a batch of documents.

        Documents are ``(doc_id, text)`` or ``(doc_id, text, timestamp)`` tuples, the
        timestamp in POSIX seconds or ``None``; timestamps help name the original of
        each pair. Page chrome is stripped first (``strip_boilerplate``), so the
        verdicts of a scan can differ from :meth:`compare` on pages with chrome.

        The index is never changed. It is not read either, unless ``with_index`` asks to
        pair each document also with the indexed documents it matches; these come first in
        the result, by id, and an indexed document whose id is in the batch is left out
        (the batch holds its current version). Their passages, and datelines and content
        as evidence of the original, need their texts: the index has them where it keeps
        texts (``keep_text``).

        Examples
        --------
        >>> wire = "MOSCOW (AP) — Russian forces are leaving Karabakh, officials said on Wednesday."
        >>> copy = "Russian forces are leaving Karabakh, officials said on Wednesday."
        >>> pair = Detector().scan([("copy", copy), ("wire", wire)]).pairs[0]
        >>> pair.source, pair.evidence.value, [(p.a_start, p.a_end, p.b_start, p.b_end) for p in pair.passages]
        ('wire', 'dateline', [(0, 65, 0, 79)])
        >>> det = Detector()
        >>> det.add("wire", wire)
        []
        >>> [(p.a, p.b, p.verdict.value) for p in det.scan([("copy", copy)], with_index=True).pairs]
        [('wire', 'copy', 'near_duplicate')]
        """
        ids, given, times = _documents(docs)
        if engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
        if engine == "dask":
            if with_index:
                raise ConfigError("a scan with the index runs on the local engine only")
            from ._dask import client_for, find_pairs

            with client_for(scheduler) as client:
                texts, boilerplate, _, found = self._strip_and_find(
                    given, lambda texts, _before: (None, find_pairs(self, texts, client))
                )
        else:
            texts, boilerplate, prints, found = self._strip_and_find(given, self._find)
        if not with_index:
            derived, links = self._explain(ids, texts, times, found)
            return ScanResult(derived, star_groups(ids, links), boilerplate)
        # Documents are indexed as given, chrome and all, so they are compared with the texts
        # as given, as by query: a file that was added is an exact copy of itself.
        tokens, signatures, sizes = prints if texts == given else self._fingerprint(given)
        keys = self._keys(signatures)
        batch = set(ids)
        ranked = [
            self._rank(
                tokens.subset(np.array([k])),
                signatures[k],
                int(sizes[k]),
                self._candidates(keys[k], int(sizes[k])),
                exclude=batch,
            )
            for k in range(len(ids))
        ]
        return self._with_index(ids, texts, times, found, ranked, boilerplate)

    def add_many(self, docs: Iterable[tuple[str, str] | tuple[str, str, float | None]]) -> ScanResult:
        """Add a batch of ``(doc_id, text[, timestamp])`` documents, one after the other, like :meth:`add`.

        Returns the pairs each document made with the documents indexed before it,
        including those earlier in the batch, explained as by :meth:`scan`; indexed
        documents from outside the batch come first in the result, by id.

        Examples
        --------
        >>> det = Detector()
        >>> text = "Flood repairs will close the Riverside library for eighteen months."
        >>> [(p.a, p.b) for p in det.add_many([("a", text), ("b", text.upper())]).pairs]
        [('a', 'b')]
        """
        ids, texts, times = _documents(docs)
        ranked = [self._add(*doc) for doc in zip(ids, texts, times, strict=True)]
        return self._with_index(ids, texts, times, [], ranked)

    def _with_index(
        self,
        ids: list[str],
        texts: list[str],
        times: list[float | None],
        found: list[Found],
        ranked: list[Ranked],
        boilerplate: tuple[Boilerplate, ...] = (),
    ) -> ScanResult:
        """The result of a batch with pairs ``found`` among it and each document's ``ranked`` indexed documents.

        Indexed documents outside the batch come first, by id, with their stored texts and
        timestamps.
        """
        batch = set(ids)
        outside: dict[str, tuple[str | None, float | None]] = {}
        for documents, verdicts in ranked:
            for row, _, _ in verdicts:
                if documents.ids[row] not in batch:
                    outside[documents.ids[row]] = (documents.texts[row], documents.time(row))
        order = sorted(outside)
        position = {doc_id: p for p, doc_id in enumerate(order + ids)}
        shift = len(order)
        pairs = [(i + shift, j + shift, v, s) for i, j, v, s in found]
        for k, (documents, verdicts) in enumerate(ranked):
            for row, verdict, scores in verdicts:
                i, j = sorted((position[documents.ids[row]], k + shift))
                pairs.append((i, j, verdict, scores))
        pairs.sort(key=lambda p: (p[0], p[1]))
        all_ids = order + ids
        all_texts = [outside[d][0] for d in order] + list(texts)
        all_times = [outside[d][1] for d in order] + times
        derived, links = self._explain(all_ids, all_texts, all_times, pairs)
        return ScanResult(derived, star_groups(all_ids, links), boilerplate)

    def _find(
        self, texts: list[str], before: tuple[list[str], Fingerprints, list[Found]] | None = None
    ) -> tuple[Fingerprints, list[Found]]:
        """The fingerprints of a batch, and its pairs with a verdict: ``(i, j, verdict, scores)``, ``i < j``."""
        if before is None:
            tokens, signatures, sizes = prints = self._fingerprint(texts)
            changed = None
            found: list[Found] = []
        else:
            # Only the documents whose text changed since ``before`` are fingerprinted and
            # judged again; pairs of unchanged documents keep their verdicts.
            old_texts, old_prints, old_found = before
            changed = np.array([a != b for a, b in zip(texts, old_texts, strict=True)], dtype=bool)
            tokens, signatures, sizes = prints = self._refingerprint(texts, old_prints, changed)
            found = [f for f in old_found if not (changed[f[0]] or changed[f[1]])]
        # The low byte of each signature value: it agrees wherever the full value does, so a
        # pair it rules out is ruled out by the full signatures too, at a quarter of the reads.
        low_bytes = signatures.astype(np.uint8)

        def overlapping(a: I64, b: I64) -> tuple[I64, I64]:
            return self._overlapping(a, b, signatures, low_bytes, sizes)

        pairs = pairs_sharing_keys(self._keys(signatures), keep=overlapping, among=changed)
        found += self._judge_pairs(tokens, signatures, pairs)
        return prints, sorted(found, key=lambda f: (f[0], f[1]))

    def _strip_and_find(
        self, given: list[str], find: Callable[[list[str], Any], tuple[Any, list[Found]]]
    ) -> tuple[list[str], tuple[Boilerplate, ...], Any, list[Found]]:
        """Strip page chrome from a batch and find its pairs with ``find`` (an engine's).

        Returns the texts compared, what was stripped, the engine's fingerprints and the pairs.
        """
        c = self.config
        if not c.strip_boilerplate:
            prints, found = find(given, None)
            return given, (), prints, found
        lines = Lines(given)
        recurring = lines.recurring(c.boilerplate_min_docs, c.boilerplate_max_share)
        texts, boilerplate = lines.blank(known_chrome() | recurring)
        prints, found = find(texts, None)
        copied = lines.held_by_copies(recurring, [(i, j) for i, j, _, _ in found])
        if copied:  # compare again with the copied lines put back
            blanked = texts
            texts, boilerplate = lines.blank(known_chrome() | (recurring - copied))
            prints, found = find(texts, (blanked, prints, found))
        return texts, boilerplate, prints, found

    def _overlapping(self, a: I64, b: I64, signatures: U32, low_bytes: U8, sizes: I64) -> tuple[I64, I64]:
        """The candidate pairs ``(a[k], b[k])`` whose estimated overlap reaches ``candidate_overlap``.

        ``low_bytes`` is ``signatures.astype(np.uint8)``, a first check that reads a quarter of
        the memory and never drops a pair the full signatures keep.
        """
        gate = self.config.candidate_overlap
        wanted = (sizes[a] > 0) & (sizes[b] > 0)
        a, b = a[wanted], b[wanted]
        rough = agreements(low_bytes, a, b) / low_bytes.shape[1]
        maybe = np.flatnonzero(self._overlap(rough, sizes[a], sizes[b]) >= gate)
        estimate = MinHasher.jaccard_many(signatures, a[maybe], b[maybe])
        keep = np.zeros(len(a), dtype=bool)
        keep[maybe[self._overlap(estimate, sizes[a[maybe]], sizes[b[maybe]]) >= gate]] = True
        return a[keep], b[keep]

    def _judge_pairs(self, tokens: Tokens, signatures: U32, pairs: I64) -> list[Found]:
        """Verdicts of candidate pairs (rows of ``pairs``), re-ranked in chunks profiled together."""
        found: list[Found] = []
        for chunk in range(0, len(pairs), _PAIRS_PER_RERANK):
            part = pairs[chunk : chunk + _PAIRS_PER_RERANK]
            docs, local = np.unique(part, return_inverse=True)
            local = local.reshape(part.shape)
            estimates = MinHasher.jaccard_many(signatures, part[:, 0], part[:, 1])
            profiles = Profiles(tokens.subset(docs), self.config)
            for i, j, verdict, scores in self._rerank(profiles, local[:, 0], local[:, 1], estimates):
                found.append((int(docs[i]), int(docs[j]), verdict, scores))
        return found

    def _refingerprint(self, texts: list[str], before: Fingerprints, changed: np.ndarray) -> Fingerprints:
        """``before`` with the documents where ``changed`` fingerprinted again from ``texts``."""
        redo = np.flatnonzero(changed)
        if len(redo) == 0:
            return before
        tokens, signatures, sizes = before
        new_tokens, new_signatures, new_sizes = self._fingerprint([texts[k] for k in redo.tolist()])
        signatures, sizes = signatures.copy(), sizes.copy()
        signatures[redo], sizes[redo] = new_signatures, new_sizes
        position = np.full(len(texts), -1)
        position[redo] = np.arange(len(redo))

        def arrays(batch: Tokens, k: int) -> tuple[U32, U8]:
            lo, hi = batch.bounds[k], batch.bounds[k + 1]
            return batch.hashes[lo:hi], batch.flags[lo:hi]

        parts = [
            arrays(tokens, k) if position[k] < 0 else arrays(new_tokens, int(position[k])) for k in range(len(texts))
        ]
        return Tokens.concat(parts), signatures, sizes

    def _explain(
        self, ids: list[str], texts: Sequence[str | None], times: Sequence[float | None], found: list[Found]
    ) -> tuple[tuple[Pair, ...], list[Link]]:
        """The pairs with their passages and originals, and the links that groups are made of.

        A pair with a text that is not known (an indexed document whose text is not kept)
        gets no passages, and only timestamps can name its original.
        """
        involved = sorted({d for i, j, _, _ in found for d in (i, j)})
        known = {d: text for d in involved if (text := texts[d]) is not None}
        position = {d: k for k, d in enumerate(known)}
        sentences = Sentences(list(known.values()))
        datelines = {d: wire_dateline(text) for d, text in known.items()}
        pairs, links = [], []
        for i, j, verdict, scores in found:
            passages: tuple[Passage, ...] = ()
            lines: tuple[str | None, str | None] = (None, None)
            shares = (0.0, 0.0)
            if i in position and j in position:
                passages = sentences.align(position[i], position[j], self.config.passage_similarity)
                lines = (datelines[i], datelines[j])
                shares = (
                    sentences.aligned_share(position[i], [p.a_start for p in passages]),
                    sentences.aligned_share(position[j], [p.b_start for p in passages]),
                )
            which, evidence = original_of((times[i], times[j]), lines, shares, self.config.source_margin)
            original = None if which is None else (i, j)[which]
            pairs.append(
                Pair(ids[i], ids[j], verdict, scores, passages, None if original is None else ids[original], evidence)
            )
            links.append(Link(i, j, original, evidence, scores.rewrite))
        return tuple(pairs), links

    def _fingerprint(self, texts: list[str]) -> Fingerprints:
        """Tokens, signatures and distinct-shingle counts of texts, batches spread over the cores."""

        def batch(chunk: list[str]) -> tuple[Tokens, U32, I64]:
            tokens = tokenize(chunk, chrome=True)
            hashes, bounds = self.minhasher.shingles(tokens.article())
            return tokens, self.minhasher.sign(hashes, bounds), self._distinct_counts(hashes, bounds)

        done = map_batches(batch, texts) or [batch([])]
        tokens = Tokens.join([d[0] for d in done])
        return tokens, np.concatenate([d[1] for d in done]), np.concatenate([d[2] for d in done])

    @staticmethod
    def _distinct_counts(hashes: U32, bounds: I64) -> I64:
        doc = np.repeat(np.arange(len(bounds) - 1, dtype=np.uint64), np.diff(bounds))
        keys = distinct((doc << np.uint64(32)) | hashes.astype(np.uint64))
        return np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(bounds) - 1)
