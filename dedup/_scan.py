"""The batch scan: texts -> pairs with a verdict, on the local engine, page chrome stripped first.

::

    texts --strip chrome--> texts compared --sketch--> --candidates--> --judge--> pairs
           _boilerplate                      _fingerprint  _candidates    _judge

An engine maps the texts of a batch to their pairs with a verdict; the local engine runs
the stages in this process, the Dask engine (``_dask``) on a cluster. Chrome that copies
of one text share is put back, and the documents it changed are compared again. The local
engine holds only each text's signature for the whole batch: the texts themselves may be
on disk (``_texts``), and those of candidate pairs are tokenised again to be judged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._batching import check_texts
from ._boilerplate import Boilerplate, Lines, known_chrome
from ._candidates import batch_candidates, passage_candidates
from ._config import DetectorConfig
from ._exceptions import ConfigError, InputError
from ._fingerprint import Sketches, doc_bits, sketch, tokens_of
from ._judge import Found, judge_with
from ._parts import Parts
from ._texts import Texts
from ._timestamps import check_optional_time
from ._tokenize import Tokens
from ._types import I64, Bools

#: What a batch was compared as before: which of its texts changed since, their sketches
#: (if the engine returned them) and its pairs.
Before = tuple[Bools, "Sketches | None", list[Found]]
#: An engine: the texts of a batch (and what they were before, if some changed) -> their
#: sketches (``None`` where the engine keeps them elsewhere) and pairs, sorted.
Engine = Callable[[Sequence[str], "Before | None"], tuple["Sketches | None", list[Found]]]


def check_id(doc_id: object) -> str:
    """A document id, which must be a ``str``."""
    if not isinstance(doc_id, str):
        raise TypeError(f"doc_id must be a str, got {type(doc_id).__name__}")
    return doc_id


class Batch:
    """The documents of a batch as columns: ids, texts and timestamps.

    The texts spill to a temporary file past a budget (``_texts``), so a batch read from
    disk need not fit in memory. Iterating gives ``(doc_id, text, timestamp)`` tuples.

    Examples
    --------
    >>> batch = Batch([("a", "Rain fell."), ("b", "Troops left.", 5.0)])
    >>> len(batch), batch.ids, batch.times, "b" in batch, batch.by_id()["b"]
    (2, ['a', 'b'], [None, 5.0], True, 'Troops left.')
    """

    def __init__(self, docs: Iterable[tuple[Any, ...]] = ()) -> None:
        check_texts(docs)
        self.ids: list[str] = []
        self.texts = Texts()
        self.times: list[float | None] = []
        self._row: dict[str, int] = {}
        for doc in docs:
            self.add(doc)

    def add(self, doc: tuple[Any, ...]) -> None:
        """Add a ``(doc_id, text[, timestamp])`` tuple; an id that is already there is an ``InputError``."""
        if isinstance(doc, str) or not isinstance(doc, tuple) or len(doc) not in (2, 3):
            raise TypeError(f"documents must be (doc_id, text) or (doc_id, text, timestamp) tuples, got {doc!r:.60}")
        if not isinstance(doc[1], str):
            raise TypeError(f"text of {doc[0]!r:.60} is a {type(doc[1]).__name__}, expected str")
        doc_id = check_id(doc[0])
        time = check_optional_time(doc[2]) if len(doc) == 3 else None
        if doc_id in self._row:
            raise InputError(f"document id {doc_id!r} occurs more than once")
        self._row[doc_id] = len(self.ids)
        self.ids.append(doc_id)
        self.texts.append(doc[1])
        self.times.append(time)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row

    def __iter__(self) -> Iterator[tuple[str, str, float | None]]:
        return zip(self.ids, self.texts, self.times, strict=True)

    def by_id(self) -> Mapping[str, str]:
        """The texts by document id, read when asked for."""
        return _TextsById(self._row, self.texts)


class _TextsById(Mapping[str, str]):
    def __init__(self, row: dict[str, int], texts: Texts) -> None:
        self._row, self._texts = row, texts

    def __getitem__(self, doc_id: str) -> str:
        return self._texts[self._row[doc_id]]

    def __len__(self) -> int:
        return len(self._row)

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)


def documents(docs: Iterable[tuple[Any, ...]]) -> tuple[list[str], Texts, list[float | None]]:
    """The ids, texts and timestamps of a batch of ``(doc_id, text[, timestamp])`` tuples."""
    batch = docs if isinstance(docs, Batch) else Batch(docs)
    return batch.ids, batch.texts, batch.times


def candidates(sketches: Sketches, config: DetectorConfig, among: Bools | None = None) -> I64:
    """The candidate pairs of a batch: of whole texts, and of passages with ``partial_reuse``."""
    pairs = batch_candidates(sketches, config, among)
    if sketches.windows is not None:
        passages = passage_candidates(sketches.windows, doc_bits(len(sketches.sizes)), among)
        pairs = np.unique(np.concatenate((pairs, passages)), axis=0).reshape(-1, 2).astype(np.int64)
    return pairs


def judge_pairs(pairs: I64, sketches: Sketches, texts: Sequence[str], config: DetectorConfig) -> list[Found]:
    """The candidate pairs of a batch with a verdict; the texts in pairs are tokenised again."""

    def tokens(docs: I64) -> Tokens:
        return tokens_of([texts[d] for d in docs.tolist()], config)

    return judge_with(pairs, sketches.signatures, tokens, config)


def find_local(
    texts: Sequence[str], config: DetectorConfig, before: Before | None = None
) -> tuple[Sketches, list[Found]]:
    """The local engine: the sketches of a batch, and its pairs ``(i, j, verdict, scores)``, ``i < j``.

    With ``before``, only the texts that changed since are sketched and judged again;
    pairs of unchanged texts keep their verdicts, and the window rows returned are only
    those that the changed texts' pairs are counted from.
    """
    old = None if before is None else before[1]
    if before is None or old is None:
        sketches = sketch(texts, config)
        return sketches, judge_pairs(candidates(sketches, config), sketches, texts, config)
    changed, old_found = before[0], before[2]
    redo = np.flatnonzero(changed)
    bits = doc_bits(len(texts))
    redone = sketch([texts[k] for k in redo.tolist()], config, bits)
    # The rows are replaced in place (a large batch's sketches are not copied); the old
    # sketches are the engine's own, and new ones make their low bytes afresh.
    old.signatures[redo], old.sizes[redo] = redone.signatures, redone.sizes
    windows = None
    if old.windows is not None and redone.windows is not None:  # the changed texts' rows replaced
        low = np.uint64((1 << bits) - 1)
        renumbered = Parts()
        for part in redone.windows.parts():
            renumbered.add((part & ~low) | redo[(part & low).astype(np.int64)].view(np.uint64))
        windows = old.windows.replaced(changed, renumbered, bits)
    sketches = Sketches(old.signatures, old.sizes, windows=windows)
    found = [f for f in old_found if not (changed[f[0]] or changed[f[1]])]
    found += judge_pairs(candidates(sketches, config, among=changed), sketches, texts, config)
    return sketches, sorted(found, key=lambda f: (f[0], f[1]))


@dataclass(frozen=True)
class Stripped:
    """A batch compared without its page chrome.

    Attributes
    ----------
    texts : sequence of str
        The texts as compared, chrome lines blanked.
    boilerplate : tuple of Boilerplate
        What was blanked.
    found : list of Found
        The pairs with a verdict.
    """

    texts: Sequence[str]
    boilerplate: tuple[Boilerplate, ...]
    found: list[Found]


def strip_and_find(given: Sequence[str], config: DetectorConfig, find: Engine) -> Stripped:
    """Strip page chrome from a batch (if ``strip_boilerplate``) and find its pairs with an engine."""
    if not config.strip_boilerplate:
        return Stripped(given, (), find(given, None)[1])
    lines = Lines(given)
    recurring = lines.recurring(config.boilerplate_min_docs, config.boilerplate_max_share)
    texts, boilerplate = lines.blank(known_chrome() | recurring)
    sketches, found = find(texts, None)
    copied = lines.held_by_copies(recurring, [(i, j) for i, j, _, _ in found])
    if copied:  # compare again with the copied lines put back
        blanked = texts
        texts, boilerplate = lines.blank(known_chrome() | (recurring - copied))
        changed = texts.blanked_lines() != blanked.blanked_lines()
        sketches, found = find(texts, (changed, sketches, found))
    return Stripped(texts, boilerplate, found)


#: Where a batch scan finds its pairs: in this process, or on a Dask cluster.
ENGINES = ("local", "dask")


def scan_batch(
    given: Sequence[str], config: DetectorConfig, engine: str = "local", scheduler: str | None = None
) -> Stripped:
    """The pairs of a batch, page chrome stripped, found by an engine of :data:`ENGINES`."""
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    if engine == "local":
        return strip_and_find(given, config, lambda texts, before: find_local(texts, config, before))
    from ._dask import client_for, find_pairs

    with client_for(scheduler) as client:
        return strip_and_find(given, config, lambda texts, _: (None, find_pairs(texts, client, config)))
