"""Report output: a scan's pairs, passages, sources and groups as text, JSON, JSON lines, CSV or
HTML; evaluation reports.

Every format is a pure function of the scan result (and, for passages shown as text, the
documents' texts), so the same scan gives byte-identical reports.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import fields

from ._eval import VERDICTS, Evaluation
from ._plagdet import PanEvaluation
from ._rerank import Scores
from ._results import Pair, ScanResult
from ._source import Evidence

FORMATS = ("text", "json", "jsonl", "csv", "html")
SCORE_NAMES = tuple(f.name for f in fields(Scores))
SNIPPET = 72  # characters of a passage shown in the text report

#: How each kind of evidence reads in a report.
REASONS = {
    Evidence.TIMESTAMP: "published first",
    Evidence.DATELINE: "wire dateline",
    Evidence.CONTAINMENT: "contains the other's material",
}


def _pair_record(pair: Pair) -> dict[str, object]:
    return {
        "a": pair.a,
        "b": pair.b,
        "verdict": pair.verdict.value,
        "source": pair.source,
        "evidence": pair.evidence.value,
        "scores": pair.scores.as_dict(),
        "passages": [p.as_dict() for p in pair.passages],
    }


def render(
    result: ScanResult,
    fmt: str,
    skipped: Sequence[tuple[str, str]] = (),
    texts: Mapping[str, str] | None = None,
) -> str:
    """The report of ``result`` in format ``fmt`` (one of :data:`FORMATS`).

    ``skipped`` lists the ``(path, reason)`` of inputs that were left out; ``texts`` the
    documents' texts by id, which the text and HTML reports quote passages from.
    """
    texts = texts or {}
    if fmt == "jsonl":
        return "".join(json.dumps(_pair_record(p), sort_keys=True) + "\n" for p in result.pairs)
    if fmt == "json":
        document = {
            "pairs": [_pair_record(p) for p in result.pairs],
            "matchSets": [
                {
                    "id": g.id,
                    "source": g.source,
                    "evidence": g.evidence.value,
                    "fileList": [{"filePath": name} for name in g.documents],
                }
                for g in result.groups
            ],
            "boilerplate": [{"line": b.line, "documents": b.documents} for b in result.boilerplate],
            "skipped": [{"path": path, "reason": reason} for path, reason in skipped],
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("a", "b", "verdict", "source", "evidence", "passages", *SCORE_NAMES))
        for p in result.pairs:
            scores = p.scores.as_dict()
            row = (p.a, p.b, p.verdict.value, p.source or "", p.evidence.value, len(p.passages))
            writer.writerow((*row, *(scores[n] for n in SCORE_NAMES)))
        return out.getvalue()
    if fmt == "text":
        return _text(result, texts)
    if fmt == "html":
        return _html(result, skipped, texts)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _source_phrase(source: str | None, evidence: Evidence) -> str:
    if source is None:
        return "source not determined"
    if evidence is Evidence.NONE:  # a group whose pairs all left the direction open
        return f"around {source} (no original named)"
    return f"source {source} ({REASONS[evidence]})"


def _snippet(text: str, start: int, end: int) -> str:
    words = " ".join(text[start:end].split())
    return words if len(words) <= SNIPPET else words[: SNIPPET - 1] + "…"


def _text(result: ScanResult, texts: Mapping[str, str]) -> str:
    if not result.pairs:
        return "No duplicates or paraphrases found.\n" + _text_boilerplate(result)
    rows = [("VERDICT", "REWRITE", "CONTAIN", "COSINE", "A", "B")]
    for p in result.pairs:
        s = p.scores
        rows.append((p.verdict.value, f"{s.rewrite:.2f}", f"{s.containment:.2f}", f"{s.cosine:.2f}", p.a, p.b))
    widths = [max(len(r[k]) for r in rows) for k in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r[:5], widths, strict=True)) + "  " + r[5] for r in rows]
    for p in result.pairs:
        lines += ["", f"{p.a} ~ {p.b}: {p.verdict.value}, {_source_phrase(p.source, p.evidence)}"]
        lines.append(f"  {_count(len(p.passages), 'aligned passage')}, in order:")
        text_a, text_b = texts.get(p.a), texts.get(p.b)
        for q in p.passages:
            a = _snippet(text_a, q.a_start, q.a_end) if text_a is not None else ""
            b = _snippet(text_b, q.b_start, q.b_end) if text_b is not None else ""
            lines.append(f"  {q.similarity:.2f}  A {q.a_start}-{q.a_end}  {a}".rstrip())
            lines.append(f"        B {q.b_start}-{q.b_end}  {b}".rstrip())
    lines.append("")
    for g in result.groups:
        derived = ", ".join(g.documents[1:])
        lines.append(
            f"group {g.id} ({_count(len(g.documents), 'document')}): {_source_phrase(g.source, g.evidence)}; {derived}"
        )
    return "\n".join(lines) + "\n" + _text_boilerplate(result)


def _text_boilerplate(result: ScanResult) -> str:
    if not result.boilerplate:
        return ""
    listed = ", ".join(f"{json.dumps(b.line, ensure_ascii=False)} ({b.documents})" for b in result.boilerplate)
    return f"\nStripped as page chrome (documents): {listed}\n"


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 110em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.verdict { padding: 0.1em 0.5em; border-radius: 0.3em; color: #fff; font-size: 0.85em; }
.exact { background: #8b1a1a; } .near_duplicate { background: #b35c00; } .paraphrase { background: #2a5d9f; }
.partial { background: #4f7a28; }
table.scores { border-collapse: collapse; margin: 0.5em 0; }
table.scores td, table.scores th { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: right; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
.text { white-space: pre-wrap; border: 1px solid #ddd; padding: 0.8em; background: #fafafa; }
mark { border-radius: 0.2em; } mark .n { font-size: 0.7em; font-weight: bold; vertical-align: super; }
.c0 { background: #ffe08a; } .c1 { background: #a8e6a1; } .c2 { background: #9fd3ff; }
.c3 { background: #f5b3d0; } .c4 { background: #d2c4ff; } .c5 { background: #ffc49b; }
.muted { color: #666; }
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _highlighted(text: str, spans: list[tuple[int, int, int, float, int]]) -> str:
    """``text`` escaped, with each ``(start, end, number, similarity, aligned sentences)`` span marked."""
    out, done = [], 0
    for start, end, number, similarity, sentences in spans:
        out.append(_esc(text[done:start]))
        title = f"passage {number}, similarity {similarity:.2f}, {_count(sentences, 'aligned sentence')}"
        out.append(
            f'<mark class="c{(number - 1) % 6}" data-passage="{number}" title="{title}">'
            f'<span class="n">{number}</span>{_esc(text[start:end])}</mark>'
        )
        done = end
    out.append(_esc(text[done:]))
    return "".join(out)


def _side(name: str, role: str, text: str | None, spans: list[tuple[int, int, int, float, int]]) -> str:
    body = _highlighted(text, spans) if text is not None else '<span class="muted">(text not available)</span>'
    return f'<div><h4>{_esc(name)} <span class="muted">{role}</span></h4><div class="text">{body}</div></div>'


def _html_pair(n: int, p: Pair, texts: Mapping[str, str]) -> str:
    scores = p.scores.as_dict()
    header = "".join(f"<th>{_esc(name)}</th>" for name in SCORE_NAMES)
    values = "".join(f"<td>{scores[name]:.2f}</td>" for name in SCORE_NAMES)
    roles = {name: "" for name in (p.a, p.b)}
    if p.source is not None:
        roles = {name: "source" if name == p.source else "derived" for name in (p.a, p.b)}
    numbered = list(enumerate(p.passages, 1))
    spans_a = [(q.a_start, q.a_end, k, q.similarity, len(q.sentences)) for k, q in numbered]
    spans_b = [(q.b_start, q.b_end, k, q.similarity, len(q.sentences)) for k, q in numbered]
    return (
        f'<section class="pair" id="pair-{n}">'
        f'<h3>{_esc(p.a)} ~ {_esc(p.b)} <span class="verdict {p.verdict.value}">{p.verdict.value}</span></h3>'
        f"<p>{_esc(_source_phrase(p.source, p.evidence).capitalize())}; "
        f"{_count(len(p.passages), 'aligned passage')}, numbered in order.</p>"
        f'<table class="scores"><tr>{header}</tr><tr>{values}</tr></table>'
        f'<div class="sides">{_side(p.a, roles[p.a], texts.get(p.a), spans_a)}'
        f"{_side(p.b, roles[p.b], texts.get(p.b), spans_b)}</div></section>"
    )


def _html(result: ScanResult, skipped: Sequence[tuple[str, str]], texts: Mapping[str, str]) -> str:
    pair_number = {(p.a, p.b): n for n, p in enumerate(result.pairs, 1)}
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>dedup report</title><style>{_STYLE}</style></head><body>",
        "<h1>Duplicate and syndication report</h1>",
        f"<p>{_count(len(result.pairs), 'derived pair')} in {_count(len(result.groups), 'story group')}.</p>",
        "<h2>Story groups</h2>",
    ]
    if not result.groups:
        parts.append("<p>No duplicates or paraphrases found.</p>")
    for g in result.groups:
        links = []
        for member in g.documents[1:]:
            n = pair_number.get((g.source, member)) or pair_number.get((member, g.source))
            links.append(f'<a href="#pair-{n}">{_esc(member)}</a>' if n else _esc(member))
        parts.append(
            f'<p id="{_esc(g.id)}"><b>{_esc(g.source)}</b> <span class="muted">({_esc(g.id)}, '
            f"{_esc(_source_phrase(g.source, g.evidence))})</span> → {', '.join(links)}</p>"
        )
    if result.pairs:
        parts.append("<h2>Pairs</h2>")
        parts.extend(_html_pair(n, p, texts) for n, p in enumerate(result.pairs, 1))
    if result.boilerplate:
        items = "".join(
            f"<li>{_esc(b.line)} <span class='muted'>({b.documents})</span></li>" for b in result.boilerplate
        )
        parts.append(f"<h2>Stripped as page chrome</h2><ul>{items}</ul>")
    if skipped:
        items = "".join(f"<li>{_esc(path)}: {_esc(reason)}</li>" for path, reason in skipped)
        parts.append(f"<h2>Skipped inputs</h2><ul>{items}</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


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
    if evaluation.languages():
        lines += ["", *_language_table(evaluation)]
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


def _language_table(evaluation: Evaluation) -> list[str]:
    """Rows of pairs, flagged pairs by gold class, precision and recall, per language and in all."""
    heads = ("pairs", "none", "flagged", "derived", "found", "unscored", "flagged", "precision", "recall")
    keys = ("pairs", "none", "none_flagged", "derived", "derived_found", "unscored", "unscored_flagged")
    lines = ["per language (none flagged = false positives; unscored flagged = reported only):"]
    lines.append("  " + " " * 8 + "".join(f"{h:>10s}" for h in heads))
    for language, row in evaluation.by_language().items():
        cells = [f"{int(row[k]):10d}" for k in keys] + [f"{row[k]:10.3f}" for k in ("precision", "recall")]
        lines.append(f"  {language:8s}" + "".join(cells))
    return lines


def render_plagdet(evaluation: PanEvaluation, fmt: str) -> str:
    """The report of a PAN evaluation: a ``text`` table or one ``json`` document."""
    if fmt == "json":
        return json.dumps(evaluation.as_dict(), indent=2, sort_keys=True) + "\n"
    if fmt != "text":
        raise ValueError(f"format must be text or json, got {fmt!r}")
    rows = [(c, c) for c in evaluation.categories()] + [("all", None)]
    width = max(len(name) for name, _ in rows)
    heads = ["pairs", "flagged", "cases", "detected", "detections", "false"]
    heads += ["plagdet", "precision", "recall", "granularity", "seconds"]
    widths = [len(h) + 2 for h in heads]
    lines = [
        f"corpus: {evaluation.name}",
        "",
        "  " + " " * width + "".join(f"{h:>{w}s}" for h, w in zip(heads, widths, strict=True)),
    ]
    for name, category in rows:
        m = evaluation.measures(category)
        flagged, pairs = evaluation.flagged(category)
        cells = [f"{n:d}" for n in (pairs, flagged, m.cases, m.detected_cases, m.detections, m.false_detections)]
        cells += [f"{x:.3f}" for x in (m.plagdet, m.precision, m.recall, m.granularity)]
        cells.append(f"{evaluation.seconds(category):.1f}")
        lines.append(f"  {name:{width}s}" + "".join(f"{c:>{w}s}" for c, w in zip(cells, widths, strict=True)))
    flagged, pairs = evaluation.no_plagiarism_flagged()
    if pairs:
        lines += ["", f"no-plagiarism pairs flagged: {flagged} of {pairs} ({flagged / pairs:.3f})"]
        lines += [f"  {susp} ~ {src}" for susp, src in evaluation.no_plagiarism_flagged_pairs()]
    lines += [
        "",
        "flagged: pairs the detector reported; detected: cases a detection overlaps (in both documents);",
        "false: detections that overlap no case; seconds: time in the detector.",
        "A category without cases scores 1 when nothing in it is detected and 0 otherwise (PAN's rule).",
    ]
    return "\n".join(lines) + "\n"
