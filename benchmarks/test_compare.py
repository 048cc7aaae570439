"""The same work (text -> 128-permutation signatures) by dedup, datasketch and rensa.

Each benchmark checks its result: the article and its edited copy at the head of the
sample must look alike, and the article and an unrelated one must not.
"""

import numpy as np
import pytest
from datasketch import MinHash

from dedup import MinHasher

from .conftest import megabytes, word_shingles


def check(similarity):
    assert similarity(0, 1) > 0.5
    assert similarity(0, 2) < 0.2


def test_dedup_minhasher(benchmark, sample):
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)
    signatures = benchmark(MinHasher(num_perm=128).signatures, sample)
    check(lambda i, j: np.mean(signatures[i] == signatures[j]))


def test_datasketch_update_loop(benchmark, sample):
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)

    def run():
        result = []
        for text in sample:
            m = MinHash(num_perm=128)
            for shingle in word_shingles(text):
                m.update(shingle.encode("utf-8"))
            result.append(m)
        return result

    minhashes = benchmark.pedantic(run, rounds=2, iterations=1)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))


def test_datasketch_bulk(benchmark, sample):
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)
    run = lambda: MinHash.bulk([[s.encode("utf-8") for s in word_shingles(t)] for t in sample], num_perm=128)  # noqa: E731
    minhashes = benchmark.pedantic(run, rounds=3, iterations=1)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))


def test_rensa(benchmark, sample):
    rensa = pytest.importorskip("rensa", reason="rensa is in the optional 'bench' extra")
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)

    def run():
        result = []
        for text in sample:
            m = rensa.RMinHash(num_perm=128, seed=1)
            m.update(word_shingles(text))
            result.append(m)
        return result

    minhashes = benchmark(run)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))
