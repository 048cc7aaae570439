"""The Dask engine gives exactly the local engine's result (on a LocalCluster with 2 workers)."""

import csv

import pytest

from dedup import Detector, _dask, read_folder

from .conftest import SEEDS, SHARED_DATA

distributed = pytest.importorskip("distributed", reason="the dask engine needs the optional 'dask' extra")


def news_documents() -> list[tuple[str, str]]:
    """The seeds and, when ../shared/data is there, a few hundred real news articles."""
    docs = [(doc_id, text) for doc_id, text, _ in read_folder(SEEDS)]
    pairs = SHARED_DATA / "semeval2022-task8-en" / "pairs.csv"
    if pairs.is_file():
        with open(pairs, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                first, second = row["pair_id"].split("_")
                docs += [(first, row["text1"]), (second, row["text2"])]
    unique = dict(docs)
    return sorted(unique.items())


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as local:
        yield local.scheduler_address


def test_the_dask_engine_gives_the_local_result(cluster, monkeypatch):
    monkeypatch.setattr(_dask, "CHARS_PER_PARTITION", 100_000)  # several partitions and buckets
    docs = news_documents()
    local = Detector().scan(docs)
    assert local.pairs, "the corpus should hold some derived pairs"
    assert Detector().scan(docs, engine="dask", scheduler=cluster) == local


def test_the_dask_engine_refuses_a_scan_with_the_index():
    with pytest.raises(ValueError, match="local engine only"):
        Detector().scan([("a", "text")], with_index=True, engine="dask")


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of 'local', 'dask', got 'spark'"):
        Detector().scan([("a", "text")], engine="spark")
