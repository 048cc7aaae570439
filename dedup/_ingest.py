"""A batch against an index: the pairs of a batch with stored documents, and what is reported.

::

    batch fingerprints --band keys--> Store.candidates --gate--> --judge--> pairs with documents
                                      _store            _candidates _judge

Adding a batch stores it and then looks it up: one search of all its band keys finds its
pairs with the index and within the batch, which are kept by the rules of adding its
documents one after the other (:func:`seen_when_added`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._boilerplate import Boilerplate
from ._config import DetectorConfig
from ._explain import explain, passages_of
from ._fingerprint import Fingerprints
from ._judge import Found, judge
from ._results import Match, ScanResult
from ._store import Documents
from ._types import F64, I64
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


def pairs_with_index(prints: Fingerprints, found: tuple[I64, Documents], config: DetectorConfig) -> Indexed:
    """Judge the pairs of a batch with the stored documents ``found`` for it by
    :meth:`Store.candidates` (through the gate of :func:`~dedup._candidates.gate_for`)."""
    pairs, documents = found
    stored = Fingerprints(documents.tokens, documents.signatures, documents.sizes)
    shift = np.array([0, len(prints)])
    judged = judge(pairs + shift, Fingerprints.join([prints, stored]), config)
    return Indexed([(i, j - len(prints), v, s) for i, j, v, s in judged], documents)


def cutoffs(times: Sequence[float | None], max_age: float | None) -> F64:
    """For each document of a batch added in order, the time before which documents have expired."""
    if max_age is None or len(times) == 0:
        return np.full(len(times), -math.inf)
    stamps = np.array([-math.inf if t is None else t for t in times], dtype=np.float64)
    return np.maximum.accumulate(stamps) - max_age


def seen_when_added(
    found: tuple[I64, Documents], ids: Sequence[str], times: Sequence[float | None], max_age: float | None
) -> tuple[I64, Documents]:
    """The pairs of ``found``, for a batch already stored, that adding it one document after
    the other compares.

    A document meets the documents stored before the batch and those before it in the
    batch, less those that adding it expired: older by more than ``max_age`` than the
    newest timestamp so far. A stored document under an id of the batch is the batch's own
    (adding it replaced the one stored before).
    """
    pairs, documents = found
    position = {doc_id: j for j, doc_id in enumerate(ids)}
    in_batch = np.array([position.get(doc_id, -1) for doc_id in documents.ids], dtype=np.int64)
    stamps = documents.timestamps[pairs[:, 1]]
    alive = np.isnan(stamps) | (stamps >= cutoffs(times, max_age)[pairs[:, 0]])
    return pairs[alive & (in_batch[pairs[:, 1]] < pairs[:, 0])], documents


def outside(found: tuple[I64, Documents], ids: Sequence[str]) -> tuple[I64, Documents]:
    """The pairs of ``found`` with stored documents whose ids are not in ``ids``."""
    pairs, documents = found
    batch = set(ids)
    keep = np.array([doc_id not in batch for doc_id in documents.ids], dtype=bool)
    return pairs[keep[pairs[:, 1]]], documents


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
    texts: Sequence[str],
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
