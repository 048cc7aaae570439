"""Rows of a batch split into parts, held in memory up to a budget and spilled to temporary
files past it.

With ``partial_reuse`` a scan makes a few hundred window rows a text (``_fingerprint.window_rows``,
8 bytes each), more than all else it holds for the text, and their pairs of texts sharing a
key grow faster than the texts (chance collisions of common phrasing). Both are counted a
part at a time (``_candidates.passage_candidates``), as the Dask engine counts a bucket at a
time. A row's part is its high bits: window rows lead with their key, so that a part holds
every holder of its keys; counted pairs lead with a hash of the pair, so that a part holds all
of a pair's counts. Past :data:`SPILL_AFTER` bytes, the parts are appended to unnamed
temporary files (in ``TMPDIR``, deleted with the rows) and read back one at a time; below it,
the rows are one part.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import numpy as np

from ._texts import spill_file
from ._types import U64, Bools

#: Bytes of rows held in memory before they are spilled to temporary files.
SPILL_AFTER = 1 << 28
#: The parts rows are split into, by their high :data:`PART_BITS` bits.
PART_BITS = 6
PARTS = 1 << PART_BITS
#: Bits of a key in the table of :meth:`Parts.replaced` (16 MB: a few hundred thousand keys
#: fill a percent of it).
HELD_BITS = 24
_FIRSTS = np.arange(1, PARTS, dtype=np.uint64) << np.uint64(64 - PART_BITS)  # each part's first row


class Parts:
    """Rows split into :data:`PARTS` parts by their high bits: rows in, parts out. Rows held
    in memory are one part: they fit, and one pass over them is faster than many over small parts.

    Examples
    --------
    >>> rows = Parts(spill_after=16)
    >>> rows.add(np.array([1, 2**63 + 5, 3, 2**63 + 4], dtype=np.uint64))
    >>> rows.spilled, len(rows), [part.tolist() for part in rows.parts() if len(part)]
    (True, 4, [[1, 3], [9223372036854775812, 9223372036854775813]])
    """

    def __init__(self, spill_after: int | None = None) -> None:
        self._spill_after = SPILL_AFTER if spill_after is None else spill_after
        self._held: list[U64] = []
        self._held_bytes = 0
        self._files: list[IO[bytes]] = []
        self._rows = 0

    @property
    def spilled(self) -> bool:
        """Whether the rows are in temporary files."""
        return bool(self._files)

    def __len__(self) -> int:
        return self._rows

    def add(self, rows: U64) -> None:
        """Add rows, each to the part of its high bits."""
        self._held.append(rows)
        self._rows += len(rows)
        self._held_bytes += rows.nbytes
        if self._held_bytes > self._spill_after:
            self._spill()

    def _spill(self) -> None:
        if not self._files:
            self._files = [spill_file(self, "a scan's rows") for _ in range(PARTS)]
        for rows in self._held:
            ordered = np.sort(rows)  # sorted, the parts are slices (and sorting is cheaper than an argsort)
            for file, piece in zip(self._files, np.split(ordered, np.searchsorted(ordered, _FIRSTS)), strict=True):
                file.seek(0, 2)
                file.write(piece.data)
        self._held, self._held_bytes = [], 0

    def parts(self) -> Iterator[U64]:
        """Each part's rows, a new array each (the caller may sort it in place); all of them
        at once while they are held in memory."""
        if not self._files:
            yield np.concatenate([np.zeros(0, dtype=np.uint64), *self._held])
            return
        self._spill()  # what was added since the last spill
        for file in self._files:
            file.seek(0)
            yield np.fromfile(file, dtype=np.uint64)

    def replaced(self, docs: Bools, rows: Parts, bits: int) -> Parts:
        """What pairs with the documents of ``rows`` are counted from when ``rows`` replace
        the rows of ``docs`` (documents in the low ``bits`` of a row): ``rows``, and the rows
        of other documents whose key ``rows`` may hold.

        The keys are looked up in a table of their high :data:`HELD_BITS` bits: a key it
        holds by chance only brings in a row that counts for no pair of ``rows``' documents.
        """
        held = np.zeros(1 << HELD_BITS, dtype=bool)
        shift = np.uint64(64 - HELD_BITS)
        for part in rows.parts():
            held[part >> shift] = True
        kept = Parts(self._spill_after)
        low = np.uint64((1 << bits) - 1)
        for part in self.parts():
            part = part[held[part >> shift]]
            kept.add(part[~docs[(part & low).astype(np.int64)]])
        for part in rows.parts():
            kept.add(part)
        return kept
