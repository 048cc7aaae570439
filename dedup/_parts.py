"""Rows of a batch split into parts, held in memory up to a budget and spilled to temporary
files past it.

With ``partial_reuse`` a scan makes a few hundred window rows a text (``_fingerprint.window_rows``,
8 bytes each), more than all else it holds for the text, and their pairs of texts sharing a
key grow faster than the texts (chance collisions of common phrasing). Both are counted a
part at a time (``_candidates.passage_candidates``), as the Dask engine counts a bucket at a
time: window rows split by the high bits of their key, so that a part holds every holder of
its keys; pairs by a hash of the pair, so that a part holds all of a pair's counts. Past
:data:`SPILL_AFTER` bytes, the parts are appended to unnamed temporary files (in ``TMPDIR``,
deleted with the rows) and read back one at a time; below it, the rows are one part.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import numpy as np

from ._texts import spill_file
from ._types import I64, U64, Bools

#: Bytes of rows held in memory before they are spilled to temporary files.
SPILL_AFTER = 1 << 28
#: The parts rows are split into (a power of two).
PARTS = 64


class Parts:
    """Rows split into :data:`PARTS` parts: rows in, parts out. Rows held in memory are one
    part: they fit, and one pass over them is faster than many over small parts.

    Examples
    --------
    >>> rows = Parts(spill_after=16)
    >>> rows.add(np.array([1, 2**63 + 5, 3, 2**63 + 4], dtype=np.uint64))
    >>> rows.spilled, len(rows), [part.tolist() for part in rows.parts() if len(part)]
    (True, 4, [[1, 3], [9223372036854775813, 9223372036854775812]])
    """

    def __init__(self, spill_after: int | None = None) -> None:
        self._spill_after = SPILL_AFTER if spill_after is None else spill_after
        self._held: list[tuple[U64, I64 | None]] = []
        self._held_bytes = 0
        self._files: list[IO[bytes]] = []
        self._rows = 0

    @property
    def spilled(self) -> bool:
        """Whether the rows are in temporary files."""
        return bool(self._files)

    def __len__(self) -> int:
        return self._rows

    def add(self, rows: U64, part: I64 | None = None) -> None:
        """Add rows, each to its part: by default the part of its high bits."""
        self._held.append((rows, part))
        self._rows += len(rows)
        self._held_bytes += rows.nbytes
        if self._held_bytes > self._spill_after:
            self._spill()

    def _spill(self) -> None:
        if not self._files:
            self._files = [spill_file(self, "a scan's rows") for _ in range(PARTS)]
        for rows, part in self._held:
            if part is None:
                part = (rows >> np.uint64(64 - (PARTS - 1).bit_length())).astype(np.intp)
            order = np.argsort(part, kind="stable")
            ends = np.searchsorted(part[order], np.arange(1, PARTS + 1))
            for file, piece in zip(self._files, np.split(order, ends[:-1]), strict=True):
                file.seek(0, 2)
                file.write(rows[piece].data)
        self._held, self._held_bytes = [], 0

    def parts(self) -> Iterator[U64]:
        """Each part's rows, a new array each (the caller may sort it in place); all of them
        at once while they are held in memory."""
        if not self._files:
            yield np.concatenate([np.zeros(0, dtype=np.uint64), *(rows for rows, _ in self._held)])
            return
        self._spill()  # what was added since the last spill
        for file in self._files:
            file.seek(0)
            yield np.fromfile(file, dtype=np.uint64)

    def without(self, docs: Bools, bits: int) -> Parts:
        """The window rows of the documents (in the low ``bits`` of a row) where ``docs`` is false."""
        kept = Parts(self._spill_after)
        low = np.uint64((1 << bits) - 1)
        for part in self.parts():
            kept.add(part[~docs[(part & low).astype(np.int64)]])
        return kept
