"""File input: the documents of a folder, read without ever losing or corrupting one silently.

A file that cannot be used is skipped with a :class:`SkippedFileWarning` naming it (or a
callback of the caller's); a file that is not valid UTF-8 is decoded as cp1252, with a
warning, rather than dropped.
"""

from __future__ import annotations

import codecs
import os
import stat
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from ._exceptions import InputError, MissingPathError

TEXT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 20 * 1024 * 1024  # far above any article; bounds the memory a scan needs
_SNIFF = 8192  # bytes looked at for binary content

OnSkip = Callable[[str, str], None]


class SkippedFileWarning(UserWarning):
    """A file was skipped or read with a fallback; the message names it and says why."""


def warn(path: str, reason: str) -> None:
    """The default ``on_skip``: a :class:`SkippedFileWarning`."""
    warnings.warn(f"{path}: {reason}", SkippedFileWarning, stacklevel=3)


def _is_utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _check_not_binary(data: bytes) -> None:
    if b"\x00" in data[:_SNIFF]:
        raise InputError("binary file (contains NUL bytes)")


def decode(data: bytes, path: str, on_skip: OnSkip = warn) -> str:
    """Text of a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

    Raises :class:`InputError` for binary data.
    """
    if _is_utf16(data):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"invalid UTF-16: {err.reason}") from None
    _check_not_binary(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        on_skip(path, "not valid UTF-8; decoded as cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        on_skip(path, "not valid UTF-8 or cp1252; decoded as latin-1")
    return text


def read_text(
    path: str | os.PathLike[str], name: str | None = None, on_skip: OnSkip = warn, max_bytes: int = MAX_BYTES
) -> str:
    """Read one text file; raises :class:`InputError` saying why it cannot be used."""
    label = name or os.fspath(path)
    try:
        # Non-blocking, so that opening a named pipe cannot hang; it is then refused below.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            status = os.fstat(f.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise InputError("not a regular file")
            if status.st_size > max_bytes:
                raise InputError(f"larger than {max_bytes} bytes ({status.st_size})")
            data = f.read(_SNIFF)
            if not _is_utf16(data):  # a binary file is refused before the rest is read
                _check_not_binary(data)
            data += f.read(max_bytes + 1 - len(data))
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:  # it grew after fstat
        raise InputError(f"larger than {max_bytes} bytes")
    text = decode(data, label, on_skip)
    if not text.strip():
        raise InputError("empty")
    return text


def iter_files(
    folder: str | os.PathLike[str], suffixes: tuple[str, ...] = TEXT_SUFFIXES, on_skip: OnSkip = warn
) -> Iterator[tuple[str, Path]]:
    """Paths under ``folder`` (recursively, sorted) whose suffix is in ``suffixes``.

    Yields ``(relative_name, path)``. Symbolic links to folders are not followed, so a
    link loop cannot trap the walk; unreadable folders are reported and skipped.
    """
    root = Path(folder)
    if not root.exists():
        raise MissingPathError(f"no such file or folder: {os.fspath(folder)}")
    if root.is_file():
        yield root.name, root
        return
    wanted = tuple(s.lower() for s in suffixes)

    def on_error(err: OSError) -> None:
        on_skip(
            os.path.relpath(err.filename, root) if err.filename else os.fspath(root),
            f"cannot read folder: {err.strerror}",
        )

    for current, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        for file in sorted(files):
            if file.lower().endswith(wanted):
                path = Path(current, file)
                yield path.relative_to(root).as_posix(), path


def read_folder(
    folder: str | os.PathLike[str],
    suffixes: tuple[str, ...] = TEXT_SUFFIXES,
    on_skip: OnSkip = warn,
    max_bytes: int = MAX_BYTES,
) -> Iterator[tuple[str, str]]:
    """``(relative_name, text)`` for every usable text file under ``folder``.

    Files that cannot be used are reported through ``on_skip(name, reason)`` and left out.

    Examples
    --------
    >>> docs = dict(read_folder("seeds"))
    >>> sorted(docs)[:2]
    ['000_2695219b5c5df16e.txt', '001_32374ae3f19f7e7d.txt']
    """
    for name, path in iter_files(folder, suffixes, on_skip):
        try:
            yield name, read_text(path, name, on_skip, max_bytes)
        except InputError as err:
            on_skip(name, f"skipped: {err}")
