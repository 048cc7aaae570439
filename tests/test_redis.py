"""The Redis backend against a real redis-server started on 127.0.0.1 for these tests."""

import json
import subprocess
import sys
import textwrap

import pytest

from dedup import ConfigError, Detector, IndexLoadError, Verdict

from .test_detector import ARTICLE, UNRELATED, _variants
from .test_lifecycle import run_in_threads, story
from .test_persist import ROOT, answers


def test_workers_share_one_index_and_answer_like_a_local_detector(redis_url, seeds):
    local = Detector()
    first, second = Detector.connect(redis_url), Detector.connect(redis_url)
    for doc_id, text in sorted(seeds.items()):
        assert first.add(doc_id, text) == local.add(doc_id, text)
    second.add("article", ARTICLE)
    local.add("article", ARTICLE)
    texts = [*seeds.values(), ARTICLE, *_variants().values()]
    assert answers(first, texts) == answers(second, texts) == answers(local, texts)
    assert len(first) == len(second) == 6 and "article" in first


def test_replacing_removing_and_expiring_are_seen_by_every_worker(redis_url):
    first, second = Detector.connect(redis_url, max_age=100.0), Detector.connect(redis_url)
    first.add("wire", ARTICLE, timestamp=0.0)
    first.add("other", UNRELATED)
    first.add("wire", story(1), timestamp=10.0)
    assert second.query(ARTICLE) == []
    second.remove("other")
    assert first.query(UNRELATED) == [] and len(first) == 1
    first.add("later", story(2), timestamp=200.0)
    assert "wire" not in second and len(second) == 1
    with pytest.raises(KeyError, match="other"):
        second.remove("other")


def test_a_shared_index_can_be_saved_and_loaded_into_memory(redis_url, seeds, tmp_path):
    shared = Detector.connect(redis_url)
    for doc_id, text in sorted(seeds.items()):
        shared.add(doc_id, text, timestamp=float(doc_id))
    shared.save(tmp_path)
    loaded = Detector.load(tmp_path)
    assert answers(loaded, list(seeds.values())) == answers(shared, list(seeds.values()))
    assert loaded.expire(before=2.0) == ["000", "001"]


def test_joining_with_other_signature_or_banding_settings_is_refused(redis_url):
    Detector.connect(redis_url, prefix="news").add("wire", ARTICLE)
    with pytest.raises(
        IndexLoadError, match="'news' was made with incompatible settings: bands is 128 in the index, 32"
    ):
        Detector.connect(redis_url, prefix="news", bands=32)
    strict = Detector.connect(redis_url, prefix="news", near_duplicate_containment=0.99)
    assert [m.verdict for m in strict.query(_variants()["edited"])] == [Verdict.PARAPHRASE]
    assert Detector.connect(redis_url, prefix="sport", num_perm=64, bands=32).query(ARTICLE) == []


@pytest.mark.parametrize(("field", "value"), [(b"sig", b"\x00" * 7), (b"size", b"many")])
def test_a_corrupted_document_is_reported_not_misread(redis_url, redis_server, field, value):
    client, _ = redis_server
    Detector.connect(redis_url).add("wire", ARTICLE)
    client.hset(b"dedup:doc:wire", field, value)
    with pytest.raises(IndexLoadError, match="document 'wire' of the Redis index is corrupted"):
        Detector.connect(redis_url).query(ARTICLE)


def test_a_corrupted_or_foreign_manifest_is_refused(redis_url, redis_server):
    client, _ = redis_server
    client.set(b"dedup:manifest", b"\x80\x04not json")
    with pytest.raises(IndexLoadError, match="corrupted manifest"):
        Detector.connect(redis_url)
    client.set(b"dedup:manifest", json.dumps({"format": "something-else"}))
    with pytest.raises(IndexLoadError, match="is not a dedup index"):
        Detector.connect(redis_url)


def test_a_client_that_decodes_replies_is_refused(redis_url):
    import redis

    with pytest.raises(ConfigError, match="decode_responses=False"):
        Detector.connect(redis.Redis.from_url(redis_url, decode_responses=True))


def test_threads_sharing_a_connected_detector_leave_a_consistent_index(redis_url):
    det = Detector.connect(redis_url)

    def worker(t: int) -> None:
        for k in range(10):
            det.add(f"t{t}-{k}", story(100 * t + k))
            if k % 2:
                det.remove(f"t{t}-{k}")

    assert run_in_threads(worker, 6) == []
    assert set(det._store.documents().ids) == {f"t{t}-{k}" for t in range(6) for k in range(0, 10, 2)}
    assert [m.doc_id for m in det.query(story(508))] == ["t5-8"]


WORKER = textwrap.dedent(
    """
    import json, sys
    from dedup import Detector
    from tests.test_detector import _variants
    from tests.test_lifecycle import story

    url, worker = sys.argv[1], int(sys.argv[2])
    det = Detector.connect(url)
    for k in range(20):
        det.add(f"p{worker}-{k}", story(1000 * worker + k))
    print("ready", flush=True)
    sys.stdin.readline()  # all workers add their copy at once
    print(json.dumps([m.doc_id for m in det.add(f"copy{worker}", _variants()["edited"])]))
    """
)


def test_processes_adding_copies_at_the_same_instant_report_each_pair_at_least_once(redis_url):
    Detector.connect(redis_url).add("wire", ARTICLE)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, redis_url, str(w)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for w in range(3)
    ]
    for process in workers:
        assert process.stdout.readline() == "ready\n"
    for process in workers:
        process.stdin.write("go\n")
        process.stdin.flush()
    reported = {}
    for w, process in enumerate(workers):
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        reported[f"copy{w}"] = set(json.loads(out))
    det = Detector.connect(redis_url)
    assert len(det) == 1 + 3 * 21
    assert all("wire" in found for found in reported.values())
    for a in reported:
        for b in reported:
            if a < b:
                assert b in reported[a] or a in reported[b], f"neither {a} nor {b} reported the other"
    assert {m.doc_id for m in det.query(ARTICLE) if m.verdict is Verdict.NEAR_DUPLICATE} == set(reported)


def test_kept_texts_are_shared_so_that_every_worker_finds_passages(redis_url, redis_server, seeds):
    client, _ = redis_server
    Detector.connect(redis_url, keep_text=True).add("001", seeds["001"])
    Detector.connect(redis_url, keep_text=False).add("article", ARTICLE)
    assert client.hget(b"dedup:doc:001", b"text") == seeds["001"].encode()
    assert client.hget(b"dedup:doc:article", b"text") is None
    [match] = Detector.connect(redis_url).query(seeds["000"])  # the index's settings keep texts
    assert match.doc_id == "001" and len(match.passages[0].sentences) >= 8  # one merged passage
    client.hset(b"dedup:doc:001", b"text", b"\xff\xfe not UTF-8")
    with pytest.raises(IndexLoadError, match="document '001' of the Redis index is corrupted"):
        Detector.connect(redis_url, keep_text=True).query(seeds["000"])


def test_workers_with_partial_reuse_find_a_story_that_borrows_a_passage(redis_url, redis_server, seeds):
    from .test_partial import _in_a_long_article

    text, _, source = _in_a_long_article(seeds)
    first, second = Detector.connect(redis_url, partial_reuse=True), Detector.connect(redis_url, partial_reuse=True)
    first.add("wire", source)
    assert [(m.doc_id, m.verdict) for m in second.query(text)] == [("wire", Verdict.PARTIAL)]
    assert Detector.connect(redis_url, partial_reuse=False).query(text) == []  # whole-text keys miss it
    assert [(m.doc_id, m.verdict) for m in second.add("story", text)] == [("wire", Verdict.PARTIAL)]
    first.remove("wire")
    assert [m.doc_id for m in second.query(text)] == ["story"]
    client, _ = redis_server
    windows = client.keys(b"dedup:win:*")
    assert windows and not [key for key in windows if b"wire" in client.smembers(key)]
