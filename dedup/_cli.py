"""The command line: ``python -m dedup scan SOURCE``, ``python -m dedup eval KIND PATH`` and
``python -m dedup index add|query``.

Results go to stdout; warnings, errors and progress to stderr (progress only when stderr
is a terminal). Exit status: 0 when the command ran, 1 with ``--fail-on-duplicates`` when
anything was found, 2 on a usage error, input that cannot be read, or an index that
cannot be read or written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from ._config import AUTO, LANGUAGES

if TYPE_CHECKING:
    from ._detector import Detector
    from ._io import ReadOptions
    from ._results import ScanResult
    from ._scan import Batch

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class _Failed(Exception):
    """A command cannot run; the message says why (exit status 2)."""


def _fraction(text: str) -> float:
    from ._config import check_fraction
    from ._exceptions import ConfigError

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    try:
        check_fraction("the value", value)
    except ConfigError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
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
    from ._io import SUFFIXES, TIME_SOURCES
    from ._report import FORMATS

    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format: a readable report (text, default), one JSON document with pairs and "
        "jdupes-style matchSets (json), one JSON object per pair (jsonl), one CSV row per pair (csv), "
        "or a self-contained web page showing each pair side by side (html)",
    )
    output.add_argument(
        "--fail-on-duplicates",
        action="store_true",
        help="exit with status 1 when any pair is found (default: 0 whenever the command ran)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--extensions",
        default=",".join(SUFFIXES),
        metavar="LIST",
        help=f"comma-separated file suffixes to read in folders (default: {','.join(SUFFIXES)})",
    )
    reading.add_argument(
        "--max-bytes",
        type=_positive,
        default=None,
        metavar="N",
        help="skip files, JSON lines and archive records larger than N bytes, with a warning (default: 20 MiB)",
    )
    reading.add_argument(
        "--text-field",
        default="text",
        metavar="NAME",
        help="field of a JSON line holding the document's text (default: text)",
    )
    reading.add_argument(
        "--id-field",
        default=None,
        metavar="NAME",
        help="field of a JSON line holding the document's id (default: none; documents are named FILE:LINE)",
    )
    reading.add_argument(
        "--time-from",
        choices=TIME_SOURCES,
        default="field",
        help="where publication times, which name the original of a pair, come from: a JSON line's time "
        "field (field, default), the files' modification times (mtime), or nowhere (none)",
    )
    reading.add_argument(
        "--time-field",
        default=None,
        metavar="NAME",
        help="field of a JSON line holding its publication time, POSIX seconds or ISO 8601 "
        "(default: published, else timestamp)",
    )
    passages = argparse.ArgumentParser(add_help=False)
    passages.add_argument(
        "--partial-reuse",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="report pairs that share a reused passage inside otherwise different texts (verdict "
        "partial; on by default); --no-partial-reuse leaves them out and scans in about two thirds of the time",
    )
    thresholds = argparse.ArgumentParser(add_help=False, parents=[passages])
    thresholds.add_argument(
        "--paraphrase-score",
        type=_fraction,
        default=None,
        metavar="X",
        help="rewrite score from which a pair is a paraphrase (default: the tuned value, or an index's own)",
    )
    thresholds.add_argument(
        "--near-duplicate-containment",
        type=_fraction,
        default=None,
        metavar="X",
        help="n-gram containment from which a pair is a near-duplicate (default: the tuned value, or an index's own)",
    )
    thresholds.add_argument(
        "--paraphrase-spread",
        type=_fraction,
        default=None,
        metavar="X",
        help="how evenly a paraphrase's in-order shared words must run through the shorter text "
        "(default: the tuned value, or an index's own)",
    )
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument(
        "--language",
        choices=(AUTO, *LANGUAGES),
        default=None,
        help="the language of the texts, which chooses their stop words and word rarity (default: auto, "
        "detected for each text)",
    )
    index = argparse.ArgumentParser(add_help=False)
    index.add_argument(
        "--redis-prefix",
        default="dedup",
        metavar="NAME",
        help="with a redis:// index, the prefix of its keys (default: dedup)",
    )
    return {
        "output": output,
        "reading": reading,
        "passages": passages,
        "thresholds": thresholds,
        "language": language,
        "index": index,
    }


def _parser() -> argparse.ArgumentParser:
    from ._eval import READERS

    shared = _options()
    parser = argparse.ArgumentParser(prog="dedup", description="Find near-duplicate, syndicated and paraphrased text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = commands.add_parser(
        "scan",
        parents=[shared["output"], shared["reading"], shared["thresholds"], shared["language"], shared["index"]],
        help="find duplicate and derived pairs among the files of a folder",
        description="Read the documents under SOURCE (recursively): text files (.txt, .md), web pages "
        "(.html, .htm; main text only), JSON lines (.jsonl: one document per line) and web archives "
        "(.warc, .warc.gz); SOURCE '-' reads JSON lines from standard input. Report every pair of "
        "documents that are exact copies, near-duplicates (edited, truncated or wrapped copies) or "
        "paraphrases of each other, with their aligned passages and likely original, and the story "
        "groups they form around their sources. Independent texts on the same subject are not reported. "
        "Page chrome (lines such as 'Share.' and lines recurring across unrelated pages) is stripped first. "
        "With --index, the documents are also paired with those of an index.",
    )
    scan.add_argument(
        "source", metavar="SOURCE", help="folder or file to scan, or '-' for JSON lines on standard input"
    )
    scan.add_argument(
        "--keep-boilerplate",
        action="store_true",
        help="do not strip page chrome before comparing",
    )
    scan.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where pairs are found: in this process on all cores (local, default) or on a Dask "
        "cluster (dask; needs the dask extra); the output is the same",
    )
    scan.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="with --engine dask, the address of the cluster's scheduler (default: start a local "
        "cluster of two worker processes)",
    )
    scan.add_argument(
        "--index",
        metavar="INDEX",
        help="also pair each document with the documents of this index (a folder made by 'dedup index add', "
        "or a redis:// URL), which is not changed",
    )

    evaluate = commands.add_parser(
        "eval",
        parents=[shared["thresholds"], shared["language"]],
        help="measure detection quality on a labelled corpus",
        description="Run the detector with its defaults (or the thresholds given) on a labelled corpus and "
        "print precision, recall and F1 per verdict and for derived vs not derived, the gold categories "
        "against the predicted verdicts, the score distributions per gold category, and the pairs where "
        "the detector disagrees with the labels. Corpus kinds: clough (Clough & Stevenson's folder), "
        "semeval (SemEval-2022 Task 8 pairs.csv or its folder), mrpc (the MSR paraphrase TSV or its "
        'folder), pairs (JSON lines of {"a": text, "b": text, "label": gold}; see docs/quality.md). '
        "Kind pan (a PAN text-alignment corpus folder) measures partial reuse instead: each (suspicious, "
        "source) pair is scanned on its own, the aligned passages of what is found are its detections, and "
        "the report gives PAN's plagdet, precision, recall and granularity overall and per category, the "
        "share of pairs flagged, and the time taken.",
    )
    kinds = sorted([*READERS, "pan"])
    evaluate.add_argument("kind", metavar="KIND", choices=kinds, help="one of: " + ", ".join(kinds))
    evaluate.add_argument("path", metavar="PATH", help="the corpus file or folder")
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="text tables (default) or JSON")
    evaluate.add_argument(
        "--sample",
        type=_positive,
        default=None,
        metavar="N",
        help="with pan, evaluate N pairs of each category, evenly spaced in its pairs file: those at "
        "positions i * count // N (default: all pairs)",
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
        parents=[shared["output"], shared["reading"], shared["passages"], shared["language"], shared["index"]],
        help="add documents to an index and report what they match",
        description="Add the documents under PATH... (folders are read recursively, as by 'dedup scan') to "
        "INDEX, creating it if needed, and report the pairs each new document makes with the documents "
        "indexed before it. A file's document is named by its path as given (for a folder, the folder "
        "joined with the file's relative path); adding an id again replaces its document, and an id read "
        "twice in one command is added once, with a warning. Publication times are kept with the documents. "
        "--language sets the language of a new index; an existing index keeps its own. --partial-reuse and "
        "--no-partial-reuse hold for this command only, as for 'dedup index query': the index keeps its own "
        "setting (a new one, the default).",
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="file or folder to add, or '-' for JSON lines on stdin")
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
        print(message, file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """Detector settings given on the command line."""
    names = ("paraphrase_score", "paraphrase_spread", "near_duplicate_containment", "language")
    given = {name: getattr(args, name, None) for name in names}
    given["partial_reuse"] = getattr(args, "partial_reuse", None)
    if getattr(args, "keep_boilerplate", False):
        given["strip_boilerplate"] = False
    return {name: value for name, value in given.items() if value is not None}


def _open_index(location: str, prefix: str, create: bool, settings: dict[str, Any]) -> Detector:
    from ._detector import Detector

    if location.startswith(_REDIS_SCHEMES):
        try:
            import redis
        except ImportError:
            raise _Failed("a redis:// index needs the redis client: pip install 'dedup[redis]'") from None
        # --[no-]partial-reuse holds for one command: the first to use a prefix records its settings there.
        passages = settings.get("partial_reuse")
        try:
            detector = Detector.connect(location, prefix, **{k: v for k, v in settings.items() if k != "partial_reuse"})
        except redis.RedisError as err:
            raise _Failed(f"cannot use the Redis index at {location}: {err}") from None
        if passages is not None:
            detector.config = detector.config.replace(partial_reuse=passages)
        return detector
    if create and not (Path(location) / "manifest.json").exists():
        return Detector(**settings)
    return Detector.load(location, **settings)


def _saved_partial_reuse(location: str) -> bool:
    """Whether the folder index at ``location`` was saved with ``partial_reuse`` (a new one, the default)."""
    from ._config import DetectorConfig
    from ._persist import MANIFEST, stored_config

    saved = stored_config(location) if (Path(location) / MANIFEST).exists() else DetectorConfig()
    return saved.partial_reuse


class _Reader:
    """Reads documents, reporting what it skips on stderr."""

    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []

    def on_skip(self, path: str, reason: str) -> None:
        from tqdm import tqdm

        self.skipped.append((path, reason))
        tqdm.write(f"dedup: warning: {path}: {reason}", file=sys.stderr)  # above a progress bar, if any

    def documents(self, sources: Sequence[str], args: argparse.Namespace, path_names: bool) -> Batch:
        """The documents of ``sources``, read as the options say; a repeated id is skipped."""
        from tqdm import tqdm

        from ._io import bounded_lines, read_folder, read_jsonl
        from ._scan import Batch

        options = self._options(args)
        docs = Batch()
        # On a terminal only (disable=None): piped or captured stderr gets warnings and errors alone.
        with tqdm(desc="reading", unit=" documents", disable=None, file=sys.stderr) as progress:
            for source in sources:
                reader = (
                    read_jsonl(bounded_lines(sys.stdin.buffer, options.max_bytes), "-", options, self.on_skip)
                    if source == "-"
                    else read_folder(source, options, self.on_skip, path_names)
                )
                for doc in reader:
                    if doc[0] in docs:
                        self.on_skip(doc[0], "skipped: a document with this id was read before")
                    else:
                        docs.add(doc)
                    progress.update()
        return docs

    @staticmethod
    def _options(args: argparse.Namespace) -> ReadOptions:
        from ._io import MAX_BYTES, ReadOptions

        suffixes = tuple("." + s.strip().lstrip(".") for s in args.extensions.split(",") if s.strip())
        return ReadOptions(
            suffixes, args.max_bytes or MAX_BYTES, args.text_field, args.id_field, args.time_from, args.time_field
        )

    def one(self, path: str, max_bytes: int | None) -> tuple[str, str]:
        """``(name, text)`` of one text file, or of standard input for ``-``."""
        from ._exceptions import InputError
        from ._io import MAX_BYTES, decode, read_text

        limit = max_bytes or MAX_BYTES
        try:
            if path == "-":
                data = sys.stdin.buffer.read(limit + 1)
                if len(data) > limit:
                    raise InputError(f"larger than {limit} bytes")
                return "<stdin>", decode(data, "<stdin>", self.on_skip)
            return path, read_text(path, path, self.on_skip, limit)
        except InputError as err:
            raise _Failed(f"{path}: {err}") from None


def _report(result: ScanResult, args: argparse.Namespace, reader: _Reader, texts: Mapping[str, str]) -> int:
    from ._report import render

    sys.stdout.write(render(result, args.format, reader.skipped, texts))
    return EXIT_FOUND if args.fail_on_duplicates and result.pairs else EXIT_OK


def _scan(args: argparse.Namespace) -> int:
    from ._detector import Detector

    reader = _Reader()
    docs = reader.documents([args.source], args, path_names=False)
    _progress(f"comparing {len(docs)} documents")
    if args.index is None:
        result = Detector(**_settings(args)).scan(docs, engine=args.engine, scheduler=args.scheduler)
    elif args.engine != "local":
        print("dedup: error: a scan with --index runs on the local engine only", file=sys.stderr)
        return EXIT_USAGE
    else:
        detector = _open_index(args.index, args.redis_prefix, create=False, settings=_settings(args))
        result = detector.scan(docs, with_index=True)
    return _report(result, args, reader, docs.by_id())


def _index(args: argparse.Namespace) -> int:
    reader = _Reader()
    if args.action == "query":
        doc_id, text = reader.one(args.file, args.max_bytes)
        detector = _open_index(args.index, args.redis_prefix, create=False, settings=_settings(args))
        return _report(detector.scan([(doc_id, text)], with_index=True), args, reader, {doc_id: text})
    docs = reader.documents(args.paths, args, path_names=True)
    folder = not args.index.startswith(_REDIS_SCHEMES)
    given = args.partial_reuse is not None
    own = folder and given and _saved_partial_reuse(args.index)
    detector = _open_index(args.index, args.redis_prefix, create=True, settings=_settings(args))
    _progress(f"adding {len(docs)} documents")
    result = detector.add_many(docs)
    if folder:
        if given:  # saved, it would hold for every later command on the index
            detector.config = detector.config.replace(partial_reuse=own)
        detector.save(args.index)
    return _report(result, args, reader, docs.by_id())


def _evaluate_pan(args: argparse.Namespace) -> int:
    from ._config import DetectorConfig
    from ._plagdet import evaluate_pan, read_pan
    from ._report import render_plagdet

    pairs = read_pan(args.path, args.sample)

    def progress(done: int) -> None:
        if done % 50 == 0 or done == len(pairs):
            _progress(f"{done} of {len(pairs)} pairs" + ("\n" if done == len(pairs) else ""))

    evaluation = evaluate_pan(pairs, args.kind, DetectorConfig(**_settings(args)), progress)
    sys.stdout.write(render_plagdet(evaluation, args.format))
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from ._config import DetectorConfig
    from ._eval import cases_of, evaluate
    from ._report import render_evaluation

    if args.kind == "pan":
        return _evaluate_pan(args)
    if args.sample is not None:
        raise _Failed(f"--sample applies to pan corpora only, not to {args.kind}")
    evaluation = evaluate(cases_of(args.kind, args.path), args.kind, DetectorConfig(**_settings(args)))
    sys.stdout.write(render_evaluation(evaluation, args.format))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    from ._exceptions import DedupError

    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    commands = {"scan": _scan, "eval": _evaluate, "index": _index}
    try:
        return commands[args.command](args)
    except (_Failed, DedupError, OSError) as err:  # OSError: an index that cannot be written
        print(f"dedup: error: {err}", file=sys.stderr)
        return EXIT_USAGE
