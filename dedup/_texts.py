"""The texts of a batch, held in memory up to a budget and spilled to a temporary file past it.

A scan reads each text three times (keying its lines, fingerprinting it, and once more if it
is in a pair) but never needs them all at once, so a day's dump need not fit in memory: past
:data:`SPILL_AFTER` bytes the texts are written, UTF-8 encoded, to one unnamed temporary file
(in ``TMPDIR``, deleted when the batch is) and read back by offset. Reads use ``os.pread``,
which is safe from several threads and goes through the page cache, not the process's
memory.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, overload

#: Bytes of text a batch holds in memory before it spills its texts to a temporary file.
SPILL_AFTER = 1 << 28
_READ_BYTES = 1 << 22  # read back at a time when the texts are iterated in order


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # lone surrogates survive the round trip


def spill_file(owner: object, what: str) -> IO[bytes]:
    """A temporary file for ``what`` ``owner`` holds, closed (and so deleted) with it; where it
    cannot be made, an ``OSError`` says to point ``TMPDIR`` elsewhere."""
    # Unnamed where the system allows (Linux): gone with the process, however it ends.
    try:
        file = tempfile.TemporaryFile(prefix="dedup-")  # noqa: SIM115 (lives as long as its owner)
    except OSError as err:
        raise OSError(f"cannot keep {what} in a temporary file ({err}); set TMPDIR to a writable folder") from err
    weakref.finalize(owner, file.close)
    return file


class Texts(Sequence[str]):
    """A sequence of texts that spills to a temporary file past ``spill_after`` bytes.

    Examples
    --------
    >>> texts = Texts(["Flood repairs close the library.", "Über"], spill_after=10)
    >>> texts.spilled, len(texts), texts[1], list(texts) == [texts[0], "Über"]
    (True, 2, 'Über', True)
    """

    def __init__(self, texts: Iterable[str] = (), spill_after: int | None = None) -> None:
        self._spill_after = SPILL_AFTER if spill_after is None else spill_after
        self._held: list[str] = []
        self._held_bytes = 0
        self._file: IO[bytes] | None = None
        self._ends = array("q")  # end offset of each spilled text in the file
        for text in texts:
            self.append(text)

    @property
    def spilled(self) -> bool:
        """Whether the texts are in a temporary file."""
        return self._file is not None

    def append(self, text: str) -> None:
        """Add a text at the end."""
        if self._file is None:
            self._held.append(text)
            self._held_bytes += len(text)  # characters: a cheap lower bound on the bytes
            if self._held_bytes > self._spill_after:
                self._spill()
            return
        data = _encode(text)
        self._file.write(data)
        self._ends.append(self._ends[-1] + len(data) if self._ends else len(data))

    def _spill(self) -> None:
        self._file = spill_file(self, "the texts")
        held, self._held = self._held, []
        for text in held:
            self.append(text)

    def __len__(self) -> int:
        return len(self._ends) if self._file is not None else len(self._held)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._file is None:
            return self._held[index]
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[k] for k in range(start, stop, step)]
            return self._read(start, stop)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("text index out of range")
        return self._read(index, index + 1)[0]

    def _read(self, start: int, stop: int) -> list[str]:
        """Texts ``start`` to ``stop - 1``, with one read of the file."""
        assert self._file is not None
        if start >= stop:
            return []
        self._file.flush()
        first = self._ends[start - 1] if start else 0
        data = os.pread(self._file.fileno(), self._ends[stop - 1] - first, first)
        cuts = [0, *(end - first for end in self._ends[start:stop])]
        return [data[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(cuts)]

    def __iter__(self) -> Iterator[str]:
        if self._file is None:
            yield from self._held
            return
        start = 0
        while start < len(self):
            stop = start + 1
            first = self._ends[start - 1] if start else 0
            while stop < len(self) and self._ends[stop] - first <= _READ_BYTES:
                stop += 1
            yield from self._read(start, stop)
            start = stop
