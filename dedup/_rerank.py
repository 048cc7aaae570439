"""Stage 6, candidate pairs -> scores: exact evidence computed from the tokens of both texts.

For a batch of documents the evidence is held in sparse document x term matrices, so the
scores of many candidate pairs come from a few vectorised row products:

- ``jaccard``: exact Jaccard similarity of the MinHash shingle sets;
- ``containment``: share of the shorter text's word n-grams found in the other text,
  the evidence of copying (also of a truncated or boilerplate-wrapped copy);
- ``cosine``: TF-IDF cosine of the content words, with background IDF;
- ``coverage``: share of each text's content vocabulary, weighted by rarity, found in the
  other, averaged over both directions;
- ``order``: share of the content words, weighted by rarity, that the two texts have in
  the same order (a weighted longest common subsequence). A rewrite keeps its source's
  words in order; independent reports of one event share names and numbers but not the
  order of their sentences.

``rewrite`` combines the last two: ``(2 * coverage + order) / 3``; ``spread`` says whether
the in-order words run through the whole of the shorter text or are bunched in one part.

Page chrome (share widgets, subscription prompts, forms, contact footers; see
``_chrome``) is left out of the evidence, so that two articles from one site are not
matched by their site's furniture.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse

from ._arrays import codes, doc_index, select
from ._config import DetectorConfig
from ._language import is_stopword, keyed
from ._lcs import common_rows
from ._rarity import idf
from ._shingle import ngrams, shingles
from ._tokenize import CHROME, Tokens
from ._types import F64, I64, U32, Bools

#: ``order`` is measured on at most this many content words of each text, which bounds
#: the quadratic alignment on very long documents.
MAX_ORDER_WORDS = 5000
#: ``spread`` cuts the shorter text into this many parts.
SPREAD_PARTS = 4
#: Rarity weights are rounded to multiples of 1 / WEIGHT_SCALE for the alignment, whose
#: integer sums are exact whichever way they are added up.
WEIGHT_SCALE = 1000


@dataclass(frozen=True)
class Scores:
    """The evidence about one pair of documents; every value but ``passage_words`` is in [0, 1].

    Attributes
    ----------
    jaccard_est : float
        Jaccard similarity of the shingle sets estimated from the MinHash signatures.
    jaccard : float
        Exact Jaccard similarity of the shingle sets.
    containment : float
        Share of the shorter text's word n-grams that occur in the other.
    cosine : float
        TF-IDF cosine similarity of the content words.
    coverage : float
        Rarity-weighted share of content vocabulary found in the other text, mean of
        both directions.
    order : float
        Rarity-weighted share of content words the texts have in the same order.
    rewrite : float
        ``(2 * coverage + order) / 3``, the paraphrase evidence.
    spread : float
        How evenly the words counted by ``order`` spread over the shorter text: the share
        of in-order words that three of its four quarters reach, relative to its
        ``order``. Near 1 for a rewrite, which keeps its source's words throughout; near
        0 when the shared words are bunched in one passage (a quoted paragraph, a
        headline and a line of statistics about the same person).
    passage : float
        Rarity-weighted Dice similarity of the two sides of the reused passage that
        shares the most content words (``_passages``), as wholes; 0 when there is none.
        Computed only for pairs that no whole-text verdict fits.
    passage_words : float
        How many distinct content words the two sides of that passage share (a count,
        the one score that is not in [0, 1]).
    """

    jaccard_est: float
    jaccard: float
    containment: float
    cosine: float
    coverage: float
    order: float
    rewrite: float
    spread: float
    passage: float = 0.0
    passage_words: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """The scores by name, rounded to 4 decimals for stable output."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


def rewrite_score(coverage: float, order: float) -> float:
    """The paraphrase evidence: vocabulary kept counts twice, order once."""
    return (2 * coverage + order) / 3


def _incidence(columns: I64, bounds: I64, n_columns: int) -> sparse.csr_matrix:
    """Documents x columns matrix counting each document's elements in each column."""
    values = np.ones(len(columns), dtype=np.float64)
    return sparse.csr_matrix((values, (doc_index(bounds), columns)), shape=(len(bounds) - 1, n_columns))


def _unit_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix`` with each row of nonzero norm divided by its Euclidean norm.

    To the last bit what scikit-learn's ``normalize`` gives: each row's squares are added
    up in the order they are stored, which is what a sparse product with ones does.
    """
    squares = sparse.csr_matrix((matrix.data * matrix.data, matrix.indices, matrix.indptr), shape=matrix.shape)
    norms = np.sqrt(squares @ np.ones(matrix.shape[1]))
    norms[norms == 0.0] = 1.0
    result = matrix.copy()
    result.data /= np.repeat(norms, np.diff(result.indptr))
    return result


def _binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    result = matrix.copy()
    result.data[:] = 1.0
    return result


def _row_dots(a: sparse.csr_matrix, b: sparse.csr_matrix, left: I64, right: I64) -> F64:
    return np.asarray(a[left].multiply(b[right]).sum(axis=1), dtype=np.float64).ravel()


def _ratio(numerator: F64, denominator: F64) -> F64:
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)


def aligned_parts(a: U32, b: U32, weights_a: I64, parts: int) -> tuple[I64, I64]:
    """Weight of a heaviest common subsequence of ``a`` and ``b`` in each part of ``a``.

    ``a`` is cut into ``parts`` consecutive parts of about equal weight. Returns, for each
    part, the weight of its elements that one heaviest common subsequence uses (they add
    up to the weight of the heaviest common subsequence) and the weight of the part.
    ``weights_a`` gives the integer weight of each element of ``a``; equal elements must
    weigh the same.

    The table of the alignment is never held whole: the rows at the cuts of a forward
    pass and of a backward pass over the reversed sequences locate where the leftmost
    heaviest alignment crosses each cut, in memory linear in ``len(b)``.

    Examples
    --------
    >>> a, b = np.array([1, 2, 3, 4], dtype=np.uint32), np.array([1, 9, 3, 2], dtype=np.uint32)
    >>> [w.tolist() for w in aligned_parts(a, b, np.array([5, 1, 1, 1]), parts=2)]
    [[5, 1], [5, 3]]
    """
    total = int(weights_a.sum())
    if total == 0:
        return np.zeros(parts, dtype=np.int64), np.zeros(parts, dtype=np.int64)
    middle = np.cumsum(weights_a) - weights_a / 2
    part = np.minimum((middle * parts / total).astype(np.int64), parts - 1)
    part_weights = np.bincount(part, weights=weights_a, minlength=parts).astype(np.int64)
    cuts_in_a = np.searchsorted(part, np.arange(parts + 1))
    shared = np.isin(a, b)
    a, weights_a = a[shared], weights_a[shared]
    b = b[np.isin(b, a)]
    cuts = np.concatenate(([0], np.cumsum(shared)))[cuts_in_a]
    forward = common_rows(a, weights_a, b, cuts)
    backward = common_rows(a[::-1], weights_a[::-1], b[::-1], (len(a) - cuts)[::-1])[::-1, ::-1]
    # Where the leftmost heaviest alignment crosses each cut (argmax takes the first).
    crossing = np.argmax(forward + backward, axis=1)
    return np.diff(forward[np.arange(parts + 1), crossing]), part_weights


class Profiles:
    """The evidence matrices of a batch of tokenised documents."""

    def __init__(self, tokens: Tokens, config: DetectorConfig) -> None:
        self.tokens = tokens
        # Page chrome (see ``_chrome``) is left out of every score; ``jaccard`` describes
        # the sets the index saw, which keep the chrome of a text that is nothing else.
        article = (tokens.flags & CHROME) == 0
        content_mask = article & ~is_stopword(tokens.hashes, tokens.flags)
        self.content, self.content_bounds = select(keyed(tokens.hashes, tokens.flags), tokens.bounds, content_mask)
        self.content_idf = idf(tokens.hashes, tokens.flags)[content_mask]

        vocabulary, columns = codes(self.content)
        counts = _incidence(columns, self.content_bounds, len(vocabulary))
        column_idf = np.zeros(len(vocabulary))
        column_idf[columns] = self.content_idf
        weighted = counts @ sparse.diags(column_idf)
        self.tfidf = _unit_rows(weighted)
        self.vocab = _binary(counts)
        self.vocab_idf = self.vocab @ sparse.diags(column_idf)
        self.vocab_mass = np.asarray(self.vocab_idf.sum(axis=1)).ravel()

        sets, set_bounds = shingles(tokens.article(), config.ngram, config.stopwords)
        distinct_sets, columns = codes(sets)
        self.shingles = _binary(_incidence(columns, set_bounds, len(distinct_sets)))
        self.shingle_count = np.diff(self.shingles.indptr).astype(np.float64)
        # A copy's n-grams outside chrome are looked for anywhere in the other text, so that
        # a passage that one copy shows as chrome and the other does not still counts.
        n = config.containment_ngram
        grams, gram_bounds = ngrams(*select(tokens.hashes, tokens.bounds, article), n)
        every_gram, every_bound = ngrams(tokens.hashes, tokens.bounds, n)
        # One set of columns for both, where n-grams across removed chrome are new ones.
        distinct_grams, columns = codes(np.concatenate((grams, every_gram)))
        self.grams = _binary(_incidence(columns[: len(grams)], gram_bounds, len(distinct_grams)))
        self.every_gram = _binary(_incidence(columns[len(grams) :], every_bound, len(distinct_grams)))
        self.gram_count = np.diff(self.grams.indptr).astype(np.float64)

    def __len__(self) -> int:
        return len(self.tokens)

    def content_of(self, i: int) -> tuple[U32, I64]:
        """The content words of document ``i`` (at most :data:`MAX_ORDER_WORDS`) and their integer weights."""
        lo, hi = self.content_bounds[i], self.content_bounds[i + 1]
        hi = min(hi, lo + MAX_ORDER_WORDS)
        return self.content[lo:hi], np.rint(self.content_idf[lo:hi] * WEIGHT_SCALE).astype(np.int64)

    def set_scores(self, left: I64, right: I64) -> dict[str, F64]:
        """The scores computable from sets, vectorised over the pairs ``(left[i], right[i])``."""
        shared = _row_dots(self.shingles, self.shingles, left, right)
        union = self.shingle_count[left] + self.shingle_count[right] - shared
        left_shorter = self.gram_count[left] <= self.gram_count[right]
        shorter, longer = np.where(left_shorter, left, right), np.where(left_shorter, right, left)
        shared_grams = _row_dots(self.grams, self.every_gram, shorter, longer)
        smaller = self.gram_count[shorter]
        shared_mass = _row_dots(self.vocab_idf, self.vocab, left, right)
        coverage = (_ratio(shared_mass, self.vocab_mass[left]) + _ratio(shared_mass, self.vocab_mass[right])) / 2
        return {
            "jaccard": _ratio(shared, union),
            "containment": _ratio(shared_grams, smaller),
            "cosine": np.clip(_row_dots(self.tfidf, self.tfidf, left, right), 0.0, 1.0),
            "coverage": coverage,
        }

    def alignment(self, i: int, j: int) -> tuple[float, float]:
        """``order`` and ``spread`` of two documents (see :class:`Scores`)."""
        a, wa = self.content_of(i)
        b, wb = self.content_of(j)
        if wb.sum() < wa.sum():
            a, wa, b = b, wb, a
        if wa.sum() <= 0:
            return 0.0, 0.0
        aligned, part_weight = aligned_parts(a, b, wa, SPREAD_PARTS)
        order = aligned.sum() / part_weight.sum()
        shares = np.sort(aligned[part_weight > 0] / part_weight[part_weight > 0])
        # The share that all parts but one reach: one part may be the rewriter's own.
        reached = shares[1] if len(shares) > 1 else shares[0]
        spread = min(1.0, reached / order) if order > 0 else 0.0
        return float(order), float(spread)

    def is_identical(self, i: int, j: int) -> bool:
        """Whether two documents have the same tokens (they are equal after normalisation)
        and some of them are article text.

        A page that is nothing but chrome (a bot check, a cookie wall, a paywall) is not an
        article, in any language: two copies of it are not a copy of a story.
        """
        a, b = self.tokens.doc(i), self.tokens.doc(j)
        return self._has_article(i) and self._has_article(j) and bool(np.array_equal(a, b))

    def _has_article(self, i: int) -> bool:
        """Whether document ``i`` has a token outside page chrome."""
        return bool(((self.tokens.flags[self.tokens.bounds[i] : self.tokens.bounds[i + 1]] & CHROME) == 0).any())

    def scores(
        self, left: I64, right: I64, estimates: F64, aligned: Callable[[dict[str, float]], bool]
    ) -> tuple[Bools, list[Scores]]:
        """Whether each pair ``(left[k], right[k])`` is identical, and its scores.

        ``estimates`` are the pairs' Jaccard estimates from their signatures. The
        quadratic ``order`` and ``spread`` are computed only for the pairs whose set scores
        ``aligned`` accepts (left at 0 for the others), and are 1 for identical texts.
        """
        sets = self.set_scores(left, right)
        identical = np.zeros(len(left), dtype=bool)
        found = []
        for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
            values = {name: float(v[k]) for name, v in sets.items()}
            identical[k] = self.is_identical(i, j)
            if identical[k]:
                order, spread = 1.0, 1.0
            else:
                order, spread = self.alignment(i, j) if aligned(values) else (0.0, 0.0)
            found.append(
                Scores(
                    jaccard_est=float(estimates[k]),
                    order=order,
                    rewrite=rewrite_score(values["coverage"], order),
                    spread=spread,
                    **values,
                )
            )
        return identical, found
