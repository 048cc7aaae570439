"""Sentence similarities -> reused passages: seeds, extension and filtering.

A reused passage is a maximal stretch of one text aligned with a stretch of the other,
found as the best PAN text-alignment systems find it (Sanchez-Perez et al. 2014):

- **seeds** are the pairs of sentences whose rarity-weighted Dice similarity reaches a
  minimum and that share at least two content words;
- **extension** clusters the seeds, in one text and then in the other and so on until
  nothing changes, splitting wherever two consecutive seeds are more than ``gap``
  sentences apart; a cluster is a passage from its first to its last sentence in both
  texts. The gap adapts to the density of seeds: a stretch of one text whose sentences
  are dense with seeds (a summary, a condensed retelling) may bridge a longer gap in the
  other text, up to ``gap`` times the ratio of the two stretches' lengths;
- **filtering** keeps the seeds of a cluster on its heaviest chain in order in both texts
  (dropping stray seeds that the gap let in; with :data:`PARTIAL`'s rules, also the seeds
  within ``slack`` sentences of that chain's span in both texts, since an obfuscated
  passage may shuffle its sentences), drops stray matches (a single seed whose
  similarity is below ``strong``), passages whose two sides are not similar as wholes or
  share fewer than ``minimum_words`` content words (fewer in short texts), and of passages that overlap in
  either text keeps the heavier;
- **growing** (with ``Rules.grow``) adds to a passage, one at a time at both ends, the
  neighbouring sentence pairs of a lower similarity, and the neighbouring sentences of one
  text that add shared words without making the passage less similar (:func:`grown`);
- **summaries** (with ``Rules.summaries``, in reports): where one side of a passage is much
  longer than the other and much of its text, the shorter side summarises that text, and
  the longer side becomes the whole text (:func:`widened`).

Copied text is found more exactly by its verbatim runs (``_verbatim``), which replace
these passages where a pair has them (``_align.Sentences.align``).

The functions work on sentence numbers and arrays, so that passages of texts (for
reports, ``_align``) and of tokens (for the verdict, ``_judge``) come from the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._lcs import monotone_alignment
from ._types import F64, I64
from ._verbatim import RUN_WORDS

#: Two seeds are one passage when they are at most this many sentences apart in both texts.
GAP = 4
#: A seed on its own is a passage only when its similarity reaches this.
STRONG = 0.6
#: A passage's two sides, as wholes, must reach this rarity-weighted Dice similarity.
WHOLE = 0.3
#: A passage's two sides must share at least this many content words (fewer in short
#: texts, see :func:`words_needed`).
MIN_WORDS = 8
#: The longest gap a dense stretch may bridge in the other text, in sentences.
MAX_GAP = 24
#: A passage is a summary when its other side is this many times as long, in characters,
#: and a third of its text or more (:func:`summarised`).
SUMMARY = 3


#: ``whole(r0, r1, c0, c1)``: sentences ``r0..r1`` of one text against ``c0..c1`` of the
#: other as wholes: their similarity, the weight they share and the content words they share.
Whole = Callable[[int, int, int, int], tuple[float, float, int]]


@dataclass(frozen=True)
class Rules:
    """How seeds become passages.

    Attributes
    ----------
    strong : float
        A seed on its own is a passage only when its similarity reaches this.
    minimum_words : int
        A passage's two sides must share at least this many content words (fewer in short
        texts, see :func:`words_needed`).
    slack : int
        Seeds within this many sentences of the span of a cluster's in-order chain, in both
        texts, stay in the passage although out of order (0: only the chain).
    join_wrapped : bool
        A line break followed by a lower-case letter is a wrapped line, not the end of a
        sentence (``_align.sentence_spans``).
    every_stop : bool
        The report cuts a text's sentences after every stop, as the verdict's sentences of
        tokens are cut (``_align.stop_spans``), so that a pair's passages are those its
        verdict saw; without it, only where a sentence plainly ends (before a space and a
        word that is not lower case, not after an abbreviation: ``_align.sentence_spans``).
    verbatim_words : int
        Where two texts share runs of at least this many identical words, those runs are
        their passages (``_verbatim``; 0: never).
    grow : float
        A passage grows, a sentence at a time, by the sentence pair just before or after it
        whose similarity reaches this, or by a neighbouring sentence of one text that adds
        shared words and leaves its sides as wholes no less similar (0: never; see :func:`grown`).
    summaries : bool
        The report widens a passage that summarises the other text to the whole of that
        text (:func:`widened`).
    """

    strong: float = STRONG
    minimum_words: int = MIN_WORDS
    slack: int = 0
    join_wrapped: bool = False
    every_stop: bool = False
    verbatim_words: int = 0
    grow: float = 0.0
    summaries: bool = False


#: The rules of passages between whole texts (copies, rewrites): sentences in order.
WHOLE_TEXT = Rules()
#: The rules with ``partial_reuse``, where a passage is short and may be obfuscated:
#: sentences shuffled, words replaced, lines wrapped mid-sentence (PAN 2013's cases), or
#: copied word for word; the verdict looks at passages, so the report's sentences are cut
#: as the verdict's. Calibrated on PAN 2013 training pairs, see ``docs/quality.md``.
PARTIAL = Rules(
    strong=0.45,
    minimum_words=5,
    slack=2,
    join_wrapped=True,
    every_stop=True,
    verbatim_words=RUN_WORDS,
    grow=0.15,
    summaries=True,
)


def rules_for(partial_reuse: bool) -> Rules:
    """:data:`PARTIAL` with the detector's ``partial_reuse``, :data:`WHOLE_TEXT` without."""
    return PARTIAL if partial_reuse else WHOLE_TEXT


@dataclass(frozen=True)
class Cluster:
    """A reused passage as sentence numbers.

    Attributes
    ----------
    rows : tuple of int
        ``(first, last)`` sentence of the first text, inclusive.
    cols : tuple of int
        ``(first, last)`` sentence of the second text, inclusive.
    seeds : ndarray of int64, shape (k, 2)
        The seed sentence pairs inside, sorted.
    similarity : float
        Similarity of the two sides as wholes.
    words : int
        Content words the two sides share.
    """

    rows: tuple[int, int]
    cols: tuple[int, int]
    seeds: I64
    similarity: float
    words: int


def _split(seeds: I64, axis: int, gap: F64) -> list[I64]:
    """``seeds`` sorted along ``axis`` and cut where consecutive seeds are more than ``gap`` apart."""
    order = np.lexsort((seeds[:, 1 - axis], seeds[:, axis]))
    seeds = seeds[order]
    steps = np.diff(seeds[:, axis])
    cuts = np.flatnonzero(steps > gap[order][1:]) + 1
    return np.split(seeds, cuts)


def _gaps(seeds: I64, gap: int) -> tuple[F64, F64]:
    """The gap each seed may bridge before it in each text, adapted to the density of seeds.

    Where a cluster spans ``n`` sentences in one text and ``m > n`` in the other, the
    other text may bridge ``gap * m / n`` sentences (at most :data:`MAX_GAP`).
    """
    span_a = seeds[:, 0].max() - seeds[:, 0].min() + 1
    span_b = seeds[:, 1].max() - seeds[:, 1].min() + 1
    ratio = span_b / span_a
    gap_a = min(MAX_GAP, gap * max(1.0, 1 / ratio))
    gap_b = min(MAX_GAP, gap * max(1.0, ratio))
    return np.full(len(seeds), gap_a), np.full(len(seeds), gap_b)


def words_needed(shorter: int, minimum: int = MIN_WORDS) -> int:
    """How many content words a passage's two sides must share when the shorter text has
    ``shorter`` distinct content words: ``minimum``, or half of them in a text too short
    for it (a headline, a two-sentence item), so that such a text's copy still has its passage.

    Examples
    --------
    >>> words_needed(200), words_needed(9), words_needed(2)
    (8, 4, 2)
    """
    return min(minimum, max(2, shorter // 2))


def cluster_seeds(seeds: I64, gap: int) -> list[I64]:
    """The clusters of ``seeds`` (``(row, col)`` pairs): split in one text, then the other,
    until no cluster splits.

    Examples
    --------
    >>> seeds = np.array([[0, 10], [1, 11], [2, 12], [30, 40], [31, 2]])
    >>> [c.tolist() for c in cluster_seeds(seeds, 4)]
    [[[0, 10], [1, 11], [2, 12]], [[30, 40]], [[31, 2]]]
    """
    todo, done = [seeds], []
    while todo:
        group = todo.pop()
        fixed = np.full(len(group), float(gap))
        parts = _split(group, 0, fixed)
        parts = [q for p in parts for q in _split(p, 1, fixed)]
        if len(parts) > 1:
            todo.extend(parts)
        else:
            done.append(group)
    return sorted((g[np.lexsort((g[:, 1], g[:, 0]))] for g in done), key=lambda g: (g[0, 0], g[0, 1]))


def _extend(clusters: list[I64], gap: int) -> list[I64]:
    """Clusters joined where a dense one and its neighbour in both texts are within the adapted gap."""
    if len(clusters) < 2:
        return clusters
    changed = True
    while changed:
        changed = False
        for k in range(len(clusters)):
            for m in range(k + 1, len(clusters)):
                joined = np.concatenate((clusters[k], clusters[m]))
                gap_a, gap_b = _gaps(joined, gap)
                if len(_split(joined, 0, gap_a)) == 1 and len(_split(joined, 1, gap_b)) == 1:
                    clusters[k] = joined
                    del clusters[m]
                    changed = True
                    break
            if changed:
                break
    return clusters


def reused(
    seeds: I64,
    seed_similarity: F64,
    whole: Whole,
    gap: int = GAP,
    strong: float = STRONG,
    minimum_whole: float = WHOLE,
    minimum_words: int = MIN_WORDS,
    slack: int = 0,
    edges: set[tuple[int, int]] | None = None,
    sizes: tuple[int, int] = (0, 0),
) -> list[Cluster]:
    """The reused passages of two texts from their seeds.

    Parameters
    ----------
    seeds : ndarray of int64, shape (k, 2)
        Seed sentence pairs ``(row, col)``.
    seed_similarity : ndarray of float64, shape (k,)
        Their similarities.
    whole : callable
        ``whole(r0, r1, c0, c1)``: the similarity of sentences ``r0..r1`` of the first
        text with ``c0..c1`` of the second (inclusive), the weight they share (of two
        passages that overlap, the heavier is kept) and how many content words they share.
    gap, strong, minimum_whole, minimum_words : see the module's constants.
    slack : int
        See :class:`Rules`.
    edges : set, optional
        Sentence pairs ``(row, col)`` by which a passage may grow (see :func:`grown`).
    sizes : tuple of int
        The number of sentences of each text, within which a passage grows (needed with ``edges``).

    Returns
    -------
    list of Cluster
        In order of their first sentence in the first text; no two overlap in either text.
    """
    if len(seeds) == 0:
        return []
    similarity_of = {(int(r), int(c)): float(s) for (r, c), s in zip(seeds.tolist(), seed_similarity, strict=True)}
    groups = _extend(cluster_seeds(seeds, gap), gap)
    groups = [chain(g, np.array([similarity_of[(int(r), int(c))] for r, c in g.tolist()]), slack) for g in groups]
    found = []
    for group in groups:
        if len(group) == 1 and similarity_of[(int(group[0, 0]), int(group[0, 1]))] < strong:
            continue
        r0, r1 = int(group[:, 0].min()), int(group[:, 0].max())
        c0, c1 = int(group[:, 1].min()), int(group[:, 1].max())
        score, weight, words = whole(r0, r1, c0, c1)
        if score < minimum_whole or words < minimum_words:
            continue
        found.append((weight, Cluster((r0, r1), (c0, c1), group, score, words)))
    found.sort(key=lambda item: (-item[0], item[1].rows, item[1].cols))
    kept: list[Cluster] = []
    for _, c in found:
        if not any(_meet(c.rows, k.rows) or _meet(c.cols, k.cols) for k in kept):
            kept.append(c)
    if edges is not None:
        kept = grown(kept, edges, whole, sizes, strong)
    return sorted(kept, key=lambda c: (c.rows, c.cols))


#: How a passage may grow by one sentence pair: in both texts, or in one of them (where a
#: sentence of the other was split in two, or two were joined).
_STEPS = ((1, 1), (1, 0), (0, 1))


def grown(
    kept: list[Cluster], edges: set[tuple[int, int]], whole: Whole, sizes: tuple[int, int], strong: float = STRONG
) -> list[Cluster]:
    """``kept`` with each passage grown before its first and after its last sentences, without
    meeting another passage, by the neighbouring sentence pairs in ``edges`` (an obfuscated
    passage's edges, whose words were replaced more than seeds allow), or by a neighbouring
    sentence of one text that adds shared words and leaves the two sides as wholes no less
    similar, and at least ``strong``: the rest of a sentence of one text that the other text
    holds as one sentence, or its lines as several.

    Examples
    --------
    >>> c = Cluster((5, 6), (5, 6), np.array([[5, 5], [6, 6]]), 0.8, 8)
    >>> def whole(r0, r1, c0, c1):  # less similar as a passage grows
    ...     return 1.0 - 0.05 * (r1 - r0 + c1 - c0), 4.2, 9
    >>> [(g.rows, g.cols) for g in grown([c], {(4, 4), (3, 4), (7, 8)}, whole, (20, 20))]
    [((3, 6), (4, 6))]

    Sentences 4 and 7 of the second text are pieces of sentences of the first:

    >>> def whole(r0, r1, c0, c1):
    ...     return 0.9 - 0.1 * (r1 - r0) - 0.1 * (max(0, 4 - c0) + max(0, c1 - 7)), 4.2, 7 + c1 - c0
    >>> [(g.rows, g.cols) for g in grown([c], set(), whole, (20, 20))]
    [((5, 6), (4, 7))]
    """
    result = []
    for n, c in enumerate(kept):
        others = kept[:n] + kept[n + 1 :]
        ends, similarity, words = [list(c.rows), list(c.cols)], c.similarity, c.words
        for side, step in ((0, -1), (1, 1)):
            while True:
                for dr, dc in _STEPS:
                    r, k = ends[0][side] + step * dr, ends[1][side] + step * dc
                    if not (0 <= r < sizes[0] and 0 <= k < sizes[1]):
                        continue
                    if any(_meet((r, r), o.rows) or _meet((k, k), o.cols) for o in others):
                        continue
                    edge = (r, k) in edges
                    if not edge and dr == dc:
                        continue  # a sentence of each text: not the rest of one sentence
                    rows, cols = (min(r, ends[0][0]), max(r, ends[0][1])), (min(k, ends[1][0]), max(k, ends[1][1]))
                    closer, _, more = whole(*rows, *cols)
                    if edge or (closer >= max(similarity, strong) and more > words):
                        ends, similarity, words = [list(rows), list(cols)], closer, more
                        break
                else:
                    break
        rows, cols = (ends[0][0], ends[0][1]), (ends[1][0], ends[1][1])
        if (rows, cols) != (c.rows, c.cols):
            c = Cluster(rows, cols, c.seeds, similarity, words)
        result.append(c)
    return result


def summarised(
    rows: tuple[int, int], cols: tuple[int, int], spans_a: I64, spans_b: I64
) -> tuple[tuple[int, int], tuple[int, int]]:
    """The sentences ``rows`` and ``cols`` of a passage of two texts (whose sentences are
    the character ``spans_a`` and ``spans_b``), the side of a summarised text widened to all of it.

    One side summarises the other when the other is :data:`SUMMARY` times as long and a
    third of its text or more: a summary's few sentences match sentences spread through
    the text it condenses, and what it condenses is that whole text (a news brief of an
    agency story, PAN's summary obfuscation), not the stretch between its first and last
    matches.

    Examples
    --------
    >>> spans = np.array([[0, 100], [101, 200], [201, 300], [301, 400]])
    >>> summarised((0, 0), (1, 2), np.array([[0, 60]]), spans)
    ((0, 0), (0, 3))
    >>> summarised((0, 0), (1, 1), np.array([[0, 60]]), spans)
    ((0, 0), (1, 1))
    """
    sides = [rows, cols]
    for k, (spans, other) in enumerate(((spans_a, spans_b), (spans_b, spans_a))):
        (first, last), (other_first, other_last) = sides[k], sides[1 - k]
        length, other_length = spans[last, 1] - spans[first, 0], other[other_last, 1] - other[other_first, 0]
        if length >= SUMMARY * other_length and 3 * length >= spans[-1, 1] - spans[0, 0]:
            sides[k] = (0, len(spans) - 1)
    return sides[0], sides[1]


def widened(clusters: list[Cluster], spans_a: I64, spans_b: I64, whole: Whole) -> list[Cluster]:
    """``clusters`` with the side of a summarised text widened to all of it (:func:`summarised`),
    unless it would then meet another passage: a text that holds other reuse besides the
    summary is left as found, so that no two passages overlap.

    Examples
    --------
    A brief of two sentences and a story of four; the brief's first sentence matches two of
    the story's:

    >>> brief, story = np.array([[0, 30], [31, 60]]), np.array([[0, 100], [101, 200], [201, 300], [301, 400]])
    >>> summary = Cluster((0, 0), (1, 2), np.array([[0, 1], [0, 2]]), 0.6, 9)
    >>> [(c.rows, c.cols) for c in widened([summary], brief, story, lambda *_: (0.4, 3.0, 17))]
    [((0, 0), (0, 3))]
    >>> other = Cluster((1, 1), (3, 3), np.array([[1, 3]]), 0.5, 8)
    >>> [(c.rows, c.cols) for c in widened([summary, other], brief, story, lambda *_: (0.4, 3.0, 17))]
    [((0, 0), (1, 2)), ((1, 1), (3, 3))]
    """
    result = []
    for c in clusters:
        rows, cols = summarised(c.rows, c.cols, spans_a, spans_b)
        alone = not any(_meet(rows, d.rows) or _meet(cols, d.cols) for d in clusters if d is not c)
        if (rows, cols) != (c.rows, c.cols) and alone:
            similarity, _, words = whole(*rows, *cols)
            c = Cluster(rows, cols, c.seeds, similarity, words)
        result.append(c)
    return result


def _meet(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] <= y[1] and y[0] <= x[1]


def chain(seeds: I64, similarity: F64, slack: int = 0) -> I64:
    """The seeds of a cluster on its heaviest chain increasing in both texts, and with
    ``slack``, those within ``slack`` sentences of the chain's span in both texts (repeated
    until the span stops growing), in the order given.

    Examples
    --------
    Three sentences of a passage retold in reverse order:

    >>> seeds = np.array([[0, 2], [1, 1], [2, 0]])
    >>> chain(seeds, np.array([0.5, 0.9, 0.5])).tolist()
    [[1, 1]]
    >>> chain(seeds, np.array([0.5, 0.9, 0.5]), slack=1).tolist()
    [[0, 2], [1, 1], [2, 0]]
    """
    if len(seeds) < 3:
        return seeds
    rows, r = np.unique(seeds[:, 0], return_inverse=True)
    cols, c = np.unique(seeds[:, 1], return_inverse=True)
    gains = np.zeros((len(rows), len(cols)))
    gains[r, c] = similarity
    picked = monotone_alignment(gains, 1e-9)
    core = np.stack((rows[picked[:, 0]], cols[picked[:, 1]]), axis=1)
    if not slack:
        return core
    low, high = core.min(axis=0), core.max(axis=0)
    while True:
        inside = ((seeds >= low - slack) & (seeds <= high + slack)).all(axis=1)
        kept = seeds[inside]
        if (kept.min(axis=0) == low).all() and (kept.max(axis=0) == high).all():
            return kept
        low, high = kept.min(axis=0), kept.max(axis=0)
