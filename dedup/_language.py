"""Tokens -> the language of each text, which chooses its stop words (and, in ``_rarity``, its word rarity).

A German article's "und", "der" and "nicht" are as common as English "and", "the" and
"not": counted as content words, they make any two German texts look alike. So each text
gets a language, given by the caller or detected, and its stop words are the words of that
language with a Zipf frequency of 5 or more (``stopwords.txt`` for English,
``stopwords-<language>.txt`` for the others; see ``scripts/make_stopwords.py``).

Detection needs no model: the stop word lists are the most frequent words of their
languages, so a text's language is the one whose stop words it uses most, counted over its
first :data:`DETECT_TOKENS` tokens with one hash table look-up per token and language.
English, the default, keeps a text unless another language's stop words are at least
:data:`MIN_STOPWORDS` and more than English's. Half of an English text's words are English
stop words, and at most a third of a text in the other languages' (measured on the SemEval
texts), so a text with :data:`ENGLISH_SHARE` of them is English without looking further:
an English batch costs one look-up per token looked at.

Chinese, Japanese and Korean are tokenised in character bigrams (see ``_tokenize``), and
so are their stop words: a Japanese text is told by its Kana bigrams ("して", "いる",
"から"), which no other language's stop words contain, a Korean one by its Hangul bigrams
("에서", "습니", "니다"); the Han words the Japanese list shares with the Chinese one (numbers,
"人", "中国") count for both, and Chinese, the earlier of the two, wins a tie: Chinese
function words are far more common in a Chinese text than Japanese Han words, and every
Chinese text of the SemEval data is still Chinese.

The language is kept in the high bits of every token's flags (see
:data:`~dedup._tokenize.LANGUAGE_SHIFT`), so it travels with the tokens into every store
and stage; tokens without those bits are English, as were all tokens before.
"""

from __future__ import annotations

import functools

import numpy as np

from ._config import AUTO, LANGUAGES
from ._tokenize import LANGUAGE_SHIFT, STOP_SLOT_BITS, Tokens, stopword_table
from ._types import I64, U8, U32, Bools

#: Tokens of a text that detection looks at: enough for a clear majority, and a bounded cost.
DETECT_TOKENS = 100

#: A text whose first tokens are at least this share English stop words is English.
ENGLISH_SHARE = 0.45

#: Stop words of another language that a text must use (and more than English ones) to be detected as written in it.
MIN_STOPWORDS = 3

_SLOTS = 1 << STOP_SLOT_BITS


@functools.cache
def _tables() -> tuple[U32, U32]:
    """The stop word table of every language, one after the other, and their multipliers."""
    built = [stopword_table(language) for language in LANGUAGES]
    return np.array([m for m, _ in built], dtype=np.uint32), np.concatenate([t for _, t in built])


def codes(tokens: Tokens) -> U8:
    """The language code (index into :data:`LANGUAGES`) of each token."""
    return tokens.flags >> np.uint8(LANGUAGE_SHIFT)


def detect(hashes: U32, bounds: I64) -> U8:
    """The language code of each text, from the stop words among its first tokens.

    Examples
    --------
    >>> from dedup._tokenize import tokenize
    >>> t = tokenize(["Die Stadt hat am Montag die Bibliothek geschlossen, weil das Dach nicht dicht ist.",
    ...               "The council closed the library on Monday because the roof leaks."])
    >>> [LANGUAGES[c] for c in detect(t.hashes, t.bounds)]
    ['de', 'en']
    """
    n_docs = len(bounds) - 1
    lengths = np.diff(bounds)
    seen = np.minimum(lengths, DETECT_TOKENS)
    position = np.arange(len(hashes)) - np.repeat(bounds[:-1], lengths)
    sample = hashes[position < DETECT_TOKENS]
    doc = np.repeat(np.arange(n_docs), seen)
    multipliers, table = _tables()
    shift = np.uint32(32 - STOP_SLOT_BITS)
    english = np.bincount(doc[table[(sample * multipliers[0]) >> shift] == sample], minlength=n_docs)
    unclear = english < ENGLISH_SHARE * seen
    if not unclear.any():
        return np.zeros(n_docs, dtype=np.uint8)
    look = unclear[doc]
    sample, doc = sample[look], doc[look]
    counts = np.zeros((n_docs, len(LANGUAGES)), dtype=np.int64)
    counts[:, 0] = english
    for k in range(1, len(LANGUAGES)):
        hit = table[k * _SLOTS + ((sample * multipliers[k]) >> shift)] == sample
        counts[:, k] = np.bincount(doc[hit], minlength=n_docs)
    best = np.argmax(counts, axis=1)  # the first of equal counts: English
    clear = counts[np.arange(n_docs), best] >= MIN_STOPWORDS
    return np.where(clear, best, 0).astype(np.uint8)


def code_of(language: str) -> int:
    """The code of a language named in :data:`LANGUAGES`."""
    return LANGUAGES.index(language)


def languages_of(tokens: Tokens, language: str = AUTO) -> U8:
    """Each text's language code: ``language``'s, or detected when ``auto``."""
    if language == AUTO:
        return detect(tokens.hashes, tokens.bounds)
    return np.full(len(tokens), code_of(language), dtype=np.uint8)


def with_language(tokens: Tokens, language: str = AUTO) -> Tokens:
    """``tokens`` with each text's language in their flags: ``language``, or detected when ``auto``."""
    return with_codes(tokens, languages_of(tokens, language))


def with_codes(tokens: Tokens, per_doc: U8) -> Tokens:
    """``tokens`` with text ``i``'s language code ``per_doc[i]`` in their flags."""
    if not per_doc.any():
        return tokens
    bits = np.repeat(per_doc << np.uint8(LANGUAGE_SHIFT), np.diff(tokens.bounds))
    keep = np.uint8((1 << LANGUAGE_SHIFT) - 1)
    return Tokens(tokens.hashes, tokens.bounds, (tokens.flags & keep) | bits)


#: Odd, so that multiplying by it keeps the languages' codes apart (2**32 / golden ratio).
_LANGUAGE_SALT = np.uint32(0x9E3779B1)


def keyed(hashes: U32, flags: U8) -> U32:
    """Token hashes made distinct per language (English ones unchanged).

    One word's rarity differs between languages ("die" in English and in German), so the
    re-ranker keys its vocabulary by language too: a batch of texts in several languages
    then scores each pair as a batch of those two texts alone would.
    """
    language = flags >> np.uint8(LANGUAGE_SHIFT)
    if not language.any():
        return hashes
    return hashes ^ (language.astype(np.uint32) * _LANGUAGE_SALT)


def is_stopword(hashes: U32, flags: U8) -> Bools:
    """True where a token is a stop word of its text's language (see :func:`with_language`)."""
    language = flags >> np.uint8(LANGUAGE_SHIFT)
    if not language.any():
        multiplier, table = stopword_table("en")
        return table[(hashes * multiplier) >> np.uint32(32 - STOP_SLOT_BITS)] == hashes
    multipliers, table = _tables()
    slot = language.astype(np.int64) * _SLOTS + ((hashes * multipliers[language]) >> np.uint32(32 - STOP_SLOT_BITS))
    return table[slot] == hashes
