"""Batching: texts cut into batches of about a megabyte, spread over the cores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

_CHARS_PER_BATCH = 1 << 20  # texts are tokenised together up to this many characters
#: Threads that the batches of a large batch of texts are spread over.
WORKERS = min(2, os.cpu_count() or 1)

T = TypeVar("T")


def check_texts(texts: object) -> None:
    """Raise ``TypeError`` for the classic mistake of passing one string as a batch."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("Iterable over raw text documents expected, string object received.")


def batches(texts: Iterable[str], chars: int = _CHARS_PER_BATCH) -> Iterator[list[str]]:
    """Split ``texts`` into lists of about ``chars`` characters (at least one text each)."""
    batch: list[str] = []
    size = 0
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is a {type(text).__name__}, expected str")
        batch.append(text)
        size += len(text)
        if size >= chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def map_batches(work: Callable[[list[str]], T], texts: Iterable[str]) -> list[T]:
    """``work`` done on each of the :func:`batches` of ``texts``, on :data:`WORKERS` threads
    when there are several (numpy and the kernels release the GIL in the heavy steps)."""
    chunks = list(batches(texts))
    if len(chunks) > 1 and WORKERS > 1:
        with ThreadPoolExecutor(WORKERS) as pool:
            return list(pool.map(work, chunks))
    return [work(chunk) for chunk in chunks]
