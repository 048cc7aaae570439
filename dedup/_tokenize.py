"""Stage 2, normalised text -> tokens: a tokeniser and token hasher over whole byte buffers.

A batch of texts is joined into one UTF-8 buffer and every step is an array operation
over its bytes: byte classes from lookup tables, token boundaries from the edges of the
word mask, and a position-weighted token hash summed per token with ``np.add.reduceat``.
There is no Python-level loop per token, which is what caps tokenisers built on
``re.findall`` plus a hash call per token.

A token is a maximal run of letters, marks and digits (Unicode categories L, M and N);
a ``,`` or ``.`` between two digits belongs to the token, so "2,000" and "2.5" are one
token each. Everything else separates tokens.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from ._hashing import U32, fmix64, high32, odd_constants
from ._normalize import normalize

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]

NUMERIC = np.uint8(1)
SENTENCE_START = np.uint8(2)

_SEPARATOR = b"\n"  # between documents in a batch: never part of a token, ends a sentence


def _byte_table(chars: bytes) -> Bools:
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(chars, dtype=np.uint8)] = True
    return table


_DIGIT = _byte_table(b"0123456789")
_ASCII_WORD = _byte_table(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_NUMBER_JOINER = _byte_table(b",.")
_ASCII_TERMINATOR = _byte_table(b".!?\n")
# Sentence ends outside ASCII: Devanagari danda, CJK and full-width stops.
_TERMINATOR_CODEPOINTS = frozenset(map(ord, "।॥。！？"))


@dataclass(frozen=True)
class Tokens:
    """The tokens of a batch of documents, as flat arrays.

    Attributes
    ----------
    hashes : ndarray of uint32, shape (n_tokens,)
        One hash per token, equal for equal tokens wherever they occur.
    bounds : ndarray of int64, shape (n_docs + 1,)
        Document ``i`` owns ``hashes[bounds[i]:bounds[i + 1]]``.
    flags : ndarray of uint8, shape (n_tokens,)
        Bit flags per token: :data:`NUMERIC` (starts with a digit) and
        :data:`SENTENCE_START` (follows ``.``, ``!``, ``?`` or a line break).
    """

    hashes: U32
    bounds: I64
    flags: U8

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def doc(self, i: int) -> U32:
        """The token hashes of document ``i``."""
        return self.hashes[self.bounds[i] : self.bounds[i + 1]]

    @classmethod
    def concat(cls, parts: Sequence[tuple[U32, U8]]) -> Tokens:
        """A batch made of per-document ``(hashes, flags)`` arrays."""
        lengths = np.fromiter((len(h) for h, _ in parts), dtype=np.int64, count=len(parts))
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        if not parts:
            return cls(np.zeros(0, dtype=np.uint32), bounds, np.zeros(0, dtype=np.uint8))
        return cls(np.concatenate([h for h, _ in parts]), bounds, np.concatenate([f for _, f in parts]))


@functools.lru_cache(maxsize=65536)
def _is_word_codepoint(cp: int) -> bool:
    return unicodedata.category(chr(cp))[0] in "LMN"


def _classify_non_ascii(b: npt.NDArray[np.uint8], word: Bools, terminator: Bools) -> None:
    """Set the word and terminator classes of non-ASCII characters, in place.

    Decodes the code point at each multi-byte lead with array operations and classifies
    the distinct code points only, so the cost per character stays an array operation.
    """
    lead = (b & 0xC0) != 0x80
    multi = np.flatnonzero(b >= 0xC0)
    b0 = b[multi].astype(np.uint32)
    length = np.where(b0 >= 0xF0, 4, np.where(b0 >= 0xE0, 3, 2))
    cp = b0 & np.where(length == 2, 0x1F, np.where(length == 3, 0x0F, 0x07)).astype(np.uint32)
    for k in (1, 2, 3):
        more = np.flatnonzero(length > k)
        cont = np.minimum(multi[more] + k, len(b) - 1)
        cp[more] = (cp[more] << np.uint32(6)) | (b[cont] & 0x3F)
    distinct, inverse = np.unique(cp, return_inverse=True)
    is_word = np.fromiter((_is_word_codepoint(int(c)) for c in distinct), dtype=bool, count=len(distinct))
    is_end = np.fromiter((int(c) in _TERMINATOR_CODEPOINTS for c in distinct), dtype=bool, count=len(distinct))
    word[multi] = is_word[inverse]
    terminator[multi] = is_end[inverse]
    # Continuation bytes take the class of their character's lead byte.
    char_of_byte = np.cumsum(lead) - 1
    lead_pos = np.flatnonzero(lead)
    word[:] = word[lead_pos][char_of_byte]
    terminator[:] = terminator[lead_pos][char_of_byte] & lead


_position_weights: U32 | npt.NDArray[np.uint64] = odd_constants(64, salt=1)


def _weights(n: int) -> npt.NDArray[np.uint64]:
    """Per-position multipliers of the token hash, grown on demand for long tokens."""
    global _position_weights
    if len(_position_weights) < n:
        _position_weights = odd_constants(max(n, 2 * len(_position_weights)), salt=1)
    return _position_weights[:n]  # type: ignore[return-value]


def tokenize_bytes(buf: bytes, doc_offsets: I64) -> Tokens:
    """Tokenise a buffer of normalised UTF-8 text holding documents at ``doc_offsets``.

    ``doc_offsets`` has one entry per document (its first byte) plus the buffer length;
    documents must be separated by a non-word byte.
    """
    b = np.frombuffer(buf, dtype=np.uint8)
    word = _ASCII_WORD[b]
    terminator = _ASCII_TERMINATOR[b]
    if not buf.isascii():
        _classify_non_ascii(b, word, terminator)
    if len(b) > 2:
        joined = np.flatnonzero(_NUMBER_JOINER[b[1:-1]] & _DIGIT[b[:-2]] & _DIGIT[b[2:]]) + 1
        word[joined] = True
        terminator[joined] = False

    edges = np.flatnonzero(np.diff(np.concatenate(([False], word, [False])).view(np.int8)))
    starts, ends = edges[0::2], edges[1::2]
    lengths = ends - starts
    if len(starts) == 0:
        empty = np.zeros(0, dtype=np.uint32)
        return Tokens(empty, np.zeros(len(doc_offsets), dtype=np.int64), np.zeros(0, dtype=np.uint8))

    # Token hash: sum of byte * weight[position in token], then a 64-bit mix.
    first = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    positions = np.flatnonzero(word)
    within = np.arange(len(positions)) - np.repeat(first, lengths)
    weighted = b[positions].astype(np.uint64) * _weights(int(lengths.max()))[within]
    sums = np.add.reduceat(weighted, first)
    hashes = high32(fmix64(sums + lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)))

    # A token starts a sentence when a terminator lies between it and the previous token.
    ends_seen = np.concatenate(([0], np.cumsum(terminator)))
    sentence_start = np.ones(len(starts), dtype=bool)
    sentence_start[1:] = ends_seen[starts[1:]] > ends_seen[ends[:-1]]
    flags = _DIGIT[b[starts]] * NUMERIC | sentence_start * SENTENCE_START

    bounds = np.searchsorted(starts, doc_offsets).astype(np.int64)
    return Tokens(hashes, bounds, flags.astype(np.uint8))


def tokenize(texts: Sequence[str]) -> Tokens:
    """Normalise and tokenise a batch of texts.

    Examples
    --------
    >>> t = tokenize(["Hello, world!", "HELLO world"])
    >>> len(t), (t.doc(0) == t.doc(1)).all()
    (2, np.True_)
    """
    encoded = [normalize(t).encode("utf-8", "surrogatepass") for t in texts]
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    offsets[-1] -= 1 if len(encoded) else 0
    return tokenize_bytes(_SEPARATOR.join(encoded), offsets)


@functools.cache
def stopword_hashes() -> U32:
    """Sorted hashes of the tokens of ``stopwords.txt`` (the most frequent English words)."""
    lines = resources.files(__package__).joinpath("stopwords.txt").read_text("utf-8").splitlines()
    words = [line for line in lines if line and not line.startswith("#")]
    return np.unique(tokenize(words).hashes)


def is_stopword(hashes: U32) -> Bools:
    """True where a token hash is a stop word."""
    stop = stopword_hashes()
    found = np.minimum(np.searchsorted(stop, hashes), len(stop) - 1)
    return stop[found] == hashes
