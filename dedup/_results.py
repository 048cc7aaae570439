"""What a detector reports: matches of one text, pairs and story groups of a batch."""

from __future__ import annotations

from dataclasses import dataclass

from ._align import Passage
from ._boilerplate import Boilerplate
from ._groups import Group
from ._rerank import Scores
from ._source import Evidence
from ._verdict import Verdict


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
    """A pair found by :meth:`~dedup.Detector.scan`; ``a`` came before ``b`` in the input.

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
    """The outcome of :meth:`~dedup.Detector.scan`.

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
