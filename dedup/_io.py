"""File input: the documents of a folder or a stream, read without ever losing or corrupting one silently.

Documents come from text files (``.txt``, ``.md``), web pages (``.html``, ``.htm``: the
main text, extracted with trafilatura, optional extra ``html``), JSON lines (``.jsonl``
or a stream: one document per line) and web archives (``.warc``, ``.warc.gz``: every
HTML or plain-text response, optional extra ``warc``).

A file, record or line that cannot be used is skipped with a :class:`SkippedFileWarning`
naming it (or a callback of the caller's); a file that is not valid UTF-8 is decoded as
cp1252, with a warning, rather than dropped. Nothing read is ever evaluated or unpickled.
"""

from __future__ import annotations

import codecs
import importlib
import json
import os
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from ._config import check_int
from ._exceptions import ConfigError, InputError, MissingDependencyError, MissingPathError

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
WARC_SUFFIXES = (".warc", ".warc.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES
TIME_SOURCES = ("field", "mtime", "none")
TIME_FIELDS = ("published", "timestamp")  # looked for in a JSON record, in this order
MAX_BYTES = 20 * 1024 * 1024  # far above any article; bounds the memory a scan needs
_SNIFF = 8192  # bytes looked at for binary content

OnSkip = Callable[[str, str], None]
#: ``(doc_id, text, timestamp)``, the timestamp in POSIX seconds or ``None``.
Document = tuple[str, str, float | None]


class SkippedFileWarning(UserWarning):
    """A file was skipped or read with a fallback; the message names it and says why."""


def warn(path: str, reason: str) -> None:
    """The default ``on_skip``: a :class:`SkippedFileWarning`."""
    warnings.warn(f"{path}: {reason}", SkippedFileWarning, stacklevel=3)


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read.

    Parameters
    ----------
    suffixes : tuple of str
        File suffixes read from a folder.
    max_bytes : int
        Files (and JSON lines and web archive records) larger than this are skipped.
    text_field : str
        The field of a JSON record holding the document's text.
    id_field : str or None
        The field of a JSON record holding its id; ``None`` names each record
        ``FILE:LINE``.
    time_from : {"field", "mtime", "none"}
        Where timestamps come from: a JSON record's ``time_field``, the files'
        modification times, or nowhere.
    time_field : str or None
        The JSON field with the publication time (POSIX seconds or ISO 8601); ``None``
        looks for ``published``, then ``timestamp``.
    """

    suffixes: tuple[str, ...] = SUFFIXES
    max_bytes: int = MAX_BYTES
    text_field: str = "text"
    id_field: str | None = None
    time_from: str = "field"
    time_field: str | None = None

    def __post_init__(self) -> None:
        check_int("max_bytes", self.max_bytes, 1)
        if self.time_from not in TIME_SOURCES:
            raise ConfigError(f"time_from must be one of {', '.join(TIME_SOURCES)}, got {self.time_from!r}")
        for name in ("text_field", "id_field", "time_field"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value):
                raise ConfigError(f"{name} must be a non-empty string, got {value!r}")


def _optional(module: str, extra: str, what: str) -> ModuleType:
    """Import an optional dependency, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"reading {what} needs the optional '{extra}' dependencies: pip install 'dedup[{extra}]'"
        ) from None


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


def _open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading; raises :class:`InputError` for anything else.

    The open does not block, so that a named pipe cannot hang a scan; it is then refused.
    """
    f = os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
        f.close()
        raise InputError("not a regular file")
    return f


def _read_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    try:
        with _open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise InputError(f"larger than {max_bytes} bytes ({size})")
            data = f.read(_SNIFF)
            if not _is_utf16(data):  # a binary file is refused before the rest is read
                _check_not_binary(data)
            data += f.read(max_bytes + 1 - len(data))
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:  # it grew after fstat
        raise InputError(f"larger than {max_bytes} bytes")
    return data


def _usable(text: str | None) -> str:
    if text is None or not text.strip():
        raise InputError("empty" if text is not None else "no main text found")
    return text


def read_text(
    path: str | os.PathLike[str], name: str | None = None, on_skip: OnSkip = warn, max_bytes: int = MAX_BYTES
) -> str:
    """Read one text file; raises :class:`InputError` saying why it cannot be used."""
    return _usable(decode(_read_bytes(path, max_bytes), name or os.fspath(path), on_skip))


def html_text(data: bytes) -> str | None:
    """The main text of a web page (without navigation, comments and other chrome), if any.

    Raises :class:`MissingDependencyError` without the ``html`` extra.
    """
    trafilatura = _optional("trafilatura", "html", "web pages")
    text: str | None = trafilatura.extract(data, include_comments=False, include_tables=True, deduplicate=False)
    return text


def parse_time(value: object) -> float:
    """POSIX seconds from a number or an ISO 8601 string (UTC unless it says otherwise).

    Examples
    --------
    >>> parse_time("2024-04-17T09:30:00Z"), parse_time(1713346200)
    (1713346200.0, 1713346200.0)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e11:
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    raise ValueError(f"not a time: {value!r:.40}")


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of a binary stream, a line longer than ``limit`` bytes cut to ``limit + 1``.

    The rest of an over-long line is read in pieces and dropped, so that one huge line
    cannot take all memory.
    """
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit + 1)) and not rest.endswith(b"\n"):
                pass
        yield line


def read_jsonl(stream: Iterable[bytes], name: str, options: ReadOptions, on_skip: OnSkip = warn) -> Iterator[Document]:
    """The documents of a JSON lines stream, one JSON object per line.

    Lines that are blank are passed over; lines that are not a JSON object, or lack a
    text (or the id field asked for), are skipped with a warning naming ``name:LINE``.

    Examples
    --------
    >>> lines = [b'{"id": "a", "text": "Troops left.", "published": "2024-04-17T09:30:00Z"}', b'{oops']
    >>> list(read_jsonl(lines, "feed.jsonl", ReadOptions(id_field="id"), on_skip=print))
    feed.jsonl:2 skipped: invalid JSON: Expecting property name enclosed in double quotes (column 2)
    [('a', 'Troops left.', 1713346200.0)]
    """
    time_fields = (options.time_field,) if options.time_field else TIME_FIELDS
    for number, line in enumerate(stream, 1):
        where = f"{name}:{number}"
        if len(line) > options.max_bytes:
            on_skip(where, f"skipped: longer than {options.max_bytes} bytes")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as err:
            reason = f"{err.msg} (column {err.colno})" if isinstance(err, json.JSONDecodeError) else str(err)
            on_skip(where, f"skipped: invalid JSON: {reason}")
            continue
        if not isinstance(record, dict):
            on_skip(where, "skipped: not a JSON object")
            continue
        text = record.get(options.text_field)
        if not isinstance(text, str) or not text.strip():
            problem = "no" if text is None else "an empty" if isinstance(text, str) else "a non-text"
            on_skip(where, f"skipped: {problem} {options.text_field!r} field")
            continue
        doc_id = where
        if options.id_field is not None:
            value = record.get(options.id_field)
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                on_skip(where, f"skipped: no usable {options.id_field!r} field")
                continue
            doc_id = str(value)
        timestamp = None
        if options.time_from == "field":
            field = next((f for f in time_fields if record.get(f) is not None), None)
            if field is not None:
                try:
                    timestamp = parse_time(record[field])
                except (ValueError, OverflowError, OSError):
                    on_skip(where, f"unreadable {field!r} {record[field]!r:.40}; no timestamp")
        yield doc_id, text, timestamp


def read_warc(path: Path, name: str, options: ReadOptions, on_skip: OnSkip = warn) -> Iterator[Document]:
    """The HTML and plain-text responses of a web archive, by target URI.

    Raises :class:`MissingDependencyError` without the ``warc`` extra (and the ``html``
    extra for archives with web pages).
    """
    iterator = _optional("warcio.archiveiterator", "warc", "web archives")
    with _open_regular(path) as stream:
        records = iterator.ArchiveIterator(stream)
        number = 0
        try:
            for record in records:
                if record.rec_type not in ("response", "resource"):
                    continue
                number += 1
                headers = record.http_headers or record.rec_headers
                kind = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
                if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{name}#{number}"
                data = record.content_stream().read(options.max_bytes + 1)
                try:
                    if len(data) > options.max_bytes:
                        raise InputError(f"larger than {options.max_bytes} bytes")
                    text = _usable(html_text(data) if kind != "text/plain" else decode(data, uri, on_skip))
                except InputError as err:
                    on_skip(f"{name}: {uri}", f"skipped: {err}")
                    continue
                yield uri, text, None
        except Exception as err:  # warcio raises many kinds on a damaged archive
            if isinstance(err, MissingDependencyError):
                raise
            on_skip(name, f"damaged web archive; stopped reading after {number} records: {err}")


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


def _read_file(name: str, path: Path, options: ReadOptions, on_skip: OnSkip) -> Iterator[Document]:
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        with _open_regular(path) as stream:
            yield from read_jsonl(bounded_lines(stream, options.max_bytes), name, options, on_skip)
    elif lower.endswith(WARC_SUFFIXES):
        yield from read_warc(path, name, options, on_skip)
    elif lower.endswith(HTML_SUFFIXES):
        yield name, _usable(html_text(_read_bytes(path, options.max_bytes))), None
    else:
        yield name, read_text(path, name, on_skip, options.max_bytes), None


def read_folder(
    folder: str | os.PathLike[str],
    options: ReadOptions | None = None,
    on_skip: OnSkip = warn,
    path_names: bool = False,
) -> Iterator[Document]:
    """``(doc_id, text, timestamp)`` for every usable document under ``folder`` (or in one file).

    Files are named by their path relative to ``folder``, or with ``path_names`` by their
    path (``folder`` joined with the relative path, or ``folder`` itself when it is a
    file), which keeps the documents of several folders apart; what cannot be used is
    reported through ``on_skip(name, reason)`` and left out.

    Examples
    --------
    >>> docs = list(read_folder("seeds"))
    >>> [(doc_id, timestamp) for doc_id, _, timestamp in docs[:2]]
    [('000_2695219b5c5df16e.txt', None), ('001_32374ae3f19f7e7d.txt', None)]
    """
    options = options or ReadOptions()
    for relative, path in iter_files(folder, options.suffixes, on_skip):
        name = path.as_posix() if path_names else relative
        try:
            mtime = os.stat(path).st_mtime if options.time_from == "mtime" else None
            for doc_id, text, timestamp in _read_file(name, path, options, on_skip):
                yield doc_id, text, mtime if mtime is not None else timestamp
        except InputError as err:
            on_skip(name, f"skipped: {err}")
        except OSError as err:
            on_skip(name, f"skipped: cannot read: {err.strerror or err}")
