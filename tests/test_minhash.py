import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import MinHasher
from dedup._arrays import codes

CONFIGS = [
    {},
    {"num_perm": 64, "seed": 7},
    {"ngram": 5, "stopwords": False},
    {"num_perm": 256, "seed": 42, "ngram": 3},
]


def datasketch_signature(minhasher: MinHasher, text: str) -> np.ndarray:
    m = MinHash(num_perm=minhasher.num_perm, seed=minhasher.seed, scheme="affine32", hashfunc=int)
    m.update_batch(minhasher.shingle_hashes(text))
    return m.hashvalues


@pytest.mark.parametrize("config", CONFIGS)
def test_signatures_are_bit_identical_to_datasketch_affine32(config, seeds):
    mh = MinHasher(**config)
    texts = [*seeds.values(), "", "one", "The cat sat on the mat.", "Ünïcödé ﬁle — “quotes”"]
    ours = mh.signatures(texts)
    for text, row in zip(texts, ours, strict=True):
        np.testing.assert_array_equal(row, datasketch_signature(mh, text))
        np.testing.assert_array_equal(mh.signature(text), row)


def test_signature_golden_values():
    # Pinned: a change to tokenising, hashing or permutations changes these numbers.
    mh = MinHasher()
    sig = mh.signature("Russian forces are being withdrawn from Azerbaijan's Karabakh region.")
    assert sig.dtype == np.uint32 and sig.shape == (128,)
    assert sig[:6].tolist() == GOLDEN
    assert mh.shingle_hashes("Karabakh").tolist() == [GOLDEN_SHINGLE]


GOLDEN = [158271786, 384229163, 490922367, 1267541948, 918013507, 996835312]
GOLDEN_SHINGLE = 3008664693


def test_to_datasketch_works_in_datasketch_lsh(seeds):
    mh = MinHasher()
    lsh = MinHashLSH(num_perm=128, params=(64, 2))
    for name, text in seeds.items():
        lsh.insert(name, mh.to_datasketch(mh.signature(text)))
    found = lsh.query(mh.to_datasketch(mh.signature(seeds["000"])))
    assert "001" in found and "000" in found


def test_to_datasketch_checks_the_shape():
    with pytest.raises(ValueError, match=r"shape \(128,\)"):
        MinHasher().to_datasketch(np.zeros(64, dtype=np.uint32))


def test_jaccard_estimate_is_close_to_the_exact_value(seeds):
    mh = MinHasher(num_perm=256)
    a, b = mh.shingle_hashes(seeds["000"]), mh.shingle_hashes(seeds["001"])
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    estimate = MinHasher.jaccard(mh.signature(seeds["000"]), mh.signature(seeds["001"]))
    assert abs(estimate - exact) < 4 * np.sqrt(exact * (1 - exact) / 256)


def test_batches_give_the_same_signatures_as_single_texts(seeds):
    mh = MinHasher()
    texts = list(seeds.values()) * 300  # more than one internal batch
    together = mh.signatures(texts)
    np.testing.assert_array_equal(together[:5], np.stack([mh.signature(t) for t in texts[:5]]))
    np.testing.assert_array_equal(together[-5:], together[:5])


def test_empty_input_gives_an_empty_matrix():
    assert MinHasher(num_perm=32).signatures([]).shape == (0, 32)


def test_stopwords_are_left_out_of_shingles():
    mh = MinHasher()
    assert len(mh.shingle_hashes("the of and to in")) == 0
    assert len(MinHasher(stopwords=False).shingle_hashes("the of and to in")) == 5


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1) | st.integers(0, 5), max_size=200))
def test_codes_are_the_distinct_values_and_each_values_index(values):
    values = np.array(values, dtype=np.uint32)
    expected_values, expected_index = np.unique(values, return_inverse=True)
    got_values, got_index = codes(values)
    np.testing.assert_array_equal(got_values, expected_values)
    np.testing.assert_array_equal(got_index, expected_index.ravel())
