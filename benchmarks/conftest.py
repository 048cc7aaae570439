"""Shared fixtures: one generated corpus per session, and the reference implementations."""

import pytest

from .corpus import Corpus, news_corpus

DOCS = 2000  # about 6 MB
COMPARE_DOCS = 300  # about 1 MB: enough for the slow reference implementations


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return news_corpus(DOCS)


@pytest.fixture(scope="session")
def texts(corpus: Corpus) -> list[str]:
    return corpus.texts


@pytest.fixture(scope="session")
def sample(corpus: Corpus) -> list[str]:
    """A smaller slice for comparisons; it starts with an article and its edited copy."""
    original, copy, _ = next(p for p in corpus.planted if p[2] == "edited")
    by_id = dict(corpus.docs)
    rest = [text for doc_id, text in corpus.docs if doc_id not in (original, copy)]
    return [by_id[original], by_id[copy], *rest[: COMPARE_DOCS - 2]]


def megabytes(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6
