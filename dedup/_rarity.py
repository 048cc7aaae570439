"""Background word rarity: inverse document frequencies that do not depend on the corpus.

IDF estimated from the handful of documents a detector has seen is noise, and IDF that
changes as documents arrive would make a pair's verdict depend on when it was checked.
So rarity comes from a fixed background: the English word frequencies of ``wordfreq``,
turned into document frequencies for an article of :data:`DOC_WORDS` words. Unknown words
(names, typos, other languages) count as rare; numbers count as moderately common.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from ._tokenize import NUMERIC, tokenize
from ._types import F32, U8, U32

DOC_WORDS = 500  # words in a typical news article
UNKNOWN_FREQUENCY = 1e-8  # wordfreq's floor (Zipf 1)
NUMBER_FREQUENCY = 1e-5  # Zipf 4: a specific number is about as common as "peacekeeping"


def frequency_to_idf(frequency: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``-log(document frequency)`` for a word with this share of running text."""
    f = np.maximum(np.asarray(frequency, dtype=np.float64), UNKNOWN_FREQUENCY)
    return -np.log(-np.expm1(-f * DOC_WORDS))


@functools.cache
def _table() -> tuple[U32, F32]:
    """Sorted token hashes of wordfreq's English words and their IDF."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en")
    words = list(frequencies)
    tokens = tokenize(words)
    single = np.flatnonzero(np.diff(tokens.bounds) == 1)  # words that are one token
    hashes = tokens.hashes[tokens.bounds[single]]
    freq = np.fromiter(frequencies.values(), dtype=np.float64, count=len(words))[single]
    order = np.lexsort((-freq, hashes))  # where words share a hash, keep the commonest
    hashes, freq = hashes[order], freq[order]
    first = np.concatenate(([True], hashes[1:] != hashes[:-1]))
    return hashes[first], frequency_to_idf(freq[first]).astype(np.float32)


def idf(hashes: U32, flags: U8) -> F32:
    """Background IDF of each token."""
    known, values = _table()
    found = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
    unknown = frequency_to_idf(UNKNOWN_FREQUENCY).astype(np.float32)
    result = np.where(known[found] == hashes, values[found], unknown)
    number = frequency_to_idf(NUMBER_FREQUENCY).astype(np.float32)
    return np.where(flags & NUMERIC, number, result).astype(np.float32)
