"""The command line through its entry point: exit codes, formats and bad input."""

import csv
import fcntl
import io
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios

import pytest

from dedup._cli import main

from .conftest import SEEDS

SEED_PAIR = ("000_2695219b5c5df16e.txt", "001_32374ae3f19f7e7d.txt")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dedup", *args], capture_output=True, text=True, check=False)


def test_module_entry_point_reports_the_seed_paraphrase_as_jsonl():
    done = run("scan", str(SEEDS), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["a"], r["b"], r["verdict"]) for r in records] == [(*SEED_PAIR, "paraphrase")]
    assert {"jaccard", "containment", "cosine", "rewrite"} <= set(records[0]["scores"])
    assert done.stderr == ""


def test_output_is_byte_identical_across_runs():
    first = run("scan", str(SEEDS), "--format", "json")
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    second = subprocess.run(
        [sys.executable, "-m", "dedup", "scan", str(SEEDS), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert first.stdout == second.stdout


def test_json_has_pairs_and_jdupes_style_match_sets(capsys):
    assert main(["scan", str(SEEDS), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [match_set] = report["matchSets"]
    assert match_set["fileList"] == [{"filePath": SEED_PAIR[1]}, {"filePath": SEED_PAIR[0]}]  # the source first
    assert match_set["source"] == SEED_PAIR[1] and match_set["id"].startswith("g-")
    assert report["pairs"][0]["verdict"] == "paraphrase"


def test_csv_has_one_row_per_pair(capsys):
    assert main(["scan", str(SEEDS), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["a"], r["b"], r["verdict"]) for r in rows] == [(*SEED_PAIR, "paraphrase")]
    assert float(rows[0]["rewrite"]) > 0


def test_text_table_names_the_pair_and_the_group(capsys):
    assert main(["scan", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "paraphrase" in out and SEED_PAIR[0] in out
    assert f"(2 documents): source {SEED_PAIR[1]} (wire dateline); {SEED_PAIR[0]}" in out


def test_fail_on_duplicates_exits_1_only_when_something_is_found(tmp_path, capsys):
    assert main(["scan", str(SEEDS), "--fail-on-duplicates"]) == 1
    shutil.copy(SEEDS / "002_3e78a7a0df84139a.txt", tmp_path)
    assert main(["scan", str(tmp_path), "--fail-on-duplicates"]) == 0
    assert "No duplicates" in capsys.readouterr().out


def test_missing_folder_is_a_usage_error():
    done = run("scan", "/no/such/folder")
    assert done.returncode == 2
    assert "no such file or folder: /no/such/folder" in done.stderr


@pytest.mark.parametrize("args", [[], ["scan"], ["scan", str(SEEDS), "--format", "xml"], ["frobnicate"]])
def test_usage_errors_exit_2(args):
    assert run(*args).returncode == 2


def test_help_documents_every_option():
    out = run("scan", "--help").stdout
    for option in (
        "--format",
        "--fail-on-duplicates",
        "--extensions",
        "--max-bytes",
        "--paraphrase-score",
        "--near-duplicate-containment",
        "--text-field",
        "--id-field",
        "--time-from",
        "--time-field",
        "--keep-boilerplate",
        "html",
    ):
        assert option in out


def test_thresholds_can_be_set_from_the_command_line(capsys):
    # Too strict a rewrite score for the seed pair to be a paraphrase; what remains is the
    # reused passage, reported as partial reuse unless that is turned off.
    assert main(["scan", str(SEEDS), "--paraphrase-score", "0.9", "--format", "jsonl"]) == 0
    assert [json.loads(line)["verdict"] for line in capsys.readouterr().out.splitlines()] == ["partial"]
    assert main(["scan", str(SEEDS), "--paraphrase-score", "0.9", "--no-partial-reuse", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""


def test_bad_files_are_skipped_with_a_warning_and_the_scan_goes_on(tmp_path):
    for name in SEED_PAIR:
        shutil.copy(SEEDS / name, tmp_path / name)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (tmp_path / "legacy.txt").write_bytes("Caf\xe9 cr\xe8me \x93quoted\x94 text about nothing".encode("latin-1"))
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "ignored.csv").write_text("not, scanned")
    done = run("scan", str(tmp_path), "--format", "jsonl")
    assert done.returncode == 0
    assert [json.loads(line)["verdict"] for line in done.stdout.splitlines()] == ["paraphrase"]
    assert "empty.txt: skipped: empty" in done.stderr
    assert "binary.txt: skipped: binary file" in done.stderr
    assert "legacy.txt: not valid UTF-8; decoded as cp1252" in done.stderr
    assert "dangling.txt: skipped: cannot read" in done.stderr
    assert "ignored.csv" not in done.stderr


def test_large_files_are_skipped_by_max_bytes(tmp_path):
    shutil.copy(SEEDS / SEED_PAIR[0], tmp_path / "a.txt")
    done = run("scan", str(tmp_path), "--max-bytes", "100")
    assert done.returncode == 0
    assert "a.txt: skipped: larger than 100 bytes" in done.stderr


def test_nested_folders_are_read_with_relative_names(tmp_path, capsys):
    (tmp_path / "x" / "y").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_PAIR[0], tmp_path / "x" / "a.md")
    shutil.copy(SEEDS / SEED_PAIR[1], tmp_path / "x" / "y" / "b.txt")
    assert main(["scan", str(tmp_path), "--format", "jsonl"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["a"], record["b"]) == ("x/a.md", "x/y/b.txt")


def test_html_format_writes_one_page(capsys):
    assert main(["scan", str(SEEDS), "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert f"{SEED_PAIR[0]} ~ {SEED_PAIR[1]}" in page


def test_keep_boilerplate_leaves_chrome_in(capsys):
    assert main(["scan", str(SEEDS), "--format", "json", "--keep-boilerplate"]) == 0
    assert json.loads(capsys.readouterr().out)["boilerplate"] == []


def test_reading_shows_no_progress_when_stderr_is_not_a_terminal(tmp_path, capsys):
    assert main(["scan", str(SEEDS), "--format", "jsonl"]) == 0
    assert main(["index", "add", str(SEEDS), "--index", str(tmp_path / "index"), "--format", "jsonl"]) == 0
    assert capsys.readouterr().err == ""


def test_reading_shows_a_progress_bar_on_a_terminal():
    terminal, stderr = pty.openpty()
    fcntl.ioctl(stderr, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a new terminal has no columns
    with subprocess.Popen(
        [sys.executable, "-m", "dedup", "scan", str(SEEDS), "--format", "jsonl"],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    ) as process:
        os.close(stderr)
        written = b""
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the process has closed its end
                break
            if not chunk:
                break
            written += chunk
        assert process.wait() == 0
    os.close(terminal)
    shown = written.decode()
    assert "reading: " in shown
    assert "5 documents [" in shown  # the bar's final state: the count, then time and rate
    assert "comparing 5 documents" in shown


@pytest.mark.parametrize("fmt", ["text", "html", "jsonl"])
def test_a_scan_whose_texts_spill_to_disk_reports_what_one_in_memory_does(capsys, monkeypatch, fmt):
    from dedup import _texts

    assert main(["scan", str(SEEDS), "--format", fmt]) == 0
    in_memory = capsys.readouterr().out
    monkeypatch.setattr(_texts, "SPILL_AFTER", 1000)
    assert main(["scan", str(SEEDS), "--format", fmt]) == 0
    assert capsys.readouterr().out == in_memory
    assert "000_2695219b5c5df16e.txt" in in_memory
