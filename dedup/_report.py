"""Report output: a scan's pairs and groups as text, JSON, JSON lines or CSV; evaluation reports."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields

from ._detector import ScanResult
from ._eval import VERDICTS, Evaluation
from ._rerank import Scores

FORMATS = ("text", "json", "jsonl", "csv")
SCORE_NAMES = tuple(f.name for f in fields(Scores))


def _pair_record(pair: object) -> dict[str, object]:
    return {"a": pair.a, "b": pair.b, "verdict": pair.verdict.value, "scores": pair.scores.as_dict()}  # type: ignore[attr-defined]


def render(result: ScanResult, fmt: str, skipped: list[tuple[str, str]] | None = None) -> str:
    """The report of ``result`` in format ``fmt`` (one of :data:`FORMATS`)."""
    skipped = skipped or []
    if fmt == "jsonl":
        return "".join(json.dumps(_pair_record(p), sort_keys=True) + "\n" for p in result.pairs)
    if fmt == "json":
        document = {
            "pairs": [_pair_record(p) for p in result.pairs],
            "matchSets": [{"fileList": [{"filePath": name} for name in group]} for group in result.groups],
            "skipped": [{"path": path, "reason": reason} for path, reason in skipped],
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("a", "b", "verdict", *SCORE_NAMES))
        for p in result.pairs:
            scores = p.scores.as_dict()
            writer.writerow((p.a, p.b, p.verdict.value, *(scores[n] for n in SCORE_NAMES)))
        return out.getvalue()
    if fmt == "text":
        return _text(result)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")


def _text(result: ScanResult) -> str:
    if not result.pairs:
        return "No duplicates or paraphrases found.\n"
    rows = [("VERDICT", "REWRITE", "CONTAIN", "COSINE", "A", "B")]
    for p in result.pairs:
        s = p.scores
        rows.append((p.verdict.value, f"{s.rewrite:.2f}", f"{s.containment:.2f}", f"{s.cosine:.2f}", p.a, p.b))
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r[:5], widths, strict=True)) + "  " + r[5] for r in rows]
    lines.append("")
    for n, group in enumerate(result.groups, 1):
        lines.append(f"group {n} ({len(group)} documents): " + ", ".join(group))
    return "\n".join(lines) + "\n"


def render_evaluation(evaluation: Evaluation, fmt: str) -> str:
    """The report of an evaluation: ``text`` tables or one ``json`` document."""
    if fmt == "json":
        return json.dumps(evaluation.as_dict(), indent=2, sort_keys=True) + "\n"
    if fmt != "text":
        raise ValueError(f"format must be text or json, got {fmt!r}")
    d = evaluation.derived_metrics()
    lines = [
        f"corpus: {evaluation.name}",
        f"derived vs not derived over {d['pairs']} pairs: precision {d['precision']:.3f}  recall {d['recall']:.3f}  "
        f"F1 {d['f1']:.3f}  accuracy {d['accuracy']:.3f}  (tp {d['tp']}, fp {d['fp']}, fn {d['fn']}, tn {d['tn']})",
    ]
    verdicts = evaluation.verdict_metrics()
    if verdicts:
        lines += ["", "per verdict:"]
        for verdict, m in verdicts.items():
            lines.append(
                f"  {verdict:15s} support {m['support']:4d}  precision {m['precision']:.3f}  "
                f"recall {m['recall']:.3f}  F1 {m['f1']:.3f}"
            )
    confusion = evaluation.confusion()
    columns = ["none", *[v for v in VERDICTS if any(v in row for row in confusion.values())]]
    width = max(len(c) for c in confusion)
    lines += ["", "gold category x predicted:", "  " + " " * width + "".join(f"{c:>16s}" for c in columns)]
    for category, row in confusion.items():
        lines.append(f"  {category:{width}s}" + "".join(f"{row.get(c, 0):16d}" for c in columns))
    lines += ["", "score quantiles (min, 25%, median, 75%, max) per gold category:"]
    for score, by_category in evaluation.distributions().items():
        for category, q in by_category.items():
            lines.append(f"  {score:12s} {category:{width}s}  " + "  ".join(f"{v:.3f}" for v in q))
    errors = evaluation.errors()
    if errors:
        lines += ["", f"disagreements with the gold labels ({len(errors)}):"]
        for p in errors:
            lines.append(
                f"  {p.case} ~ {p.doc}: gold {p.gold} ({p.category}), predicted {p.predicted}, "
                f"rewrite {p.scores.rewrite:.3f}, containment {p.scores.containment:.3f}"
            )
    return "\n".join(lines) + "\n"
