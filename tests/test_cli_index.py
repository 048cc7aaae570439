"""``dedup index add|query`` and ``dedup scan --index`` through the entry point."""

import json
import shutil
import subprocess
import sys

import pytest

from dedup import Detector
from dedup._cli import main

from .conftest import SEEDS
from .test_cli import SEED_PAIR, run


@pytest.fixture
def wire(tmp_path):
    """A folder holding the AP story and an independent report of the same event."""
    folder = tmp_path / "wire"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_PAIR[1], folder / "ap.txt")
    shutil.copy(SEEDS / "002_3e78a7a0df84139a.txt", folder / "other.txt")
    return folder


def jsonl(out):
    return [(r["a"], r["b"], r["verdict"]) for r in map(json.loads, out.splitlines())]


def test_index_add_creates_an_index_that_query_finds_the_rewrite_in(wire, tmp_path, capsys):
    index = str(tmp_path / "index")
    assert main(["index", "add", str(wire), "--index", index]) == 0
    assert capsys.readouterr().out == "No duplicates or paraphrases found.\n"
    rewrite = str(SEEDS / SEED_PAIR[0])
    assert main(["index", "query", rewrite, "--index", index, "--format", "jsonl"]) == 0
    assert jsonl(capsys.readouterr().out) == [(f"{wire}/ap.txt", rewrite, "paraphrase")]
    assert main(["index", "query", rewrite, "--index", index, "--fail-on-duplicates"]) == 1
    assert len(Detector.load(index)) == 2


def test_index_add_reports_what_new_files_match_and_keeps_them(wire, tmp_path, capsys):
    index = str(tmp_path / "index")
    main(["index", "add", str(wire), "--index", index])
    capsys.readouterr()
    rewrite = str(SEEDS / SEED_PAIR[0])
    assert main(["index", "add", rewrite, "--index", index, "--format", "jsonl", "--fail-on-duplicates"]) == 1
    assert jsonl(capsys.readouterr().out) == [(f"{wire}/ap.txt", rewrite, "paraphrase")]
    assert rewrite in Detector.load(index)


def test_adding_the_same_files_again_replaces_them(wire, tmp_path, capsys):
    index = str(tmp_path / "index")
    for _ in range(2):
        assert main(["index", "add", str(wire), "--index", index, "--format", "jsonl"]) == 0
        assert capsys.readouterr().out == ""
    assert len(Detector.load(index)) == 2


def test_scan_with_an_index_pairs_the_folder_with_it_and_leaves_it_unchanged(wire, tmp_path, capsys):
    index = tmp_path / "index"
    main(["index", "add", str(wire / "ap.txt"), "--index", str(index)])
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    capsys.readouterr()
    assert main(["scan", str(SEEDS), "--index", str(index), "--format", "jsonl"]) == 0
    assert jsonl(capsys.readouterr().out) == [
        (f"{wire}/ap.txt", SEED_PAIR[0], "paraphrase"),
        (f"{wire}/ap.txt", SEED_PAIR[1], "exact"),
        (*SEED_PAIR, "paraphrase"),
    ]
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before


def test_a_document_read_twice_is_added_once_with_a_warning(wire, tmp_path):
    index = tmp_path / "index"
    done = run("index", "add", str(wire), str(wire / "ap.txt"), "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert f"dedup: warning: {wire}/ap.txt: skipped: a document with this id was read before\n" in done.stderr
    assert len(Detector.load(index)) == 2


def test_index_add_reads_json_lines_and_keeps_their_times(tmp_path, seeds, capsys):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "rewrite", "text": seeds["000"], "published": "2023-11-16T12:00:00Z"},
        {"id": "ap", "text": seeds["001"], "published": "2023-11-16T09:00:00Z"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    index = str(tmp_path / "index")
    assert main(["index", "add", str(feed), "--index", index, "--id-field", "id", "--format", "jsonl"]) == 0
    [record] = map(json.loads, capsys.readouterr().out.splitlines())
    assert (record["a"], record["b"], record["source"], record["evidence"]) == ("rewrite", "ap", "ap", "timestamp")
    assert Detector.load(index).expire(before=1_700_130_000) == ["ap"]  # 10:20 UTC


def test_query_reads_standard_input(wire, tmp_path):
    index = str(tmp_path / "index")
    assert run("index", "add", str(wire), "--index", index).returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "dedup", "index", "query", "-", "--index", index, "--format", "jsonl"],
        input=(SEEDS / SEED_PAIR[0]).read_text("utf-8"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert jsonl(done.stdout) == [(f"{wire}/ap.txt", "<stdin>", "paraphrase")]


def test_a_corrupted_index_is_an_error_naming_the_file(wire, tmp_path):
    index = tmp_path / "index"
    assert run("index", "add", str(wire), "--index", str(index)).returncode == 0
    signatures = next(index.glob("signatures-*.npy"))
    data = signatures.read_bytes()
    signatures.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    done = run("index", "query", str(SEEDS / SEED_PAIR[0]), "--index", str(index))
    assert done.returncode == 2 and done.stdout == ""
    assert f"dedup: error: {signatures} is corrupted" in done.stderr
    assert run("index", "add", str(SEEDS), "--index", str(index)).returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["index", "query", str(SEEDS / SEED_PAIR[0]), "--index", "/no/such/index"], "no such index folder"),
        (["index", "query", "/no/such/file.txt", "--index", "/tmp"], "/no/such/file.txt: cannot read"),
        (["scan", str(SEEDS), "--index", "/no/such/index"], "no such index folder"),
        (["index", "add", str(SEEDS), "--index", str(SEEDS)], "is not empty and is not a dedup index"),
        (["index", "add", str(SEEDS), "--index", str(SEEDS / SEED_PAIR[0])], "File exists"),
    ],
)
def test_unusable_paths_and_indexes_are_errors_with_status_2(args, message):
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.parametrize("args", [["index"], ["index", "add", str(SEEDS)], ["index", "query", "--index", "x"]])
def test_index_usage_errors_exit_2(args):
    assert run(*args).returncode == 2


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (["index", "add"], ["--index", "--format", "--fail-on-duplicates", "--extensions", "--max-bytes"]),
        (["index", "add"], ["--text-field", "--id-field", "--time-from", "--time-field", "--redis-prefix"]),
        (["index", "query"], ["--index", "--format", "--fail-on-duplicates", "--max-bytes", "--paraphrase-score"]),
        (["scan"], ["--index", "--redis-prefix", "--near-duplicate-containment"]),
    ],
)
def test_help_documents_every_index_option(command, options):
    out = run(*command, "--help").stdout
    assert all(option in out for option in options)


def test_a_redis_index_is_shared_by_commands(wire, redis_url, capsys):
    assert main(["index", "add", str(wire), "--index", redis_url, "--redis-prefix", "news"]) == 0
    capsys.readouterr()
    rewrite = str(SEEDS / SEED_PAIR[0])
    assert main(["index", "query", rewrite, "--index", redis_url, "--redis-prefix", "news", "--format", "jsonl"]) == 0
    assert jsonl(capsys.readouterr().out) == [(f"{wire}/ap.txt", rewrite, "paraphrase")]
    assert len(Detector.connect(redis_url, prefix="news")) == 2


def test_an_unreachable_redis_server_is_an_error():
    done = run("index", "query", str(SEEDS / SEED_PAIR[0]), "--index", "redis://127.0.0.1:1/0")
    assert done.returncode == 2
    assert "cannot use the Redis index at redis://127.0.0.1:1/0" in done.stderr


def test_index_add_sets_the_language_of_a_new_index_and_refuses_another(wire, tmp_path, capsys):
    index = str(tmp_path / "index")
    assert main(["index", "add", str(wire), "--index", index, "--language", "en"]) == 0
    assert Detector.load(index).config.language == "en"
    assert main(["index", "add", str(wire), "--index", index]) == 0  # an index keeps its own language
    capsys.readouterr()
    assert main(["index", "add", str(wire), "--index", index, "--language", "de"]) == 2
    assert "language is 'en' in the index, 'de' requested" in capsys.readouterr().err


def test_index_add_and_query_without_partial_reuse_miss_a_story_borrowing_a_passage_for_that_command_only(
    seeds, tmp_path, capsys
):
    from .test_partial import _in_a_long_article

    text, _, source = _in_a_long_article(seeds)
    wire, story = tmp_path / "wire.txt", tmp_path / "story.txt"
    wire.write_text(source, encoding="utf-8")
    story.write_text(text, encoding="utf-8")
    index = str(tmp_path / "index")
    assert main(["index", "add", str(wire), "--index", index, "--no-partial-reuse"]) == 0
    capsys.readouterr()
    assert Detector.load(index).config.partial_reuse  # a new index takes the default
    assert main(["index", "add", str(story), "--index", index, "--format", "jsonl", "--no-partial-reuse"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["index", "add", str(story), "--index", index, "--format", "jsonl"]) == 0
    assert jsonl(capsys.readouterr().out) == [(str(wire), str(story), "partial")]
    assert main(["index", "query", str(story), "--index", index, "--format", "jsonl", "--no-partial-reuse"]) == 0
    assert capsys.readouterr().out == ""
    assert Detector.load(index).config.partial_reuse  # the index keeps its own setting
    Detector.load(index, partial_reuse=False).save(index)
    assert main(["index", "query", str(story), "--index", index, "--format", "jsonl", "--partial-reuse"]) == 0
    assert jsonl(capsys.readouterr().out) == [(str(wire), str(story), "partial")]
    assert not Detector.load(index).config.partial_reuse


def test_index_add_without_partial_reuse_keeps_no_window_keys_in_redis_for_this_command_only(
    seeds, redis_url, tmp_path, capsys
):
    from .test_partial import _in_a_long_article

    text, _, source = _in_a_long_article(seeds)
    wire, story = tmp_path / "wire.txt", tmp_path / "story.txt"
    wire.write_text(source, encoding="utf-8")
    story.write_text(text, encoding="utf-8")
    index = ["--index", redis_url, "--redis-prefix", "passages", "--format", "jsonl"]
    assert main(["index", "add", str(wire), *index, "--no-partial-reuse"]) == 0
    assert Detector.connect(redis_url, prefix="passages").config.partial_reuse  # not recorded
    assert main(["index", "add", str(story), *index]) == 0
    assert capsys.readouterr().out == ""  # the wire story is held without its window keys
    assert main(["index", "add", str(wire), *index]) == 0  # added again, with them
    assert jsonl(capsys.readouterr().out) == [(str(story), str(wire), "partial")]
