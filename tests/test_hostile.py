"""A scan of a folder of hostile files completes, names every file it skips, and finds the real pairs."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import SEEDS
from .test_cli import SEED_PAIR

DEPTH = 40


@pytest.fixture
def hostile(tmp_path):
    """The seed rewrite 40 folders deep and its source at the top, among files that cannot be used."""
    shutil.copy(SEEDS / SEED_PAIR[1], tmp_path / "ap.txt")
    deep = tmp_path.joinpath(*(f"d{k}" for k in range(DEPTH)))
    deep.mkdir(parents=True)
    shutil.copy(SEEDS / SEED_PAIR[0], deep / "rewrite.txt")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "invalid.txt").write_bytes(b"Caf\xc3 cr\x81me \xff\xfe\xfd with bytes that are not UTF-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text(" \n\t\n")
    with open(tmp_path / "huge.txt", "wb") as f:  # 100 MB, sparse: nothing is written
        f.truncate(100 * 1024 * 1024)
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    (tmp_path / "d0" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer
    os.mkfifo(tmp_path / "feed.jsonl")
    (tmp_path / "folder.txt").mkdir()
    return tmp_path


# Runs the command line and reports its peak memory (KiB) on the last line of stderr.
MEASURED = (
    "import resource, runpy, sys\n"
    "try:\n"
    "    runpy.run_module('dedup', run_name='__main__')\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def scan(folder, *options):
    return subprocess.run(
        [sys.executable, "-c", MEASURED, "scan", str(folder), "--format", "jsonl", *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_folder_of_hostile_files_is_scanned_and_every_skip_is_named(hostile):
    done = scan(hostile)
    assert done.returncode == 0, done.stderr
    rewrite = "/".join(f"d{k}" for k in range(DEPTH)) + "/rewrite.txt"
    assert [(r["a"], r["b"], r["verdict"]) for r in map(json.loads, done.stdout.splitlines())] == [
        ("ap.txt", rewrite, "paraphrase")
    ]
    for expected in (
        "binary.txt: skipped: binary file (contains NUL bytes)",
        "invalid.txt: not valid UTF-8 or cp1252; decoded as latin-1",
        "empty.txt: skipped: empty",
        "blank.md: skipped: empty",
        "huge.txt: skipped: larger than 20971520 bytes (104857600)",
        "loop-a.txt: skipped: cannot read: Too many levels of symbolic links",
        "loop-b.txt: skipped: cannot read: Too many levels of symbolic links",
        "dangling.txt: skipped: cannot read: No such file or directory",
        "pipe.txt: skipped: not a regular file",
        "feed.jsonl: skipped: not a regular file",
    ):
        assert f"dedup: warning: {expected}\n" in done.stderr
    assert "folder.txt" not in done.stderr and "/up/" not in done.stdout + done.stderr


def peak_memory(done):
    return int(done.stderr.splitlines()[-1]) * 1024


def test_a_huge_binary_file_within_max_bytes_is_refused_without_reading_it_all(hostile):
    guarded = scan(hostile)
    done = scan(hostile, "--max-bytes", str(200 * 1024 * 1024))
    assert done.returncode == 0, done.stderr
    assert "huge.txt: skipped: binary file (contains NUL bytes)" in done.stderr
    assert peak_memory(done) < peak_memory(guarded) + 20 * 1024 * 1024


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; the FIFO and links cover it")
def test_a_file_without_read_permission_is_skipped_with_a_warning(tmp_path):
    shutil.copy(SEEDS / SEED_PAIR[0], tmp_path / "a.txt")
    shutil.copy(SEEDS / SEED_PAIR[1], tmp_path / "b.txt")
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    done = scan(tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1
    assert "locked.txt: skipped: cannot read: Permission denied" in done.stderr
