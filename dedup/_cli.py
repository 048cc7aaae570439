"""The command line: ``python -m dedup scan FOLDER`` and ``python -m dedup index add|query``.

Results go to stdout; warnings, errors and progress to stderr (progress only when stderr
is a terminal). Exit status: 0 when the command ran, 1 with ``--fail-on-duplicates`` when
anything was found, 2 on a usage error or an index that cannot be read or written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    from ._detector import Detector, ScanResult

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class _Failed(Exception):
    """A command cannot run; the message says why (exit status 2)."""


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _options() -> dict[str, argparse.ArgumentParser]:
    """Groups of options shared by several commands."""
    from ._report import FORMATS

    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format: a readable table (text, default), one JSON document with pairs "
        "and groups (json), one JSON object per pair (jsonl), or one CSV row per pair (csv)",
    )
    output.add_argument(
        "--fail-on-duplicates",
        action="store_true",
        help="exit with status 1 when any pair is found (default: 0 whenever the command ran)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--extensions",
        default=".txt,.md",
        metavar="LIST",
        help="comma-separated file suffixes to read in folders (default: .txt,.md)",
    )
    reading.add_argument(
        "--max-bytes",
        type=_positive,
        default=None,
        metavar="N",
        help="skip files larger than N bytes, with a warning (default: 20 MiB)",
    )
    thresholds = argparse.ArgumentParser(add_help=False)
    thresholds.add_argument(
        "--paraphrase-score",
        type=_fraction,
        default=None,
        metavar="X",
        help="rewrite score from which a pair is a paraphrase (default: the tuned value, or the index's)",
    )
    thresholds.add_argument(
        "--near-duplicate-containment",
        type=_fraction,
        default=None,
        metavar="X",
        help="n-gram containment from which a pair is a near-duplicate (default: the tuned value, or the index's)",
    )
    index = argparse.ArgumentParser(add_help=False)
    index.add_argument(
        "--redis-prefix",
        default="dedup",
        metavar="NAME",
        help="with a redis:// index, the prefix of its keys (default: dedup)",
    )
    return {"output": output, "reading": reading, "thresholds": thresholds, "index": index}


def _parser() -> argparse.ArgumentParser:
    shared = _options()
    parser = argparse.ArgumentParser(
        prog="dedup",
        description="Find near-duplicate, syndicated and paraphrased text.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    scan = commands.add_parser(
        "scan",
        parents=[shared["output"], shared["reading"], shared["thresholds"], shared["index"]],
        help="find duplicate and derived pairs among the files of a folder",
        description="Read the .txt and .md files under FOLDER (recursively) and report every pair of "
        "documents that are exact copies, near-duplicates (edited, truncated or wrapped copies) or "
        "paraphrases of each other, and the groups the pairs form. Independent texts on the same "
        "subject are not reported. Documents are named by their path relative to FOLDER.",
    )
    scan.add_argument("folder", metavar="FOLDER", help="folder to scan (a single file is also accepted)")
    scan.add_argument(
        "--index",
        metavar="INDEX",
        help="also pair each file with the documents of this index (a folder made by 'dedup index add', "
        "or a redis:// URL), which is not changed",
    )

    index = commands.add_parser(
        "index",
        help="keep an index of documents to check new ones against",
        description="Add documents to an index and query it. INDEX is a folder (written atomically) "
        "or the URL of a Redis server (redis://HOST:PORT/DB) shared by several processes.",
    )
    actions = index.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[shared["output"], shared["reading"], shared["index"]],
        help="add files to an index and report what they match",
        description="Add the files PATH... (folders are read recursively) to INDEX, creating it if needed, "
        "and report the pairs each new document makes with the documents indexed before it. A document's "
        "id is its path as given (for a folder, the folder joined with the file's relative path); adding "
        "an id again replaces its document.",
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="file or folder to add")
    add.add_argument("--index", required=True, metavar="INDEX", help="index folder or redis:// URL")
    query = actions.add_parser(
        "query",
        parents=[shared["output"], shared["thresholds"], shared["index"]],
        help="report the indexed documents a file matches",
        description="Report the pairs FILE makes with the documents of INDEX; the index is not changed. "
        "An indexed document with the same id as FILE is left out.",
    )
    query.add_argument("file", metavar="FILE", help="text file to check ('-' reads standard input)")
    query.add_argument("--index", required=True, metavar="INDEX", help="index folder or redis:// URL")
    query.add_argument(
        "--max-bytes",
        type=_positive,
        default=None,
        metavar="N",
        help="refuse a FILE larger than N bytes (default: 20 MiB)",
    )
    return parser


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{message}", end="", file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """The thresholds given on the command line."""
    names = ("paraphrase_score", "near_duplicate_containment")
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


def _open_index(location: str, prefix: str, create: bool, settings: dict[str, Any]) -> Detector:
    from ._detector import Detector

    if location.startswith(_REDIS_SCHEMES):
        try:
            import redis
        except ImportError:
            raise _Failed("a redis:// index needs the redis client: pip install 'dedup[redis]'") from None
        try:
            return Detector.connect(location, prefix, **settings)
        except redis.RedisError as err:
            raise _Failed(f"cannot use the Redis index at {location}: {err}") from None
    if create and not (Path(location) / "manifest.json").exists():
        return Detector(**settings)
    return Detector.load(location, **settings)


class _Files:
    """Reads the documents of files and folders, reporting the files it skips on stderr."""

    def __init__(self, args: argparse.Namespace) -> None:
        from ._io import MAX_BYTES

        self.skipped: list[tuple[str, str]] = []
        self.max_bytes = args.max_bytes or MAX_BYTES
        extensions = getattr(args, "extensions", "")
        self.suffixes = tuple(
            s.strip() if s.strip().startswith(".") else "." + s.strip() for s in extensions.split(",") if s.strip()
        )

    def on_skip(self, path: str, reason: str) -> None:
        self.skipped.append((path, reason))
        print(f"dedup: warning: {path}: {reason}", file=sys.stderr)

    def folder(self, folder: str, prefix: str | None = None) -> list[tuple[str, str]]:
        """``(name, text)`` of the files under ``folder``, named relative to it or joined to ``prefix``."""
        from ._io import read_folder

        docs = []
        for n, (name, text) in enumerate(read_folder(folder, self.suffixes, self.on_skip, self.max_bytes), 1):
            docs.append((name if prefix is None else (Path(prefix) / name).as_posix(), text))
            if n % 100 == 0:
                _progress(f"read {n} files")
        return docs

    def paths(self, paths: Sequence[str]) -> list[tuple[str, str]]:
        """``(id, text)`` of the files named or found under ``paths``, ids being paths as given."""
        docs = []
        for path in paths:
            if Path(path).is_file():
                docs += [(path, text) for _, text in self.folder(path)]
            else:
                docs += self.folder(path, prefix=path)
        return docs

    def one(self, path: str) -> tuple[str, str]:
        """``(name, text)`` of one file, or of standard input for ``-``."""
        from ._exceptions import InputError
        from ._io import decode, read_text

        try:
            if path == "-":
                data = sys.stdin.buffer.read(self.max_bytes + 1)
                if len(data) > self.max_bytes:
                    raise InputError(f"larger than {self.max_bytes} bytes")
                return "<stdin>", decode(data, "<stdin>", self.on_skip)
            return path, read_text(path, path, self.on_skip, self.max_bytes)
        except InputError as err:
            raise _Failed(f"{path}: {err}") from None


def _report(result: ScanResult, args: argparse.Namespace, skipped: list[tuple[str, str]]) -> int:
    from ._report import render

    sys.stdout.write(render(result, args.format, skipped))
    return EXIT_FOUND if args.fail_on_duplicates and result.pairs else EXIT_OK


def _scan(args: argparse.Namespace) -> int:
    from ._detector import Detector

    files = _Files(args)
    docs = files.folder(args.folder)
    _progress(f"comparing {len(docs)} documents\n")
    if args.index is None:
        detector = Detector(**_settings(args))
    else:
        detector = _open_index(args.index, args.redis_prefix, create=False, settings=_settings(args))
    return _report(detector.scan(docs, with_index=args.index is not None), args, files.skipped)


def _index(args: argparse.Namespace) -> int:
    files = _Files(args)
    if args.action == "query":
        doc = files.one(args.file)
        detector = _open_index(args.index, args.redis_prefix, create=False, settings=_settings(args))
        return _report(detector.scan([doc], with_index=True), args, files.skipped)
    docs = files.paths(args.paths)
    detector = _open_index(args.index, args.redis_prefix, create=True, settings={})
    _progress(f"adding {len(docs)} documents\n")
    result = detector.add_many(docs)
    if not args.index.startswith(_REDIS_SCHEMES):
        detector.save(args.index)
    return _report(result, args, files.skipped)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from ._exceptions import InputError

    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _scan(args) if args.command == "scan" else _index(args)
    except (_Failed, InputError, OSError) as err:  # OSError: an index that cannot be written
        print(f"dedup: error: {err}", file=sys.stderr)
        return EXIT_USAGE
