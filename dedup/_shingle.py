"""Stage 3, tokens -> shingle hashes: word n-grams, optionally over content words only."""

from __future__ import annotations

import numpy as np

from ._hashing import U32, fmix64, high32, odd_constants
from ._tokenize import I64, Tokens, is_stopword

_NGRAM_WEIGHTS = odd_constants(16, salt=2)


def doc_index(bounds: I64) -> I64:
    """The document number of each element of a flat array split at ``bounds``."""
    return np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array.

    Sorting and masking repeats is several times faster than ``np.unique`` on the large
    integer arrays of a batch (numpy 2 answers ``np.unique`` with a hash table).
    """
    ordered = np.sort(values, axis=None)
    return ordered[np.concatenate((np.ones(min(len(ordered), 1), dtype=bool), ordered[1:] != ordered[:-1]))]


def codes(values: U32) -> tuple[U32, I64]:
    """The sorted distinct values of a ``uint32`` array and each value's index among them.

    Sorts each value packed with its position (below ``2**32``) into one ``uint64``,
    which is about twice as fast as ``np.argsort`` and far faster than looking every value
    up with ``np.searchsorted`` once the distinct values outgrow the cache.

    Examples
    --------
    >>> [a.tolist() for a in codes(np.array([7, 3, 7, 9], dtype=np.uint32))]
    [[3, 7, 9], [1, 0, 1, 2]]
    """
    packed = (values.astype(np.uint64) << np.uint64(32)) | np.arange(len(values), dtype=np.uint64)
    packed.sort()
    ordered = (packed >> np.uint64(32)).astype(np.uint32)
    new = np.concatenate((np.ones(min(len(ordered), 1), dtype=bool), ordered[1:] != ordered[:-1]))
    index = np.empty(len(values), dtype=np.int64)
    index[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)] = np.cumsum(new) - 1
    return ordered[new], index


def select(hashes: U32, bounds: I64, keep: np.ndarray) -> tuple[U32, I64]:
    """Keep the elements where ``keep`` is true, with the document bounds adjusted."""
    kept = np.concatenate(([0], np.cumsum(keep))).astype(np.int64)
    return hashes[keep], kept[bounds]


def content_words(tokens: Tokens) -> tuple[U32, I64]:
    """The tokens that are not stop words, with their document bounds."""
    return select(tokens.hashes, tokens.bounds, ~is_stopword(tokens.hashes))


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
