"""Stage 2, normalised text -> tokens: a tokeniser and token hasher over whole byte buffers.

A batch of texts is joined into one UTF-8 buffer and every step is an array operation
over its bytes: case folding and byte classes by arithmetic on the bytes, token
boundaries from the edges of the word mask, and a polynomial hash of every token from one
prefix sum. There is no Python-level loop per token, which is what caps tokenisers built
on ``re.findall`` plus a hash call per token. Text is Unicode-normalised (NFKC) per
document first; case folding of non-ASCII characters works on the distinct code points of
the batch.

A token is a maximal run of letters, marks and digits (Unicode categories L, M and N);
a ``,`` or ``.`` between two digits belongs to the token, so "2,000" and "2.5" are one
token each. Everything else separates tokens. Chinese and Japanese put no spaces between
words, so a run of Han, Kana or Hangul characters gives one token per pair of neighbouring
characters (character bigrams, as search engines index these scripts), and a lone such
character one token: a rewrite that reorders clauses keeps most of its bigrams. The tokens
of a text are the tokens of :func:`~dedup.normalize` applied to it.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._hashing import fmix64, high32, odd_constants
from ._normalize import nfkc_undotted, normalize
from ._types import I64, U8, U32, Bools

NUMERIC = np.uint8(1)
SENTENCE_START = np.uint8(2)
CHROME = np.uint8(4)
#: A sentence start that is only a wrapped line: the token begins with a lower-case (ASCII)
#: letter and follows one line break with no ``.``, ``!`` or ``?`` before it.
WRAPPED = np.uint8(8)
#: The high bits of a token's flags hold its text's language (see ``_language``).
LANGUAGE_SHIFT = 4

_SEPARATOR = b"\n"  # between documents in a batch: never part of a token, ends a sentence
# Sentence ends outside ASCII: Devanagari danda, CJK and full-width stops.
_TERMINATOR_CODEPOINTS = frozenset(map(ord, "।॥。！？"))
# Scripts written without spaces between words, tokenised as character bigrams: Thai, Lao,
# Myanmar, Khmer, Kana, Han (extension A, the unified ideographs, compatibility ideographs)
# and Hangul syllables. All are three bytes long in UTF-8.
_BIGRAM_RANGES = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
)  # fmt: skip
_BIGRAM_BYTES = 3


def _ascii_range(b: U8, first: str, count: int) -> Bools:
    """``first <= b < first + count``, by one subtraction that wraps below ``first``."""
    return (b - np.uint8(ord(first))) < count


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
        Bit flags per token: :data:`NUMERIC` (starts with a digit),
        :data:`SENTENCE_START` (follows ``.``, ``!``, ``?`` or a line break),
        :data:`WRAPPED` (a sentence start that only wraps a line) and
        :data:`CHROME` (lies in a block of page chrome; set by ``_chrome.tokenize_pages``);
        the bits from :data:`LANGUAGE_SHIFT` up hold the language of the token's text
        (0, English, unless ``_language.with_language`` set it).
    """

    hashes: U32
    bounds: I64
    flags: U8

    def __len__(self) -> int:
        return len(self.bounds) - 1

    def doc(self, i: int) -> U32:
        """The token hashes of document ``i``."""
        return self.hashes[self.bounds[i] : self.bounds[i + 1]]

    def subset(self, docs: I64) -> Tokens:
        """The batch made of documents ``docs`` (in that order)."""
        lengths = self.bounds[docs + 1] - self.bounds[docs]
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        index = np.repeat(self.bounds[docs] - bounds[:-1], lengths) + np.arange(bounds[-1])
        return Tokens(self.hashes[index], bounds, self.flags[index])

    def article(self) -> Tokens:
        """The batch without its page chrome (see ``_chrome``).

        A text that is all chrome (a paywall or a cookie wall) stays whole, so that a
        copy of it can still be found by its index keys.
        """
        keep = (self.flags & CHROME) == 0
        if keep.all():
            return self
        kept_before = np.concatenate(([0], np.cumsum(keep)))
        keep |= np.repeat(np.diff(kept_before[self.bounds]) == 0, np.diff(self.bounds))
        kept_before = np.concatenate(([0], np.cumsum(keep))).astype(np.int64)
        return Tokens(self.hashes[keep], kept_before[self.bounds], self.flags[keep])

    @classmethod
    def join(cls, parts: Sequence[Tokens]) -> Tokens:
        """One batch made of consecutive batches."""
        lengths = np.concatenate([np.diff(p.bounds) for p in parts])
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return cls(np.concatenate([p.hashes for p in parts]), bounds, np.concatenate([p.flags for p in parts]))

    @classmethod
    def concat(cls, parts: Sequence[tuple[U32, U8]]) -> Tokens:
        """A batch made of per-document ``(hashes, flags)`` arrays."""
        lengths = np.fromiter((len(h) for h, _ in parts), dtype=np.int64, count=len(parts))
        bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        if not parts:
            return cls(np.zeros(0, dtype=np.uint32), bounds, np.zeros(0, dtype=np.uint8))
        return cls(np.concatenate([h for h, _ in parts]), bounds, np.concatenate([f for _, f in parts]))


@functools.lru_cache(maxsize=65536)
def _codepoint_class(cp: int) -> tuple[bool, bool, bool, bytes | None, bool]:
    """``(is word, is a mark, ends a sentence, folded UTF-8 or None, in bigrams)`` of a non-ASCII code point.

    The folded form is None when case folding leaves the character alone, and ``b""``
    when it changes the character's UTF-8 length (which the byte path cannot do in place).
    """
    char = chr(cp)
    folded = char.casefold()
    if folded == char:
        replacement = None
    else:
        encoded = folded.encode("utf-8")
        replacement = encoded if len(encoded) == len(char.encode("utf-8", "surrogatepass")) else b""
    category = unicodedata.category(char)[0]
    bigrams = any(first <= cp <= last for first, last in _BIGRAM_RANGES)
    return category in "LMN", category == "M", cp in _TERMINATOR_CODEPOINTS, replacement, bigrams


def _non_ascii(b: U8) -> tuple[I64, Bools, I64, I64, I64]:
    """Fold the case of the non-ASCII characters of ``b`` in place, and classify them.

    Works on the non-ASCII bytes only: decodes the code point at each multi-byte lead
    with array operations, looks up the distinct code points and writes same-length case
    folds over the original bytes. Returns the positions of the non-ASCII bytes, whether
    each belongs to a word character, the positions of non-ASCII sentence ends, and the
    positions of characters that folding in place gets wrong: those whose folding changes
    their length, and marks after a character that folding changes, with which the folded
    character may compose (capital alpha and perispomeni have no composed form, small
    alpha and perispomeni do, so NFKC after folding gives another text); and last the
    positions of the characters tokenised as bigrams.
    """
    nothing = np.zeros(0, dtype=np.int64)
    high = np.flatnonzero(b >= 0x80)
    is_lead = b[high] >= 0xC0
    leads = high[is_lead]
    if len(leads) == 0:
        return high, np.zeros(len(high), dtype=bool), nothing, nothing, nothing
    b0 = b[leads].astype(np.uint32)
    length = np.where(b0 >= 0xF0, 4, np.where(b0 >= 0xE0, 3, 2))
    cp = b0 & np.where(length == 2, 0x1F, np.where(length == 3, 0x0F, 0x07)).astype(np.uint32)
    for k in (1, 2, 3):
        more = np.flatnonzero(length > k)
        cp[more] = (cp[more] << np.uint32(6)) | (b[np.minimum(leads[more] + k, len(b) - 1)] & 0x3F)
    distinct, inverse = np.unique(cp, return_inverse=True)
    classes = [_codepoint_class(int(c)) for c in distinct]
    is_word = np.array([c[0] for c in classes], dtype=bool)
    is_mark = np.array([c[1] for c in classes], dtype=bool)
    is_end = np.array([c[2] for c in classes], dtype=bool)
    high_word = is_word[inverse][np.cumsum(is_lead) - 1]
    sentence_ends = leads[is_end[inverse]]
    bigram_leads = leads[np.array([c[4] for c in classes], dtype=bool)[inverse]]

    table = np.zeros((len(distinct), 4), dtype=np.uint8)
    fold = np.zeros(len(distinct), dtype=bool)
    irregular = np.zeros(len(distinct), dtype=bool)
    for i, (_, _, _, encoded, _) in enumerate(classes):
        if encoded:
            table[i, : len(encoded)] = np.frombuffer(encoded, dtype=np.uint8)
            fold[i] = True
        elif encoded is not None:
            irregular[i] = True

    # Marks right after a character that folding changes: an ASCII capital, or the
    # non-ASCII character whose lead comes before the mark's and which ends where it starts.
    marks = np.flatnonzero(is_mark[inverse] & (leads > 0))
    before = b[leads[marks] - 1]
    after_folded = _ascii_range(before, "A", 26)
    previous = marks - 1
    adjacent = (previous >= 0) & (leads[previous] + length[previous] == leads[marks])
    after_folded[adjacent] = (fold | irregular)[inverse[previous[adjacent]]]

    folding = np.flatnonzero(fold[inverse])
    for k in range(4):
        part = folding[length[folding] > k]
        b[leads[part] + k] = table[inverse[part], k]
    irregular_at = np.concatenate((leads[irregular[inverse]], leads[marks[after_folded]]))
    return high, high_word, sentence_ends, irregular_at, bigram_leads


def _powers_of(x: int, n: int) -> npt.NDArray[np.uint64]:
    """``[1, x, x**2, ..., x**(n-1)]`` modulo 2**64."""
    return np.concatenate((np.ones(1, dtype=np.uint64), np.cumprod(np.full(n - 1, x, dtype=np.uint64))))


class _Powers:
    """Powers of the token hash's odd base and of its inverse modulo 2**64.

    Kept between calls up to :data:`_POWERS_KEPT` entries; a larger buffer gets its own.
    """

    BASE = 0x100000001B3  # FNV's 64-bit prime: odd, so invertible modulo 2**64

    def __init__(self) -> None:
        self.up = self.down = np.ones(1, dtype=np.uint64)

    def upto(self, n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        if len(self.up) >= n:
            return self.up[:n], self.down[:n]
        size = max(n, min(2 * len(self.up), _POWERS_KEPT))
        up, down = _powers_of(self.BASE, size), _powers_of(pow(self.BASE, -1, 2**64), size)
        if size <= _POWERS_KEPT:
            self.up, self.down = up, down
        return up[:n], down[:n]


_POWERS_KEPT = 1 << 23
_powers = _Powers()


def _join(encoded: Sequence[bytes]) -> tuple[bytes, I64]:
    """One buffer of encoded texts, and the offset of each text plus the total length."""
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    if len(encoded):
        offsets[-1] -= 1
    return _SEPARATOR.join(encoded), offsets


def _bigram_spans(starts: I64, ends: I64, single: Bools) -> tuple[I64, I64]:
    """The token spans with runs of ``single`` characters replaced by their bigrams.

    A bigram starts at each character of a run but its last; a character alone stays one
    token. Every span starts at a different byte, so the spans stay sorted by start.
    """
    joined = single[:-1] & single[1:] & (ends[:-1] == starts[1:])
    in_run = np.zeros(len(starts), dtype=bool)
    in_run[:-1] |= joined
    in_run[1:] |= joined
    keep = ~in_run
    new_starts = np.concatenate((starts[keep], starts[:-1][joined]))
    new_ends = np.concatenate((ends[keep], ends[1:][joined]))
    order = np.argsort(new_starts, kind="stable")
    return new_starts[order], new_ends[order]


def _token_arrays(b: U8, high: I64, high_word: Bools, high_ends: I64, bigram_leads: I64) -> tuple[U32, I64, U8]:
    """Token hashes, start offsets and flags of a buffer (see :func:`_tokenize_buffer`)."""
    n = len(b)
    b = b + _ascii_range(b, "A", 26).view(np.uint8) * np.uint8(32)  # ASCII case folding
    digit = _ascii_range(b, "0", 10)
    word = _ascii_range(b, "a", 26) | digit
    word[high] = high_word
    sentence_end = (b == ord(".")) | (b == ord("!")) | (b == ord("?")) | (b == ord("\n"))
    sentence_end[high_ends] = True
    joiners = np.flatnonzero((b[1:-1] == ord(",")) | (b[1:-1] == ord("."))) + 1
    joiners = joiners[digit[joiners - 1] & digit[joiners + 1]]
    word[joiners] = True
    sentence_end[joiners] = False

    if len(bigram_leads):
        # Each character of these scripts is cut out of its run first, then paired.
        cut = np.zeros(n + 1, dtype=bool)
        cut[bigram_leads] = cut[bigram_leads + _BIGRAM_BYTES] = True
        before = np.concatenate(([False], word[:-1]))
        after = np.concatenate((word[1:], [False]))
        starts = np.flatnonzero(word & (~before | cut[:n]))
        ends = np.flatnonzero(word & (~after | cut[1:])) + 1
        single = np.zeros(n, dtype=bool)
        single[bigram_leads] = True
        starts, ends = _bigram_spans(starts, ends, single[starts])
    else:
        starts = np.flatnonzero(word[1:] & ~word[:-1]) + 1
        ends = np.flatnonzero(word[:-1] & ~word[1:]) + 1
        if n and word[0]:
            starts = np.concatenate(([0], starts))
        if n and word[-1]:
            ends = np.append(ends, n)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint32), starts, np.zeros(0, dtype=np.uint8)

    # Polynomial hash of each token from one prefix sum: with S the running sum of
    # byte[j] * base**-j, a token's bytes [s, e) hash to (S[e] - S[s]) * base**(e - 1),
    # whatever its position in the buffer.
    up, down = _powers.upto(n + 1)
    prefix = np.empty(n + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(b * down[:n], out=prefix[1:])
    hashes = high32(fmix64((prefix[ends] - prefix[starts]) * up[ends - 1]))

    # A token starts a sentence when a sentence end lies between it and the previous token.
    ends_seen = np.cumsum(sentence_end, dtype=np.int32)
    sentence_start = np.ones(len(starts), dtype=bool)
    sentence_start[1:] = ends_seen[starts[1:] - 1] > ends_seen[ends[:-1] - 1]
    flags = (digit[starts] * NUMERIC | sentence_start * SENTENCE_START).astype(np.uint8)
    return hashes, starts, flags


def _bigram_documents(
    b: U8,
    doc_offsets: I64,
    tokens: tuple[U32, I64, U8],
    high: I64,
    high_word: Bools,
    high_ends: I64,
    bigram_leads: I64,
) -> tuple[U32, I64, U8]:
    """The kernel's tokens of a buffer with the documents that hold characters cut into
    bigrams tokenised again by :func:`_token_arrays`, so that one such character does not
    send a whole batch down the slower path."""
    hashes, starts, flags = tokens
    parts: list[tuple[U32, I64, U8]] = []
    done = 0  # tokens of the kernel's arrays already taken
    for doc in np.unique(np.searchsorted(doc_offsets, bigram_leads, side="right") - 1).tolist():
        lo, hi = int(doc_offsets[doc]), int(doc_offsets[doc + 1])
        first, last = np.searchsorted(starts, [lo, hi])
        parts.append((hashes[done:first], starts[done:first], flags[done:first]))
        inside = slice(*np.searchsorted(high, [lo, hi]))
        ends = slice(*np.searchsorted(high_ends, [lo, hi]))
        leads = slice(*np.searchsorted(bigram_leads, [lo, hi]))
        h, s, f = _token_arrays(
            b[lo:hi], high[inside] - lo, high_word[inside], high_ends[ends] - lo, bigram_leads[leads] - lo
        )
        parts.append((h, s + lo, f))
        done = last
    parts.append((hashes[done:], starts[done:], flags[done:]))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))  # type: ignore[return-value]


def _tokenize_buffer(buf: bytes, doc_offsets: I64) -> tuple[Tokens, I64, I64]:
    """Tokenise a buffer of NFKC-normalised UTF-8 text holding documents at ``doc_offsets``.

    ``doc_offsets`` has one entry per document (its first byte) plus the buffer length;
    documents are separated by a line break. Returns the tokens, the positions of
    characters that folding in place gets wrong (see :func:`_non_ascii`; their documents need :func:`normalize` before
    tokenising), and the offset of each token in the buffer.
    """
    b = np.frombuffer(buf, dtype=np.uint8)
    if buf.isascii():
        nothing = np.zeros(0, dtype=np.int64)
        high, high_word, high_ends, irregular, bigram_leads = nothing, np.zeros(0, dtype=bool), *[nothing] * 3
    else:
        b = b.copy()
        high, high_word, high_ends, irregular, bigram_leads = _non_ascii(b)
    if len(b) >= _kernels.MIN_BYTES and _kernels.available():
        hashes, starts, flags = _kernels.tokens(b, high, high_word, high_ends)
        if len(bigram_leads):  # the kernel does not cut characters into bigrams
            hashes, starts, flags = _bigram_documents(
                b, doc_offsets, (hashes, starts, flags), high, high_word, high_ends, bigram_leads
            )
    else:
        hashes, starts, flags = _token_arrays(b, high, high_word, high_ends, bigram_leads)
    bounds = np.searchsorted(starts, doc_offsets).astype(np.int64)
    wrapped = _wrapped(b, starts, flags)
    flags[wrapped[np.isin(wrapped, bounds, invert=True)]] |= WRAPPED  # a text's first token follows the separator
    return Tokens(hashes, bounds, flags), irregular, starts


_LOOK_BACK = 8  # bytes looked at before a sentence start for its line break
_BLANK = np.zeros(256, dtype=bool)
_BLANK[[ord(" "), ord("\t"), ord("\r")]] = True
_SENTENCE_END = np.zeros(256, dtype=bool)
_SENTENCE_END[[ord("."), ord("!"), ord("?"), ord("\n")]] = True


def _wrapped(b: U8, starts: I64, flags: U8) -> I64:
    """The sentence starts (token numbers) that only wrap a line (see :data:`WRAPPED`).

    Looks at the few bytes before each sentence start in lower case: past blanks, a line
    break; past blanks again, a byte that ends no sentence (not a blank line either).
    """
    at = np.flatnonzero(flags & SENTENCE_START)
    letter = b[starts[at]]
    at = at[(letter >= ord("a")) & (letter <= ord("z"))]
    if len(at) == 0:
        return at
    where = starts[at][:, None] - np.arange(1, _LOOK_BACK + 1)  # the bytes before, nearest first
    before = np.where(where >= 0, b[np.maximum(where, 0)], ord("\n"))
    rows = np.arange(len(at))
    skip = _BLANK[before]
    line_break = np.argmin(skip, axis=1)
    skip[np.arange(_LOOK_BACK) <= line_break[:, None]] = True
    previous = np.argmin(skip, axis=1)
    return at[(before[rows, line_break] == ord("\n")) & ~skip[rows, previous] & ~_SENTENCE_END[before[rows, previous]]]


def tokenize_buffer(texts: Sequence[str]) -> tuple[Tokens, bytes, I64, I64]:
    """The tokens of texts, and the buffer they were found in: its bytes (normalised, not
    case-folded), the offset of each document (and the end), and the offset of each token."""
    encoded = [nfkc_undotted(t).encode("utf-8", "surrogatepass") for t in texts]
    buf, offsets = _join(encoded)
    tokens, irregular, starts = _tokenize_buffer(buf, offsets)
    if len(irregular):
        # Rare characters (such as U+1E9E, capital sharp s) whose folding changes length,
        # and marks that a folded character composes with.
        for doc in np.unique(np.searchsorted(offsets, irregular, side="right") - 1).tolist():
            encoded[doc] = normalize(texts[doc]).encode("utf-8", "surrogatepass")
        buf, offsets = _join(encoded)
        tokens, _, starts = _tokenize_buffer(buf, offsets)
    return tokens, buf, offsets, starts


def tokenize(texts: Sequence[str]) -> Tokens:
    """Normalise and tokenise a batch of texts.

    The tokens of page chrome are flagged by ``_chrome.tokenize_pages`` instead.

    Examples
    --------
    >>> t = tokenize(["Hello, world!", "HELLO world"])
    >>> len(t), (t.doc(0) == t.doc(1)).all()
    (2, np.True_)
    """
    return tokenize_buffer(texts)[0]


def tokenize_lines(texts: Sequence[str]) -> tuple[Tokens, I64]:
    """Tokenise a batch of texts, and number the line of each token within its text.

    Lines are numbered from 0 as ``text.split("\\n")`` numbers them: normalisation
    neither makes nor removes line breaks.

    Examples
    --------
    >>> tokens, line = tokenize_lines(["one\\n\\ntwo three", "four"])
    >>> line.tolist()
    [0, 2, 2, 0]
    """
    tokens, buf, offsets, starts = tokenize_buffer(texts)
    breaks = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == ord("\n"))
    # Line breaks before each token, less those before its document (separators included).
    before_doc = np.searchsorted(breaks, offsets[:-1])
    return tokens, np.searchsorted(breaks, starts) - np.repeat(before_doc, np.diff(tokens.bounds))


def hash_words(words: Sequence[str]) -> U32:
    """The hash of each word, which must be one token.

    Examples
    --------
    >>> bool(hash_words(["Email"])[0] == tokenize(["email"]).hashes[0])
    True
    """
    tokens = tokenize(words)
    if not (np.diff(tokens.bounds) == 1).all():
        raise ValueError("each word must be exactly one token")
    return tokens.hashes


@functools.cache
def stopword_hashes(language: str = "en") -> U32:
    """Sorted hashes of the tokens of a language's stop words (its most frequent words):
    ``stopwords.txt`` for English, ``stopwords-<language>.txt`` for the others."""
    name = "stopwords.txt" if language == "en" else f"stopwords-{language}.txt"
    lines = resources.files(__package__).joinpath(name).read_text("utf-8").splitlines()
    words = [line for line in lines if line and not line.startswith("#")]
    return np.unique(tokenize(words).hashes)


STOP_SLOT_BITS = 18


@functools.cache
def stopword_table(language: str = "en") -> tuple[np.uint32, U32]:
    """A collision-free hash table of a language's stop words: ``(multiplier, table)``.

    Slot of ``h`` is ``(h * multiplier) >> (32 - STOP_SLOT_BITS)``. Empty slots hold a stop
    word that belongs to another slot, so a lookup is one multiply, one gather and one
    compare, with no false positives.
    """
    stop = stopword_hashes(language)
    shift = np.uint32(32 - STOP_SLOT_BITS)
    for candidate in odd_constants(1000, salt=5):
        multiplier = np.uint32(int(candidate) >> 32 | 1)
        slots = (stop * multiplier) >> shift
        if len(np.unique(slots)) == len(stop):
            table = np.full(1 << STOP_SLOT_BITS, stop[0], dtype=np.uint32)
            table[slots] = stop
            return multiplier, table
    raise RuntimeError("no collision-free multiplier for the stop word table")
