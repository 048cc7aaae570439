"""Stage 7, scores -> verdicts."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ._config import DetectorConfig

if TYPE_CHECKING:
    from ._rerank import Scores


class Verdict(str, Enum):
    """What one document of a pair is to the other.

    ``EXACT``
        Identical after normalisation (case, Unicode form, punctuation, whitespace).
    ``NEAR_DUPLICATE``
        A verbatim or lightly edited copy, including one text contained in the other
        (a truncation, or a copy with added headers and footers).
    ``PARAPHRASE``
        A rewrite: low word overlap, but the same content in the same order.
    ``PARTIAL``
        The texts share a reused passage of substantial length (a wire story's
        paragraphs inside a longer article, copied or rewritten), while most of at least
        one of them is its own.

    Independent reports of the same event get no verdict.
    """

    EXACT = "exact"
    NEAR_DUPLICATE = "near_duplicate"
    PARAPHRASE = "paraphrase"
    PARTIAL = "partial"

    def __str__(self) -> str:
        return self.value


#: Strongest first, for sorting matches.
RANK = {Verdict.EXACT: 0, Verdict.NEAR_DUPLICATE: 1, Verdict.PARAPHRASE: 2, Verdict.PARTIAL: 3}


def _copied(containment: float, config: DetectorConfig) -> bool:
    return containment >= config.near_duplicate_containment


def _same_content(cosine: float, config: DetectorConfig) -> bool:
    return cosine >= config.candidate_cosine


def may_be_derived(sets: dict[str, float], config: DetectorConfig) -> bool:
    """Whether a pair with these set scores (``containment``, ``cosine``) can get a verdict
    that needs more than them: the re-ranker computes the costly in-order evidence only then."""
    return _copied(sets["containment"], config) or _same_content(sets["cosine"], config)


def decide(identical: bool, scores: Scores, config: DetectorConfig) -> Verdict | None:
    """The verdict for a pair with these scores, or ``None`` for unrelated or independent texts.

    A paraphrase needs the three kinds of evidence of a rewrite: the same content
    (``cosine``), the source's vocabulary in the source's order (``rewrite``), and that
    order kept through the whole of the shorter text (``spread``), which independent
    reports sharing a passage or a few names and figures do not have.

    With ``partial_reuse``, a pair that none of these fits is ``partial`` when its strongest
    reused passage (``passage``, ``passage_words``; see ``_passages``) is reuse
    (:func:`is_reused`). The verdicts about whole texts come first, so a partial pair is one
    where most of at least one text is its own.
    """
    if identical:
        return Verdict.EXACT
    if _copied(scores.containment, config):
        return Verdict.NEAR_DUPLICATE
    if (
        _same_content(scores.cosine, config)
        and scores.rewrite >= config.paraphrase_score
        and scores.spread >= config.paraphrase_spread
    ):
        return Verdict.PARAPHRASE
    if config.partial_reuse and is_reused(scores.passage, scores.passage_words, config):
        return Verdict.PARTIAL
    return None


def is_reused(similarity: float, shared: float, config: DetectorConfig) -> bool:
    """Whether a passage whose two sides share ``shared`` content words at this similarity
    is reuse: ``partial_words`` at ``partial_similarity``, or ``partial_long_words`` at
    ``partial_long_similarity``."""
    return (shared >= config.partial_words and similarity >= config.partial_similarity) or (
        shared >= config.partial_long_words and similarity >= config.partial_long_similarity
    )
