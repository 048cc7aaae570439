"""The command line: ``python -m dedup scan FOLDER``.

Results go to stdout; warnings, errors and progress to stderr (progress only when stderr
is a terminal). Exit status: 0 when the scan ran, 1 with ``--fail-on-duplicates`` when
anything was found, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    from ._report import FORMATS

    parser = argparse.ArgumentParser(
        prog="dedup",
        description="Find near-duplicate, syndicated and paraphrased text.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    scan = commands.add_parser(
        "scan",
        help="find duplicate and derived pairs among the files of a folder",
        description="Read the .txt and .md files under FOLDER (recursively) and report every pair of "
        "documents that are exact copies, near-duplicates (edited, truncated or wrapped copies) or "
        "paraphrases of each other, and the groups the pairs form. Independent texts on the same "
        "subject are not reported.",
    )
    scan.add_argument("folder", metavar="FOLDER", help="folder to scan (a single file is also accepted)")
    scan.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format: a readable table (text, default), one JSON document with pairs "
        "and groups (json), one JSON object per pair (jsonl), or one CSV row per pair (csv)",
    )
    scan.add_argument(
        "--fail-on-duplicates",
        action="store_true",
        help="exit with status 1 when any pair is found (default: 0 whenever the scan ran)",
    )
    scan.add_argument(
        "--extensions",
        default=".txt,.md",
        metavar="LIST",
        help="comma-separated file suffixes to read (default: .txt,.md)",
    )
    scan.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="N",
        help="skip files larger than N bytes, with a warning (default: 20 MiB)",
    )
    scan.add_argument(
        "--paraphrase-score",
        type=_fraction,
        default=None,
        metavar="X",
        help="rewrite score from which a pair is a paraphrase (default: the tuned value)",
    )
    scan.add_argument(
        "--near-duplicate-containment",
        type=_fraction,
        default=None,
        metavar="X",
        help="n-gram containment from which a pair is a near-duplicate (default: the tuned value)",
    )
    return parser


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{message}", end="", file=sys.stderr, flush=True)


def _scan(args: argparse.Namespace) -> int:
    from ._detector import Detector
    from ._exceptions import MissingPathError
    from ._io import MAX_BYTES, read_folder
    from ._report import render

    skipped: list[tuple[str, str]] = []

    def on_skip(path: str, reason: str) -> None:
        skipped.append((path, reason))
        print(f"dedup: warning: {path}: {reason}", file=sys.stderr)

    suffixes = tuple(
        s.strip() if s.strip().startswith(".") else "." + s.strip() for s in args.extensions.split(",") if s.strip()
    )
    settings = {
        name: value
        for name, value in (
            ("paraphrase_score", args.paraphrase_score),
            ("near_duplicate_containment", args.near_duplicate_containment),
        )
        if value is not None
    }
    try:
        docs = []
        for n, doc in enumerate(read_folder(args.folder, suffixes, on_skip, args.max_bytes or MAX_BYTES), 1):
            docs.append(doc)
            if n % 100 == 0:
                _progress(f"read {n} files")
    except MissingPathError as err:
        print(f"dedup: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    _progress(f"comparing {len(docs)} documents\n")
    result = Detector(**settings).scan(docs)
    sys.stdout.write(render(result, args.format, skipped, dict(docs)))
    return EXIT_FOUND if args.fail_on_duplicates and result.pairs else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.max_bytes is not None and args.max_bytes < 1:
        parser.error("--max-bytes must be at least 1")
    return _scan(args)
