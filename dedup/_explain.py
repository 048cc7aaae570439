"""Stage: pairs with a verdict -> explanations: aligned passages, the likely original, story groups.

Passages come from ``_align``, the original of each pair from ``_source`` and the groups
from ``_groups``. A pair with a text that is not known (an indexed document whose text is
not kept) gets no passages, and only timestamps can name its original.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._align import Passage, Sentences
from ._config import DetectorConfig
from ._groups import Group, Link, star_groups
from ._judge import Found
from ._passages import rules_for
from ._results import Pair
from ._source import original_of, wire_dateline

#: Pairs whose texts are split into sentences together: a pair's passages depend on its two
#: texts only, and a chunk bounds the memory of a scan with many pairs.
PAIRS_PER_CHUNK = 2_000


def explain(
    ids: Sequence[str],
    texts: Sequence[str | None],
    times: Sequence[float | None],
    found: Sequence[Found],
    config: DetectorConfig,
) -> tuple[tuple[Pair, ...], tuple[Group, ...]]:
    """The pairs ``found`` among documents ``ids`` with their passages and originals, and the story groups."""
    pairs, links = [], []
    rules = rules_for(config.partial_reuse)
    for chunk in range(0, len(found), PAIRS_PER_CHUNK):
        part = found[chunk : chunk + PAIRS_PER_CHUNK]
        involved = sorted({d for i, j, _, _ in part for d in (i, j)})
        known = {d: text for d in involved if (text := texts[d]) is not None}
        position = {d: k for k, d in enumerate(known)}
        sentences = Sentences(list(known.values()), config.passage_gap, config.language, rules)
        datelines = {d: wire_dateline(text) for d, text in known.items()}
        for i, j, verdict, scores in part:
            passages: tuple[Passage, ...] = ()
            lines: tuple[str | None, str | None] = (None, None)
            shares = (0.0, 0.0)
            if i in position and j in position:
                passages = sentences.align(position[i], position[j], config.passage_similarity)
                lines = (datelines[i], datelines[j])
                shares = (
                    sentences.aligned_share(position[i], [s.a_start for p in passages for s in p.sentences]),
                    sentences.aligned_share(position[j], [s.b_start for p in passages for s in p.sentences]),
                )
            which, evidence = original_of((times[i], times[j]), lines, shares, config.source_margin)
            original = None if which is None else (i, j)[which]
            pairs.append(
                Pair(ids[i], ids[j], verdict, scores, passages, None if original is None else ids[original], evidence)
            )
            links.append(Link(i, j, original, evidence, scores.rewrite))
    return tuple(pairs), star_groups(ids, links)


def passages_of(text: str, others: Sequence[str | None], config: DetectorConfig) -> list[tuple[Passage, ...]]:
    """The passages of ``text`` aligned with each of ``others`` (none where a text is not known)."""
    if not any(other is not None for other in others):
        return [()] * len(others)
    texts = [text, *(other or "" for other in others)]
    sentences = Sentences(texts, config.passage_gap, config.language, rules_for(config.partial_reuse))
    return [sentences.align(0, k, config.passage_similarity) for k in range(1, len(others) + 1)]
