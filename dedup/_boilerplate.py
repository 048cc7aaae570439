"""Preparation, texts -> texts without page chrome, for a batch scanned together.

Pages of one site repeat the same lines ("Share.", "Exit mobile version", cookie notices,
comment forms). Left in, such chrome makes unrelated pages of a site look alike and
dilutes the evidence of a real copy on another site. A line is chrome when

- it is one of the common chrome lines listed in ``boilerplate.txt`` (this is what a small
  batch needs, where a site's chrome occurs once), or
- it occurs in at least ``min_docs`` documents of the batch, most of those documents have
  text of their own (at most ``max_share`` of their words are in recurring lines), and
  most of them are not derived from one another once the recurring lines are set aside.

The last two conditions keep copied text intact. When three sites carry one wire story,
its paragraphs recur as often as chrome does, but they are most of each document; when
answers copy a sentence from their source, they are still derived from it without that
sentence. Chrome is what pages about different stories have in common. Pages so short
that chrome is most of their text cannot be told from copies of it, and keep it.

Lines are compared by their words (case, punctuation and spacing do not matter): the texts
of a batch are tokenised together, each token numbered with its line, and each line is
keyed by a 64-bit hash of its token sequence; every step is an array operation over all
lines. Chrome lines are blanked, replaced by spaces, rather than cut, so that every offset
into a prepared text is also an offset into the text as given.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import overload

import numpy as np

from ._arrays import doc_index, member
from ._batching import map_batches
from ._hashing import fmix64, odd_constants
from ._tokenize import Tokens, tokenize_lines
from ._types import I64, U64


@dataclass(frozen=True)
class Boilerplate:
    """A line stripped from a scan as page chrome.

    Attributes
    ----------
    line : str
        The line as it first occurs in the batch, without surrounding whitespace.
    documents : int
        The number of documents it was stripped from.
    """

    line: str
    documents: int


def _keyed_lines(tokens: Tokens, line: I64) -> tuple[I64, I64, U64, I64]:
    """The lines with words of a tokenised batch: the document, line number, key and
    number of words of each, in document and line order."""
    n = len(tokens.hashes)
    doc = doc_index(tokens.bounds)
    starts_line = np.ones(n, dtype=bool)
    starts_line[1:] = (line[1:] != line[:-1]) | (doc[1:] != doc[:-1])
    first = np.flatnonzero(starts_line)
    end = np.append(first[1:], n)
    words = end - first
    position = np.arange(n) - np.repeat(first, words)
    weighted = tokens.hashes.astype(np.uint64) * odd_constants(int(words.max(initial=0)), salt=6)[position]
    total = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(weighted, dtype=np.uint64)))  # modulo 2**64
    keys = fmix64(total[end] - total[first] + words.astype(np.uint64)) | np.uint64(1)
    return doc[first], line[first], keys, words


def _member(values: U64, keys: Iterable[int] | U64) -> np.ndarray:
    """Whether each of ``values`` is one of ``keys``."""
    return member(values, np.fromiter(keys, dtype=np.uint64))


class Lines:
    """The lines of a batch of texts, by key: the lines with words, as arrays.

    Examples
    --------
    >>> lines = Lines(["Troops left.\\nShare.", "Rain fell.\\n\\n  SHARE "])
    >>> lines.doc.tolist(), lines.line.tolist(), lines.words.tolist()
    ([0, 0, 1, 1], [0, 1, 0, 2], [2, 1, 2, 1])
    >>> bool(lines.key[1] == lines.key[3])
    True
    >>> texts, stripped = lines.blank(known_chrome())
    >>> texts[1], stripped
    ('Rain fell.\\n\\n        ', (Boilerplate(line='Share.', documents=2),))
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts

        def keyed(batch: list[str]) -> tuple[int, tuple[I64, I64, U64, I64]]:
            return len(batch), _keyed_lines(*tokenize_lines(batch))

        parts = map_batches(keyed, texts) or [keyed([])]
        first_doc = np.cumsum([0] + [size for size, _ in parts])
        self.doc = np.concatenate([lines[0] + base for (_, lines), base in zip(parts, first_doc[:-1], strict=True)])
        self.line, self.key, self.words = (np.concatenate([lines[k] for _, lines in parts]) for k in (1, 2, 3))
        # Each (key, document) once, sorted by key: who holds each line.
        order = np.lexsort((self.doc, self.key))
        key, doc = self.key[order], self.doc[order]
        new = np.ones(len(key), dtype=bool)
        new[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
        self._holder_key, self._holder = key[new], doc[new]

    def recurring(self, min_docs: int, max_share: float) -> set[int]:
        """Keys of the lines in ``min_docs`` documents or more, most of which have text of their own.

        These are chrome unless :meth:`held_by_copies` finds them shared by derived documents.
        """
        starts, holders = self._per_key()
        often = np.repeat(holders >= min_docs, holders)
        in_recurring = _member(self.key, self._holder_key[often])
        n_docs = len(self.texts)
        words = np.bincount(self.doc, weights=self.words, minlength=n_docs)
        recurring_words = np.bincount(self.doc, weights=self.words * in_recurring, minlength=n_docs)
        own_text = recurring_words <= max_share * words
        with_own_text = np.add.reduceat(own_text[self._holder].astype(np.int64), starts) if len(starts) else starts
        keep = (holders >= min_docs) & (2 * with_own_text > holders)
        return set(self._holder_key[starts[keep]].tolist())

    def held_by_copies(self, keys: set[int], linked: Iterable[tuple[int, int]]) -> set[int]:
        """The ``keys`` at least half of whose documents are in a pair of ``linked`` documents with another."""
        linked = list(linked)
        involved = {d for pair in linked for d in pair}
        is_involved = np.zeros(len(self.texts), dtype=bool)
        is_involved[list(involved)] = True
        held = np.flatnonzero(_member(self._holder_key, keys) & is_involved[self._holder])
        keys_of: dict[int, set[int]] = {d: set() for d in involved}
        for key, doc in zip(self._holder_key[held].tolist(), self._holder[held].tolist(), strict=True):
            keys_of[doc].add(key)
        supported: dict[int, set[int]] = {}
        for i, j in linked:
            for key in keys_of[i] & keys_of[j]:
                supported.setdefault(key, set()).update((i, j))
        starts, holders = self._per_key()
        keys_held = list(supported)
        # Looked up in the sorted keys: a dict of every line's count would take ~1 GB for a day's news.
        count = holders[np.searchsorted(self._holder_key[starts], np.array(keys_held, dtype=np.uint64))]
        return {key for key, n in zip(keys_held, count.tolist(), strict=True) if 2 * len(supported[key]) >= n}

    def blank(self, chrome: frozenset[int] | set[int]) -> tuple[Blanked, tuple[Boilerplate, ...]]:
        """The texts with the ``chrome`` lines blanked, and what was stripped (most frequent first)."""
        hits = np.flatnonzero(_member(self.key, chrome))
        first_seen: dict[int, str] = {}
        rows = zip(self.doc[hits].tolist(), self.line[hits].tolist(), self.key[hits].tolist(), strict=True)
        for doc, line, key in rows:
            if key not in first_seen:
                first_seen[key] = self.texts[doc].split("\n")[line].strip()
        stripped = _member(self._holder_key, chrome)
        keys, documents = np.unique(self._holder_key[stripped], return_counts=True)
        boilerplate = (Boilerplate(first_seen[k], n) for k, n in zip(keys.tolist(), documents.tolist(), strict=True))
        blanked = Blanked(self.texts, self.doc[hits], self.line[hits])
        return blanked, tuple(sorted(boilerplate, key=lambda b: (-b.documents, b.line)))

    def _per_key(self) -> tuple[I64, I64]:
        """Where each key's holders start in the holder arrays, and how many documents hold it."""
        new = np.ones(len(self._holder_key), dtype=bool)
        new[1:] = self._holder_key[1:] != self._holder_key[:-1]
        starts = np.flatnonzero(new)
        return starts, np.diff(np.append(starts, len(new)))


@functools.cache
def known_chrome() -> frozenset[int]:
    """The keys of the common chrome lines listed in ``boilerplate.txt``."""
    lines = resources.files(__package__).joinpath("boilerplate.txt").read_text("utf-8").splitlines()
    return frozenset(Lines([line for line in lines if line.strip() and not line.startswith("#")]).key.tolist())


class Blanked(Sequence[str]):
    """Texts with some of their lines blanked (replaced by spaces), each blanked as it is read.

    A batch too large for memory keeps its texts on disk (``_texts``); blanking them as
    they are read keeps it from holding a second copy.

    Parameters
    ----------
    texts : sequence of str
        The texts as given.
    doc, line : ndarray of int64
        The document and line number of each line to blank, sorted by document.
    """

    def __init__(self, texts: Sequence[str], doc: I64, line: I64) -> None:
        self.texts = texts
        self._line = line
        self._starts = np.searchsorted(doc, np.arange(len(texts) + 1))

    def __len__(self) -> int:
        return len(self.texts)

    def blanked_lines(self) -> I64:
        """How many lines of each text are blanked."""
        return np.diff(self._starts)

    def _blank(self, k: int, text: str) -> str:
        numbers = self._line[self._starts[k] : self._starts[k + 1]].tolist()
        if not numbers:
            return text
        lines = text.split("\n")
        for line in numbers:
            lines[line] = " " * len(lines[line])
        return "\n".join(lines)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            rows = range(*index.indices(len(self)))
            return [self._blank(k, text) for k, text in zip(rows, self.texts[index], strict=True)]
        k = range(len(self))[index]
        return self._blank(k, self.texts[k])

    def __iter__(self) -> Iterator[str]:
        return (self._blank(k, text) for k, text in enumerate(self.texts))
