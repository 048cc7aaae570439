"""One benchmark per stage of the pipeline, each checking its result."""

import re

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from dedup import Detector, MinHasher, Verdict, normalize
from dedup._judge import judge_profiled
from dedup._lsh import LSHIndex
from dedup._rerank import Profiles
from dedup._shingle import shingles
from dedup._tokenize import tokenize

from .conftest import megabytes


def test_normalize(benchmark, texts):
    benchmark.extra_info["MB"] = megabytes(texts)
    result = benchmark(lambda: [normalize(t) for t in texts])
    assert result[0] == texts[0].casefold()


def test_tokenize_and_hash(benchmark, texts):
    benchmark.extra_info["MB"] = megabytes(texts)
    tokens = benchmark(tokenize, texts)
    counts = np.diff(tokens.bounds)
    assert counts.tolist() == [len(re.findall(r"[^\W_]+", t)) for t in texts]


def test_shingle(benchmark, texts):
    tokens = tokenize(texts)
    benchmark.extra_info["MB"] = megabytes(texts)
    hashes, bounds = benchmark(shingles, tokens, 1, True)
    assert set(hashes[bounds[0] : bounds[1]].tolist()) == set(MinHasher().shingle_hashes(texts[0]).tolist())


def test_signature(benchmark, texts):
    mh = MinHasher()
    hashes, bounds = mh.shingles(tokenize(texts))
    benchmark.extra_info["MB"] = megabytes(texts)
    signatures = benchmark(mh.sign, hashes, bounds)
    for i in range(0, len(texts), 200):
        reference = MinHash(num_perm=128, seed=1, scheme="affine32", hashfunc=int)
        reference.update_batch(hashes[bounds[i] : bounds[i + 1]])
        np.testing.assert_array_equal(signatures[i], reference.hashvalues)


def _keys(texts):
    index = LSHIndex(bands=32, rows=4)
    return index.keys(MinHasher().signatures(texts))


def test_index_insert(benchmark, texts):
    keys = _keys(texts)
    index = benchmark(lambda: LSHIndex(bands=32, rows=4).insert(keys) is not None and None)
    assert index is None
    built = LSHIndex(bands=32, rows=4)
    assert built.insert(keys).tolist() == list(range(len(texts)))


def test_index_query_gives_the_candidates_of_datasketch(benchmark, texts):
    mh = MinHasher()
    signatures = mh.signatures(texts)
    index = LSHIndex(bands=32, rows=4)
    keys = index.keys(signatures)
    index.insert(keys)
    found = benchmark(lambda: [index.query(k) for k in keys])
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    for i, sig in enumerate(signatures):
        lsh.insert(i, mh.to_datasketch(sig))
    for i in range(0, len(texts), 50):
        assert sorted(lsh.query(mh.to_datasketch(signatures[i]))) == found[i].tolist()


def test_rerank(benchmark, corpus):
    det = Detector()
    by_id = dict(corpus.docs)
    planted = corpus.planted[:30]
    tokens = tokenize([by_id[a] for a, _, _ in planted] + [by_id[b] for _, b, _ in planted])
    left = np.arange(len(planted))
    right = left + len(planted)
    estimates = np.ones(len(planted))
    found = benchmark(lambda: judge_profiled(Profiles(tokens, det.config), left, right, estimates, det.config))
    expected = {"exact": Verdict.EXACT, "edited": Verdict.NEAR_DUPLICATE, "truncated": Verdict.NEAR_DUPLICATE}
    assert [v for v, _ in found] == [expected[kind] for _, _, kind in planted]


@pytest.mark.parametrize("partial_reuse", [True, False], ids=["defaults", "without_partial_reuse"])
def test_scan_end_to_end(benchmark, corpus, partial_reuse):
    # Side by side in the "scan" group: the cost of looking for passages.
    benchmark.group = "scan"
    benchmark.extra_info["MB"] = megabytes(corpus.texts)
    result = benchmark.pedantic(Detector(partial_reuse=partial_reuse).scan, args=(corpus.docs,), rounds=3, iterations=1)
    found = {(p.a, p.b) for p in result.pairs}
    assert {(a, b) for a, b, _ in corpus.planted} <= found
    family = {}
    for a, b, _ in corpus.planted:
        family[b] = family.get(a, a)
    assert all(family.get(a, a) == family.get(b, b) for a, b in found), "a pair outside the planted copies"


def _borrowing(corpus, stories=20):
    """The corpus with ``stories`` of its articles each taking four sentences of another
    into its middle, and the ``(lender, borrower)`` pairs."""
    docs, borrowed = dict(corpus.docs), []
    ids = [doc_id for doc_id, _ in corpus.docs if not any(doc_id in p[:2] for p in corpus.planted)]
    for lender, borrower in zip(ids[:stories], ids[stories : 2 * stories], strict=True):
        sentences = re.findall(r"[^.]+\.", docs[lender])
        middle = len(sentences) // 2
        host = docs[borrower].split("\n\n")
        host.insert(len(host) // 2, "".join(sentences[middle : middle + 4]).strip())
        docs[borrower] = "\n\n".join(host)
        borrowed.append((lender, borrower))
    return list(docs.items()), borrowed


def test_scan_of_borrowed_passages_end_to_end(benchmark, corpus):
    docs, borrowed = _borrowing(corpus)
    benchmark.group = "scan"
    benchmark.extra_info["MB"] = megabytes([text for _, text in docs])
    result = benchmark.pedantic(Detector().scan, args=(docs,), rounds=3, iterations=1)
    verdicts = {frozenset((p.a, p.b)): p.verdict for p in result.pairs}
    assert all(frozenset((a, b)) in verdicts for a, b, _ in corpus.planted)
    assert {pair for pair, verdict in verdicts.items() if verdict is Verdict.PARTIAL} == set(map(frozenset, borrowed))
