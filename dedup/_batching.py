"""Batching: texts cut into batches of about a megabyte, spread over the cores."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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


def imap_batches(work: Callable[[list[str]], T], texts: Iterable[str]) -> Iterator[T]:
    """``work`` done on each of the :func:`batches` of ``texts``, in order, on :data:`WORKERS`
    threads when there are several (numpy and the kernels release the GIL in the heavy steps).

    Batches are read as the threads take them, so only a few are held at a time.
    """
    chunks = batches(texts)
    first = list(itertools.islice(chunks, 2))
    if len(first) < 2 or WORKERS < 2:
        yield from map(work, itertools.chain(first, chunks))
        return
    with ThreadPoolExecutor(WORKERS) as pool:
        running: deque[Future[T]] = deque()
        for chunk in itertools.chain(first, chunks):
            running.append(pool.submit(work, chunk))
            if len(running) > WORKERS:
                yield running.popleft().result()
        yield from (future.result() for future in running)


def map_batches(work: Callable[[list[str]], T], texts: Iterable[str]) -> list[T]:
    """The list of :func:`imap_batches`."""
    return list(imap_batches(work, texts))
