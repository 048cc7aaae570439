"""Real-world inputs: web pages, JSON lines (files and stdin), web archives, timestamps, bad records."""

import html
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dedup import MissingDependencyError
from dedup._cli import main
from dedup._io import ReadOptions, bounded_lines, read_folder

from .conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def page(text: str) -> str:
    """A web page holding ``text`` as its article, with navigation, a sidebar and a footer around it."""
    paragraphs = [line for line in text.splitlines() if line.strip()]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(paragraphs[0])}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav></header>
<main><article><h1>{html.escape(paragraphs[0])}</h1>
{body}</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Markets rally as inflation cools</a></li></ul></aside>
<footer><p>Cookies help us deliver our services. By using them, you agree to our use of cookies.</p></footer>
</body></html>"""


def records() -> list[dict[str, str]]:
    return [{"id": p.stem, "text": p.read_text("utf-8")} for p in SEED_FILES]


def jsonl(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def pairs_of(out: str) -> list[tuple[str, str, str]]:
    """``(a, b, verdict)`` of a JSON lines report, ids without their file suffixes."""
    found = [json.loads(line) for line in out.splitlines()]
    return [(Path(r["a"]).stem, Path(r["b"]).stem, r["verdict"]) for r in found]


@pytest.fixture(scope="module")
def text_pairs() -> list[tuple[str, str, str]]:
    out = io.StringIO()
    sys.stdout, saved = out, sys.stdout
    try:
        assert main(["scan", str(SEEDS), "--format", "jsonl"]) == 0
    finally:
        sys.stdout = saved
    assert pairs_of(out.getvalue()) == [("000_2695219b5c5df16e", "001_32374ae3f19f7e7d", "paraphrase")]
    return pairs_of(out.getvalue())


def test_web_pages_give_the_same_pairs_as_the_same_articles_as_text(tmp_path, capsys, text_pairs):
    pytest.importorskip("trafilatura", reason="the 'html' extra is not installed: pip install -e '.[html]'")
    for path in SEED_FILES:
        (tmp_path / f"{path.stem}.html").write_text(page(path.read_text("utf-8")), "utf-8")
    assert main(["scan", str(tmp_path), "--format", "jsonl"]) == 0
    assert pairs_of(capsys.readouterr().out) == text_pairs


def test_json_lines_on_standard_input_give_the_same_pairs(text_pairs):
    done = subprocess.run(
        [sys.executable, "-m", "dedup", "scan", "-", "--id-field", "id", "--format", "jsonl"],
        input=jsonl(records()),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pairs_of(done.stdout) == text_pairs


def test_web_archive_responses_give_the_same_pairs(tmp_path, capsys, text_pairs):
    pytest.importorskip("trafilatura", reason="the 'html' extra is not installed: pip install -e '.[html]'")
    warcio = pytest.importorskip("warcio", reason="the 'warc' extra is not installed: pip install -e '.[warc]'")
    from warcio.statusandheaders import StatusAndHeaders

    with open(tmp_path / "crawl.warc.gz", "wb") as stream:
        writer = warcio.WARCWriter(stream, gzip=True)
        for path in SEED_FILES:
            payload = page(path.read_text("utf-8")).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            uri = f"https://news.example/{path.stem}.html"
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(payload), length=len(payload), http_headers=headers
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG"),
                length=4,
                http_headers=image,
            )
        )
    assert main(["scan", str(tmp_path), "--format", "jsonl"]) == 0
    assert pairs_of(capsys.readouterr().out) == text_pairs


def test_a_damaged_web_archive_is_reported_and_the_scan_goes_on(tmp_path, capsys):
    pytest.importorskip("warcio", reason="the 'warc' extra is not installed: pip install -e '.[warc]'")
    (tmp_path / "broken.warc").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    shutil.copy(SEED_FILES[0], tmp_path)
    assert main(["scan", str(tmp_path), "--format", "jsonl"]) == 0
    assert "broken.warc: damaged web archive" in capsys.readouterr().err


def test_bad_json_lines_are_skipped_with_a_warning_naming_file_and_line(tmp_path, capsys, text_pairs):
    rows = records()
    lines = jsonl(rows[:1]) + "{oops\n" + jsonl([{"id": "no-text"}, {"id": "n", "text": 42}]) + "[1, 2]\n\n"
    lines += jsonl(rows[1:]) + jsonl([{"text": "an article without an id"}, rows[0]])
    (tmp_path / "feed.jsonl").write_text(lines, "utf-8")
    assert main(["scan", str(tmp_path), "--id-field", "id", "--format", "jsonl"]) == 0
    captured = capsys.readouterr()
    assert pairs_of(captured.out) == text_pairs
    assert captured.err.splitlines() == [
        "dedup: warning: feed.jsonl:2: skipped: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 2)",
        "dedup: warning: feed.jsonl:3: skipped: no 'text' field",
        "dedup: warning: feed.jsonl:4: skipped: a non-text 'text' field",
        "dedup: warning: feed.jsonl:5: skipped: not a JSON object",
        "dedup: warning: feed.jsonl:11: skipped: no usable 'id' field",
        "dedup: warning: 000_2695219b5c5df16e: skipped: a document with this id was read before",
    ]


def test_json_lines_are_named_by_file_and_line_without_an_id_field(tmp_path):
    (tmp_path / "feed.jsonl").write_text(jsonl(records()[:2]), "utf-8")
    assert [doc_id for doc_id, _, _ in read_folder(tmp_path)] == ["feed.jsonl:1", "feed.jsonl:2"]


def test_publication_times_in_json_lines_name_the_original(tmp_path, capsys):
    rows = records()[:2]
    rows[0]["published"] = "2024-04-17T09:00:00Z"  # the rewrite, claimed first
    rows[1]["published"] = "2024-04-17T11:00:00+01:00"
    (tmp_path / "feed.jsonl").write_text(jsonl(rows), "utf-8")
    args = ["scan", str(tmp_path), "--id-field", "id", "--format", "jsonl"]
    assert main(args) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["source"], record["evidence"]) == ("000_2695219b5c5df16e", "timestamp")
    assert main([*args, "--time-from", "none"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["source"], record["evidence"]) == ("001_32374ae3f19f7e7d", "dateline")


def test_unreadable_publication_times_are_ignored_with_a_warning(tmp_path):
    rows = [{"text": "Troops left.", "timestamp": "yesterday"}, {"text": "Rain fell.", "when": 1713346200}]
    (tmp_path / "feed.jsonl").write_text(jsonl(rows), "utf-8")
    skipped: list[tuple[str, str]] = []
    docs = list(read_folder(tmp_path, ReadOptions(time_field="when"), lambda p, r: skipped.append((p, r))))
    assert [t for _, _, t in docs] == [None, 1713346200.0]
    docs = list(read_folder(tmp_path, on_skip=lambda p, r: skipped.append((p, r))))
    assert skipped == [("feed.jsonl:1", "unreadable 'timestamp' 'yesterday'; no timestamp")]


def test_file_modification_times_name_the_original_with_time_from_mtime(tmp_path, capsys):
    for k, path in enumerate(SEED_FILES[:2]):
        shutil.copy(path, tmp_path / path.name)
        os.utime(tmp_path / path.name, (1_700_000_000 - 3600 * k, 1_700_000_000 - 3600 * k))  # 001 is older
    assert main(["scan", str(tmp_path), "--time-from", "mtime", "--format", "jsonl"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["source"], record["evidence"]) == (SEED_FILES[1].name, "timestamp")


def test_a_missing_optional_extra_is_an_error_naming_it(tmp_path, capsys, monkeypatch):
    import dedup._io

    real_import = dedup._io.importlib.import_module

    def without_trafilatura(name: str):
        if name == "trafilatura":
            raise ImportError("No module named 'trafilatura'")
        return real_import(name)

    monkeypatch.setattr(dedup._io.importlib, "import_module", without_trafilatura)
    (tmp_path / "a.html").write_text(page("Troops left Karabakh."), "utf-8")
    assert main(["scan", str(tmp_path)]) == 2
    assert (
        "reading web pages needs the optional 'html' dependencies: pip install 'dedup[html]'" in capsys.readouterr().err
    )
    with pytest.raises(MissingDependencyError, match=r"dedup\[html\]"):
        list(read_folder(tmp_path))


def test_pages_without_main_text_are_skipped_with_a_warning(tmp_path, capsys):
    pytest.importorskip("trafilatura", reason="the 'html' extra is not installed: pip install -e '.[html]'")
    (tmp_path / "empty.html").write_text("<html><head><title>Video</title></head><body></body></html>", "utf-8")
    assert main(["scan", str(tmp_path)]) == 0
    assert "empty.html: skipped: no main text found" in capsys.readouterr().err


def test_json_lines_longer_than_max_bytes_are_skipped_with_a_warning(tmp_path, capsys):
    rows = [{"id": "long", "text": "word " * 5000}, {"id": "short", "text": "Troops left Karabakh."}]
    (tmp_path / "feed.jsonl").write_text(jsonl(rows), "utf-8")
    assert main(["scan", str(tmp_path), "--max-bytes", "1000", "--id-field", "id"]) == 0
    assert capsys.readouterr().err == "dedup: warning: feed.jsonl:1: skipped: longer than 1000 bytes\n"


def test_an_over_long_line_is_cut_and_the_next_line_read_whole():
    stream = io.BytesIO(b"x" * 50 + b"\n" + b'{"text": "ok"}\n' + b"y" * 30)
    assert list(bounded_lines(stream, 20)) == [b"x" * 21, b'{"text": "ok"}\n', b"y" * 21]
