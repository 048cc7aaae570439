"""Evaluation on labelled corpora: readers, one fixed protocol, and the metrics.

The protocol is the one an ingestion pipeline lives by: for each case, a fresh
:class:`~dedup.Detector` with the given settings indexes the case's documents with
``add`` and is asked about the case's query text with ``query``. Every (query, indexed
document) combination is one evaluated pair: its prediction is the verdict of the match
naming that document, or none. Each pair is also scored with ``compare`` so that the
score distributions cover the pairs that got no verdict.

Gold labels are verdicts (``exact``, ``near_duplicate``, ``paraphrase``), ``derived``
(any of the three), ``none``, or ``unscored`` (reported, but not counted in the metrics).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._config import DetectorConfig
from ._detector import Detector
from ._exceptions import InputError, MissingPathError
from ._io import decode
from ._rerank import Scores
from ._verdict import Verdict

VERDICTS = tuple(v.value for v in Verdict)
GOLD_LABELS = (*VERDICTS, "derived", "none", "unscored")
NONE = "none"


@dataclass(frozen=True)
class Case:
    """Documents to index, a text to query, and the gold label for each indexed document.

    ``gold`` maps an indexed document's id to ``(label, category)``; a document missing
    from it is ``("none", "unrelated")``. The category is the corpus's own class, shown in
    the report (e.g. Clough–Stevenson's ``heavy``); the language, when the corpus gives
    one, is the row of the case in the per-language table.
    """

    id: str
    index: dict[str, str]
    query: str
    gold: dict[str, tuple[str, str]] = field(default_factory=dict)
    language: str = ""


@dataclass(frozen=True)
class JudgedPair:
    case: str
    doc: str
    gold: str
    category: str
    predicted: str
    scores: Scores
    language: str = ""

    @property
    def derived(self) -> bool:
        return self.predicted != NONE

    @property
    def gold_derived(self) -> bool:
        return self.gold not in (NONE, "unscored")


@dataclass(frozen=True)
class Evaluation:
    """The judged pairs of a corpus and the metrics computed from them."""

    name: str
    pairs: tuple[JudgedPair, ...]

    def _scored(self) -> list[JudgedPair]:
        return [p for p in self.pairs if p.gold != "unscored"]

    def languages(self) -> list[str]:
        """The languages of the pairs, sorted; empty when the corpus names none."""
        return sorted({p.language for p in self.pairs if p.language})

    def of_language(self, language: str) -> Evaluation:
        """The evaluation of the pairs in ``language`` alone."""
        return Evaluation(f"{self.name} [{language}]", tuple(p for p in self.pairs if p.language == language))

    def by_language(self) -> dict[str, dict[str, float]]:
        """Per language, and ``all``: pairs, flagged pairs by gold class, precision and recall.

        ``none`` pairs flagged are the false positives; ``unscored`` pairs (SemEval's same-story
        and related pairs) flagged are reported, not counted in precision and recall.
        """
        rows = {language: self.of_language(language) for language in self.languages()}
        result = {}
        for language, evaluation in {**rows, "all": self}.items():
            scored = evaluation._scored()
            tp = sum(p.derived and p.gold_derived for p in scored)
            fp = sum(p.derived and not p.gold_derived for p in scored)
            derived = sum(p.gold_derived for p in scored)
            unscored = [p for p in evaluation.pairs if p.gold == "unscored"]
            result[language] = {
                "pairs": len(evaluation.pairs), "none": len(scored) - derived, "none_flagged": fp,
                "derived": derived, "derived_found": tp,
                "unscored": len(unscored), "unscored_flagged": sum(p.derived for p in unscored),
                "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / derived if derived else 0.0,
            }  # fmt: skip
        return result

    def derived_metrics(self) -> dict[str, float]:
        """Precision, recall, F1 and accuracy of "derived" (any verdict) against "not derived"."""
        from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

        scored = self._scored()
        gold = [p.gold_derived for p in scored]
        predicted = [p.derived for p in scored]
        (tn, fp), (fn, tp) = confusion_matrix(gold, predicted, labels=[False, True]).tolist()
        precision, recall, f1, _ = precision_recall_fscore_support(
            gold, predicted, labels=[True], average=None, zero_division=0
        )
        return {
            "pairs": len(scored), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": float(precision[0]), "recall": float(recall[0]), "f1": float(f1[0]),
            "accuracy": float(accuracy_score(gold, predicted)) if scored else 0.0,
        }  # fmt: skip

    def verdict_metrics(self) -> dict[str, dict[str, float]]:
        """Precision, recall and F1 per verdict, over pairs whose gold label is a verdict or none."""
        from sklearn.metrics import precision_recall_fscore_support

        scored = [p for p in self._scored() if p.gold in (*VERDICTS, NONE)]
        if not scored:
            return {}
        gold, predicted = [p.gold for p in scored], [p.predicted for p in scored]
        precision, recall, f1, support = precision_recall_fscore_support(
            gold, predicted, labels=list(VERDICTS), average=None, zero_division=0
        )
        result = {}
        for k, verdict in enumerate(VERDICTS):
            if support[k] or verdict in predicted:
                result[verdict] = {
                    "support": int(support[k]),
                    "precision": float(precision[k]),
                    "recall": float(recall[k]),
                    "f1": float(f1[k]),
                }
        return result

    def confusion(self) -> dict[str, dict[str, int]]:
        """Counts of predicted verdicts (or none) for each gold category."""
        table: dict[str, Counter[str]] = {}
        for p in self.pairs:
            table.setdefault(p.category, Counter())[p.predicted] += 1
        return {category: dict(sorted(counts.items())) for category, counts in sorted(table.items())}

    def distributions(self) -> dict[str, dict[str, list[float]]]:
        """Min, quartiles and max of each score for each gold category."""
        result: dict[str, dict[str, list[float]]] = {}
        for name in ("containment", "cosine", "coverage", "order", "rewrite", "spread"):
            result[name] = {}
            for category in sorted({p.category for p in self.pairs}):
                values = [getattr(p.scores, name) for p in self.pairs if p.category == category]
                result[name][category] = [round(float(q), 3) for q in np.quantile(values, [0, 0.25, 0.5, 0.75, 1])]
        return result

    def separation(self, score: str = "rewrite", below_containment: float = 1.0) -> Separation:
        """How well ``score`` separates derived from not derived pairs, see :func:`separate`.

        Only the scored pairs whose containment is below ``below_containment`` count: the
        pairs that a threshold on ``score`` decides once the copies are taken out.
        """
        pairs = [p for p in self._scored() if p.scores.containment < below_containment]
        return separate(
            [getattr(p.scores, score) for p in pairs if p.gold_derived],
            [getattr(p.scores, score) for p in pairs if not p.gold_derived],
        )

    def _rewrite_separation(self) -> dict[str, float] | None:
        """The separation of rewrite scores under the default containment, when both classes occur."""
        gold = {p.gold_derived for p in self._scored()}
        if gold != {True, False}:
            return None
        return asdict(self.separation("rewrite", DetectorConfig().near_duplicate_containment))

    def errors(self) -> list[JudgedPair]:
        """Scored pairs whose derived / not-derived prediction disagrees with the gold label."""
        return [p for p in self._scored() if p.derived != p.gold_derived]

    def as_dict(self) -> dict[str, Any]:
        result = {
            "corpus": self.name,
            "derived": self.derived_metrics(),
            "verdicts": self.verdict_metrics(),
            "confusion": self.confusion(),
            "distributions": self.distributions(),
            "rewrite_separation": self._rewrite_separation(),
            "errors": [
                {"case": p.case, "doc": p.doc, "category": p.category, "gold": p.gold, "predicted": p.predicted,
                 "scores": p.scores.as_dict()}
                for p in self.errors()
            ],
            "flagged_unscored": [
                {"case": p.case, "doc": p.doc, "category": p.category, "predicted": p.predicted}
                for p in self.pairs if p.gold == "unscored" and p.derived
            ],
        }  # fmt: skip
        if self.languages():
            result["languages"] = self.by_language()
        return result


@dataclass(frozen=True)
class Separation:
    """The best interval of a score between two classes; see :func:`separate`."""

    low: float
    high: float
    errors: int

    @property
    def threshold(self) -> float:
        """The midpoint of the interval."""
        return (self.low + self.high) / 2


def separate(positives: Sequence[float], negatives: Sequence[float]) -> Separation:
    """The interval of thresholds that best separates ``positives`` from ``negatives``.

    A threshold ``t`` calls a value positive when it is at least ``t``; its errors are
    the positives below it and the negatives at or above it. Of the intervals between two
    consecutive observed values, the result is the one with the fewest errors and, among
    those, the widest. Its midpoint is the calibrated threshold.

    Examples
    --------
    >>> s = separate([0.31, 0.5, 0.9, 0.1], [0.0, 0.2, 0.29])
    >>> round(s.low, 2), round(s.high, 2), s.errors, round(s.threshold, 2)
    (0.29, 0.31, 1, 0.3)
    """
    values = np.unique(np.concatenate((positives, negatives)))
    if len(values) < 2:
        raise ValueError("separating needs at least two distinct values")
    thresholds = (values[:-1] + values[1:]) / 2
    pos, neg = np.sort(positives), np.sort(negatives)
    errors = np.searchsorted(pos, thresholds) + (len(neg) - np.searchsorted(neg, thresholds))
    widths = values[1:] - values[:-1]
    best = np.lexsort((-widths, errors))[0]
    return Separation(float(values[best]), float(values[best + 1]), int(errors[best]))


def evaluate(cases: Iterable[Case], name: str = "corpus", config: DetectorConfig | None = None) -> Evaluation:
    """Run the evaluation protocol over ``cases`` with the detector's defaults or ``config``.

    Examples
    --------
    >>> case = Case("c1", {"src": "The council closed the library for repairs after the flood."},
    ...             "The council closed the library for repairs after the flood!", {"src": ("exact", "copy")})
    >>> evaluate([case]).derived_metrics()["f1"]
    1.0
    """
    config = config or DetectorConfig()
    judged = []
    for case in cases:
        det = Detector(config)
        for doc_id, text in case.index.items():
            det.add(doc_id, text)
        found = {m.doc_id: m.verdict.value for m in det.query(case.query)}
        for doc_id, text in case.index.items():
            gold, category = case.gold.get(doc_id, (NONE, "unrelated"))
            if gold not in GOLD_LABELS:
                raise InputError(f"case {case.id!r}: unknown gold label {gold!r}; expected one of {GOLD_LABELS}")
            _, scores = det.compare(case.query, text)
            predicted = found.get(doc_id, NONE)
            judged.append(JudgedPair(case.id, doc_id, gold, category, predicted, scores, case.language))
    return Evaluation(name, tuple(judged))


# -- readers -----------------------------------------------------------------------------


def _require(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        raise MissingPathError(f"no such file or folder: {path}")
    return path


def _read(path: Path) -> str:
    return decode(path.read_bytes(), str(path), lambda _name, _reason: None)


CLOUGH_GOLD = {"cut": "near_duplicate", "light": "near_duplicate", "heavy": "paraphrase", "non": NONE}


def read_clough(folder: str | Path) -> list[Case]:
    """Clough & Stevenson's corpus: each answer queried against an index of the five sources.

    ``cut`` and ``light`` answers are gold ``near_duplicate``, ``heavy`` ones ``paraphrase``
    and ``non`` ones ``none``; the sources of the other four tasks are ``none`` too.
    """
    root = _require(folder)
    sources = {f"orig_task{t}": _read(root / f"orig_task{t}.txt") for t in "abcde"}
    cases = []
    with open(root / "labels.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gold = {f"orig_task{row['Task']}": (CLOUGH_GOLD[row["Category"]], row["Category"])}
            cases.append(Case(row["File"], sources, _read(root / row["File"]), gold))
    return cases


def _semeval_category(overall: float) -> tuple[str, str]:
    if overall >= 2.5:
        return NONE, "different story (Overall >= 2.5)"
    if overall <= 1.5:
        return "unscored", "same story (Overall <= 1.5)"
    return "unscored", "related (1.5 < Overall < 2.5)"


def read_semeval(folder: str | Path) -> list[Case]:
    """SemEval-2022 Task 8 pairs: ``text1`` indexed, ``text2`` queried.

    Pairs about different stories (Overall >= 2.5) are gold ``none``; same-story pairs are
    not labelled for copying and are reported but not scored. The language of a pair is
    its ``lang`` column, or ``en`` in a file without one (the English pairs).
    """
    path = _require(folder)
    path = path / "pairs.csv" if path.is_dir() else path
    with open(path, encoding="utf-8") as f:
        return [
            Case(
                row["pair_id"],
                {"text1": row["text1"]},
                row["text2"],
                {"text1": _semeval_category(float(row["Overall"]))},
                row.get("lang") or "en",
            )
            for row in csv.DictReader(f)
        ]


def read_mrpc(path: str | Path) -> list[Case]:
    """The Microsoft Research Paraphrase Corpus (TSV): sentence 1 indexed, sentence 2 queried."""
    path = _require(path)
    path = path / "msr_paraphrase_train.txt" if path.is_dir() else path
    with open(path, encoding="utf-8-sig") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Case(
                f"{row['#1 ID']}-{row['#2 ID']}",
                {"s1": row["#1 String"]},
                row["#2 String"],
                {"s1": ("derived", "paraphrase") if row["Quality"] == "1" else (NONE, "not paraphrase")},
            )
            for row in rows
        ]


def read_pairs(path: str | Path) -> list[Case]:
    """Labelled pairs in JSON lines: ``{"a": text, "b": text, "label": gold, "id": optional}``.

    ``a`` is indexed and ``b`` queried; ``label`` is a gold label (see the module docs).
    """
    cases = []
    with open(_require(path), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                a, b, label = record["a"], record["b"], record["label"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise InputError(f"{path}:{number}: expected a JSON object with a, b and label ({err})") from None
            cases.append(Case(str(record.get("id", number)), {"a": a}, b, {"a": (label, label)}))
    return cases


READERS = {"clough": read_clough, "semeval": read_semeval, "mrpc": read_mrpc, "pairs": read_pairs}


def cases_of(kind: str, path: str | Path) -> Iterator[Case]:
    """The cases of a corpus of one of the kinds in :data:`READERS`."""
    if kind not in READERS:
        raise InputError(f"corpus kind must be one of {', '.join(READERS)}, got {kind!r}")
    return iter(READERS[kind](path))
