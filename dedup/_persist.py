"""Saving and loading an index: a folder of ``.npy`` arrays and a JSON manifest, written atomically.

An index folder holds::

    manifest.json                what made the index, its settings, and a checksum of every file
    ids-<digest>.json            document ids, oldest first
    signatures-<digest>.npy      uint32 (n, num_perm): MinHash signatures
    sizes-<digest>.npy           int64 (n,): distinct shingles per document
    token_hashes-<digest>.npy    uint32: the token hashes of all documents, one after the other
    token_flags-<digest>.npy     uint8: their flags
    token_bounds-<digest>.npy    int64 (n + 1,): document i owns tokens bounds[i]:bounds[i + 1]
    timestamps-<digest>.npy      float64 (n,): POSIX seconds, NaN where a document has none
    texts-<digest>.json          the documents' texts (null where not kept), only when any is kept
    .lock                        held while saving (exclusive) and loading (shared)

A data file is named by the digest of its content and written under a temporary name,
flushed to disk and renamed into place; the manifest is written the same way, last, and
files it no longer names are deleted after it. A process killed at any moment during a
save therefore leaves either the previous manifest with the files it names, or the new
one with its files. Nothing is unpickled: arrays are read with ``allow_pickle=False`` and
every file is checked against the SHA-256 the manifest records before it is parsed. The
checksums detect corruption, truncation and edits; they are not a signature against
someone who can rewrite the manifest too.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, fields
from importlib import resources
from pathlib import Path
from typing import IO, Any

import numpy as np

from ._config import LANGUAGES, DetectorConfig
from ._exceptions import IndexLoadError, InputError, MissingPathError
from ._lsh import band_keys
from ._minhash import MinHasher
from ._store import Documents
from ._tokenize import Tokens, tokenize

FORMAT = "dedup-index"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LOCK = ".lock"
#: Settings the stored arrays depend on. The others (LSH banding, thresholds, ``max_age``)
#: apply when querying, so an index loads with them changed.
SIGNATURE_SETTINGS = ("num_perm", "seed", "scheme", "ngram", "stopwords", "language")
#: Array files and the dtype each is stored as (little-endian whatever the machine).
ARRAYS = {
    "signatures": "<u4",
    "sizes": "<i8",
    "token_hashes": "<u4",
    "token_flags": "|u1",
    "token_bounds": "<i8",
    "timestamps": "<f8",
}
_DATA_FILE = re.compile(r"[a-z_]+-[0-9a-f]{16}\.(npy|json)")
_TEMPORARY_PREFIX = ".tmp-"
_MAX_MANIFEST_BYTES = 1 << 20
# Tokenised, shingled, signed and banded to fingerprint the hashing that stored arrays depend on.
_PROBE = "The 2,000 “Ünïcödé” ﬁles — Добрый день, नमस्ते. 3.5 CAFÉ\nnew LINE! 東京 straße สวัสดี"


@functools.cache
def pipeline() -> dict[str, str]:
    """Digests of what turns text into the stored arrays.

    ``stopwords`` is the SHA-256 of the stop word lists of every language; ``hashing`` that
    of the token hashes, flags, bigram signature and band keys of a fixed probe text, so any
    change to tokenising, token, shingle or signature hashing, or banding changes it.
    """
    package = resources.files(__package__)
    names = ["stopwords.txt" if language == "en" else f"stopwords-{language}.txt" for language in LANGUAGES]
    stopwords = b"".join(package.joinpath(name).read_bytes() for name in names)
    tokens = tokenize([_PROBE])
    signature = MinHasher(num_perm=16, seed=1, ngram=2).signatures_of(tokens)
    probe = (tokens.hashes, tokens.flags, signature, band_keys(signature, 8, 2))
    return {
        "stopwords": hashlib.sha256(stopwords).hexdigest(),
        "hashing": hashlib.sha256(b"".join(a.tobytes() for a in probe)).hexdigest(),
    }


def header(config: DetectorConfig) -> dict[str, Any]:
    """What a stored index records about how it was made: format, versions and settings."""
    from . import __version__

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "pipeline": pipeline(),
        "config": asdict(config),
    }


def check_header(manifest: dict[str, Any], where: str) -> DetectorConfig:
    """The settings of a stored index, once its format, versions and pipeline are checked."""
    from . import __version__

    made_by = f"dedup {manifest.get('library_version', '(unknown version)')}"
    if manifest.get("format") != FORMAT:
        raise IndexLoadError(f"{where} is not a dedup index (format {manifest.get('format')!r})")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexLoadError(
            f"{where} has index format {version!r}, made by {made_by}; dedup {__version__} reads format "
            f"{FORMAT_VERSION}: rebuild the index from its documents"
        )
    stored_pipeline = manifest.get("pipeline")
    if not isinstance(stored_pipeline, dict):
        raise IndexLoadError(f"{where} does not record its tokeniser and hashing")
    for part, digest in pipeline().items():
        if stored_pipeline.get(part) != digest:
            what = "stop word list" if part == "stopwords" else "tokeniser or hashing"
            raise IndexLoadError(
                f"{where} was made by {made_by} with another {what} than dedup {__version__}'s: "
                "its signatures cannot be compared with new ones; rebuild the index from its documents"
            )
    settings = manifest.get("config")
    if not isinstance(settings, dict):
        raise IndexLoadError(f"{where} does not record its settings")
    known = {f.name for f in fields(DetectorConfig)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise IndexLoadError(f"{where} has settings unknown to dedup {__version__}: {', '.join(unknown)}")
    try:
        return DetectorConfig(**settings)
    except (InputError, ValueError, TypeError) as err:
        raise IndexLoadError(f"{where} has invalid settings: {err}") from None


def settle_config(
    stored: DetectorConfig,
    config: DetectorConfig | None,
    settings: dict[str, Any],
    fixed: tuple[str, ...],
    where: str,
) -> DetectorConfig:
    """The settings to use an index with: the stored ones, or those asked for if compatible.

    Raises :class:`IndexLoadError` naming every setting in ``fixed`` that differs.
    """
    wanted = config or stored
    wanted = wanted.replace(**settings) if settings else wanted
    differ = [
        f"{name} is {getattr(stored, name)!r} in the index, {getattr(wanted, name)!r} requested"
        for name in fixed
        if getattr(stored, name) != getattr(wanted, name)
    ]
    if differ:
        raise IndexLoadError(f"{where} was made with incompatible settings: {'; '.join(differ)}")
    return wanted


def _checksum(manifest: dict[str, Any]) -> str:
    rest = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True).encode()).hexdigest()


# -- writing --------------------------------------------------------------------------


class _HashingWriter:
    """A write-only file that hashes what goes through it."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        return self.file.write(data)


def _write(folder: Path, dump: Callable[[_HashingWriter], object]) -> tuple[Path, str]:
    """A temporary file in ``folder`` written through ``dump``, flushed to disk, and its SHA-256."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=_TEMPORARY_PREFIX, delete=False) as raw:
        try:
            writer = _HashingWriter(raw)
            dump(writer)
            raw.flush()
            os.fsync(raw.fileno())
        except BaseException:
            os.unlink(raw.name)
            raise
    return Path(raw.name), writer.sha256.hexdigest()


def _write_data(folder: Path, name: str, content: np.ndarray | bytes) -> dict[str, Any]:
    """Write an array (as ``.npy``, streamed in chunks) or JSON bytes under a name made of its digest."""
    if isinstance(content, bytes):
        temporary, digest = _write(folder, lambda f: f.write(content))
    else:
        temporary, digest = _write(folder, lambda f: np.save(f, content, allow_pickle=False))
    file = f"{name}-{digest[:16]}.{'json' if isinstance(content, bytes) else 'npy'}"
    os.replace(temporary, folder / file)
    return {"file": file, "sha256": digest, "bytes": (folder / file).stat().st_size}


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(folder: Path, exclusive: bool) -> Iterator[None]:
    """Hold the folder's lock: one saver at a time, and no loader while files are deleted."""
    lock_path = folder / LOCK
    try:
        lock = open(lock_path, "a+b" if exclusive else "rb")  # noqa: SIM115 (held across the yield)
    except FileNotFoundError:  # never saved to, or a read-only copy: nothing to wait for
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield


def save(path: str | os.PathLike[str], config: DetectorConfig, documents: Documents) -> None:
    """Write ``documents`` and ``config`` to the index folder ``path``, atomically."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    strangers = [
        p.name
        for p in folder.iterdir()
        if p.name not in (MANIFEST, LOCK)
        and not p.name.startswith(_TEMPORARY_PREFIX)
        and not _DATA_FILE.fullmatch(p.name)
    ]
    if strangers and not (folder / MANIFEST).exists():
        raise InputError(f"{folder} is not empty and is not a dedup index (it holds {strangers[0]!r})")
    tokens = documents.tokens
    arrays: dict[str, np.ndarray] = {
        "signatures": documents.signatures,
        "sizes": documents.sizes,
        "token_hashes": tokens.hashes,
        "token_flags": tokens.flags,
        "token_bounds": tokens.bounds,
        "timestamps": documents.timestamps,
    }
    with _locked(folder, exclusive=True):
        files = {
            name: _write_data(folder, name, array.astype(ARRAYS[name], copy=False)) for name, array in arrays.items()
        }
        files["ids"] = _write_data(folder, "ids", json.dumps(list(documents.ids)).encode("ascii"))
        if any(text is not None for text in documents.texts):
            # Raw UTF-8 rather than escapes: texts are most of an index that keeps them.
            texts = json.dumps(list(documents.texts), ensure_ascii=False).encode("utf-8", "surrogatepass")
            files["texts"] = _write_data(folder, "texts", texts)
        _fsync_folder(folder)  # the data files are in place before a manifest names them
        manifest = {**header(config), "documents": len(documents), "files": files}
        manifest["checksum"] = _checksum(manifest)
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        os.replace(_write(folder, lambda f: f.write(text.encode()))[0], folder / MANIFEST)
        _fsync_folder(folder)
        named = {entry["file"] for entry in files.values()}
        for p in folder.iterdir():
            stale = _DATA_FILE.fullmatch(p.name) and p.name not in named
            if stale or p.name.startswith(_TEMPORARY_PREFIX):
                p.unlink(missing_ok=True)


# -- reading --------------------------------------------------------------------------


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not folder.is_dir():
        raise MissingPathError(f"no such index folder: {folder}")
    if not path.is_file():
        raise IndexLoadError(f"{folder} is not a dedup index: it has no {MANIFEST}")
    with open(path, "rb") as f:
        data = f.read(_MAX_MANIFEST_BYTES + 1)
    try:
        if len(data) > _MAX_MANIFEST_BYTES:
            raise ValueError("too large")
        manifest = json.loads(data)
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except ValueError as err:
        raise IndexLoadError(f"{path} is corrupted: not a manifest ({err})") from None
    if manifest.get("checksum") != _checksum(manifest):
        raise IndexLoadError(f"{path} is corrupted or was edited: it does not match its checksum")
    return manifest


def _read_file(folder: Path, entry: Any, name: str) -> bytes:
    """The bytes of the data file that a manifest entry names, checked against its digest."""
    file, size = (entry.get("file"), entry.get("bytes")) if isinstance(entry, dict) else (None, None)
    if not isinstance(file, str) or not _DATA_FILE.fullmatch(file) or not file.startswith(name + "-"):
        raise IndexLoadError(f"{folder / MANIFEST} names no valid file for {name}")
    if not isinstance(size, int):
        raise IndexLoadError(f"{folder / MANIFEST} records no size for {file}")
    try:
        with open(folder / file, "rb") as f:
            data = f.read(size + 1)
    except OSError as err:
        raise IndexLoadError(f"{folder / file}: cannot read: {err.strerror or err}") from None
    if len(data) != size or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise IndexLoadError(f"{folder / file} is corrupted or truncated: it does not match its checksum")
    return data


def _read_array(folder: Path, files: dict[str, Any], name: str, shape: tuple[int | None, ...]) -> np.ndarray:
    data = _read_file(folder, files.get(name), name)
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as err:
        raise IndexLoadError(f"{folder / files[name]['file']} is not a valid array: {err}") from None
    expected = ARRAYS[name]
    if (
        array.dtype.str != expected
        or len(array.shape) != len(shape)
        or any(want is not None and got != want for got, want in zip(array.shape, shape, strict=True))
    ):
        raise IndexLoadError(
            f"{folder / files[name]['file']} holds {array.dtype.str} {array.shape}, expected {expected} {shape}"
        )
    return array.astype(np.dtype(expected).newbyteorder("="))


def stored_config(path: str | os.PathLike[str]) -> DetectorConfig:
    """The settings saved with the index folder ``path``, its manifest checked; no array is read."""
    folder = Path(path)
    with _locked(folder, exclusive=False):
        return check_header(_read_manifest(folder), f"the index {folder}")


def load(path: str | os.PathLike[str]) -> tuple[DetectorConfig, Documents]:
    """The settings and documents of the index folder ``path``, every file checked."""
    folder = Path(path)
    with _locked(folder, exclusive=False):
        manifest = _read_manifest(folder)
        where = f"the index {folder}"
        config = check_header(manifest, where)
        files = manifest.get("files")
        count = manifest.get("documents")
        if not isinstance(files, dict) or not isinstance(count, int) or count < 0:
            raise IndexLoadError(f"{folder / MANIFEST} does not describe its files")
        ids_data = _read_file(folder, files.get("ids"), "ids")
        signatures = _read_array(folder, files, "signatures", (count, config.num_perm))
        sizes = _read_array(folder, files, "sizes", (count,))
        hashes = _read_array(folder, files, "token_hashes", (None,))
        flags = _read_array(folder, files, "token_flags", (len(hashes),))
        bounds = _read_array(folder, files, "token_bounds", (count + 1,))
        timestamps = _read_array(folder, files, "timestamps", (count,))
        texts_data = _read_file(folder, files["texts"], "texts") if "texts" in files else None
    ids = _parse_json(ids_data)
    if (
        not isinstance(ids, list)
        or len(ids) != count
        or not all(isinstance(i, str) for i in ids)
        or len(set(ids)) != count
    ):
        raise IndexLoadError(f"{where}: its ids are not {count} distinct strings")
    texts = [None] * count if texts_data is None else _parse_json(texts_data)
    if not isinstance(texts, list) or len(texts) != count or not all(t is None or isinstance(t, str) for t in texts):
        raise IndexLoadError(f"{where}: its texts are not {count} strings or nulls")
    if bounds[0] != 0 or bounds[-1] != len(hashes) or (np.diff(bounds) < 0).any():
        raise IndexLoadError(f"{where}: its token bounds do not split its tokens")
    if (sizes < 0).any() or np.isinf(timestamps).any():
        raise IndexLoadError(f"{where}: it has negative sizes or infinite timestamps")
    return config, Documents(tuple(ids), signatures, sizes, Tokens(hashes, bounds, flags), timestamps, tuple(texts))


def _parse_json(data: bytes) -> Any:
    """The value of a JSON data file, ``None`` if it is not JSON (lone surrogates allowed)."""
    try:
        return json.loads(data.decode("utf-8", "surrogatepass"))
    except ValueError:
        return None
