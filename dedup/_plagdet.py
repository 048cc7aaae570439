"""Partial reuse measured as PAN measures it: plagdet over character ranges of document pairs.

A PAN text-alignment corpus pairs a *suspicious* document with a *source* document; its
*cases* are the passages of the source reused in the suspicious document, each a pair of
character ranges (one in each document). A detector's *detections* are pairs of ranges
too: here the aligned passages of the pair :meth:`Detector.scan` reports for the two
documents.

The measures are those of Potthast et al., "An Evaluation Framework for Plagiarism
Detection" (COLING 2010), with the edge cases of PAN's own evaluation script
(``pan13-text-alignment-perfmeasures.py``). A case and a detection *overlap* when their
ranges overlap in both documents. Each case or detection is the set of characters of its
two ranges:

- the recall of a case is the share of its characters that the detections overlapping it
  cover; macro recall is the mean over all cases (a case without detections counts 0);
- the precision of a detection is the share of its characters that the cases overlapping
  it cover; macro precision is the mean over all detections;
- granularity is the mean number of detections overlapping a case, over the cases that at
  least one detection overlaps;
- plagdet = F1(precision, recall) / log2(1 + granularity).

With neither cases nor detections, recall and precision are 1; with only one of the two,
both are 0. Granularity is 1 when nothing is detected.

The corpus layout read is PAN's: ``susp/`` and ``src/`` hold the documents, each category
folder (``01-no-plagiarism/``, ...) a ``pairs`` file of ``suspicious-documentX.txt
source-documentY.txt`` lines and one truth file ``suspicious-documentX-source-documentY.xml``
per pair, whose ``<feature name="plagiarism" this_offset=... this_length=...
source_offset=... source_length=.../>`` elements are the cases. Offsets count characters
(code points) of the texts decoded from UTF-8. Pairs of a top-level ``pairs`` file that no
category lists are read with their truth files beside it, in the category ``uncategorised``.
"""

from __future__ import annotations

import math
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ._config import DetectorConfig
from ._detector import Detector
from ._exceptions import InputError, MissingPathError
from ._io import decode

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: Columns of an array of cases or detections: the range in the suspicious document, then
#: the range in the source document, each as ``[start, end)`` character offsets.
SUSP_START, SUSP_END, SRC_START, SRC_END = range(4)
UNCATEGORISED = "uncategorised"
#: A category whose pairs share no text by construction; PAN names it ``01-no-plagiarism``.
NO_PLAGIARISM = "no-plagiarism"


def ranges(rows: Iterable[Sequence[int]]) -> I64:
    """Cases or detections as an ``(n, 4)`` array, checked: ``0 <= start <= end`` in each document.

    Examples
    --------
    >>> ranges([(10, 20, 0, 10)]).tolist()
    [[10, 20, 0, 10]]
    """
    array = np.array(list(rows), dtype=np.int64).reshape(-1, 4)
    bad = (
        (array < 0).any(axis=1)
        | (array[:, SUSP_END] < array[:, SUSP_START])
        | (array[:, SRC_END] < array[:, SRC_START])
    )
    if bad.any():
        raise ValueError(f"ranges must have 0 <= start <= end, got {array[bad][0].tolist()}")
    return array


def _union_lengths(group: I64, start: I64, end: I64, groups: int) -> F64:
    """For each of ``groups`` groups, the number of positions its ``[start, end)`` intervals cover.

    Shifting each group past the end of the one before lets a single sort and running
    maximum measure every group's union at once.
    """
    if not len(group):
        return np.zeros(groups)
    shift = group * (int(end.max()) + 1)
    order = np.argsort(start + shift, kind="stable")
    start, end, group = start[order] + shift[order], end[order] + shift[order], group[order]
    reach = np.concatenate(([np.iinfo(np.int64).min], np.maximum.accumulate(end)[:-1]))
    new = np.maximum(end - np.maximum(start, reach), 0)
    return np.bincount(group, weights=new, minlength=groups).astype(np.float64)


def _overlaps(a: I64, b: I64) -> npt.NDArray[np.bool_]:
    """Which rows of ``a`` overlap which rows of ``b`` in both documents, shape ``(len(a), len(b))``."""
    susp = (a[:, None, SUSP_START] < b[None, :, SUSP_END]) & (b[None, :, SUSP_START] < a[:, None, SUSP_END])
    src = (a[:, None, SRC_START] < b[None, :, SRC_END]) & (b[None, :, SRC_START] < a[:, None, SRC_END])
    return susp & src


def _covered_share(owners: I64, others: I64, overlap: npt.NDArray[np.bool_]) -> F64:
    """Share of each owner's characters (both ranges) covered by the others that overlap it."""
    owner, other = np.nonzero(overlap)
    covered = np.zeros(len(owners))
    for lo, hi in ((SUSP_START, SUSP_END), (SRC_START, SRC_END)):
        start = np.maximum(owners[owner, lo], others[other, lo])
        end = np.minimum(owners[owner, hi], others[other, hi])
        covered += _union_lengths(owner.astype(np.int64), start, end, len(owners))
    size = (owners[:, SUSP_END] - owners[:, SUSP_START] + owners[:, SRC_END] - owners[:, SRC_START]).astype(float)
    return np.divide(covered, size, out=np.zeros(len(owners)), where=size > 0)


@dataclass(frozen=True, eq=False)
class Tally:
    """What the PAN measures average, for the cases and detections of one or more pairs.

    Attributes
    ----------
    recall : ndarray of float
        For each case, the share of its characters that overlapping detections cover.
    precision : ndarray of float
        For each detection, the share of its characters that overlapping cases cover.
    detections : ndarray of int
        For each case, the number of detections that overlap it.
    """

    recall: F64
    precision: F64
    detections: I64

    @classmethod
    def of(cls, cases: I64, detections: I64) -> Tally:
        """The tally of one document pair's cases and detections (``(n, 4)`` arrays, see :func:`ranges`).

        Identical detections count once, as when PAN reads them from its XML files.
        """
        detections = np.unique(detections, axis=0) if len(detections) else detections
        overlap = _overlaps(cases, detections)
        return cls(
            _covered_share(cases, detections, overlap),
            _covered_share(detections, cases, overlap.T),
            overlap.sum(axis=1).astype(np.int64),
        )

    @classmethod
    def join(cls, tallies: Iterable[Tally]) -> Tally:
        """The tally of several document pairs together."""
        tallies = list(tallies)
        return cls(
            np.concatenate([np.zeros(0), *(t.recall for t in tallies)]),
            np.concatenate([np.zeros(0), *(t.precision for t in tallies)]),
            np.concatenate([np.zeros(0, dtype=np.int64), *(t.detections for t in tallies)]),
        )


@dataclass(frozen=True)
class Measures:
    """PAN's measures of a set of detections against a set of cases, and what they count.

    ``detected_cases`` are the cases that a detection overlaps; ``false_detections`` the
    detections that overlap no case (in both documents), whose precision is 0.

    Examples
    --------
    A case found as two halves is fully recalled with perfect precision, but split:

    >>> case = ranges([(0, 100, 0, 100)])
    >>> halves = ranges([(0, 50, 0, 50), (50, 100, 50, 100)])
    >>> m = Measures.of(Tally.of(case, halves))
    >>> m.recall, m.precision, m.granularity, round(m.plagdet, 4)
    (1.0, 1.0, 2.0, 0.6309)
    """

    plagdet: float
    precision: float
    recall: float
    granularity: float
    cases: int
    detected_cases: int
    detections: int
    false_detections: int

    @classmethod
    def of(cls, tally: Tally) -> Measures:
        cases, detections = len(tally.recall), len(tally.precision)
        if cases and detections:
            recall, precision = float(tally.recall.mean()), float(tally.precision.mean())
        else:
            recall = precision = 0.0 if cases or detections else 1.0
        detected = tally.detections[tally.detections > 0]
        granularity = float(detected.mean()) if len(detected) else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        false = int(np.count_nonzero(tally.precision == 0))
        return cls(
            f1 / math.log2(1 + granularity), precision, recall, granularity, cases, len(detected), detections, false
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "plagdet": round(self.plagdet, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "granularity": round(self.granularity, 4),
            "cases": self.cases,
            "detected_cases": self.detected_cases,
            "detections": self.detections,
            "false_detections": self.false_detections,
        }


# -- the corpus ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PanPair:
    """A (suspicious, source) document pair of a PAN corpus and its cases (see :func:`ranges`)."""

    category: str
    suspicious: Path
    source: Path
    cases: I64


def _pair_names(pairs_file: Path) -> list[tuple[str, str]]:
    names = []
    for number, line in enumerate(pairs_file.read_text("utf-8").splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise InputError(f"{pairs_file}:{number}: expected 'SUSPICIOUS SOURCE' file names, got {line!r}")
        names.append((fields[0], fields[1]))
    return names


def _cases(truth: Path) -> I64:
    """The cases of a truth file: its ``plagiarism`` features as ``(n, 4)`` ranges."""
    if not truth.is_file():
        raise InputError(f"no truth file {truth}")
    try:
        root = ET.parse(truth).getroot()
        rows = []
        for feature in root.iter("feature"):
            if feature.get("name") == "plagiarism":
                susp, susp_length, src, src_length = (
                    int(feature.attrib[k]) for k in ("this_offset", "this_length", "source_offset", "source_length")
                )
                rows.append((susp, susp + susp_length, src, src + src_length))
        return ranges(rows)
    except (ET.ParseError, KeyError, ValueError) as err:
        raise InputError(f"{truth}: not a PAN truth file ({err})") from None


def sample_evenly(count: int, sample: int | None) -> list[int]:
    """Positions of ``sample`` of ``count`` items, evenly spaced from the first: ``i * count // sample``.

    All of them when ``sample`` is ``None`` or at least ``count``.

    Examples
    --------
    >>> sample_evenly(10, 3)
    [0, 3, 6]
    """
    if sample is not None and sample < 1:
        raise ValueError(f"sample must be at least 1, got {sample}")
    if sample is None or sample >= count:
        return list(range(count))
    return [i * count // sample for i in range(sample)]


def read_pan(folder: str | Path, sample: int | None = None) -> list[PanPair]:
    """The document pairs of a PAN text-alignment corpus, by category in folder order.

    With ``sample``, only that many pairs of each category are read: those at positions
    ``i * n // sample`` of the category's ``n`` pairs, in the order of its ``pairs`` file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise MissingPathError(f"no such folder: {root}")
    for documents in ("susp", "src"):
        if not (root / documents).is_dir():
            raise InputError(f"{root} is not a PAN corpus: it has no {documents}/ folder")
    listed = [(d.name, d, _pair_names(d / "pairs")) for d in sorted(root.iterdir()) if (d / "pairs").is_file()]
    if (root / "pairs").is_file():
        seen = {names for _, _, category_pairs in listed for names in category_pairs}
        rest = [names for names in _pair_names(root / "pairs") if names not in seen]
        if rest:
            listed.append((UNCATEGORISED, root, rest))
    if not listed:
        raise InputError(f"{root} has no pairs file, neither at its top nor in a category folder")
    pairs = []
    for category, place, names in listed:
        for i in sample_evenly(len(names), sample):
            susp, src = names[i]
            suspicious, source = root / "susp" / susp, root / "src" / src
            for path in (suspicious, source):
                if not path.is_file():
                    raise InputError(f"{place / 'pairs'} names {path.name}, which is not in {path.parent}")
            truth = place / f"{Path(susp).stem}-{Path(src).stem}.xml"
            pairs.append(PanPair(category, suspicious, source, _cases(truth)))
    return pairs


# -- the protocol -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PanResult:
    """What the detector made of one pair: its detections, whether it reported a pair at all, and the time."""

    pair: PanPair
    detections: I64
    flagged: bool
    seconds: float
    tally: Tally


def _read(path: Path) -> str:
    """The text of a corpus document, exactly as PAN's offsets count its characters.

    That is the UTF-8 text as it is, with the stray NUL characters that a few of PAN's web
    texts hold (which :func:`~dedup._io.decode` takes for a binary file). A document that is
    not UTF-8 is decoded as any other file, with a warning.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return decode(data, str(path))
        except InputError as err:
            raise InputError(f"{path}: {err}") from None


def detect(detector: Detector, suspicious: tuple[str, str], source: tuple[str, str]) -> tuple[I64, bool]:
    """The detections of one pair: the passages of the pairs ``detector.scan`` reports for
    the ``(id, text)`` of the two documents, as (suspicious, source) ranges, and whether it
    reported any pair.

    Examples
    --------
    >>> copied = "The bridge over the river was closed on Monday after engineers found deep cracks."
    >>> found, flagged = detect(Detector(), ("susp", "Other text. " + copied), ("src", copied + " More."))
    >>> found.tolist(), flagged
    ([[12, 93, 0, 81]], True)
    """
    rows = []
    result = detector.scan([suspicious, source])
    for pair in result.pairs:
        for p in pair.passages:
            rows.append((p.a_start, p.a_end, p.b_start, p.b_end) if pair.a == suspicious[0] else
                        (p.b_start, p.b_end, p.a_start, p.a_end))  # fmt: skip
    return ranges(rows), bool(result.pairs)


@dataclass(frozen=True)
class PanEvaluation:
    """The results of a PAN corpus (or a sample of it) and the measures computed from them."""

    name: str
    results: tuple[PanResult, ...]

    def categories(self) -> list[str]:
        """The categories of the pairs, in corpus order."""
        return list(dict.fromkeys(r.pair.category for r in self.results))

    def _of(self, category: str | None) -> list[PanResult]:
        return [r for r in self.results if category is None or r.pair.category == category]

    def measures(self, category: str | None = None) -> Measures:
        """The measures over the pairs of ``category``, or over all pairs."""
        return Measures.of(Tally.join(r.tally for r in self._of(category)))

    def flagged(self, category: str | None = None) -> tuple[int, int]:
        """How many pairs of ``category`` (or of all) the detector reported, and how many there are."""
        results = self._of(category)
        return sum(r.flagged for r in results), len(results)

    def seconds(self, category: str | None = None) -> float:
        """Time spent in the detector on the pairs of ``category``, or on all pairs."""
        return sum(r.seconds for r in self._of(category))

    def _no_plagiarism(self) -> list[PanResult]:
        return [r for r in self.results if r.pair.category.endswith(NO_PLAGIARISM)]

    def no_plagiarism_flagged(self) -> tuple[int, int]:
        """Pairs reported and pairs in all, over the categories whose name ends in ``no-plagiarism``."""
        results = self._no_plagiarism()
        return sum(r.flagged for r in results), len(results)

    def no_plagiarism_flagged_pairs(self) -> list[tuple[str, str]]:
        """The (suspicious, source) file names of the no-plagiarism pairs reported."""
        return [(r.pair.suspicious.name, r.pair.source.name) for r in self._no_plagiarism() if r.flagged]

    def as_dict(self) -> dict[str, Any]:
        def summary(category: str | None) -> dict[str, Any]:
            flagged, pairs = self.flagged(category)
            return {
                **self.measures(category).as_dict(),
                "pairs": pairs,
                "flagged": flagged,
                "seconds": round(self.seconds(category), 2),
            }

        flagged, pairs = self.no_plagiarism_flagged()
        share = round(flagged / pairs, 4) if pairs else None
        return {
            "corpus": self.name,
            "overall": summary(None),
            "categories": {c: summary(c) for c in self.categories()},
            "no_plagiarism_flagged": {
                "pairs": pairs,
                "flagged": flagged,
                "share": share,
                "flagged_pairs": [list(names) for names in self.no_plagiarism_flagged_pairs()],
            },
        }


def evaluate_pan(
    pairs: Iterable[PanPair],
    name: str = "pan",
    config: DetectorConfig | None = None,
    progress: Callable[[int], None] | None = None,
) -> PanEvaluation:
    """Run ``Detector(config).scan`` on the two documents of each pair and measure its passages.

    ``progress`` is called with the number of pairs done after each pair.
    """
    detector = Detector(config or DetectorConfig())
    results = []
    for done, pair in enumerate(pairs, 1):
        susp, src = _read(pair.suspicious), _read(pair.source)
        start = time.perf_counter()
        detections, flagged = detect(detector, (f"susp/{pair.suspicious.name}", susp), (f"src/{pair.source.name}", src))
        seconds = time.perf_counter() - start
        results.append(PanResult(pair, detections, flagged, seconds, Tally.of(pair.cases, detections)))
        if progress is not None:
            progress(done)
    return PanEvaluation(name, tuple(results))
