"""Stage 4, shingle hashes -> MinHash signatures, compatible with datasketch.

The ``affine32`` scheme is datasketch 2.x's: each 32-bit shingle hash goes through the
MurmurHash3 finaliser once, then permutation ``k`` maps it to ``a[k] * h + b[k]`` with
uint32 wrap-around, and the signature keeps the minimum per permutation. The parameters
are drawn exactly as datasketch draws them, so for the same shingle hashes our
signatures are bit-identical to ``datasketch.MinHash(scheme="affine32", hashfunc=int)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from . import _kernels
from ._arrays import agreements, distinct
from ._batching import batches, check_texts
from ._config import AUTO, LANGUAGES, check_int, check_scheme
from ._exceptions import ConfigError
from ._hashing import fmix32
from ._language import with_language
from ._shingle import shingles
from ._tokenize import Tokens, tokenize
from ._types import I64, U32

if TYPE_CHECKING:
    from datasketch import LeanMinHash

EMPTY = np.uint32(0xFFFFFFFF)  # the value of every slot of an empty set's signature
_SHINGLES_PER_BLOCK = 8192  # bounds the (shingles x permutations) work array to ~4 MB


def affine32_signatures(hashes: U32, bounds: I64, a: U32, b: U32) -> U32:
    """Signatures (one row per document) of the shingle hashes split at ``bounds``.

    Works on blocks of shingles laid out permutation-major, ``(num_perm, shingles)``, so that
    the per-document minimum is a ``reduceat`` along contiguous rows.
    """
    n_docs = len(bounds) - 1
    signatures = np.full((n_docs, len(a)), EMPTY, dtype=np.uint32)
    if len(hashes) >= _kernels.MIN_SHINGLES and _kernels.available():
        _kernels.affine32(hashes, bounds, a, b, signatures)
        return signatures
    mixed = fmix32(hashes)
    nonempty = np.flatnonzero(np.diff(bounds) > 0)
    starts = bounds[nonempty]
    block = np.empty((len(a), _SHINGLES_PER_BLOCK), dtype=np.uint32)
    for lo in range(0, len(hashes), _SHINGLES_PER_BLOCK):
        hi = min(lo + _SHINGLES_PER_BLOCK, len(hashes))
        work = block[:, : hi - lo]
        np.multiply(a[:, None], mixed[None, lo:hi], out=work)
        work += b[:, None]
        # The documents with shingles in [lo, hi); the first may have begun in an earlier block.
        first = max(int(np.searchsorted(starts, lo, side="right")) - 1, 0)
        last = int(np.searchsorted(starts, hi, side="left"))
        docs = nonempty[first:last]
        offsets = np.maximum(starts[first:last], lo) - lo
        minima = np.minimum.reduceat(work, offsets, axis=1).T
        signatures[docs] = np.minimum(signatures[docs], minima)
    return signatures


class MinHasher:
    """Turns texts into MinHash signatures with a vectorised shingling core.

    Parameters
    ----------
    num_perm : int, default 128
        Signature length.
    seed : int, default 1
        Seed of the permutations, drawn as datasketch draws them.
    scheme : {"affine32"}, default "affine32"
        Permutation scheme. ``"affine32"`` is bit-compatible with datasketch 2.x.
    ngram : int, default 1
        Words per shingle.
    stopwords : bool, default True
        Drop the most frequent words of each text's language before shingling.
    language : str, default "auto"
        The texts' language, one of ``"en"``, ``"de"``, ... (``_config.LANGUAGES``), or
        ``"auto"`` to detect each text's language from its stop words, as the detector does.

    Examples
    --------
    >>> mh = MinHasher(num_perm=64)
    >>> a = mh.signature("Russian peacekeepers leave Karabakh")
    >>> b = mh.signature("Russian peacekeepers leave Karabakh, officials said")
    >>> float(MinHasher.jaccard(a, b)) > 0.5
    True
    """

    def __init__(
        self,
        num_perm: int = 128,
        seed: int = 1,
        scheme: str = "affine32",
        ngram: int = 1,
        stopwords: bool = True,
        language: str = AUTO,
    ) -> None:
        check_int("num_perm", num_perm, 1, 4096)
        check_int("seed", seed, 0, 2**32 - 1)
        check_scheme(scheme)
        check_int("ngram", ngram, 1, 16)
        if not isinstance(stopwords, bool):
            raise ConfigError(f"stopwords must be True or False, got {stopwords!r}")
        if language != AUTO and language not in LANGUAGES:
            raise ConfigError(f"language must be {AUTO!r} or one of {', '.join(LANGUAGES)}, got {language!r}")
        self.num_perm = num_perm
        self.seed = seed
        self.scheme = scheme
        self.ngram = ngram
        self.stopwords = stopwords
        self.language = language
        gen = np.random.RandomState(seed)
        self._a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        self._b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, seed={self.seed}, scheme={self.scheme!r}, "
            f"ngram={self.ngram}, stopwords={self.stopwords}, language={self.language!r})"
        )

    def shingles(self, tokens: Tokens) -> tuple[U32, I64]:
        """Shingle hashes of a tokenised batch, with their document bounds."""
        return shingles(tokens, self.ngram, self.stopwords)

    def _tokens(self, texts: Sequence[str]) -> Tokens:
        return with_language(tokenize(texts), self.language)

    def sign(self, hashes: U32, bounds: I64) -> U32:
        """Signatures of shingle hashes split into documents at ``bounds``."""
        return affine32_signatures(hashes, bounds, self._a, self._b)

    def signatures_of(self, tokens: Tokens) -> U32:
        """Signatures of an already tokenised batch (stop words of the language in its flags)."""
        return self.sign(*self.shingles(tokens))

    def shingle_hashes(self, text: str) -> U32:
        """The distinct uint32 shingle hashes of ``text``, sorted."""
        check_texts([text])
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        return distinct(self.shingles(self._tokens([text]))[0])

    def signature(self, text: str) -> U32:
        """The signature of one text: uint32 array of length ``num_perm``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        return self.signatures([text])[0]

    def signatures(self, texts: Iterable[str]) -> U32:
        """Signatures of many texts: uint32 array of shape ``(len(texts), num_perm)``."""
        check_texts(texts)
        rows = [self.signatures_of(self._tokens(batch)) for batch in batches(texts)]
        return np.concatenate(rows) if rows else np.zeros((0, self.num_perm), dtype=np.uint32)

    def to_datasketch(self, signature: npt.ArrayLike) -> LeanMinHash:
        """Wrap a signature as a ``datasketch.LeanMinHash`` for datasketch's indexes."""
        from datasketch import LeanMinHash

        values = np.asarray(signature)
        if values.shape != (self.num_perm,):
            raise ValueError(f"signature must have shape ({self.num_perm},), got {values.shape}")
        return LeanMinHash(seed=self.seed, hashvalues=values.astype(np.uint32), scheme=self.scheme)

    @staticmethod
    def jaccard(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
        """Estimate the Jaccard similarity of two sets from their signatures."""
        return float(np.mean(np.asarray(a) == np.asarray(b)))

    @staticmethod
    def jaccard_many(signatures: U32, left: Sequence[int] | I64, right: Sequence[int] | I64) -> npt.NDArray[np.float64]:
        """Jaccard estimates for the pairs of rows ``(left[i], right[i])``."""
        return agreements(signatures, left, right) / max(signatures.shape[1], 1)
