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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ._arrays import doc_index, span_positions
from ._config import AUTO
from ._language import code_of, is_stopword, languages_of, with_codes
from ._passages import GAP, WHOLE_TEXT, Cluster, Rules, Whole, reused, rules_for, widened, words_needed
from ._rarity import idf
from ._tokenize import CHROME, SENTENCE_START, WRAPPED, Tokens, tokenize
from ._types import F64, I64, U8, U32, Bools
from ._verbatim import shared_runs, text_runs, words_of

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
        Rarity-weighted Dice similarity of the two passages' content words, in [0, 1]; for
        verbatim runs (``_verbatim``), the share of their words in identical runs.
    sentences : tuple of Passage
        The aligned sentences inside the passage (the seeds it was extended from), in
        order of the first text; empty for a passage that is itself one sentence pair.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float
    sentences: tuple[Passage, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The passage as plain values, the similarity rounded to 4 decimals."""
        return {
            "a": [self.a_start, self.a_end],
            "b": [self.b_start, self.b_end],
            "similarity": round(self.similarity, 4),
            "sentences": [[p.a_start, p.a_end, p.b_start, p.b_end, round(p.similarity, 4)] for p in self.sentences],
        }


def sentence_spans(text: str, join_wrapped: bool = False) -> I64:
    """``(start, end)`` character offsets of the sentences of ``text``, shape ``(n, 2)``.

    Spans are trimmed of surrounding whitespace; blank stretches give no sentence. With
    ``join_wrapped``, a line break followed by a lower-case letter (a line wrapped inside a
    sentence) does not end one.

    Examples
    --------
    >>> text = "Mr. Hajiyev spoke. It was agreed.\\nMOSCOW (AP) - Forces left."
    >>> [text[a:b] for a, b in sentence_spans(text).tolist()]
    ['Mr. Hajiyev spoke.', 'It was agreed.', 'MOSCOW (AP) - Forces left.']
    >>> len(sentence_spans("Forces left\\nthe region.")), len(sentence_spans("Forces left\\nthe region.", True))
    (2, 1)
    """
    ends = [0]
    for m in _BREAK.finditer(text):
        if join_wrapped and m.group(0) == "\n":
            after = text[m.end() : m.end() + 64].lstrip(" \t")
            if after[:1].islower():
                continue
        following = m.group(1)
        if following is not None:
            previous = _word_before(text, m.start()).casefold()
            if following.islower() or previous in _ABBREVIATIONS or (len(previous) == 1 and previous.isalpha()):
                continue
        ends.append(m.end())
    ends.append(len(text))
    return _trimmed(text, ends)


# Where the tokeniser starts a sentence: after a stop (., ! or ? and the characters NFKC
# turns into them, a CJK or Devanagari full stop, a line break), whatever follows it. The
# pattern takes the gap from a stop to the next word; its group, what follows the last stop.
_STOPS = "!?\n।॥。․‥…‼⁇⁈⁉︕︖︙︰﹒﹖﹗！．？"
# A full stop between digits joins them. One character class first lets the regular
# expression engine skip to the next stop; an alternation is tried at every character.
_ONE_STOP = rf"[{re.escape(_STOPS)}.](?!(?<=[0-9]\.)[0-9])"
_STOP = re.compile(rf"{_ONE_STOP}(?:[\W_]*{_ONE_STOP})?([\W_]*)")
_CLOSING = frozenset("\"'”’)]»")
# Stops that are ASCII once normalised: a line break after one of them is not a wrapped line;
# and the blanks around a wrapped line's break, those that NFKC turns into a space included.
_ASCII_STOPS = frozenset(_STOPS + ".") - frozenset("।॥。")
_BLANKS = " \t\r\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def stop_spans(text: str, join_wrapped: bool = False) -> I64:
    """``(start, end)`` character offsets of the sentences of ``text``, shape ``(n, 2)``, cut
    where the verdict's sentences of tokens start (:func:`sentence_starts`): after every stop.

    The verdict's passages are found on sentences of tokens (:func:`token_sentences`); a
    report cut the same way shows the passages the verdict saw. With ``join_wrapped``, a
    line break before a lower-case letter, after a character that ends no sentence, does
    not end one (``_tokenize.WRAPPED``). Spans are trimmed of surrounding whitespace.

    Examples
    --------
    >>> text = "Mr. Hajiyev spoke in 1967.World leaders\\nagreed; \\"No.\\" Then…\\nthe end"
    >>> [text[a:b] for a, b in stop_spans(text, join_wrapped=True).tolist()]
    ['Mr.', 'Hajiyev spoke in 1967.', 'World leaders\\nagreed; "No."', 'Then…', 'the end']
    """
    cuts = [0]
    for m in _STOP.finditer(text):
        if m.end() == len(text):
            break
        if join_wrapped and "a" <= text[m.end()] <= "z":
            # As the tokeniser looks, at the 8 characters before the word: past blanks a line
            # break, past blanks again a character that ends no sentence.
            seen = text[max(0, m.end() - 8) : m.end()].rstrip(_BLANKS)
            before = seen[:-1].rstrip(_BLANKS)
            if seen.endswith("\n") and before and before[-1] not in _ASCII_STOPS:
                continue  # a line wrapped inside a sentence
        cut = m.start(1)
        while cut < m.end() and text[cut] in _CLOSING:
            cut += 1
        cuts.append(cut)
    cuts.append(len(text))
    return _trimmed(text, cuts)


def _trimmed(text: str, cuts: list[int]) -> I64:
    """The pieces of ``text`` between consecutive ``cuts``, trimmed of whitespace, blank ones left out."""
    spans = []
    for start, end in itertools.pairwise(cuts):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            spans.append((lead, lead + len(stripped)))
    return np.array(spans, dtype=np.int64).reshape(-1, 2)


class SentenceWords:
    """The content words of the sentences of a batch of documents, weighted by rarity.

    Parameters
    ----------
    hashes, flags : ndarray
        Token hashes and flags (``_tokenize.Tokens``) of the sentences, concatenated.
    sentence : ndarray of int64
        The sentence of each token, numbered through the batch.
    first : ndarray of int64, shape (n_docs + 1,)
        Document ``d`` owns sentences ``first[d]:first[d + 1]``.

    Stop words (of each text's language, from the flags) and page chrome carry no weight.
    """

    def __init__(self, hashes: U32, flags: U8, sentence: I64, first: I64) -> None:
        self.first = first
        content = ~is_stopword(hashes, flags) & ((flags & CHROME) == 0)
        sentence, hashes = sentence[content], hashes[content]
        vocabulary, column = np.unique(hashes, return_inverse=True)
        column = column.ravel()
        # A word weighs its rarity in its own text's language, however often it occurs: one
        # entry per (sentence, word), so that a text's weights never depend on its batch.
        once = np.lexsort((column, sentence))
        new = np.ones(len(once), dtype=bool)
        new[1:] = (np.diff(sentence[once]) != 0) | (np.diff(column[once]) != 0)
        once = once[new]
        rarity = idf(hashes, flags[content])[once].astype(np.float64)
        n = int(first[-1])
        matrix = sparse.csr_matrix((rarity, (sentence[once], column[once])), shape=(n, len(vocabulary)))
        matrix.sum_duplicates()  # none left: sorts the indices as before
        # Each sentence's distinct words and their weights, as flat arrays (one row per word).
        self.word, self.weight = matrix.indices, matrix.data
        self.sentence_of = doc_index(matrix.indptr)
        self.word_bounds = matrix.indptr
        self.mass = np.asarray(matrix.sum(axis=1)).ravel()

    def shared(self, i: int, j: int) -> tuple[I64, I64, F64, I64]:
        """The sentence pairs of documents ``i`` and ``j`` that share content words:
        ``(rows, cols, shared weight, shared words)``, sentences numbered within each document.

        Joins the two documents' (sentence, word) rows on the word: a pair of documents has
        far fewer of them than cells in its sentence matrix.
        """
        (a_lo, a_hi), (b_lo, b_hi) = (self.word_bounds[self.first[[d, d + 1]]] for d in (i, j))
        a_word, b_word = self.word[a_lo:a_hi], self.word[b_lo:b_hi]
        order = np.argsort(b_word, kind="stable")
        b_sorted = b_word[order]
        lo, hi = np.searchsorted(b_sorted, a_word, "left"), np.searchsorted(b_sorted, a_word, "right")
        counts = hi - lo
        match = span_positions(lo, counts)
        rows_b = int(self.first[j + 1] - self.first[j])
        cells = np.repeat(self.sentence_of[a_lo:a_hi] - self.first[i], counts) * rows_b
        cells += self.sentence_of[b_lo:b_hi][order][match] - self.first[j]
        # A word shared by texts of two languages weighs the mean of its two rarities.
        weights = (np.repeat(self.weight[a_lo:a_hi], counts) + self.weight[b_lo:b_hi][order][match]) / 2
        unique, inverse = np.unique(cells, return_inverse=True)
        shared = np.bincount(inverse, weights=weights, minlength=len(unique)).astype(np.float64)
        words = np.bincount(inverse, minlength=len(unique)).astype(np.int64)
        return unique // max(rows_b, 1), unique % max(rows_b, 1), shared, words

    def similarity(self, i: int, j: int) -> tuple[I64, I64, F64, I64]:
        """The rarity-weighted Dice similarity of the sentence pairs of ``i`` and ``j`` that share
        words: ``(rows, cols, similarity, shared words)``."""
        rows, cols, shared, words = self.shared(i, j)
        total = self.mass[self.first[i] + rows] + self.mass[self.first[j] + cols]
        return rows, cols, np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0), words

    def _words(self, d: int, lo: int, hi: int) -> tuple[I64, F64]:
        """The distinct content words of sentences ``lo..hi`` (inclusive) of document ``d`` and their weights."""
        start, end = self.word_bounds[self.first[d] + lo], self.word_bounds[self.first[d] + hi + 1]
        words, where = np.unique(self.word[start:end], return_index=True)
        return words, self.weight[start:end][where]

    def overlap(self, i: int, j: int, rows: tuple[int, int], cols: tuple[int, int]) -> tuple[float, float, int]:
        """Sentences ``rows`` of ``i`` against ``cols`` of ``j`` as wholes: their rarity-weighted
        Dice similarity, the weight they share and the number of content words they share."""
        a_words, a_weights = self._words(i, *rows)
        b_words, b_weights = self._words(j, *cols)
        both = np.isin(a_words, b_words, assume_unique=True)
        shared = float(a_weights[both].sum() + b_weights[np.isin(b_words, a_words, assume_unique=True)].sum()) / 2
        total = float(a_weights.sum() + b_weights.sum())
        return (2 * shared / total if total > 0 else 0.0), shared, int(both.sum())

    def whole(self, i: int, j: int) -> Whole:
        """:meth:`overlap` of documents ``i`` and ``j`` as ``_passages.Whole``: by sentence numbers."""
        return lambda r0, r1, c0, c1: self.overlap(i, j, (r0, r1), (c0, c1))

    def passages(
        self,
        i: int,
        j: int,
        minimum: float,
        gap: int,
        similar: tuple[I64, I64, F64, I64] | None = None,
        rules: Rules = WHOLE_TEXT,
    ) -> list[Cluster]:
        """The reused passages of documents ``i`` and ``j``: seeds of similarity at least
        ``minimum`` sharing two or more content words, extended across ``gap`` sentences
        and filtered by ``rules``.

        ``similar`` is :meth:`similarity` of the two documents, where the caller has it."""
        rows, cols, similarity, words = similar or self.similarity(i, j)
        seed = (similarity >= minimum) & (words >= 2)
        seeds = np.stack((rows[seed], cols[seed]), axis=1)
        if len(seeds) == 0:
            return []
        shorter = min(len(self._words(d, 0, int(self.first[d + 1] - self.first[d]) - 1)[0]) for d in (i, j))
        return reused(
            seeds,
            similarity[seed],
            self.whole(i, j),
            gap,
            strong=rules.strong,
            minimum_words=words_needed(shorter, rules.minimum_words),
            slack=rules.slack,
            edges=_edges(rows, cols, similarity, words, rules.grow) if rules.grow else None,
            sizes=(int(self.first[i + 1] - self.first[i]), int(self.first[j + 1] - self.first[j])),
        )


def _edges(rows: I64, cols: I64, similarity: F64, words: I64, minimum: float) -> set[tuple[int, int]]:
    """The sentence pairs of at least ``minimum`` similarity that share two or more content
    words, or one that is most of both (a short sentence, "The deal was signed on 1 July.")."""
    keep = (similarity >= minimum) & ((words >= 2) | (similarity >= 0.5))
    return set(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True))


def sentence_starts(tokens: Tokens, join_wrapped: bool = False) -> Bools:
    """Whether each token starts a sentence: a text's first token, and one after ``.``,
    ``!``, ``?`` or a line break (with ``join_wrapped``, not after a line wrapped inside a
    sentence); :func:`stop_spans` cuts a text's characters the same way."""
    starts = (tokens.flags & SENTENCE_START) > 0
    if join_wrapped:
        starts &= (tokens.flags & WRAPPED) == 0
    starts[tokens.bounds[:-1][np.diff(tokens.bounds) > 0]] = True
    return starts


def token_sentences(tokens: Tokens, join_wrapped: bool = False) -> SentenceWords:
    """The sentences of a batch of tokenised documents (:func:`sentence_starts`), for the
    verdict's passages (``_judge``)."""
    starts = sentence_starts(tokens, join_wrapped)
    sentence = np.cumsum(starts) - 1
    first = np.concatenate(([0], np.cumsum(starts)[tokens.bounds[1:] - 1]))
    first[1:][np.diff(tokens.bounds) == 0] = 0
    first = np.maximum.accumulate(first).astype(np.int64)
    return SentenceWords(tokens.hashes, tokens.flags, sentence.astype(np.int64), first)


def strongest(
    words: SentenceWords,
    i: int,
    j: int,
    minimum: float,
    gap: int,
    rules: Rules = WHOLE_TEXT,
    counts: Callable[[float, int], bool] = lambda similarity, shared: True,
) -> tuple[float, int]:
    """The similarity of the reused passage of documents ``i`` and ``j`` that shares the most
    content words, and how many it shares; ``(0.0, 0)`` when they share none. Passages that
    ``counts(similarity, shared)`` come before the others, whatever they share (see :func:`stronger`).

    Only passages of two sentences or more in both texts count (one sentence is a
    quotation or a list of names). A passage that ends both texts, or starts both, is
    left out: that is where two pages of one site carry its furniture (a subscription
    prompt, "read more on ...", a press agency's header), in languages the page-chrome
    lexicon does not know.
    """
    best = (0.0, 0)
    last_a = int(words.first[i + 1] - words.first[i]) - 1
    last_b = int(words.first[j + 1] - words.first[j]) - 1
    for c in words.passages(i, j, minimum, gap, rules=rules):
        if (c.rows[1] == last_a and c.cols[1] == last_b) or (c.rows[0] == 0 and c.cols[0] == 0):
            continue
        if c.rows[0] == c.rows[1] or c.cols[0] == c.cols[1]:
            continue  # one sentence is a quotation or a list of names, not a reused passage
        best = stronger(best, (c.similarity, c.words), counts)
    return best


def stronger(a: tuple[float, int], b: tuple[float, int], counts: Callable[[float, int], bool]) -> tuple[float, int]:
    """Of two passages ``(similarity, shared content words)``, the one that says more about
    reuse: one that ``counts`` over one that does not (a long passage of weak matches can
    hide a shorter one of close matches), then the one sharing more words.

    Examples
    --------
    >>> close = lambda similarity, shared: similarity >= 0.5
    >>> stronger((0.45, 21), (0.62, 15), close), stronger((0.7, 9), (0.8, 6), close)
    ((0.62, 15), (0.7, 9))
    """
    return max(a, b, key=lambda p: (counts(*p), p[1], p[0]))


def verbatim_passage(tokens: Tokens, i: int, j: int, minimum: int) -> tuple[float, int]:
    """``(1.0, content words)`` of the longest run of at least ``minimum`` identical tokens
    outside page chrome that documents ``i`` and ``j`` share (``_verbatim``), else ``(0.0, 0)``.

    Unlike :func:`strongest`'s passages, a run that starts or ends both texts counts: it is
    the half of a story that another one took in, and a site's furniture is seldom this long
    (and is chrome, left out, where the lexicon knows it).
    """
    kept = [
        np.flatnonzero((tokens.flags[tokens.bounds[d] : tokens.bounds[d + 1]] & CHROME) == 0) + tokens.bounds[d]
        for d in (i, j)
    ]
    runs = shared_runs(tokens.hashes[kept[0]], tokens.hashes[kept[1]], minimum)
    if len(runs) == 0:
        return 0.0, 0
    longest = kept[0][runs[0, 0] : runs[0, 1]]
    return 1.0, int((~is_stopword(tokens.hashes[longest], tokens.flags[longest])).sum())


class Sentences:
    """The sentences of a batch of texts, ready to be aligned pair by pair.

    Parameters
    ----------
    texts : sequence of str
        The texts; passages are reported as offsets into them.
    gap : int
        The detector's ``passage_gap``.
    language : str, default "auto"
        The texts' language (one of ``_config.LANGUAGES``), or ``"auto"`` to detect each
        text's language on the whole text; it chooses the stop words and word rarity.
    rules : Rules
        How seeds become passages (``_passages.WHOLE_TEXT``, or ``PARTIAL`` with ``partial_reuse``).

    Examples
    --------
    >>> s = Sentences(["Troops left Karabakh today. Peskov spoke.", "Peskov confirmed it. Troops left Karabakh today."])
    >>> [(p.a_start, p.b_start) for p in s.align(0, 1, 0.5)]
    [(0, 21)]
    """

    def __init__(self, texts: Sequence[str], gap: int = GAP, language: str = AUTO, rules: Rules = WHOLE_TEXT) -> None:
        # The default gap is the detector's default ``passage_gap``.
        self.gap, self.rules, self.texts = gap, rules, texts
        self._words: dict[int, tuple[I64, I64]] = {}
        cut = stop_spans if rules.every_stop else sentence_spans
        self.spans = [cut(text, rules.join_wrapped)[:MAX_SENTENCES] for text in texts]
        counts = np.array([len(s) for s in self.spans], dtype=np.int64)
        first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        pieces = [text[a:b] for text, spans in zip(texts, self.spans, strict=True) for a, b in spans.tolist()]
        # A sentence is too short to tell its language: each takes its whole text's.
        if language == AUTO:
            per_text = languages_of(tokenize(texts))
        else:
            per_text = np.full(len(counts), code_of(language), dtype=np.uint8)
        tokens = with_codes(tokenize(pieces), np.repeat(per_text, counts))
        self.words = SentenceWords(tokens.hashes, tokens.flags, doc_index(tokens.bounds), first)

    def align(self, i: int, j: int, minimum: float) -> tuple[Passage, ...]:
        """The reused passages of texts ``i`` and ``j``, in order of the first text, each with
        its aligned sentences (seeds of similarity at least ``minimum``)."""
        spans_a, spans_b = self.spans[i].tolist(), self.spans[j].tolist()
        similar = self.words.similarity(i, j)
        rows, cols, similarity, _ = similar
        of_cell = {(r, c): s for r, c, s in zip(rows.tolist(), cols.tolist(), similarity.tolist(), strict=True)}
        found = []
        clusters = self.words.passages(i, j, minimum, self.gap, similar, self.rules)
        if self.rules.summaries:
            clusters = widened(clusters, self.spans[i], self.spans[j], self.words.whole(i, j))
        for c in clusters:
            sentences = tuple(
                Passage(spans_a[r][0], spans_a[r][1], spans_b[k][0], spans_b[k][1], of_cell[(r, k)])
                for r, k in c.seeds.tolist()
            )
            (r0, r1), (c0, c1) = c.rows, c.cols
            found.append(
                Passage(spans_a[r0][0], spans_a[r1][1], spans_b[c0][0], spans_b[c1][1], c.similarity, sentences)
            )
        if self.rules.verbatim_words:
            runs, share = text_runs(self._words_of(i), self._words_of(j), self.rules.verbatim_words)
            if len(runs):
                # Copied text: the runs are the passages, and the sentences around them that
                # seed-and-extend took in are neighbours on the same topic.
                seeds = [s for p in found for s in p.sentences]
                found = []
                for (a0, a1, b0, b1), x in zip(runs.tolist(), share.tolist(), strict=True):
                    inside = (s for s in seeds if s.a_start < a1 and a0 < s.a_end and s.b_start < b1 and b0 < s.b_end)
                    found.append(Passage(a0, a1, b0, b1, x, tuple(inside)))
        return tuple(found)

    def _words_of(self, i: int) -> tuple[I64, I64]:
        """The words of text ``i`` (``_verbatim.words_of``), made once: a text is in several pairs."""
        if i not in self._words:
            self._words[i] = words_of(self.texts[i])
        return self._words[i]

    def aligned_share(self, i: int, starts: Sequence[int]) -> float:
        """Share of text ``i``'s content, weighted by rarity, in the sentences starting at ``starts``."""
        lo, hi = self.words.first[i], self.words.first[i + 1]
        total = float(self.words.mass[lo:hi].sum())
        if total <= 0:
            return 0.0
        rows = np.searchsorted(self.spans[i][:, 0], np.asarray(sorted(set(starts)), dtype=np.int64))
        return float(self.words.mass[lo + rows].sum()) / total


def align(text_a: str, text_b: str, minimum: float = 0.4, partial_reuse: bool = True) -> tuple[Passage, ...]:
    """The passages of ``text_a`` and ``text_b`` that align, of similarity at least ``minimum``,
    as a detector with the same ``partial_reuse`` reports them (``_passages.rules_for``:
    without it, a passage's sentences align in order).

    The defaults are the detector's (``passage_similarity`` and ``partial_reuse``).

    Examples
    --------
    >>> a = "Russian troops are leaving Karabakh. The Kremlin confirmed the withdrawal on Wednesday."
    >>> b = "On Wednesday the Kremlin confirmed a withdrawal. It gave no details."
    >>> [(a[p.a_start:p.a_end], b[p.b_start:p.b_end]) for p in align(a, b)]
    [('The Kremlin confirmed the withdrawal on Wednesday.', 'On Wednesday the Kremlin confirmed a withdrawal.')]
    """
    return Sentences([text_a, text_b], rules=rules_for(partial_reuse)).align(0, 1, minimum)
