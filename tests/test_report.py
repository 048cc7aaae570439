"""Reports: passages and sources in every format, and an HTML page a browser renders."""

import csv
import io
import json
import re
import shutil
import subprocess

import pytest

from dedup import Detector
from dedup._report import render

from .conftest import SEEDS

SOURCE, REWRITE = "001_32374ae3f19f7e7d.txt", "000_2695219b5c5df16e.txt"


@pytest.fixture(scope="module")
def seed_scan():
    texts = {p.name: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    return Detector().scan(sorted(texts.items())), texts


def test_json_pairs_carry_passages_that_slice_the_texts_and_the_source(seed_scan):
    result, texts = seed_scan
    report = json.loads(render(result, "json", [("bad.txt", "skipped: empty")], texts))
    [pair] = report["pairs"]
    assert (pair["source"], pair["evidence"]) == (SOURCE, "dateline")
    assert len(pair["passages"]) == 1
    assert len(pair["passages"][0]["sentences"]) >= 8
    first = pair["passages"][0]
    assert texts[REWRITE][slice(*first["a"])].startswith("The Russian forces stationed")
    assert texts[SOURCE][slice(*first["b"])].startswith("MOSCOW (AP)")
    assert report["matchSets"][0]["fileList"] == [{"filePath": SOURCE}, {"filePath": REWRITE}]
    assert {"line": "Share.", "documents": 1} in report["boilerplate"]
    assert report["skipped"] == [{"path": "bad.txt", "reason": "skipped: empty"}]


def test_csv_has_one_row_per_pair_with_its_source(seed_scan):
    result, texts = seed_scan
    [row] = list(csv.DictReader(io.StringIO(render(result, "csv", texts=texts))))
    assert (row["a"], row["b"], row["source"], row["evidence"]) == (REWRITE, SOURCE, SOURCE, "dateline")
    assert int(row["passages"]) == 1


def test_text_report_quotes_the_aligned_passages(seed_scan):
    result, texts = seed_scan
    out = render(result, "text", texts=texts)
    assert f"source {SOURCE} (wire dateline)" in out
    assert "1 aligned passage, in order:" in out
    assert "B 201-2357  MOSCOW (AP) — Russian forces are being withdrawn" in out
    assert 'Stripped as page chrome (documents): "Comments" (1)' in out


def test_html_report_is_self_contained_and_escapes_every_text():
    hostile = '<script>alert("x")</script> The council voted & agreed. <img src=x onerror=alert(1)>'
    docs = [("<b>a</b>", hostile), ("b&c", hostile + " Then it rained.")]
    result = Detector().scan(docs)
    page = render(result, "html", [("<i>bad</i>.txt", "skipped: <empty>")], dict(docs))
    assert "<script" not in page and "<img" not in page and "<b>a</b>" not in page and "<i>bad" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;a&lt;/b&gt;" in page and "b&amp;c" in page
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    assert not [t for t in tags if re.search(r"\s(src|srcset|action)=", t) or re.search(r'\shref="(?!#)', t)]
    assert not [t for t in tags if t.startswith(("<link", "<script", "<iframe", "<object", "<embed"))]
    assert "@import" not in page and "url(" not in page


def test_html_report_renders_in_a_headless_browser(tmp_path, seed_scan):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it")
    image = pytest.importorskip("PIL.Image", reason="Pillow is not installed: pip install -e '.[dev]'")
    result, texts = seed_scan
    report = tmp_path / "report.html"
    report.write_text(render(result, "html", texts=texts), "utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]

    def browse(*args: str) -> subprocess.CompletedProcess[str]:
        profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
        command = [chromium, *flags, f"--user-data-dir={profile}", *args, report.as_uri()]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    shot = tmp_path / "report.png"
    done = browse(f"--screenshot={shot}", "--window-size=1280,900")
    assert shot.exists(), done.stderr
    with image.open(shot) as png:
        assert png.size == (1280, 900)
        pixels = png.convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 20)
        assert len(colours) > 50  # text and highlights, not a blank page
        assert any(abs(r - 0xFF) < 8 and abs(g - 0xE0) < 8 and abs(b - 0x8A) < 8 for _, (r, g, b) in colours)

    dom = browse("--dump-dom").stdout
    assert 'data-passage="1"' in dom
    assert '<span class="n">1</span>MOSCOW (AP) — Russian forces are being withdrawn' in dom
    assert '<span class="n">1</span>The Russian forces stationed as peacekeepers' in dom
    assert dom.count("<mark ") == 2 * len(result.pairs[0].passages)
