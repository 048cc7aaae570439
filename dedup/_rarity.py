"""Background word rarity: inverse document frequencies that do not depend on the corpus.

IDF estimated from the handful of documents a detector has seen is noise, and IDF that
changes as documents arrive would make a pair's verdict depend on when it was checked.
So rarity comes from a fixed background: the word frequencies of ``wordfreq`` in the
language of the token's text (see ``_language``), turned into document frequencies for an
article of :data:`DOC_WORDS` words. Unknown words (names, typos, other languages) count as
rare; numbers count as moderately common.

Making the table (tokenising wordfreq's 320,000 words) takes longer than the rest of a small
scan, so it is kept in the user's cache folder (see ``_cache``) under a key that changes
with any file of dedup or of wordfreq.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import tempfile
import zipfile

import numpy as np
import numpy.typing as npt

from . import _cache
from ._config import LANGUAGES
from ._tokenize import LANGUAGE_SHIFT, NUMERIC, tokenize
from ._types import F32, U8, U32

DOC_WORDS = 500  # words in a typical news article
UNKNOWN_FREQUENCY = 1e-8  # wordfreq's floor (Zipf 1)
NUMBER_FREQUENCY = 1e-5  # Zipf 4: a specific number is about as common as "peacekeeping"
#: Languages whose words are tokenised in character bigrams (Han, Kana, Hangul; Korean puts
#: spaces between words, but a word and its particles are one run of Hangul).
_BIGRAM_LANGUAGES = frozenset({"zh", "ja", "ko"})


def frequency_to_idf(frequency: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``-log(document frequency)`` for a word with this share of running text."""
    f = np.maximum(np.asarray(frequency, dtype=np.float64), UNKNOWN_FREQUENCY)
    return -np.log(-np.expm1(-f * DOC_WORDS))


def _make_table(language: str = "en") -> tuple[U32, F32]:
    """Sorted token hashes of wordfreq's words of a language and their IDF."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict(language)
    words = list(frequencies)
    tokens = tokenize(words)
    freq = np.fromiter(frequencies.values(), dtype=np.float64, count=len(words))
    if language in _BIGRAM_LANGUAGES:
        # A character bigram occurs in every word that contains it: its frequency is at
        # least the sum of theirs (bigrams across two words remain unknown).
        lengths = np.diff(tokens.bounds)
        hashes, inverse = np.unique(tokens.hashes, return_inverse=True)
        summed = np.bincount(inverse, weights=np.repeat(freq, lengths), minlength=len(hashes))
        return hashes, frequency_to_idf(summed).astype(np.float32)
    single = np.flatnonzero(np.diff(tokens.bounds) == 1)  # words that are one token
    hashes = tokens.hashes[tokens.bounds[single]]
    freq = freq[single]
    order = np.lexsort((-freq, hashes))  # where words share a hash, keep the commonest
    hashes, freq = hashes[order], freq[order]
    first = np.concatenate(([True], hashes[1:] != hashes[:-1]))
    return hashes[first], frequency_to_idf(freq[first]).astype(np.float32)


def _key() -> str:
    """What the table depends on: the content of dedup's files and the sizes and times of wordfreq's."""
    digest = hashlib.sha256()
    package = os.path.dirname(__file__)
    for name in sorted(os.listdir(package)):
        path = os.path.join(package, name)
        if os.path.isfile(path):
            with open(path, "rb") as file:
                digest.update(name.encode() + b"\0" + file.read())
    spec = importlib.util.find_spec("wordfreq")
    if spec is not None and spec.origin is not None:
        for folder, subfolders, names in os.walk(os.path.dirname(spec.origin)):
            subfolders[:] = sorted(f for f in subfolders if f != "__pycache__")
            for name in sorted(names):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{name} {stat.st_size} {stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


@functools.cache
def _table(language: str = "en") -> tuple[U32, F32]:
    """:func:`_make_table`, from the user's cache folder when an earlier process made it there."""
    folder = _cache.folder("rarity")
    if folder is None:
        return _make_table(language)
    path = os.path.join(folder, f"{language}-{_key()}.npz")
    try:
        with open(path, "rb") as file, np.load(file, allow_pickle=False) as stored:
            hashes, values = stored["hashes"], stored["idf"]
        if hashes.dtype == np.uint32 and values.dtype == np.float32 and hashes.shape == values.shape:
            return hashes, values
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass  # not made yet, or damaged: made again below
    hashes, values = _make_table(language)
    _store(folder, path, hashes, values, language)
    return hashes, values


def _store(folder: str, path: str, hashes: U32, values: F32, language: str = "en") -> None:
    """Write the table to ``path`` whole or not at all (a process may be reading it), and remove those of other keys."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", suffix=".npz", delete=False) as file:
            temporary = file.name
            np.savez(file, hashes=hashes, idf=values)
        os.replace(temporary, path)
        for name in os.listdir(folder):
            if name.startswith(f"{language}-") and os.path.join(folder, name) != path:
                os.remove(os.path.join(folder, name))
    except OSError:  # another process may be doing the same; the table is made again next time
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _lookup(hashes: U32, language: str) -> F32:
    known, values = _table(language)
    found = np.minimum(np.searchsorted(known, hashes), len(known) - 1)
    unknown = frequency_to_idf(UNKNOWN_FREQUENCY).astype(np.float32)
    return np.where(known[found] == hashes, values[found], unknown)


def idf(hashes: U32, flags: U8) -> F32:
    """Background IDF of each token, from the frequencies of its text's language (in ``flags``)."""
    language = flags >> np.uint8(LANGUAGE_SHIFT)
    if not language.any():
        result = _lookup(hashes, "en")
    else:
        result = np.empty(len(hashes), dtype=np.float32)
        for code in np.unique(language).tolist():
            here = language == code
            result[here] = _lookup(hashes[here], LANGUAGES[code])
    number = frequency_to_idf(NUMBER_FREQUENCY).astype(np.float32)
    return np.where(flags & NUMERIC, number, result).astype(np.float32)
