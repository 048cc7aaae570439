"""The batch scan: texts -> pairs with a verdict, on the local engine, page chrome stripped first.

::

    texts --strip chrome--> texts compared --fingerprint--> --candidates--> --judge--> pairs
           _boilerplate                      _fingerprint    _candidates    _judge

An engine maps the texts of a batch to their pairs with a verdict; the local engine runs
the stages in this process, the Dask engine (``_dask``) on a cluster. Chrome that copies
of one text share is put back, and the documents it changed are compared again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._batching import check_texts
from ._boilerplate import Boilerplate, Lines, known_chrome
from ._candidates import all_candidates, batch_candidates
from ._config import DetectorConfig
from ._exceptions import ConfigError, InputError
from ._fingerprint import Fingerprints, fingerprint, refingerprint
from ._judge import Found, judge
from ._timestamps import check_optional_time
from ._types import I64, Bools

#: What a batch was compared as before: its texts, their fingerprints (if the engine
#: returned them) and pairs.
Before = tuple[list[str], "Fingerprints | None", list[Found]]
#: An engine: the texts of a batch (and what they were before, if they changed) -> their
#: fingerprints (``None`` where the engine keeps them elsewhere) and pairs, sorted.
Engine = Callable[[list[str], "Before | None"], tuple["Fingerprints | None", list[Found]]]


def check_id(doc_id: object) -> str:
    """A document id, which must be a ``str``."""
    if not isinstance(doc_id, str):
        raise TypeError(f"doc_id must be a str, got {type(doc_id).__name__}")
    return doc_id


def documents(docs: Iterable[tuple[Any, ...]]) -> tuple[list[str], list[str], list[float | None]]:
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
        ids.append(check_id(item[0]))
        texts.append(item[1])
        times.append(check_optional_time(item[2]) if len(item) == 3 else None)
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        duplicate = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InputError(f"document id {duplicate!r} occurs more than once")
    return ids, texts, times


def candidates(prints: Fingerprints, config: DetectorConfig, among: Bools | None = None) -> I64:
    """The candidate pairs of a batch: of whole texts, and of passages with ``partial_reuse``."""
    if config.partial_reuse:
        return all_candidates(prints, config, among)
    return batch_candidates(prints, config, among)


def find_local(
    texts: list[str], config: DetectorConfig, before: Before | None = None
) -> tuple[Fingerprints, list[Found]]:
    """The local engine: the fingerprints of a batch, and its pairs ``(i, j, verdict, scores)``, ``i < j``.

    With ``before``, only the texts that changed since are fingerprinted and judged
    again; pairs of unchanged texts keep their verdicts.
    """
    if before is None or before[1] is None:
        prints = fingerprint(texts, config)
        return prints, judge(candidates(prints, config), prints, config)
    old_texts, old_prints, old_found = before[0], before[1], before[2]
    changed = np.array([a != b for a, b in zip(texts, old_texts, strict=True)], dtype=bool)
    prints = refingerprint(old_prints, texts, changed, config)
    found = [f for f in old_found if not (changed[f[0]] or changed[f[1]])]
    found += judge(candidates(prints, config, among=changed), prints, config)
    return prints, sorted(found, key=lambda f: (f[0], f[1]))


@dataclass(frozen=True)
class Stripped:
    """A batch compared without its page chrome.

    Attributes
    ----------
    texts : list of str
        The texts as compared, chrome lines blanked.
    boilerplate : tuple of Boilerplate
        What was blanked.
    prints : Fingerprints or None
        The fingerprints of ``texts``, where the engine returns them.
    found : list of Found
        The pairs with a verdict.
    """

    texts: list[str]
    boilerplate: tuple[Boilerplate, ...]
    prints: Fingerprints | None
    found: list[Found]


def strip_and_find(given: list[str], config: DetectorConfig, find: Engine) -> Stripped:
    """Strip page chrome from a batch (if ``strip_boilerplate``) and find its pairs with an engine."""
    if not config.strip_boilerplate:
        return Stripped(given, (), *find(given, None))
    lines = Lines(given)
    recurring = lines.recurring(config.boilerplate_min_docs, config.boilerplate_max_share)
    texts, boilerplate = lines.blank(known_chrome() | recurring)
    prints, found = find(texts, None)
    copied = lines.held_by_copies(recurring, [(i, j) for i, j, _, _ in found])
    if copied:  # compare again with the copied lines put back
        blanked = texts
        texts, boilerplate = lines.blank(known_chrome() | (recurring - copied))
        prints, found = find(texts, (blanked, prints, found))
    return Stripped(texts, boilerplate, prints, found)


#: Where a batch scan finds its pairs: in this process, or on a Dask cluster.
ENGINES = ("local", "dask")


def scan_batch(
    given: list[str], config: DetectorConfig, engine: str = "local", scheduler: str | None = None
) -> Stripped:
    """The pairs of a batch, page chrome stripped, found by an engine of :data:`ENGINES`."""
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    if engine == "local":
        return strip_and_find(given, config, lambda texts, before: find_local(texts, config, before))
    from ._dask import client_for, find_pairs

    with client_for(scheduler) as client:
        return strip_and_find(given, config, lambda texts, _: (None, find_pairs(texts, client, config)))
