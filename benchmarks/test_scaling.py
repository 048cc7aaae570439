"""The CLI scaling benchmark's own parts: the JSON-lines corpus, the recall it reports and its watchdog."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .corpus import news_corpus
from .scaling import planted_recall, scan_cli, write_jsonl


def test_jsonl_corpus_is_the_generated_corpus(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    planted, text_bytes = write_jsonl(path, 400, seed=3)
    expected = news_corpus(400, seed=3)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["text"]) for r in records] == expected.docs
    assert planted == expected.planted
    assert {kind for _, _, kind in planted} == {"exact", "edited", "truncated"}
    assert text_bytes == expected.bytes


def test_recall_counts_planted_pairs_in_either_order() -> None:
    planted = [("doc1", "doc5", "exact"), ("doc2", "doc7", "edited"), ("doc3", "doc9", "truncated")]
    report = [
        json.dumps({"a": "doc1", "b": "doc5", "verdict": "duplicate"}) + "\n",
        "\n",
        json.dumps({"a": "doc7", "b": "doc2", "verdict": "near-duplicate"}) + "\n",
        json.dumps({"a": "doc4", "b": "doc8", "verdict": "rewrite"}) + "\n",
    ]
    pairs, recall = planted_recall(report, planted)
    assert pairs == 3
    assert recall == 2 / 3


def test_cli_scan_finds_the_planted_copies(tmp_path: Path) -> None:
    corpus, report = tmp_path / "news.jsonl", tmp_path / "pairs.jsonl"
    planted, _ = write_jsonl(corpus, 300, seed=2)
    run = scan_cli(corpus, report, max_rss_mb=16 * 1024, max_seconds=600)
    assert run.stopped is None
    assert run.peak_rss_mb > 0
    with report.open() as lines:
        pairs, recall = planted_recall(lines, planted)
    assert pairs >= len(planted)
    assert recall == 1.0


def test_watchdog_stops_a_scan_past_its_time(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    write_jsonl(corpus, 300, seed=2)
    run = scan_cli(corpus, tmp_path / "pairs.jsonl", max_rss_mb=16 * 1024, max_seconds=0.0)
    assert run.stopped is not None and "--max-minutes" in run.stopped


def test_stages_are_timed_in_order_and_put_back(tmp_path: Path, capsys) -> None:
    from dedup import _scan

    from .stages import main as stages

    corpus = tmp_path / "news.jsonl"
    write_jsonl(corpus, 300, seed=2)
    sketch = _scan.sketch
    assert stages(str(corpus)) == 0
    events = [re.match(r"\s*[\d.]+ s  (.+?)\s+RSS", line).group(1) for line in capsys.readouterr().err.splitlines()]
    starts = [event[2:] for event in events if event.startswith("> ")]
    assert events[0] == "reading" and events[-1] == "done"
    assert starts == ["Lines", "sketch", "candidates", "judge_pairs", "explain"]
    assert _scan.sketch is sketch
