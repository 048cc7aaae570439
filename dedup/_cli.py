"""The command line: ``python -m dedup scan SOURCE`` and ``python -m dedup eval KIND PATH``.

Results go to stdout; warnings, errors and progress to stderr (progress only when stderr
is a terminal). Exit status: 0 when the command ran, 1 with ``--fail-on-duplicates`` when
a scan found anything, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

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
    from ._eval import READERS
    from ._io import SUFFIXES, TIME_SOURCES
    from ._report import FORMATS

    parser = argparse.ArgumentParser(prog="dedup", description="Find near-duplicate, syndicated and paraphrased text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = commands.add_parser(
        "scan",
        help="find duplicate and derived pairs among the files of a folder",
        description="Read the documents under SOURCE (recursively): text files (.txt, .md), web pages "
        "(.html, .htm; main text only), JSON lines (.jsonl: one document per line) and web archives "
        "(.warc, .warc.gz); SOURCE '-' reads JSON lines from standard input. Report every pair of "
        "documents that are exact copies, near-duplicates (edited, truncated or wrapped copies) or "
        "paraphrases of each other, with their aligned passages and likely original, and the story "
        "groups they form around their sources. Independent texts on the same subject are not reported. "
        "Page chrome (lines such as 'Share.' and lines recurring across unrelated pages) is stripped first.",
    )
    scan.add_argument(
        "source", metavar="SOURCE", help="folder or file to scan, or '-' for JSON lines on standard input"
    )
    scan.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format: a readable report (text, default), one JSON document with pairs and "
        "jdupes-style matchSets (json), one JSON object per pair (jsonl), one CSV row per pair (csv), "
        "or a self-contained web page showing each pair side by side (html)",
    )
    scan.add_argument(
        "--fail-on-duplicates",
        action="store_true",
        help="exit with status 1 when any pair is found (default: 0 whenever the scan ran)",
    )
    scan.add_argument(
        "--extensions",
        default=",".join(SUFFIXES),
        metavar="LIST",
        help=f"comma-separated file suffixes to read (default: {','.join(SUFFIXES)})",
    )
    scan.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        metavar="N",
        help="skip files, JSON lines and archive records larger than N bytes, with a warning (default: 20 MiB)",
    )
    scan.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="field of a JSON line holding the document's text (default: text)",
    )
    scan.add_argument(
        "--id-field",
        default=None,
        metavar="NAME",
        help="field of a JSON line holding the document's id (default: none; documents are named FILE:LINE)",
    )
    scan.add_argument(
        "--time-from",
        choices=TIME_SOURCES,
        default="field",
        help="where publication times, which name the original of a pair, come from: a JSON line's time "
        "field (field, default), the files' modification times (mtime), or nowhere (none)",
    )
    scan.add_argument(
        "--time-field",
        default=None,
        metavar="NAME",
        help="field of a JSON line holding its publication time, POSIX seconds or ISO 8601 "
        "(default: published, else timestamp)",
    )
    scan.add_argument(
        "--keep-boilerplate",
        action="store_true",
        help="do not strip page chrome before comparing",
    )

    evaluate = commands.add_parser(
        "eval",
        help="measure detection quality on a labelled corpus",
        description="Run the detector with its defaults (or the thresholds given) on a labelled corpus and "
        "print precision, recall and F1 per verdict and for derived vs not derived, the gold categories "
        "against the predicted verdicts, the score distributions per gold category, and the pairs where "
        "the detector disagrees with the labels. Corpus kinds: clough (Clough & Stevenson's folder), "
        "semeval (SemEval-2022 Task 8 pairs.csv or its folder), mrpc (the MSR paraphrase TSV or its "
        'folder), pairs (JSON lines of {"a": text, "b": text, "label": gold}; see docs/quality.md).',
    )
    evaluate.add_argument("kind", metavar="KIND", choices=sorted(READERS), help="one of: " + ", ".join(sorted(READERS)))
    evaluate.add_argument("path", metavar="PATH", help="the corpus file or folder")
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="text tables (default) or JSON")

    for command in (scan, evaluate):
        command.add_argument(
            "--paraphrase-score",
            type=_fraction,
            default=None,
            metavar="X",
            help="rewrite score from which a pair is a paraphrase (default: the tuned value)",
        )
        command.add_argument(
            "--near-duplicate-containment",
            type=_fraction,
            default=None,
            metavar="X",
            help="n-gram containment from which a pair is a near-duplicate (default: the tuned value)",
        )
    return parser


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Detector settings given on the command line."""
    given = {"paraphrase_score": args.paraphrase_score, "near_duplicate_containment": args.near_duplicate_containment}
    if getattr(args, "keep_boilerplate", False):
        given["strip_boilerplate"] = False
    return {name: value for name, value in given.items() if value is not None}


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{message}", end="", file=sys.stderr, flush=True)


def _scan(args: argparse.Namespace) -> int:
    from ._detector import Detector
    from ._exceptions import ConfigError, MissingDependencyError, MissingPathError
    from ._io import MAX_BYTES, Document, ReadOptions, bounded_lines, read_folder, read_jsonl
    from ._report import render

    skipped: list[tuple[str, str]] = []

    def on_skip(path: str, reason: str) -> None:
        skipped.append((path, reason))
        print(f"dedup: warning: {path}: {reason}", file=sys.stderr)

    suffixes = tuple("." + s.strip().lstrip(".") for s in args.extensions.split(",") if s.strip())
    try:
        options = ReadOptions(
            suffixes, args.max_bytes or MAX_BYTES, args.text_field, args.id_field, args.time_from, args.time_field
        )
        reader = (
            read_jsonl(bounded_lines(sys.stdin.buffer, options.max_bytes), "-", options, on_skip)
            if args.source == "-"
            else read_folder(args.source, options, on_skip)
        )
        docs: dict[str, Document] = {}
        for n, doc in enumerate(reader, 1):
            if doc[0] in docs:
                on_skip(doc[0], "skipped: a document with this id was read before")
            else:
                docs[doc[0]] = doc
            if n % 100 == 0:
                _progress(f"read {n} documents")
    except (ConfigError, MissingPathError, MissingDependencyError) as err:
        print(f"dedup: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    _progress(f"comparing {len(docs)} documents\n")
    result = Detector(**_settings(args)).scan(docs.values())
    sys.stdout.write(render(result, args.format, skipped, {doc_id: text for doc_id, text, _ in docs.values()}))
    return EXIT_FOUND if args.fail_on_duplicates and result.pairs else EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from ._config import DetectorConfig
    from ._eval import cases_of, evaluate
    from ._exceptions import InputError
    from ._report import render_evaluation

    try:
        evaluation = evaluate(cases_of(args.kind, args.path), args.kind, DetectorConfig(**_settings(args)))
    except InputError as err:
        print(f"dedup: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(render_evaluation(evaluation, args.format))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "eval":
        return _evaluate(args)
    if args.max_bytes is not None and args.max_bytes < 1:
        parser.error("--max-bytes must be at least 1")
    return _scan(args)
