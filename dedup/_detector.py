"""The detector: a facade that holds the settings, the index and its lock, and calls the stages.

::

    text -> tokens -> shingle hashes -> signature -> candidates -> scores -> verdicts -> report
         _fingerprint                              _candidates   _judge               _explain

A scan runs the stages over a batch (``_scan``, or ``_dask`` on a cluster); adding or
querying runs them over a batch against the index (``_ingest``), where a single document is
a batch of one. Indexed documents live in a store (``_memory``, ``_redis``) saved and loaded
by ``_persist``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from . import _persist as persist
from ._batching import check_texts
from ._candidates import gate_for, keys_of
from ._config import DetectorConfig
from ._exceptions import ConfigError
from ._explain import explain
from ._fingerprint import Fingerprints, fingerprint, minhasher, window_keys
from ._ingest import Indexed, matches, outside, pairs_with_index, report, seen_when_added, to_store
from ._judge import judge_texts
from ._memory import MemoryStore
from ._minhash import MinHasher
from ._rerank import Scores
from ._results import Match, ScanResult
from ._scan import check_id, documents, scan_batch
from ._store import Store, Windows
from ._timestamps import check_optional_time, check_time
from ._verdict import Verdict

Docs = Iterable[tuple[str, str] | tuple[str, str, float | None]]


def _windows(prints: Fingerprints, config: DetectorConfig) -> Windows | None:
    """The window keys of the passage channel with ``partial_reuse``, else ``None``."""
    return window_keys(prints.tokens.article(), config) if config.partial_reuse else None


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return text


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
        self._store: Store = MemoryStore(self.config.num_perm, self.config.bands, self.config.rows)
        self._lock = threading.RLock()  # guards the store; the stages run outside it

    def __len__(self) -> int:
        with self._lock:
            return len(self._store)

    def __contains__(self, doc_id: object) -> bool:
        with self._lock:
            return doc_id in self._store

    def __repr__(self) -> str:
        return f"Detector({len(self)} documents)"

    @property
    def minhasher(self) -> MinHasher:
        """The MinHasher of the detector's signatures."""
        return minhasher(self.config)

    def query(self, text: str) -> list[Match]:
        """The indexed documents that ``text`` matches, strongest first; nothing is stored."""
        return self.query_many([_check_text(text)])[0]

    def query_many(self, texts: Sequence[str]) -> list[list[Match]]:
        """The matches of each of ``texts`` among the indexed documents, as :meth:`query` gives them."""
        check_texts(texts)
        texts = [_check_text(text) for text in texts]
        c = self.config
        prints = fingerprint(texts, c)
        windows = _windows(prints, c)
        with self._lock:
            found = self._store.candidates(keys_of(prints, c), gate_for(prints, c), windows)
        return matches(pairs_with_index(prints, found, c), texts, c)

    def add(self, doc_id: str, text: str, timestamp: float | None = None) -> list[Match]:
        """Index ``text`` as ``doc_id`` and return its matches among the other indexed documents.

        Adding an id again replaces its document. Only the text's tokens are kept, and the
        text itself with ``keep_text``. ``timestamp`` is its time in POSIX seconds: with
        ``max_age`` set, adding a document first forgets those more than ``max_age``
        seconds older than it; documents without a timestamp never expire.

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
        check_id(doc_id)
        batch = [_check_text(text)]
        return matches(self._add([doc_id], batch, [check_optional_time(timestamp)]), batch, self.config)[0]

    def add_many(self, docs: Docs) -> ScanResult:
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
        ids, texts, times = documents(docs)
        return report(ids, texts, times, [], self._add(ids, texts, times), self.config)

    def _add(self, ids: list[str], texts: Sequence[str], times: list[float | None]) -> Indexed:
        """Store a batch, and find its pairs as adding its documents one after the other finds
        them, with the index and within the batch, in one look-up."""
        c = self.config
        prints = fingerprint(texts, c)
        keys, windows = keys_of(prints, c), _windows(prints, c)
        newest = max((t for t in times if t is not None), default=None)
        # Stored before it is looked up, so that two copies added at once by two threads or
        # processes find each other at least once.
        with self._lock:
            self._store.put(to_store(ids, texts, times, prints, c), keys, windows)
            found = self._store.candidates(keys, gate_for(prints, c), windows)
            if c.max_age is not None and newest is not None:
                self._store.expire(newest - c.max_age)
        return pairs_with_index(prints, seen_when_added(found, ids, times, c.max_age), c)

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
        before = check_time(before, "before")
        with self._lock:
            return self._store.expire(before)

    def scan(
        self, docs: Docs, with_index: bool = False, engine: str = "local", scheduler: str | None = None
    ) -> ScanResult:
        """Find all pairs and story groups among a batch of documents.

        Documents are ``(doc_id, text)`` or ``(doc_id, text, timestamp)`` tuples, the
        timestamp in POSIX seconds or ``None``; timestamps help name the original of
        each pair. Page chrome is stripped first (``strip_boilerplate``), so the
        verdicts of a scan can differ from :meth:`compare` on pages with chrome.

        A scan holds a few kilobytes per document whatever the length of its texts: past
        256 MB, the texts are kept in a temporary file (in ``TMPDIR``) and read back when
        compared or explained. Iterate over ``docs`` lazily (a generator) to keep them out of
        memory on the caller's side too.

        The index is never changed, nor read unless ``with_index`` asks to pair the documents
        with the indexed ones too (those come first, by id; one whose id is in the batch is
        left out). Their passages and originals need the texts the index keeps (``keep_text``).

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
        c = self.config
        ids, given, times = documents(docs)
        if engine != "local" and with_index:
            raise ConfigError("a scan with the index runs on the local engine only")
        stripped = scan_batch(given, c, engine, scheduler)
        if not with_index:
            pairs, groups = explain(ids, stripped.texts, times, stripped.found, c)
            return ScanResult(pairs, groups, stripped.boilerplate)
        # Documents are indexed as given, chrome and all, so they are compared with the texts
        # as given, as by query: a file that was added is an exact copy of itself.
        prints = fingerprint(given, c)
        with self._lock:
            found = self._store.candidates(keys_of(prints, c), gate_for(prints, c), _windows(prints, c))
        indexed = pairs_with_index(prints, outside(found, ids), c)
        return report(ids, stripped.texts, times, stripped.found, indexed, c, stripped.boilerplate)

    def compare(self, text_a: str, text_b: str) -> tuple[Verdict | None, Scores]:
        """The verdict (``None`` if unrelated or independent) and all scores of two texts.

        No index is involved: this is the re-ranker applied to one pair.

        Examples
        --------
        >>> verdict, scores = Detector().compare("A cat sat on the mat.", "a CAT sat on the mat")
        >>> verdict.value, scores.containment
        ('exact', 1.0)
        """
        return judge_texts(_check_text(text_a), _check_text(text_b), self.config)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the index to the folder ``path``, atomically.

        The folder holds ``.npy`` arrays and a JSON manifest with the settings and a checksum
        of every file, and the texts where they are kept (``keep_text``); a process killed
        while saving leaves the previous save loadable. See ``docs/persistence.md``.

        Examples
        --------
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     Detector().save(folder)
        ...     print(len(Detector.load(folder)))
        0
        """
        with self._lock:
            stored = self._store.documents()
        persist.save(path, self.config, stored)

    @classmethod
    def load(cls, path: str | os.PathLike[str], config: DetectorConfig | None = None, **settings: Any) -> Detector:
        """A detector with the index saved in the folder ``path``.

        It has the saved settings, or ``config`` and ``settings`` where given: thresholds,
        banding, ``keep_text`` and ``max_age`` may change, the settings the signatures
        depend on (``num_perm``, ``seed``, ``scheme``, ``ngram``, ``stopwords``, ``language``) may not.
        Saved texts are loaded when the detector keeps texts. Raises
        :class:`MissingPathError` if there is no folder ``path``, and
        :class:`IndexLoadError`, saying why, if the index is corrupted, truncated or edited,
        or was made by an incompatible version of dedup or with incompatible settings.
        """
        stored, loaded = persist.load(path)
        where = f"the index {os.fspath(path)}"
        det = cls(persist.settle_config(stored, config, settings, persist.SIGNATURE_SETTINGS, where))
        if not det.config.keep_text:
            loaded = replace(loaded, texts=(None,) * len(loaded))
        # Window keys are not saved: with ``partial_reuse`` they are made again from the tokens.
        prints = Fingerprints(loaded.tokens, loaded.signatures, loaded.sizes)
        det._store.put(loaded, keys_of(prints, det.config), _windows(prints, det.config))
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

        ``redis`` is a ``redis://`` URL or a client (which must return bytes), ``prefix``
        the prefix of the index's keys (one server can hold several indexes). Needs the
        ``redis`` extra. The first process to use ``prefix`` records its settings there; the
        others use them, and may set their own thresholds, ``keep_text`` and ``max_age``
        but not other signature or banding settings (:class:`IndexLoadError` otherwise).
        See ``docs/persistence.md`` for what is atomic.
        """
        from ._redis import RedisStore

        store, agreed = RedisStore.open(redis, prefix, config, settings)
        det = cls(agreed)
        det._store = store
        return det
