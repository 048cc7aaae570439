"""Saving and loading an index: round trips, atomic writes, and refusing what cannot be trusted."""

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dedup import Detector, IndexLoadError, InputError, MissingPathError, Verdict
from dedup import _persist as persist

from .test_detector import ARTICLE, UNRELATED, _variants

ROOT = Path(__file__).resolve().parent.parent


def answers(det, texts):
    return [[(m.doc_id, m.verdict, m.scores) for m in det.query(t)] for t in texts]


@pytest.fixture
def seeded(seeds):
    det = Detector(keep_text=True)
    for doc_id, text in sorted(seeds.items()):
        det.add(doc_id, text, timestamp=1_700_000_000 + int(doc_id))
    det.add("article", ARTICLE)
    det.add("gone", UNRELATED)
    det.remove("gone")
    return det


def test_a_loaded_index_gives_identical_answers(seeded, seeds, tmp_path):
    seeded.save(tmp_path / "index")
    loaded = Detector.load(tmp_path / "index")
    texts = [*seeds.values(), ARTICLE, UNRELATED, *_variants().values()]
    assert answers(loaded, texts) == answers(seeded, texts)
    assert loaded.config == seeded.config
    assert len(loaded) == 6 and "gone" not in loaded
    assert loaded.scan(sorted(seeds.items()), with_index=True) == seeded.scan(sorted(seeds.items()), with_index=True)


def test_a_loaded_index_keeps_its_timestamps_and_can_grow(seeded, tmp_path):
    seeded.save(tmp_path)
    loaded = Detector.load(tmp_path)
    assert loaded.expire(before=1_700_000_002) == ["000", "001"]
    assert loaded.add("copy", ARTICLE)[0].doc_id == "article"
    loaded.remove("article")
    assert loaded.query(ARTICLE)[0].doc_id == "copy"


def test_saving_the_same_index_twice_writes_identical_files(seeded, tmp_path):
    seeded.save(tmp_path / "a")
    seeded.save(tmp_path / "b")
    seeded.save(tmp_path / "b")
    names = sorted(os.listdir(tmp_path / "a"))
    assert names == sorted(os.listdir(tmp_path / "b"))
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_files_of_earlier_saves_and_interrupted_writes_are_removed(seeded, tmp_path):
    seeded.save(tmp_path)
    (tmp_path / ".tmp-left-by-a-killed-save").write_bytes(b"partial")
    seeded.add("another", UNRELATED)
    seeded.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    named = {entry["file"] for entry in manifest["files"].values()}
    assert set(os.listdir(tmp_path)) == named | {"manifest.json", ".lock"}


def test_an_empty_index_round_trips(tmp_path):
    Detector().save(tmp_path)
    loaded = Detector.load(tmp_path)
    assert len(loaded) == 0 and loaded.query(ARTICLE) == []


def test_the_manifest_records_versions_settings_and_checksums(seeded, tmp_path):
    seeded.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["format"] == "dedup-index" and manifest["library_version"]
    assert manifest["config"]["num_perm"] == 256 and manifest["config"]["paraphrase_score"] == 0.3
    assert set(manifest["pipeline"]) == {"stopwords", "hashing"}
    assert set(manifest["files"]) == {*persist.ARRAYS, "ids", "texts"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) for entry in manifest["files"].values())


@pytest.mark.parametrize("name", ["manifest", *persist.ARRAYS, "ids", "texts"])
def test_a_flipped_byte_in_any_file_is_reported_on_load(seeded, tmp_path, name):
    seeded.save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    path = tmp_path / ("manifest.json" if name == "manifest" else manifest["files"][name]["file"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexLoadError, match=rf"{re.escape(path.name)} is corrupted"):
        Detector.load(tmp_path)


def test_a_truncated_file_is_reported_on_load(seeded, tmp_path):
    seeded.save(tmp_path)
    path = next(tmp_path.glob("signatures-*.npy"))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IndexLoadError, match="corrupted or truncated"):
        Detector.load(tmp_path)


def test_a_missing_data_file_is_reported_on_load(seeded, tmp_path):
    seeded.save(tmp_path)
    next(tmp_path.glob("token_hashes-*.npy")).unlink()
    with pytest.raises(IndexLoadError, match=r"token_hashes-[0-9a-f]+\.npy: cannot read"):
        Detector.load(tmp_path)


def test_an_edited_threshold_is_reported_on_load(seeded, tmp_path):
    seeded.save(tmp_path)
    path = tmp_path / "manifest.json"
    path.write_text(path.read_text().replace('"paraphrase_score": 0.3', '"paraphrase_score": 0.9'))
    with pytest.raises(IndexLoadError, match="does not match its checksum"):
        Detector.load(tmp_path)


def rewrite_manifest(folder, change):
    """Edit a manifest and re-seal it, as a different version of dedup would have written it."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    manifest["checksum"] = persist._checksum(manifest)
    path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["pipeline"].update(hashing="0" * 64), "another tokeniser or hashing"),
        (lambda m: m["pipeline"].update(stopwords="0" * 64), "another stop word list"),
        (lambda m: m.update(format_version=99, library_version="9.0"), "format 99, made by dedup 9.0"),
        (lambda m: m["config"].update(shingle_weights="tfidf"), "settings unknown to dedup .*: shingle_weights"),
        (lambda m: m["config"].update(num_perm=-3), "invalid settings: num_perm must be between"),
        (lambda m: m["files"]["sizes"].update(file="../sizes-0123456789abcdef.npy"), "names no valid file for sizes"),
    ],
)
def test_an_index_from_an_incompatible_version_is_refused_saying_what_differs(seeded, tmp_path, change, message):
    seeded.save(tmp_path)
    rewrite_manifest(tmp_path, change)
    with pytest.raises(IndexLoadError, match=message):
        Detector.load(tmp_path)


def test_loading_with_other_signature_settings_is_refused_naming_them(seeded, tmp_path):
    seeded.save(tmp_path)
    with pytest.raises(IndexLoadError, match="num_perm is 256 in the index, 64 requested; seed is 1 in the index, 2"):
        Detector.load(tmp_path, num_perm=64, bands=32, seed=2)


def test_thresholds_may_change_on_load(seeded, seeds, tmp_path):
    seeded.save(tmp_path)
    assert [m.verdict for m in Detector.load(tmp_path).query(seeds["000"])] == [Verdict.EXACT, Verdict.PARAPHRASE]
    strict = Detector.load(tmp_path, paraphrase_score=0.95, partial_reuse=False)
    assert [m.verdict for m in strict.query(seeds["000"])] == [Verdict.EXACT]
    # Not a paraphrase under the stricter score, but the reused passage remains.
    partial = Detector.load(tmp_path, paraphrase_score=0.95)
    assert [m.verdict for m in partial.query(seeds["000"])] == [Verdict.EXACT, Verdict.PARTIAL]
    assert strict.config.paraphrase_score == 0.95


def test_loading_what_is_not_an_index_is_refused(tmp_path):
    with pytest.raises(MissingPathError, match="no such index folder"):
        Detector.load(tmp_path / "missing")
    with pytest.raises(IndexLoadError, match=r"has no manifest\.json"):
        Detector.load(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(IndexLoadError, match=r"manifest\.json is corrupted: not a manifest"):
        Detector.load(tmp_path)


def test_saving_into_a_folder_of_other_files_is_refused(seeded, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"is not empty and is not a dedup index .*notes\.txt"):
        seeded.save(tmp_path)
    assert os.listdir(tmp_path) == ["notes.txt"]


class Interrupted(BaseException):
    pass


@pytest.fixture
def two_states(seeded, tmp_path):
    """An index saved in ``tmp_path``, and the same detector with one document more."""
    seeded.save(tmp_path)
    before = answers(seeded, [ARTICLE, UNRELATED])
    seeded.add("unrelated", UNRELATED)
    return seeded, before, answers(seeded, [ARTICLE, UNRELATED])


@pytest.mark.parametrize("stop_at", range(8))  # seven data files, then the manifest
def test_a_save_interrupted_before_its_manifest_is_renamed_leaves_the_old_index(
    two_states, tmp_path, monkeypatch, stop_at
):
    det, before, after = two_states
    real_replace, calls = os.replace, []

    def replace(src, dst):
        if len(calls) == stop_at:
            raise Interrupted
        calls.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(persist.os, "replace", replace)
    with pytest.raises(Interrupted):
        det.save(tmp_path)
    monkeypatch.undo()
    assert answers(Detector.load(tmp_path), [ARTICLE, UNRELATED]) == before != after


def test_a_save_interrupted_while_deleting_old_files_leaves_the_new_index(two_states, tmp_path, monkeypatch):
    det, _, after = two_states

    def unlink(self, missing_ok=False):
        raise Interrupted

    monkeypatch.setattr(Path, "unlink", unlink)
    with pytest.raises(Interrupted):
        det.save(tmp_path)
    monkeypatch.undo()
    assert answers(Detector.load(tmp_path), [ARTICLE, UNRELATED]) == after


WRITER = textwrap.dedent(
    """
    import itertools, sys
    from pathlib import Path
    from dedup import Detector

    folder = Path(sys.argv[1])
    det = Detector.load(folder) if (folder / "manifest.json").exists() else Detector()
    for k in itertools.count(len(det)):
        det.add(f"doc{k}", " ".join(f"w{k}x{j}" for j in range(400)))
        det.save(folder)
        print(k + 1, flush=True)
    """
)


def test_a_writer_killed_at_random_moments_always_leaves_a_loadable_correct_index(tmp_path):
    rng = random.Random(20240601)
    folder = tmp_path / "index"
    saved = 0
    for _ in range(5):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT
        ) as writer:
            assert writer.stdout is not None
            saved = int(writer.stdout.readline())  # one save done: now kill it at a random moment
            try:
                writer.wait(timeout=rng.uniform(0.0, 0.4))
            except subprocess.TimeoutExpired:
                writer.send_signal(signal.SIGKILL)
            saved = max([saved, *(int(line) for line in writer.stdout.read().split())])

        det = Detector.load(folder)
        count = len(det)
        assert count >= saved, "a completed save was lost"
        for k in {0, count // 2, count - 1}:
            text = " ".join(f"w{k}x{j}" for j in range(400))
            assert [(m.doc_id, m.verdict) for m in det.query(text)] == [(f"doc{k}", Verdict.EXACT)]
        assert f"doc{count}" not in det
    assert saved >= 5


def test_the_package_never_unpickles_or_evaluates_what_it_reads():
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "dedup").glob("*.py"))
    assert not re.search(r"\bpickle\b|\bmarshal\b|\bshelve\b|\beval\(|\bexec\(|allow_pickle=True", source)
    loads = re.findall(r"np\.load\(.*", source)
    assert loads and all("allow_pickle=False" in call for call in loads)


def test_kept_texts_are_saved_so_that_passages_survive_a_reload(seeds, tmp_path):
    det = Detector(keep_text=True)
    det.add("001", seeds["001"])
    det.add("article", ARTICLE)
    det.save(tmp_path)
    assert "texts" in json.loads((tmp_path / "manifest.json").read_text())["files"]
    loaded = Detector.load(tmp_path)
    [match] = loaded.query(seeds["000"])
    assert match.passages and [match] == det.query(seeds["000"])
    assert Detector.load(tmp_path, keep_text=False).query(seeds["000"])[0].passages == ()


def test_an_index_saved_without_texts_loads_into_a_detector_that_keeps_them(seeds, tmp_path):
    plain = Detector()
    plain.add("001", seeds["001"])
    plain.save(tmp_path)
    assert "texts" not in json.loads((tmp_path / "manifest.json").read_text())["files"]
    keeping = Detector.load(tmp_path, keep_text=True)
    assert keeping.query(seeds["000"])[0].passages == ()  # its text was never kept
    keeping.add("000", seeds["000"])
    keeping.save(tmp_path)
    reloaded = Detector.load(tmp_path)
    assert reloaded.config.keep_text
    assert [(m.doc_id, bool(m.passages)) for m in reloaded.query(seeds["001"])] == [("001", False), ("000", True)]


def test_texts_that_do_not_fit_the_documents_are_refused(seeded, tmp_path):
    seeded.save(tmp_path)
    data = json.dumps(["one", "two"]).encode()
    name = "texts-0123456789abcdef.json"
    (tmp_path / name).write_bytes(data)
    entry = {"file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    rewrite_manifest(tmp_path, lambda m: m["files"].update(texts=entry))
    with pytest.raises(IndexLoadError, match="its texts are not 6 strings or nulls"):
        Detector.load(tmp_path)


def test_the_hashing_digest_is_pinned():
    # Any change to tokenising or hashing changes this digest, so that indexes saved before
    # it are refused on load; update the pin together with such a change.
    assert persist.pipeline()["hashing"] == "f914c0628fa3259e27048649b358c40df3980d90bdd590f4731df0665d382a3c"
