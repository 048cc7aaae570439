"""A batch against an index: the pairs of a batch with stored documents, and what is reported.

::

    batch fingerprints --band keys--> Store.candidates --gate--> --judge--> pairs with documents
                                      _store            _candidates _judge

Adding a batch is the scan of a batch plus its pairs with the index, with the rules of
adding its documents one after the other: a document is compared with the stored
documents and the documents before it in the batch, less those that adding it expired.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._boilerplate import Boilerplate
from ._candidates import all_candidates
from ._config import DetectorConfig
from ._explain import explain, passages_of
from ._fingerprint import Fingerprints
from ._judge import Found, judge
from ._results import Match, ScanResult
from ._store import Documents
from ._types import F64, I64, Bools
from ._verdict import RANK


@dataclass(frozen=True)
class Indexed:
    """The pairs of a batch with stored documents.

    Attributes
    ----------
    found : list of Found
        ``(row of the batch, row of documents, verdict, scores)``.
    documents : Documents
        The stored documents compared with.
    """

    found: list[Found]
    documents: Documents


def to_store(
    ids: Sequence[str],
    texts: Sequence[str],
    times: Sequence[float | None],
    prints: Fingerprints,
    config: DetectorConfig,
) -> Documents:
    """What the index keeps of a batch: its fingerprints, timestamps and, with ``keep_text``, texts."""
    stamps = np.array([math.nan if t is None else t for t in times], dtype=np.float64)
    kept = tuple(texts) if config.keep_text else (None,) * len(texts)
    return Documents(tuple(ids), prints.signatures, prints.sizes, prints.tokens, stamps, kept)


def pairs_with_index(
    prints: Fingerprints,
    found: tuple[I64, Documents],
    config: DetectorConfig,
    ids: Sequence[str] = (),
    cutoff: F64 | None = None,
) -> Indexed:
    """The pairs of a batch with the stored documents ``found`` for it by :meth:`Store.candidates`
    through the gate of :func:`~dedup._candidates.gate_for`.

    Stored documents under ``ids`` (the batch's own) are left out, and with ``cutoff``
    those that adding the batch in order had expired (see :func:`cutoffs`).
    """
    pairs, documents = found
    if ids:
        pairs = pairs[seen_in_index(pairs, documents, ids, cutoff if cutoff is not None else cutoffs(ids, None))]
    stored = Fingerprints(documents.tokens, documents.signatures, documents.sizes)
    shift = np.array([0, len(prints)])
    judged = judge(pairs + shift, Fingerprints.join([prints, stored]), config)
    return Indexed([(i, j - len(prints), v, s) for i, j, v, s in judged], documents)


def within(prints: Fingerprints, times: Sequence[float | None], cutoff: F64, config: DetectorConfig) -> list[Found]:
    """The pairs ``(i, j, verdict, scores)``, ``i < j``, of a batch that adding it in order finds."""
    later_first = all_candidates(prints, config)[:, ::-1]  # judged as each later one was added
    later_first = later_first[seen_in_batch(later_first, times, cutoff)]
    return sorted((j, i, v, s) for i, j, v, s in judge(later_first, prints, config))


def cutoffs(times: Sequence[object], max_age: float | None) -> F64:
    """For each document of a batch added in order, the time before which documents have expired."""
    if max_age is None or len(times) == 0:
        return np.full(len(times), -math.inf)
    stamps = np.array([-math.inf if t is None else t for t in times], dtype=np.float64)
    return np.maximum.accumulate(stamps) - max_age


def seen_in_index(pairs: I64, documents: Documents, ids: Sequence[str], cutoff: F64) -> Bools:
    """Which pairs ``(row of the batch, row of documents)`` adding the batch in order compares.

    A stored document under an id of the batch was replaced by it; one older than the
    cutoff of the batch's document had expired.
    """
    batch = set(ids)
    replaced = np.array([doc_id in batch for doc_id in documents.ids], dtype=bool)
    stamps = documents.timestamps[pairs[:, 1]]
    alive = np.isnan(stamps) | (stamps >= cutoff[pairs[:, 0]])
    return ~replaced[pairs[:, 1]] & alive


def seen_in_batch(pairs: I64, times: Sequence[float | None], cutoff: F64) -> Bools:
    """Which pairs ``(later, earlier)`` of a batch adding it in order compares."""
    stamps = np.array([math.nan if t is None else t for t in times], dtype=np.float64)[pairs[:, 1]]
    return np.isnan(stamps) | (stamps >= cutoff[pairs[:, 0]])


def matches(indexed: Indexed, texts: Sequence[str], config: DetectorConfig) -> list[list[Match]]:
    """The matches of each text of a batch, strongest first, with passages where texts are kept."""
    per_text: list[list[Found]] = [[] for _ in texts]
    for pair in indexed.found:
        per_text[pair[0]].append(pair)
    documents, result = indexed.documents, []
    for text, pairs in zip(texts, per_text, strict=True):
        others = [documents.texts[row] for _, row, _, _ in pairs]
        passages = passages_of(text, others, config) if config.keep_text else [()] * len(pairs)
        found = [
            Match(documents.ids[row], verdict, scores, aligned)
            for (_, row, verdict, scores), aligned in zip(pairs, passages, strict=True)
        ]
        result.append(sorted(found, key=lambda m: (RANK[m.verdict], -m.scores.rewrite, m.doc_id)))
    return result


def report(
    ids: list[str],
    texts: list[str],
    times: list[float | None],
    within: list[Found],
    indexed: Indexed,
    config: DetectorConfig,
    boilerplate: tuple[Boilerplate, ...] = (),
) -> ScanResult:
    """The result of a batch with pairs ``within`` it (``i < j``) and pairs with the index.

    Stored documents outside the batch come first, by id, with their stored texts and
    timestamps.
    """
    documents, batch = indexed.documents, set(ids)
    outside = sorted({documents.ids[row] for _, row, _, _ in indexed.found} - batch)
    row_of = {doc_id: row for row, doc_id in enumerate(documents.ids)}
    position = {doc_id: p for p, doc_id in enumerate(outside + ids)}
    shift = len(outside)
    pairs = [(i + shift, j + shift, v, s) for i, j, v, s in within]
    for k, row, verdict, scores in indexed.found:
        i, j = sorted((position[documents.ids[row]], k + shift))
        pairs.append((i, j, verdict, scores))
    pairs.sort(key=lambda p: (p[0], p[1]))
    all_texts = [documents.texts[row_of[d]] for d in outside] + list(texts)
    all_times = [documents.time(row_of[d]) for d in outside] + list(times)
    derived, groups = explain(outside + ids, all_texts, all_times, pairs, config)
    return ScanResult(derived, groups, boilerplate)
