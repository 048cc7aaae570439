"""The compiled kernels give exactly what the numpy code gives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import _kernels
from dedup._arrays import WHOLE_KEY, agreements, search_spans
from dedup._lcs import common_rows
from dedup._minhash import MinHasher, affine32_signatures
from dedup._normalize import nfkc_undotted as nfkc
from dedup._tokenize import _join, _non_ascii, _token_arrays, tokenize

pytestmark = pytest.mark.skipif(not _kernels.available(), reason="numba is not installed (the 'fast' extra)")


def both_tokenisers(texts):
    buf, _ = _join([nfkc(t).encode("utf-8", "surrogatepass") for t in texts])
    b = np.frombuffer(buf, dtype=np.uint8).copy()
    prepared = _non_ascii(b)[:3]
    # The kernel serves batches without characters tokenised as bigrams.
    return _token_arrays(b, *prepared, np.zeros(0, dtype=np.int64)), _kernels.tokens(b, *prepared)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), max_size=5))
def test_tokeniser_kernel_equals_numpy(texts):
    numpy_result, kernel_result = both_tokenisers(texts)
    for ours, theirs in zip(numpy_result, kernel_result, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_tokeniser_kernel_equals_numpy_on_articles(seeds):
    numpy_result, kernel_result = both_tokenisers([*seeds.values(), "2,000 troops. 3.5 km! Über-Straße?"])
    for ours, theirs in zip(numpy_result, kernel_result, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=300), st.lists(st.integers(0, 40), min_size=1, max_size=8))
def test_signature_kernel_equals_numpy(values, cuts):
    hashes = np.array(values, dtype=np.uint32)
    bounds = np.unique(np.clip(np.concatenate(([0], np.cumsum(cuts), [len(hashes)])), 0, len(hashes)))
    bounds = np.concatenate(([0], bounds[bounds > 0])) if len(hashes) else np.array([0, 0])
    mh = MinHasher(num_perm=64, seed=3)
    expected = affine32_signatures(hashes, bounds.astype(np.int64), mh._a, mh._b)
    got = np.full_like(expected, 0xFFFFFFFF)
    _kernels.affine32(hashes, bounds.astype(np.int64), mh._a, mh._b, got)
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=80), st.lists(st.integers(0, 6), max_size=80))
def test_alignment_kernel_equals_numpy(a, b):
    a, b = np.array(a, dtype=np.uint32), np.array(b, dtype=np.uint32)
    weights = (a % 3 + 1).astype(np.int64)
    rows = np.unique(np.linspace(0, len(a), 5).astype(np.int64))
    saved = _kernels.MIN_CELLS, _kernels.CELLS_BEFORE_KERNEL
    try:
        _kernels.MIN_CELLS = 1 << 62
        expected = common_rows(a, weights, b, rows)
        _kernels.MIN_CELLS = _kernels.CELLS_BEFORE_KERNEL = 0
        np.testing.assert_array_equal(common_rows(a, weights, b, rows), expected)
    finally:
        _kernels.MIN_CELLS, _kernels.CELLS_BEFORE_KERNEL = saved


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 40), st.integers(1, 300), st.sampled_from([np.uint8, np.uint32]), st.integers(0, 2**32 - 1))
def test_agreement_kernel_equals_numpy(n_rows, width, dtype, seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 4, size=(n_rows, width)).astype(dtype)  # few values: many agreements
    left, right = rng.integers(0, n_rows, size=(2, 100))
    np.testing.assert_array_equal(_kernels.agreements(values, left, right), agreements(values, left, right))


PIECES = ["Troops left.", "3,5 km", "北京市政府", "東京の会議", "서울 시장", "Über", "\n"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map(" ".join), max_size=6))
def test_batches_with_bigram_scripts_tokenise_with_the_kernel_as_with_numpy(texts):
    saved = _kernels.MIN_BYTES
    try:
        _kernels.MIN_BYTES = 1 << 62
        expected = tokenize(texts)
        _kernels.MIN_BYTES = 0
        got = tokenize(texts)
    finally:
        _kernels.MIN_BYTES = saved
    for ours, theirs in zip(
        (got.hashes, got.bounds, got.flags), (expected.hashes, expected.bounds, expected.flags), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("with_among", [False, True])
def test_gated_collisions_kernel_gives_the_candidates_of_numpy(monkeypatch, with_among):
    from benchmarks.corpus import news_corpus
    from dedup._candidates import batch_candidates
    from dedup._config import DetectorConfig
    from dedup._fingerprint import sketch

    corpus = news_corpus(6000, seed=3)  # enough rows for the kernel; copies planted among them
    prints = sketch(corpus.texts + [""] * 3, DetectorConfig())
    among = np.arange(len(prints.sizes)) % 7 == 0 if with_among else None
    compiled = batch_candidates(prints, DetectorConfig(), among)
    monkeypatch.setattr(_kernels, "available", lambda: False)
    assert len(compiled) > 50  # not vacuous: planted pairs are among them
    np.testing.assert_array_equal(compiled, batch_candidates(prints, DetectorConfig(), among))


def test_gated_collisions_resume_where_the_output_filled_up(monkeypatch):
    rng = np.random.default_rng(5)
    low = rng.integers(0, 3, (300, 16)).astype(np.uint8)  # three values: most pairs pass the gate
    sizes = np.full(300, 50, dtype=np.int64)
    order, starts, ends = np.arange(300), np.array([0, 100, 250]), np.array([90, 250, 300])
    whole = _kernels.gated_collisions(order, starts, ends, low, sizes, np.zeros(0, dtype=bool), 0.25)
    monkeypatch.setattr(_kernels, "COLLISIONS_PER_CALL", 7)
    np.testing.assert_array_equal(
        _kernels.gated_collisions(order, starts, ends, low, sizes, np.zeros(0, dtype=bool), 0.25), whole
    )
    assert len(whole) > 7 * 100


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 20), max_size=60), st.lists(st.integers(0, 20), max_size=60))
def test_merge_kernel_equals_numpy(a, b):
    from dedup._lsh import _Sorted

    ours = _Sorted.of(np.array(a, dtype=np.uint64), np.arange(len(a)))
    theirs = _Sorted.of(np.array(b, dtype=np.uint64), np.arange(100, 100 + len(b)))
    saved = _kernels.MIN_MERGED
    try:
        _kernels.MIN_MERGED = 1 << 62
        expected = ours.merge(theirs)
        _kernels.MIN_MERGED = 0
        merged = ours.merge(theirs)
    finally:
        _kernels.MIN_MERGED = saved
    np.testing.assert_array_equal(merged.keys, expected.keys)
    np.testing.assert_array_equal(merged.slots, expected.slots)  # equal keys: ours first


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), max_size=60), st.lists(st.integers(0, 2**64 - 1), max_size=60))
def test_merge_of_packed_rows_equals_numpy(a, b):
    from dedup._lsh import _Packed

    ours, theirs = _Packed(np.sort(np.array(a, dtype=np.uint64))), _Packed(np.sort(np.array(b, dtype=np.uint64)))
    saved = _kernels.MIN_MERGED
    try:
        _kernels.MIN_MERGED = 0
        merged = ours.merge(theirs)
    finally:
        _kernels.MIN_MERGED = saved
    np.testing.assert_array_equal(merged.rows, np.sort(np.array(a + b, dtype=np.uint64)))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 40), max_size=80),
    st.lists(st.integers(0, 40), max_size=80),
    st.sampled_from([0, 2**64 - 41]),  # small keys, and keys at the top of the range
    st.sampled_from([WHOLE_KEY, ~3 & WHOLE_KEY]),  # whole keys, and rows with a slot in the low bits
)
def test_galloping_spans_of_sorted_keys_equal_numpy(haystack, needles, base, mask):
    haystack = np.sort(np.array(haystack, dtype=np.uint64) + np.uint64(base))
    needles = np.unique(np.array(needles, dtype=np.uint64) + np.uint64(base)) & np.uint64(mask)
    needles = np.sort(np.concatenate((needles, needles[:3])))  # a key looked up twice
    expected = (
        np.searchsorted(haystack, needles, "left"),
        np.searchsorted(haystack, needles | np.uint64(~mask & WHOLE_KEY), "right"),
    )
    for found in (_kernels.sorted_spans(haystack, needles, mask), search_spans(haystack, needles, mask)):
        np.testing.assert_array_equal(found[0], expected[0])
        np.testing.assert_array_equal(found[1], expected[1])
