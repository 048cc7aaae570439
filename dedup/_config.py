"""Configuration: frozen dataclasses validated on construction."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from ._exceptions import ConfigError

#: Permutation schemes a :class:`~dedup.MinHasher` implements.
SCHEMES = ("affine32",)

#: Languages with their own stop words and word rarity (ISO 639-1 codes); English first,
#: the default. Their order is stored in token flags: append, never reorder.
LANGUAGES = ("en", "ar", "de", "es", "fr", "it", "pl", "ru", "tr", "zh", "ja", "ko")
#: The ``language`` setting that detects each text's language.
AUTO = "auto"


def check_int(name: str, value: Any, low: int, high: int | None = None) -> None:
    """Raise :class:`ConfigError` unless ``low <= value <= high`` for an ``int`` value."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be an int, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"{name} must be {bound}, got {value}")


def check_fraction(name: str, value: Any) -> None:
    """Raise :class:`ConfigError` unless ``value`` is a number in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be a number between 0 and 1, got {value!r}")


def check_scheme(scheme: Any) -> None:
    if scheme not in SCHEMES:
        raise ConfigError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}, got {scheme!r}")


@dataclass(frozen=True)
class DetectorConfig:
    """Every setting of a :class:`~dedup.Detector`, with the defaults tuned for news.

    Parameters
    ----------
    num_perm : int
        Number of MinHash permutations (signature length).
    seed : int
        Seed of the permutations; signatures with different seeds are not comparable.
    scheme : str
        MinHash permutation scheme, see :class:`~dedup.MinHasher`.
    ngram : int
        Words per shingle of the MinHash sets.
    stopwords : bool
        Drop the ~1,000 most frequent words of the text's language before shingling.
        Paraphrases keep the rarer words of their source, so this lets the index see them.
    language : str
        The language of the texts, one of :data:`LANGUAGES` (``"en"``, ``"de"``, ...), or
        ``"auto"`` to detect each text's language from its stop words; it chooses the
        stop words and the background word rarity. Texts in other languages count as English.
    bands, rows : int
        LSH banding: a pair becomes a candidate when all ``rows`` values of any of the
        ``bands`` bands agree. ``bands * rows`` must not exceed ``num_perm``. The default
        128 bands of 2 rows propose a pair with Jaccard 0.15 (the lowest of a rewrite in
        the Clough–Stevenson corpus) with probability 0.95, and one with 0.3 with certainty.
    candidate_overlap : float
        Candidates are dropped before re-ranking when the share of the smaller shingle
        set found in the other, estimated from the signatures, is below this.
    candidate_cosine : float
        Candidates whose TF-IDF cosine is below this get no verdict.
    containment_ngram : int
        Words per n-gram for the containment score.
    near_duplicate_containment : float
        A pair is a ``near_duplicate`` when the n-gram containment of the shorter text in
        the longer one reaches this.
    paraphrase_score : float
        A pair is a ``paraphrase`` when its rewrite score reaches this (and its cosine
        and spread reach theirs).
    paraphrase_spread : float
        The least ``spread`` of a paraphrase: how evenly the in-order shared words must
        run through the shorter text.
    passage_similarity : float
        Sentences of a derived pair are aligned as passages when the rarity-weighted
        Dice similarity of their content words reaches this.
    passage_gap : int
        Aligned sentences at most this many sentences apart in both texts are one reused
        passage (a stretch dense with aligned sentences may bridge more in the other text).
    partial_reuse : bool
        Look for reused passages inside otherwise different texts (the ``partial``
        verdict): a scan also proposes pairs that share a passage (windows of content
        words), and pairs that no other verdict fits are searched for their strongest
        reused passage. Turned off, a scan takes about two thirds of the time and
        reports whole-text relations only.
    partial_words : int
        A pair is ``partial`` when a reused passage's two sides share at least this many
        content words...
    partial_similarity : float
        ...and their rarity-weighted Dice similarity as wholes reaches this...
    partial_long_words : int
        ...or when they share at least this many content words...
    partial_long_similarity : float
        ...and their similarity reaches this: a summary or a heavy rewrite of a long
        passage shares many words, less densely.
    source_margin : float
        The original of a pair is named from content when the two texts' shares of
        aligned material differ by at least this (see :class:`~dedup.Evidence`).
    keep_text : bool
        Keep each added document's text, so that :meth:`~dedup.Detector.add` and
        :meth:`~dedup.Detector.query` matches carry aligned passages, and a scan with the
        index explains its pairs with indexed documents fully; saved indexes and Redis
        hold the texts too. Costs the memory of the texts.
    strip_boilerplate : bool
        :meth:`~dedup.Detector.scan` blanks page chrome before comparing: common chrome
        lines, and lines recurring across the batch as below.
    boilerplate_min_docs : int
        A line is chrome when it occurs in at least this many documents of a scan...
    boilerplate_max_share : float
        ...and most of those documents have at most this share of their words in
        recurring lines (otherwise they are copies of one text, whose lines must stay),
        and most of them are not derived from one another without those lines.
    max_age : float or None
        Seconds a timestamped document stays indexed: adding a document with a timestamp
        forgets those more than ``max_age`` older than it (a news cycle). ``None`` keeps
        every document.

    Examples
    --------
    >>> DetectorConfig(paraphrase_score=0.4).bands
    128
    """

    num_perm: int = 256
    seed: int = 1
    scheme: str = "affine32"
    ngram: int = 1
    stopwords: bool = True
    language: str = AUTO
    bands: int = 128
    rows: int = 2
    candidate_overlap: float = 0.25
    candidate_cosine: float = 0.3
    containment_ngram: int = 3
    near_duplicate_containment: float = 0.5
    paraphrase_score: float = 0.3
    paraphrase_spread: float = 1 / 3
    passage_similarity: float = 0.4
    passage_gap: int = 4
    partial_reuse: bool = True
    partial_words: int = 8
    partial_similarity: float = 0.5
    partial_long_words: int = 20
    partial_long_similarity: float = 0.3
    source_margin: float = 0.1
    keep_text: bool = False
    strip_boilerplate: bool = True
    boilerplate_min_docs: int = 3
    boilerplate_max_share: float = 0.5
    max_age: float | None = None

    def __post_init__(self) -> None:
        check_int("num_perm", self.num_perm, 1, 4096)
        check_int("seed", self.seed, 0, 2**32 - 1)
        check_scheme(self.scheme)
        check_int("ngram", self.ngram, 1, 16)
        for name in ("stopwords", "keep_text", "strip_boilerplate", "partial_reuse"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.language != AUTO and self.language not in LANGUAGES:
            raise ConfigError(f"language must be {AUTO!r} or one of {', '.join(LANGUAGES)}, got {self.language!r}")
        check_int("bands", self.bands, 1)
        check_int("rows", self.rows, 1)
        if self.bands * self.rows > self.num_perm:
            raise ConfigError(
                f"bands * rows must not exceed num_perm, got {self.bands} * {self.rows} > {self.num_perm}"
            )
        check_int("containment_ngram", self.containment_ngram, 1, 16)
        check_int("boilerplate_min_docs", self.boilerplate_min_docs, 2)
        check_int("passage_gap", self.passage_gap, 0, 1000)
        check_int("partial_words", self.partial_words, 1)
        check_int("partial_long_words", self.partial_long_words, 1)
        for name in (
            "candidate_overlap",
            "candidate_cosine",
            "near_duplicate_containment",
            "paraphrase_score",
            "passage_similarity",
            "source_margin",
            "boilerplate_max_share",
            "paraphrase_spread",
            "partial_similarity",
            "partial_long_similarity",
        ):
            check_fraction(name, getattr(self, name))
        if self.max_age is not None and (
            isinstance(self.max_age, bool)
            or not isinstance(self.max_age, (int, float))
            or not 0 < self.max_age < math.inf
        ):
            raise ConfigError(f"max_age must be a positive number of seconds or None, got {self.max_age!r}")

    def replace(self, **changes: Any) -> DetectorConfig:
        """Return a copy with ``changes`` applied (and validated)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)
