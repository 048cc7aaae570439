"""Stage 3, tokens -> shingle hashes: word n-grams, optionally over content words only."""

from __future__ import annotations

import numpy as np

from ._arrays import doc_index, select
from ._hashing import fmix64, high32, odd_constants
from ._language import is_stopword
from ._tokenize import Tokens
from ._types import I64, U32

_NGRAM_WEIGHTS = odd_constants(16, salt=2)


def content_words(tokens: Tokens) -> tuple[U32, I64]:
    """The tokens that are not stop words of their text's language, with their document bounds."""
    return select(tokens.hashes, tokens.bounds, ~is_stopword(tokens.hashes, tokens.flags))


def ngrams(hashes: U32, bounds: I64, n: int) -> tuple[U32, I64]:
    """Hash every run of ``n`` consecutive tokens within a document.

    A document with fewer than ``n`` (but some) tokens gives one shingle of all of them,
    so that short texts still have a signature. The n-gram hash is order-sensitive.
    """
    if n == 1:
        return hashes, bounds
    total = len(hashes)
    doc = doc_index(bounds)
    combined = np.zeros(total, dtype=np.uint64)
    for k in range(n):
        inside = np.arange(k, total + k)
        inside = inside[inside < total]
        same_doc = doc[inside] == doc[: len(inside)]
        combined[: len(inside)] += np.where(same_doc, hashes[inside].astype(np.uint64) * _NGRAM_WEIGHTS[k], 0)
    lengths = np.diff(bounds)
    end_of_gram = np.arange(total) + n - 1
    complete = end_of_gram < bounds[doc + 1]
    short_doc_head = (np.arange(total) == bounds[doc]) & (lengths[doc] < n)
    return select(high32(fmix64(combined)), bounds, complete | short_doc_head)


def shingles(tokens: Tokens, ngram: int, stopwords: bool) -> tuple[U32, I64]:
    """The shingle hashes of each document of a batch (with repeats, in text order)."""
    hashes, bounds = content_words(tokens) if stopwords else (tokens.hashes, tokens.bounds)
    return ngrams(hashes, bounds, ngram)
