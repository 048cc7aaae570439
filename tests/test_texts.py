"""A batch's texts spill to a temporary file past a budget, and a scan gives the same result."""

import pytest

from dedup import Detector, _texts
from dedup._scan import Batch
from dedup._texts import Texts

from .test_detector import ARTICLE, UNRELATED, _variants

TEXTS = ["Flood repairs close the library.", "", "Über – 2,000 troops\nleft.", "\ud800 lone surrogate", "x" * 5000]


@pytest.mark.parametrize("spill_after", [0, 40, 10**9])
def test_texts_read_back_what_was_added_in_memory_or_spilled(spill_after):
    texts = Texts(TEXTS, spill_after=spill_after)
    assert texts.spilled == (spill_after < 10**9)
    assert len(texts) == len(TEXTS)
    assert list(texts) == TEXTS
    assert [texts[k] for k in range(-len(TEXTS), len(TEXTS))] == TEXTS * 2
    assert texts[1:4] == TEXTS[1:4] and texts[::2] == TEXTS[::2] and texts[3:1] == []
    with pytest.raises(IndexError):
        texts[len(TEXTS)]


def test_texts_are_iterated_in_reads_of_a_few_megabytes(monkeypatch):
    monkeypatch.setattr(_texts, "_READ_BYTES", 64)
    texts = Texts([f"text {k} " * k for k in range(100)], spill_after=0)
    assert list(texts) == [f"text {k} " * k for k in range(100)]


def test_a_scan_whose_texts_spill_gives_what_a_scan_in_memory_gives(monkeypatch):
    docs = [("article", ARTICLE), ("other", UNRELATED)] + [(k, v) for k, v in _variants().items()]
    expected = Detector().scan(docs)
    monkeypatch.setattr(_texts, "SPILL_AFTER", 100)
    batch = Batch(docs)
    assert batch.texts.spilled
    assert Detector().scan(batch) == expected
    assert len(expected.pairs) >= 5


def test_a_batch_refuses_a_repeated_id_and_reads_texts_by_id():
    batch = Batch([("a", "Rain fell.")])
    with pytest.raises(Exception, match="document id 'a' occurs more than once"):
        batch.add(("a", "Snow fell."))
    assert dict(batch.by_id()) == {"a": "Rain fell."}


def test_texts_that_cannot_spill_say_where_to_point_tmpdir(monkeypatch, tmp_path):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(OSError, match="set TMPDIR to a writable folder"):
        Texts(TEXTS, spill_after=0)
