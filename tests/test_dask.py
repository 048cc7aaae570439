"""The Dask engine gives exactly the local engine's result (on a LocalCluster with 2 workers)."""

import csv

import pytest

from dedup import Detector, Verdict, _dask, read_folder

from .conftest import SEEDS, SHARED_DATA
from .test_partial import _in_a_long_article

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


def mixed_documents(seeds: dict[str, str]) -> list[tuple[str, str]]:
    """A story borrowing a passage of the AP story, the seeds, and generated articles with
    planted copies between the two, so the pair's documents are in different partitions."""
    from benchmarks.corpus import news_corpus

    story, _, _ = _in_a_long_article(seeds)
    generated = news_corpus(30, seed=1, words_per_doc=400, planted_share=0.2).docs
    docs = [("story", story), *[(f"seed{k}", text) for k, text in sorted(seeds.items())]]
    return [*docs, *[(f"gen{doc_id}", text) for doc_id, text in generated]]


def test_the_dask_engine_finds_a_planted_passage_as_partial(cluster, monkeypatch, seeds):
    monkeypatch.setattr(_dask, "CHARS_PER_PARTITION", 4_000)  # the story and the source apart
    story, _, source = _in_a_long_article(seeds)
    result = Detector().scan([("story", story), ("wire", source)], engine="dask", scheduler=cluster)
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [("story", "wire", Verdict.PARTIAL)]
    plain = Detector(partial_reuse=False)
    assert plain.scan([("story", story), ("wire", source)], engine="dask", scheduler=cluster).pairs == ()


def test_with_partial_reuse_the_dask_engine_gives_the_local_result(cluster, monkeypatch, seeds):
    monkeypatch.setattr(_dask, "CHARS_PER_PARTITION", 20_000)  # several partitions and buckets
    docs = mixed_documents(seeds)
    local = Detector().scan(docs)
    assert ("story", "seed001", Verdict.PARTIAL) in [(p.a, p.b, p.verdict) for p in local.pairs]
    assert len(_dask._partitions([text for _, text in docs])) > 2
    assert Detector().scan(docs, engine="dask", scheduler=cluster) == local
    plain = Detector(partial_reuse=False)
    assert plain.scan(docs, engine="dask", scheduler=cluster) == plain.scan(docs)


def test_a_pair_sharing_window_keys_in_two_buckets_adds_them_up():
    import numpy as np

    from dedup._candidates import MIN_SHARED_KEYS, enough_keys

    def bucket(keys):  # documents 0 and 1, in two partitions, both holding ``keys``
        keys = np.array(keys, np.uint64) << np.uint64(40)  # keys are hashes, compared on their high bits
        return _dask._bucket_shared(
            [(keys, np.zeros(len(keys), int)), (keys, np.ones(len(keys), int))], np.array([0, 2])
        )

    first, second = bucket(range(1, MIN_SHARED_KEYS)), bucket([MIN_SHARED_KEYS])
    assert enough_keys([first[(0, 0)]]).tolist() == []
    assert enough_keys([first[(0, 0)], second[(0, 0)]]).tolist() == [[0, 1]]


def test_the_dask_engine_refuses_a_scan_with_the_index():
    with pytest.raises(ValueError, match="local engine only"):
        Detector().scan([("a", "text")], with_index=True, engine="dask")


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of 'local', 'dask', got 'spark'"):
        Detector().scan([("a", "text")], engine="spark")
