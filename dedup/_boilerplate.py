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

Lines are compared by their words (case, punctuation and spacing do not matter): all lines
of a batch are tokenised together and each is keyed by a 64-bit hash of its token
sequence. Chrome lines are blanked, replaced by spaces, rather than cut, so that every
offset into a prepared text is also an offset into the text as given.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from ._hashing import fmix64, odd_constants
from ._shingle import doc_index
from ._tokenize import tokenize

_LINE = re.compile(r"[^\n]+")


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


def line_keys(lines: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """What lines are compared by: a hash of each line's words (0 for a line without words),
    and the number of words.

    Examples
    --------
    >>> keys, words = line_keys(["  Share. ", "SHARE", "...", "Read more"])
    >>> bool(keys[0] == keys[1]), int(keys[2]), words.tolist()
    (True, 0, [1, 1, 0, 2])
    """
    tokens = tokenize(lines)
    words = np.diff(tokens.bounds)
    position = np.arange(len(tokens.hashes)) - np.repeat(tokens.bounds[:-1], words)
    weighted = tokens.hashes.astype(np.uint64) * odd_constants(int(words.max(initial=0)), salt=6)[position]
    sums = np.zeros(len(lines), dtype=np.uint64)
    np.add.at(sums, doc_index(tokens.bounds), weighted)
    keys = fmix64(sums + words.astype(np.uint64)) | np.uint64(1)  # never 0: that marks no words
    return np.where(words > 0, keys, np.uint64(0)), words


@functools.cache
def known_chrome() -> frozenset[int]:
    """The keys of the common chrome lines listed in ``boilerplate.txt``."""
    lines = resources.files(__package__).joinpath("boilerplate.txt").read_text("utf-8").splitlines()
    keys, _ = line_keys([line for line in lines if line.strip() and not line.startswith("#")])
    return frozenset(keys.tolist()) - {0}


class Lines:
    """The lines of a batch of texts, by key.

    Examples
    --------
    >>> lines = Lines(["Troops left.\\nShare.", "Rain fell.\\nSHARE"])
    >>> texts, stripped = lines.blank(known_chrome())
    >>> texts[0], stripped
    ('Troops left.\\n      ', (Boilerplate(line='Share.', documents=2),))
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        spans = [[(m.start(), m.end()) for m in _LINE.finditer(text)] for text in texts]
        keys, words = line_keys([text[a:b] for text, doc in zip(texts, spans, strict=True) for a, b in doc])
        cuts = np.cumsum([0] + [len(doc) for doc in spans])
        self.lines = [
            [(a, b, key, n) for (a, b), key, n in zip(doc, keys[lo:hi].tolist(), words[lo:hi].tolist(), strict=True)]
            for doc, lo, hi in zip(spans, cuts[:-1], cuts[1:], strict=True)
        ]
        self.keys = [{key for _, _, key, _ in doc if key} for doc in self.lines]

    def recurring(self, min_docs: int, max_share: float) -> set[int]:
        """Keys of the lines in ``min_docs`` documents or more, most of which have text of their own.

        These are chrome unless :meth:`held_by_copies` finds them shared by derived documents.
        """
        counts = Counter(key for keys in self.keys for key in keys)
        recurring = {key for key, n in counts.items() if n >= min_docs}
        own_text = [
            sum(n for _, _, key, n in doc if key in recurring) <= max_share * sum(n for _, _, _, n in doc)
            for doc in self.lines
        ]
        holders = self._holders(recurring)
        return {key for key, docs in holders.items() if 2 * sum(own_text[d] for d in docs) > len(docs)}

    def held_by_copies(self, keys: set[int], linked: Iterable[tuple[int, int]]) -> set[int]:
        """The ``keys`` at least half of whose documents are in a pair of ``linked`` documents with another."""
        partners: dict[int, set[int]] = {}
        for i, j in linked:
            partners.setdefault(i, set()).add(j)
            partners.setdefault(j, set()).add(i)
        holders = self._holders(keys)
        return {
            key
            for key, docs in holders.items()
            if 2 * sum(1 for d in docs if partners.get(d, set()) & docs) >= len(docs)
        }

    def _holders(self, keys: set[int]) -> dict[int, set[int]]:
        holders: dict[int, set[int]] = {key: set() for key in keys}
        for i, doc_keys in enumerate(self.keys):
            for key in doc_keys & keys:
                holders[key].add(i)
        return holders

    def blank(self, chrome: frozenset[int] | set[int]) -> tuple[list[str], tuple[Boilerplate, ...]]:
        """The texts with the ``chrome`` lines blanked, and what was stripped (most frequent first)."""
        blanked: list[str] = []
        first_seen: dict[int, str] = {}
        counts: Counter[int] = Counter()
        for text, doc, keys in zip(self.texts, self.lines, self.keys, strict=True):
            pieces, done = [], 0
            for start, end, key, _ in doc:
                if key in chrome:
                    first_seen.setdefault(key, text[start:end].strip())
                    pieces += [text[done:start], " " * (end - start)]
                    done = end
            blanked.append("".join(pieces) + text[done:])
            counts.update(keys & chrome)
        stripped = sorted(
            (Boilerplate(first_seen[k], n) for k, n in counts.items()), key=lambda b: (-b.documents, b.line)
        )
        return blanked, tuple(stripped)
