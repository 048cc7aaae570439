"""Stage: texts -> fingerprints (tokens, MinHash signatures, distinct-shingle counts).

::

    texts -> tokens (page chrome flagged) -> shingle hashes -> signatures
            _chrome.tokenize_pages          _shingle          _minhash

The shingles leave page chrome out, so two pages of one site are not candidates by their
furniture; the tokens keep it, flagged, for the re-ranker. Batches of about a megabyte of
text are fingerprinted on all cores.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._arrays import distinct, span_positions
from ._batching import imap_batches, map_batches
from ._chrome import tokenize_pages
from ._config import DetectorConfig
from ._lsh import band_keys
from ._minhash import MinHasher
from ._parts import Parts
from ._tokenize import Tokens
from ._types import I64, U8, U32, U64


@dataclass(frozen=True)
class Fingerprints:
    """What the later stages need of a batch of texts, one row per text.

    Attributes
    ----------
    tokens : Tokens
        Token hashes and flags, page chrome flagged.
    signatures : ndarray of uint32, shape (n, num_perm)
        MinHash signatures of the shingles outside page chrome.
    sizes : ndarray of int64, shape (n,)
        Number of distinct shingles; a text with none is never a candidate.
    """

    tokens: Tokens
    signatures: U32
    sizes: I64

    def __len__(self) -> int:
        return len(self.sizes)

    def subset(self, docs: I64) -> Fingerprints:
        """The fingerprints of texts ``docs``, in that order."""
        return Fingerprints(self.tokens.subset(docs), self.signatures[docs], self.sizes[docs])

    @classmethod
    def join(cls, parts: Sequence[Fingerprints]) -> Fingerprints:
        """One batch made of consecutive batches."""
        return cls(
            Tokens.join([p.tokens for p in parts]),
            np.concatenate([p.signatures for p in parts]),
            np.concatenate([p.sizes for p in parts]),
        )


@dataclass(frozen=True)
class Sketches:
    """Signatures and distinct-shingle counts of texts, with the signatures' low bytes.

    The low bytes are copied once: the collision filter reads them many times, and
    contiguous rows are a quarter of the memory to read. A store keeps its own (``stored_low``)
    as it adds documents, since copying them would cost every look-up the size of the index.
    """

    signatures: U32
    sizes: I64
    stored_low: U8 | None = None
    #: With ``partial_reuse``, the passage channel's window rows (:func:`window_rows`), by key range.
    windows: Parts | None = None

    @functools.cached_property
    def low(self) -> U8:
        return self.signatures.astype(np.uint8) if self.stored_low is None else self.stored_low


@functools.lru_cache(maxsize=8)
def minhasher(config: DetectorConfig) -> MinHasher:
    """The MinHasher of a configuration (its permutations are drawn once)."""
    return MinHasher(config.num_perm, config.seed, config.scheme, config.ngram, config.stopwords)


def distinct_counts(hashes: U32, bounds: I64) -> I64:
    """The number of distinct values of each document of a flat array split at ``bounds``."""
    doc = np.repeat(np.arange(len(bounds) - 1, dtype=np.uint64), np.diff(bounds))
    keys = distinct((doc << np.uint64(32)) | hashes.astype(np.uint64))
    return np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(bounds) - 1)


def _signed(article: Tokens, config: DetectorConfig) -> tuple[U32, I64]:
    """The signatures and distinct-shingle counts of tokenised texts without their page chrome
    (``Tokens.article``: index keys leave it out)."""
    hasher = minhasher(config)
    hashes, bounds = hasher.shingles(article)
    return hasher.sign(hashes, bounds), distinct_counts(hashes, bounds)


def _fingerprint_batch(texts: list[str], config: DetectorConfig) -> Fingerprints:
    tokens = tokenize_pages(texts, config.language)
    return Fingerprints(tokens, *_signed(tokens.article(), config))


def fingerprint(texts: Sequence[str], config: DetectorConfig) -> Fingerprints:
    """The fingerprints of texts, batches spread over the cores.

    Examples
    --------
    >>> prints = fingerprint(["Flood repairs close the library.", ""], DetectorConfig())
    >>> prints.signatures.shape, prints.sizes.tolist()
    ((2, 256), [3, 0])
    """
    done = map_batches(functools.partial(_fingerprint_batch, config=config), texts)
    return Fingerprints.join(done) if done else _fingerprint_batch([], config)


def _sketch_batch(texts: list[str], config: DetectorConfig) -> tuple[U32, I64, tuple[I64, U64] | None]:
    article = tokenize_pages(texts, config.language).article()
    return *_signed(article, config), window_keys(article, config) if config.partial_reuse else None


def sketch(texts: Sequence[str], config: DetectorConfig, window_bits: int | None = None) -> Sketches:
    """The signatures and distinct-shingle counts of texts, as :func:`fingerprint` gives them,
    without their tokens: what finding the candidates of a large batch holds for every text
    (and, with ``partial_reuse``, their window rows, made from the same tokens, the document
    in the low ``window_bits``; by default :func:`doc_bits` of the batch).

    The texts are read batch by batch: each batch's signatures are written in place, and its
    window rows added to their parts (``_parts``, spilled to temporary files past a budget).
    """
    signatures = np.empty((len(texts), config.num_perm), dtype=np.uint32)
    sizes = np.empty(len(texts), dtype=np.int64)
    bits = doc_bits(len(texts)) if window_bits is None else window_bits
    rows = Parts() if config.partial_reuse else None
    done = 0
    for batch_signatures, batch_sizes, windows in imap_batches(functools.partial(_sketch_batch, config=config), texts):
        signatures[done : done + len(batch_sizes)] = batch_signatures
        sizes[done : done + len(batch_sizes)] = batch_sizes
        if rows is not None and windows is not None:
            rows.add(window_rows(windows[0] + done, windows[1], bits))
        done += len(batch_sizes)
    return Sketches(signatures, sizes, windows=rows)


def tokens_of(texts: Sequence[str], config: DetectorConfig) -> Tokens:
    """The tokens of texts, page chrome flagged, as :func:`fingerprint` gives them."""
    parts = map_batches(functools.partial(tokenize_pages, language=config.language), texts)
    return Tokens.join(parts) if parts else tokenize_pages([], config.language)


#: Content words per window of the passage channel, and windows start every half window.
WINDOW = 12
#: Bands and rows of the windows' MinHash signatures: two windows half of whose words
#: are shared (Jaccard 1/3) share a key with probability 0.76, one of two thirds with 0.999.
WINDOW_BANDS, WINDOW_ROWS = 12, 2


@functools.lru_cache(maxsize=8)
def window_hasher(seed: int) -> MinHasher:
    """The MinHasher of the passage channel's windows (single content words)."""
    return MinHasher(WINDOW_BANDS * WINDOW_ROWS, seed, "affine32", 1, True)


def window_keys(article: Tokens, config: DetectorConfig) -> tuple[I64, U64]:
    """The passage channel's keys: ``(document, key)``, one row per window and band, of
    tokenised texts without their page chrome (``Tokens.article``).

    The content words of each text are cut into windows of :data:`WINDOW` words starting
    every half window, and each window is keyed by the band keys of its MinHash signature;
    a passage of a few sentences shared by two texts of any length shares keys, which
    whole-text signatures of a long text do not see.
    """
    hasher = window_hasher(config.seed)
    hashes, bounds = hasher.shingles(article)
    lengths = np.diff(bounds)
    step = WINDOW // 2
    windows = np.maximum(1, -(-(lengths - WINDOW) // step) + 1) * (lengths > 0)
    doc = np.repeat(np.arange(len(lengths)), windows)
    offset = np.arange(windows.sum()) - np.repeat(np.cumsum(windows) - windows, windows)
    start = bounds[doc] + offset * step
    end = np.minimum(start + WINDOW, bounds[doc + 1])
    sizes = end - start
    take = span_positions(start, sizes)
    window_bounds = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    keys = band_keys(hasher.sign(hashes[take], window_bounds), WINDOW_BANDS, WINDOW_ROWS)
    return np.repeat(doc, WINDOW_BANDS), keys.ravel()


#: A window row is one ``uint64``: a document number in the low bits (at least this many)
#: and the high bits of a window key above it, so that one sort of integers, several times
#: faster than sorting pairs of columns, groups each key's holders (in 8 bytes, not 16).
DOC_BITS = 24


def doc_bits(documents: int) -> int:
    """The low bits of the window rows of a batch of this many documents that number them."""
    return max(DOC_BITS, (documents - 1).bit_length())


def window_rows(docs: I64, keys: U64, bits: int) -> U64:
    """The window rows of ``(document, key)`` pairs, documents in the low ``bits``: keys are
    compared on their high ``64 - bits`` bits (40 below 16 million documents)."""
    rows = keys & ~np.uint64((1 << bits) - 1)
    rows |= docs.astype(np.int64, copy=False).view(np.uint64)
    return rows
