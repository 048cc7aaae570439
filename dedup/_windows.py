"""The window rows of a batch, split by key range, held in memory up to a budget and spilled
to temporary files past it.

With ``partial_reuse`` a scan makes a few hundred window rows a text (``_fingerprint.window_rows``,
8 bytes each): more than all else it holds for the text. A row goes to the part of its key's
high bits, so that each part holds every holder of its keys and the pairs sharing keys are
counted a part at a time (``_candidates.passage_candidates``), as the Dask engine counts them a
bucket at a time. Past :data:`SPILL_AFTER` bytes the parts are appended to unnamed temporary
files (in ``TMPDIR``, deleted with the rows) and read back one at a time.
"""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterator
from typing import IO

import numpy as np

from ._types import U64, Bools

#: Bytes of window rows a batch holds in memory before it spills them to temporary files.
SPILL_AFTER = 1 << 28
#: The key ranges the rows are split into (a power of two): a part is this fraction of them.
PARTS = 16


class WindowRows:
    """The window rows of a batch, by key range: rows in, parts out.

    Examples
    --------
    >>> rows = WindowRows(spill_after=16)
    >>> rows.add(np.array([1, 2**63 + 5, 3, 2**63 + 4], dtype=np.uint64))
    >>> rows.spilled, len(rows), [part.tolist() for part in rows.parts() if len(part)]
    (True, 4, [[1, 3], [9223372036854775813, 9223372036854775812]])
    """

    def __init__(self, spill_after: int | None = None) -> None:
        self._spill_after = SPILL_AFTER if spill_after is None else spill_after
        self._held: list[list[U64]] = [[] for _ in range(PARTS)]
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
        """Add rows, each to the part of its key range."""
        part = (rows >> np.uint64(64 - (PARTS - 1).bit_length())).astype(np.intp)
        order = np.argsort(part, kind="stable")
        ends = np.cumsum(np.bincount(part, minlength=PARTS))
        for k, (start, end) in enumerate(zip(ends - np.bincount(part, minlength=PARTS), ends, strict=True)):
            if end > start:
                self._held[k].append(rows[order[start:end]])
        self._rows += len(rows)
        self._held_bytes += rows.nbytes
        if self._held_bytes > self._spill_after:
            self._spill()

    def _spill(self) -> None:
        if not self._files:
            try:
                self._files = [tempfile.TemporaryFile(prefix="dedup-windows-") for _ in range(PARTS)]  # noqa: SIM115
            except OSError as err:
                raise OSError(
                    f"cannot keep the window rows in temporary files ({err}); set TMPDIR to a writable folder"
                ) from err
            for file in self._files:
                weakref.finalize(self, file.close)
        for file, held in zip(self._files, self._held, strict=True):
            for rows in held:
                file.write(rows.data)
            held.clear()
        self._held_bytes = 0

    def parts(self) -> Iterator[U64]:
        """Each part's rows, a new array each (the caller may sort it in place)."""
        for k in range(PARTS):
            pieces = list(self._held[k])
            if self._files:
                file = self._files[k]
                file.seek(0)
                pieces.append(np.fromfile(file, dtype=np.uint64))
                file.seek(0, 2)
            yield np.concatenate([np.zeros(0, dtype=np.uint64), *pieces])

    def without(self, docs: Bools, bits: int) -> WindowRows:
        """The rows of the documents (in the low ``bits`` of a row) where ``docs`` is false."""
        kept = WindowRows(self._spill_after)
        low = np.uint64((1 << bits) - 1)
        for part in self.parts():
            kept.add(part[~docs[(part & low).astype(np.int64)]])
        return kept
