"""A deterministic generated news-like corpus with planted copies, for benchmarks.

Words come from wordfreq's English frequency list. Each article has a topic of its own:
about a quarter of its words are drawn from a small vocabulary of rarer words, the rest
from the general frequency distribution, so that unrelated articles share few rare words,
as real news does. Some articles are planted copies of
earlier ones: exact (re-cased), edited (one word in twenty replaced) or truncated (the
first 40%).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from wordfreq import top_n_list, word_frequency

VOCABULARY = 30_000
TOPIC_WORDS = 60
TOPIC_SHARE = 0.25
KINDS = ("exact", "edited", "truncated")


@dataclass(frozen=True)
class Corpus:
    """Documents as ``(doc_id, text)`` and the planted ``(original, copy, kind)`` triples."""

    docs: list[tuple[str, str]]
    planted: list[tuple[str, str, str]]

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.docs]

    @property
    def bytes(self) -> int:
        return sum(len(text.encode("utf-8")) for text in self.texts)


def _vocabulary() -> tuple[list[str], np.ndarray]:
    words = [w for w in top_n_list("en", VOCABULARY) if w.isalpha()]
    weights = np.array([word_frequency(w, "en") for w in words])
    return words, weights / weights.sum()


def _article(rng: np.random.Generator, words: list[str], p: np.ndarray, topic: np.ndarray, n_words: int) -> str:
    general = rng.choice(len(words), size=n_words, p=p)
    from_topic = rng.random(n_words) < TOPIC_SHARE
    general[from_topic] = rng.choice(topic, size=int(from_topic.sum()))
    tokens = [words[i] for i in general]
    sentences, start = [], 0
    while start < n_words:
        length = int(rng.integers(8, 26))
        sentence = tokens[start : start + length]
        sentences.append(" ".join(sentence).capitalize() + ".")
        start += length
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def _plant(rng: np.random.Generator, text: str, kind: str, words: list[str]) -> str:
    if kind == "exact":
        return text.upper()
    if kind == "truncated":
        return text[: int(len(text) * 0.4)]
    tokens = text.split(" ")
    for i in rng.choice(len(tokens), size=len(tokens) // 20, replace=False):
        tokens[i] = words[int(rng.integers(len(words)))]
    return " ".join(tokens)


def news_documents(
    n_docs: int,
    text_of: Callable[[int], str],
    seed: int = 0,
    words_per_doc: int = 500,
    planted_share: float = 0.05,
) -> Iterator[tuple[str, str, tuple[str, str, str] | None]]:
    """The documents of ``news_corpus`` one at a time, as ``(doc_id, text, planted)``.

    ``planted`` is the ``(original, copy, kind)`` triple when the document is a planted copy,
    else ``None``. The generator keeps no texts: a copy asks ``text_of(i)`` for the text of the
    ``i``-th document already yielded, so a caller writing to disk can read it back from there.
    """
    rng = np.random.default_rng(seed)
    words, p = _vocabulary()
    rare = np.arange(len(words) // 10, len(words))
    n_planted = 0
    for i in range(n_docs):
        doc_id = f"doc{i:07d}"
        if i and rng.random() < planted_share:
            original = int(rng.integers(i))
            kind = KINDS[n_planted % len(KINDS)]
            n_planted += 1
            yield doc_id, _plant(rng, text_of(original), kind, words), (f"doc{original:07d}", doc_id, kind)
            continue
        topic = rng.choice(rare, size=TOPIC_WORDS, replace=False)
        yield doc_id, _article(rng, words, p, topic, words_per_doc), None


def news_corpus(n_docs: int, seed: int = 0, words_per_doc: int = 500, planted_share: float = 0.05) -> Corpus:
    """``n_docs`` articles of about ``words_per_doc`` words (about 3 KB), some planted copies."""
    docs: list[tuple[str, str]] = []
    planted: list[tuple[str, str, str]] = []
    for doc_id, text, copy in news_documents(n_docs, lambda i: docs[i][1], seed, words_per_doc, planted_share):
        docs.append((doc_id, text))
        if copy is not None:
            planted.append(copy)
    return Corpus(docs, planted)


def copies_of(texts: list[str], seed: int = 0) -> list[str]:
    """Copies of ``texts`` made as ``news_corpus`` plants them: exact, edited and truncated in turn."""
    rng = np.random.default_rng(seed)
    words, _ = _vocabulary()
    return [_plant(rng, text, KINDS[i % len(KINDS)], words) for i, text in enumerate(texts)]
