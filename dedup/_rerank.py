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

``rewrite`` combines the last two: ``(2 * coverage + order) / 3``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.preprocessing import normalize

from . import _kernels
from ._config import DetectorConfig
from ._hashing import U32
from ._rarity import F32, idf
from ._shingle import doc_index, ngrams, select, shingles
from ._tokenize import I64, Tokens, is_stopword

F64 = npt.NDArray[np.float64]

#: ``order`` is measured on at most this many content words of each text, which bounds
#: the quadratic alignment on very long documents.
MAX_ORDER_WORDS = 5000


@dataclass(frozen=True)
class Scores:
    """The evidence about one pair of documents; every value is in [0, 1].

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
    """

    jaccard_est: float
    jaccard: float
    containment: float
    cosine: float
    coverage: float
    order: float
    rewrite: float

    def as_dict(self) -> dict[str, float]:
        """The scores by name, rounded to 4 decimals for stable output."""
        return {k: round(v, 4) for k, v in asdict(self).items()}


def _incidence(hashes: U32, bounds: I64, weights: F32 | None = None) -> tuple[sparse.csr_matrix, U32]:
    """Documents x distinct hashes matrix of counts (or summed weights), and the hashes."""
    distinct, columns = np.unique(hashes, return_inverse=True)
    values = np.ones(len(hashes), dtype=np.float64) if weights is None else weights.astype(np.float64)
    matrix = sparse.csr_matrix((values, (doc_index(bounds), columns.ravel())), shape=(len(bounds) - 1, len(distinct)))
    return matrix, distinct


def _binary(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    result = matrix.copy()
    result.data[:] = 1.0
    return result


def _row_dots(a: sparse.csr_matrix, b: sparse.csr_matrix, left: I64, right: I64) -> F64:
    return np.asarray(a[left].multiply(b[right]).sum(axis=1), dtype=np.float64).ravel()


def _ratio(numerator: F64, denominator: F64) -> F64:
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)


def weighted_lcs(a: U32, b: U32, weights_a: F32 | None = None) -> float:
    """Total weight of a heaviest common subsequence of ``a`` and ``b``.

    ``weights_a`` gives the weight of each element of ``a`` (equal elements must have
    equal weights); without it every element weighs 1.
    """
    wa = np.ones(len(a), dtype=np.float64) if weights_a is None else weights_a.astype(np.float64)
    shared = np.isin(a, b)
    a, wa = a[shared], wa[shared]
    b = b[np.isin(b, a)]
    if len(a) == 0:
        return 0.0
    if _kernels.available() and len(a) * len(b) >= _kernels.MIN_CELLS:
        return _kernels.weighted_lcs(a, b, wa)
    best = np.zeros(len(b) + 1)
    for token, w in zip(a.tolist(), wa.tolist(), strict=True):
        diagonal = best[:-1] + (b == token) * w
        best[1:] = np.maximum.accumulate(np.maximum(best[1:], diagonal))
    return float(best[-1])


class Profiles:
    """The evidence matrices of a batch of tokenised documents."""

    def __init__(self, tokens: Tokens, config: DetectorConfig) -> None:
        self.tokens = tokens
        content_mask = ~is_stopword(tokens.hashes)
        self.content, self.content_bounds = select(tokens.hashes, tokens.bounds, content_mask)
        self.content_idf = idf(tokens.hashes, tokens.flags)[content_mask]

        counts, vocabulary = _incidence(self.content, self.content_bounds)
        column_idf = np.zeros(len(vocabulary))
        column_idf[np.searchsorted(vocabulary, self.content)] = self.content_idf
        self.tfidf = normalize(counts @ sparse.diags(column_idf), norm="l2")
        self.vocab = _binary(counts)
        self.vocab_idf = self.vocab @ sparse.diags(column_idf)
        self.vocab_mass = np.asarray(self.vocab_idf.sum(axis=1)).ravel()

        self.shingles = _binary(_incidence(*shingles(tokens, config.ngram, config.stopwords))[0])
        self.shingle_count = np.diff(self.shingles.indptr).astype(np.float64)
        self.grams = _binary(_incidence(*ngrams(tokens.hashes, tokens.bounds, config.containment_ngram))[0])
        self.gram_count = np.diff(self.grams.indptr).astype(np.float64)

    def __len__(self) -> int:
        return len(self.tokens)

    def content_of(self, i: int) -> tuple[U32, F32]:
        lo, hi = self.content_bounds[i], self.content_bounds[i + 1]
        hi = min(hi, lo + MAX_ORDER_WORDS)
        return self.content[lo:hi], self.content_idf[lo:hi]

    def set_scores(self, left: I64, right: I64) -> dict[str, F64]:
        """The scores computable from sets, vectorised over the pairs ``(left[i], right[i])``."""
        shared = _row_dots(self.shingles, self.shingles, left, right)
        union = self.shingle_count[left] + self.shingle_count[right] - shared
        shared_grams = _row_dots(self.grams, self.grams, left, right)
        smaller = np.minimum(self.gram_count[left], self.gram_count[right])
        shared_mass = _row_dots(self.vocab_idf, self.vocab, left, right)
        coverage = (_ratio(shared_mass, self.vocab_mass[left]) + _ratio(shared_mass, self.vocab_mass[right])) / 2
        return {
            "jaccard": _ratio(shared, union),
            "containment": _ratio(shared_grams, smaller),
            "cosine": np.clip(_row_dots(self.tfidf, self.tfidf, left, right), 0.0, 1.0),
            "coverage": coverage,
        }

    def order(self, i: int, j: int) -> float:
        """Rarity-weighted share of content words the two documents have in order."""
        a, wa = self.content_of(i)
        b, wb = self.content_of(j)
        smaller = min(float(wa.sum()), float(wb.sum()))
        if smaller <= 0:
            return 0.0
        return min(1.0, weighted_lcs(a, b, weights_a=wa) / smaller)

    def is_identical(self, i: int, j: int) -> bool:
        """Whether two documents have the same tokens (they are equal after normalisation)."""
        a, b = self.tokens.doc(i), self.tokens.doc(j)
        return len(a) > 0 and bool(np.array_equal(a, b))
