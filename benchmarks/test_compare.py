"""The same work (text -> 128-permutation signatures) by dedup, datasketch and rensa.

Each benchmark checks its result: the article and its edited copy at the head of the
sample must look alike, and the article and an unrelated one must not.
"""

import numpy as np
import pytest

from dedup import MinHasher

from .conftest import megabytes
from .references import datasketch_bulk, datasketch_update_loop, rensa_minhashes


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
    minhashes = benchmark.pedantic(datasketch_update_loop, args=(sample,), rounds=2, iterations=1)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))


def test_datasketch_bulk(benchmark, sample):
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)
    minhashes = benchmark.pedantic(datasketch_bulk, args=(sample,), rounds=3, iterations=1)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))


def test_rensa(benchmark, sample):
    pytest.importorskip("rensa", reason="rensa is in the optional 'bench' extra")
    benchmark.group = "text to signatures"
    benchmark.extra_info["MB"] = megabytes(sample)
    minhashes = benchmark(rensa_minhashes, sample)
    check(lambda i, j: minhashes[i].jaccard(minhashes[j]))
