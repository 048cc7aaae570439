"""An index that lives for months: replacing, expiring and removing documents, and threads."""

import threading

import pytest

from dedup import ConfigError, Detector, InputError, Verdict
from dedup._memory import MIN_DEAD_TO_COMPACT

from .test_detector import ARTICLE, UNRELATED, _variants

DAY = 86400.0


def story(k: int) -> str:
    """A distinct short article for document ``k``."""
    return f"Report {k}: " + " ".join(f"w{k}x{j}" for j in range(40)) + "."


def run_in_threads(worker, count):
    """Run ``worker(t)`` for ``t`` in ``range(count)``, each in a thread; the exceptions they raised."""
    errors = []

    def guarded(t):
        try:
            worker(t)
        except Exception as err:  # returned: an exception in a thread would be lost
            errors.append(err)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_documents_older_than_max_age_expire_as_newer_ones_arrive():
    det = Detector(max_age=2 * DAY)
    det.add("monday", ARTICLE, timestamp=0.0)
    det.add("undated", UNRELATED)
    assert [m.doc_id for m in det.add("tuesday", _variants()["edited"], timestamp=DAY)] == ["monday"]
    det.add("thursday", story(1), timestamp=3 * DAY)
    assert "monday" not in det and "tuesday" in det and "undated" in det
    assert [m.doc_id for m in det.query(ARTICLE)] == ["tuesday"]


def test_an_expired_story_is_not_reported_when_it_is_copied_again():
    det = Detector(max_age=DAY)
    det.add("wire", ARTICLE, timestamp=0.0)
    assert det.add("copy", ARTICLE, timestamp=2 * DAY) == []


def test_expire_forgets_what_is_older_and_returns_it_sorted():
    det = Detector()
    for k in (3, 1, 2):
        det.add(f"d{k}", story(k), timestamp=k * DAY)
    det.add("undated", story(9))
    assert det.expire(before=2.5 * DAY) == ["d1", "d2"]
    assert det.expire(before=2.5 * DAY) == []
    assert len(det) == 2


@pytest.mark.parametrize("timestamp", [float("nan"), float("inf"), "today", True])
def test_a_timestamp_must_be_a_finite_number(timestamp):
    with pytest.raises(InputError, match="timestamp must be a finite number of POSIX seconds"):
        Detector().add("a", ARTICLE, timestamp=timestamp)
    with pytest.raises(InputError, match="before must be a finite number of POSIX seconds"):
        Detector().expire(before=timestamp)


@pytest.mark.parametrize("max_age", [0, -1.0, float("inf"), "1d"])
def test_max_age_must_be_a_positive_number(max_age):
    with pytest.raises(ConfigError, match="max_age must be a positive number of seconds or None"):
        Detector(max_age=max_age)


def test_a_failed_re_add_keeps_the_old_version():
    det = Detector()
    det.add("a", ARTICLE)
    with pytest.raises(TypeError, match="text must be a str"):
        det.add("a", None)
    assert det.query(ARTICLE)[0].doc_id == "a"


def test_removing_an_unknown_id_is_a_key_error():
    with pytest.raises(KeyError, match="nope"):
        Detector().remove("nope")


def test_memory_stays_bounded_when_documents_come_and_go():
    det = Detector(max_age=50.0)
    sizes = []
    for k in range(6 * MIN_DEAD_TO_COMPACT):
        det.add(f"doc{k}", story(k), timestamp=float(k))
        if k % MIN_DEAD_TO_COMPACT == 0:
            sizes.append(det._store.nbytes)
    assert len(det) == 51
    # Dead slots are reclaimed: the footprint does not grow with the number of documents seen.
    assert max(sizes[2:]) <= 1.2 * sizes[1]
    assert [m.doc_id for m in det.query(story(6 * MIN_DEAD_TO_COMPACT - 1))] == [f"doc{6 * MIN_DEAD_TO_COMPACT - 1}"]


def test_answers_are_the_same_after_compaction():
    det = Detector()
    det.add("wire", ARTICLE)
    for k in range(MIN_DEAD_TO_COMPACT + 1):
        det.add(f"tmp{k}", story(k))
    expected = [(m.doc_id, m.verdict, m.scores) for m in det.query(_variants()["edited"])]
    for k in range(MIN_DEAD_TO_COMPACT + 1):
        det.remove(f"tmp{k}")
    assert len(det._store._ids) < MIN_DEAD_TO_COMPACT  # compacted
    assert [(m.doc_id, m.verdict, m.scores) for m in det.query(_variants()["edited"])] == expected


def test_many_threads_adding_querying_and_removing_leave_a_consistent_index():
    det = Detector()
    det.add("wire", ARTICLE)
    reported = []

    def worker(t: int) -> None:
        for k in range(30):
            doc_id = f"t{t}-{k}"
            det.add(doc_id, story(100 * t + k))
            assert [m.doc_id for m in det.query(story(100 * t + k))] == [doc_id]
            if k % 3 == 0:
                det.remove(doc_id)
        reported.extend(m.doc_id for m in det.add(f"copy{t}", _variants()["edited"]))

    assert run_in_threads(worker, 8) == []
    expected = {"wire"} | {f"copy{t}" for t in range(8)} | {f"t{t}-{k}" for t in range(8) for k in range(30) if k % 3}
    assert set(det._store.documents().ids) == expected and len(det) == len(expected)
    for t in range(8):
        for k in (1, 2, 28, 29):
            assert [m.doc_id for m in det.query(story(100 * t + k))] == [f"t{t}-{k}"]
    # Every copy was found at least as the copy of the wire story, and each pair of copies once.
    assert reported.count("wire") == 8 and len(reported) == 8 + 28
    matches = det.query(ARTICLE)
    assert {m.doc_id for m in matches} == {"wire"} | {f"copy{t}" for t in range(8)}
    assert all(m.verdict is Verdict.NEAR_DUPLICATE for m in matches if m.doc_id != "wire")
