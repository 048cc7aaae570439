"""Explanation, texts -> aligned passages: which sentences of one text match which of the other.

Each text is split into sentences, kept as character spans of the text exactly as given,
so that a caller can highlight them. The sentences of a batch are tokenised together,
their content words weighted by background rarity, and two texts' sentences compared by
the rarity-weighted Dice similarity of their content words (twice the weight of the words
they share over the weight of both), which, unlike a cosine, does not let a two-word
caption match a long sentence that happens to contain its words. A monotone dynamic
programme then picks the order-preserving one-to-one matching of sentences with the
largest total similarity (``_lcs``), keeping only pairs at or above a minimum similarity: a copy
aligns sentence by sentence, a rewrite aligns most of its sentences to its source's in
the same order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ._arrays import doc_index
from ._lcs import monotone_alignment
from ._rarity import idf
from ._tokenize import is_stopword, tokenize
from ._types import I64

#: Sentences of a text beyond this many are not aligned, which bounds the quadratic
#: similarity matrix and dynamic programme on very long documents.
MAX_SENTENCES = 2000

# A sentence ends at a line break, at a CJK or Devanagari full stop, or at ., ! or ? (with
# any closing quotes or brackets) followed by space and a character that is not lower case.
_BREAK = re.compile(r"\n|[。！？।]|[.!?]+[\"'”’)\]]*(?=\s+(\S))")
# Words after which a full stop does not end a sentence: titles, initials and the like.
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "gov", "sen", "rep", "rev",
    "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
})
# fmt: on


def _word_before(text: str, end: int) -> str:
    """The run of word characters and dots that ends at ``end`` (at most 64 characters).

    A scan back from ``end``: a regular expression anchored at the end is tried from every
    start position in the window, several times slower on the many sentence ends of a batch.
    """
    start, low = end, max(0, end - 64)
    while start > low and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    return text[start:end]


@dataclass(frozen=True)
class Passage:
    """A passage of one text aligned with a passage of the other.

    Offsets are character (code point) offsets into the texts exactly as they were given,
    so ``text_a[a_start:a_end]`` is the passage of the first text.

    Attributes
    ----------
    a_start, a_end : int
        The passage in the first text of the pair.
    b_start, b_end : int
        The passage in the second text of the pair.
    similarity : float
        Rarity-weighted Dice similarity of the two passages' content words, in [0, 1].
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float

    def as_dict(self) -> dict[str, object]:
        """The passage as plain values, the similarity rounded to 4 decimals."""
        return {
            "a": [self.a_start, self.a_end],
            "b": [self.b_start, self.b_end],
            "similarity": round(self.similarity, 4),
        }


def sentence_spans(text: str) -> I64:
    """``(start, end)`` character offsets of the sentences of ``text``, shape ``(n, 2)``.

    Spans are trimmed of surrounding whitespace; blank stretches give no sentence.

    Examples
    --------
    >>> text = "Mr. Hajiyev spoke. It was agreed.\\nMOSCOW (AP) - Forces left."
    >>> [text[a:b] for a, b in sentence_spans(text).tolist()]
    ['Mr. Hajiyev spoke.', 'It was agreed.', 'MOSCOW (AP) - Forces left.']
    """
    ends = [0]
    for m in _BREAK.finditer(text):
        following = m.group(1)
        if following is not None:
            previous = _word_before(text, m.start()).casefold()
            if following.islower() or previous in _ABBREVIATIONS or (len(previous) == 1 and previous.isalpha()):
                continue
        ends.append(m.end())
    ends.append(len(text))
    spans = []
    for start, end in itertools.pairwise(ends):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            spans.append((lead, lead + len(stripped)))
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


class Sentences:
    """The sentences of a batch of texts, ready to be aligned pair by pair.

    Parameters
    ----------
    texts : sequence of str
        The texts; passages are reported as offsets into them.

    Examples
    --------
    >>> s = Sentences(["Troops left Karabakh. Peskov spoke.", "Peskov confirmed the news. Troops left Karabakh."])
    >>> [(p.a_start, p.b_start) for p in s.align(0, 1, 0.5)]
    [(0, 27)]
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.spans = [sentence_spans(text)[:MAX_SENTENCES] for text in texts]
        counts = np.array([len(s) for s in self.spans], dtype=np.int64)
        self.first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        pieces = [text[a:b] for text, spans in zip(texts, self.spans, strict=True) for a, b in spans.tolist()]
        tokens = tokenize(pieces)
        content = ~is_stopword(tokens.hashes)
        sentence = doc_index(tokens.bounds)[content]
        hashes = tokens.hashes[content]
        vocabulary, column = np.unique(hashes, return_inverse=True)
        rarity = np.zeros(len(vocabulary))
        rarity[column] = idf(hashes, tokens.flags[content])
        ones = np.ones(len(hashes))
        matrix = sparse.csr_matrix((ones, (sentence, column.ravel())), shape=(len(pieces), len(vocabulary)))
        matrix.sum_duplicates()
        matrix.data = rarity[matrix.indices]  # a word weighs its rarity, however often it occurs
        # Each sentence's distinct words and their weights, as flat arrays (one row per word).
        self.word, self.weight = matrix.indices, matrix.data
        self.sentence_of = doc_index(matrix.indptr)
        self.word_bounds = matrix.indptr
        self.mass = np.asarray(matrix.sum(axis=1)).ravel()

    def _shared(self, i: int, j: int) -> np.ndarray:
        """Weight of the words that each sentence of text ``i`` shares with each sentence of text ``j``.

        Joins the two texts' (sentence, word) rows on the word: a pair of texts has a few
        hundred of them, for which a sparse matrix product costs far more in overheads.
        """
        (a_lo, a_hi), (b_lo, b_hi) = (self.word_bounds[self.first[[d, d + 1]]] for d in (i, j))
        a_word, b_word = self.word[a_lo:a_hi], self.word[b_lo:b_hi]
        order = np.argsort(b_word, kind="stable")
        b_sorted = b_word[order]
        lo, hi = np.searchsorted(b_sorted, a_word, "left"), np.searchsorted(b_sorted, a_word, "right")
        counts = hi - lo
        match = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        rows_a, rows_b = self.first[i + 1] - self.first[i], self.first[j + 1] - self.first[j]
        cells = np.repeat(self.sentence_of[a_lo:a_hi] - self.first[i], counts) * rows_b
        cells += self.sentence_of[b_lo:b_hi][order][match] - self.first[j]
        weights = np.repeat(self.weight[a_lo:a_hi], counts)
        shared = np.bincount(cells, weights=weights, minlength=rows_a * rows_b)
        return shared.astype(np.float64, copy=False).reshape(rows_a, rows_b)  # float even when empty

    def align(self, i: int, j: int, minimum: float) -> tuple[Passage, ...]:
        """The aligned sentences of texts ``i`` and ``j``, in order, of similarity at least ``minimum``."""
        rows_a = slice(self.first[i], self.first[i + 1])
        rows_b = slice(self.first[j], self.first[j + 1])
        shared = self._shared(i, j)
        total = self.mass[rows_a, None] + self.mass[None, rows_b]
        similarity = np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0)
        spans_a, spans_b = self.spans[i].tolist(), self.spans[j].tolist()
        return tuple(
            Passage(spans_a[r][0], spans_a[r][1], spans_b[c][0], spans_b[c][1], float(similarity[r, c]))
            for r, c in monotone_alignment(similarity, minimum).tolist()
        )

    def aligned_share(self, i: int, starts: Sequence[int]) -> float:
        """Share of text ``i``'s content, weighted by rarity, in the sentences starting at ``starts``."""
        lo, hi = self.first[i], self.first[i + 1]
        total = float(self.mass[lo:hi].sum())
        if total <= 0:
            return 0.0
        rows = np.searchsorted(self.spans[i][:, 0], np.asarray(starts, dtype=np.int64))
        return float(self.mass[lo + rows].sum()) / total


def align(text_a: str, text_b: str, minimum: float = 0.4) -> tuple[Passage, ...]:
    """The passages of ``text_a`` and ``text_b`` that align, in order, of similarity at least ``minimum``.

    The default ``minimum`` is the detector's default ``passage_similarity``.

    Examples
    --------
    >>> a = "Russian troops are leaving Karabakh. The Kremlin confirmed the withdrawal on Wednesday."
    >>> b = "On Wednesday the Kremlin confirmed a withdrawal. It gave no details."
    >>> [(a[p.a_start:p.a_end], b[p.b_start:p.b_end]) for p in align(a, b)]
    [('The Kremlin confirmed the withdrawal on Wednesday.', 'On Wednesday the Kremlin confirmed a withdrawal.')]
    """
    return Sentences([text_a, text_b]).align(0, 1, minimum)
