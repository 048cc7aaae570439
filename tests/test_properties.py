"""Invariants of normalisation, shingling and signatures, on any Unicode text (Hypothesis)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import Detector, MinHasher, normalize
from dedup._minhash import EMPTY
from dedup._tokenize import tokenize

# Any code point, lone surrogates included, with combining marks and Greek letters with an
# iota subscript (which case folding turns into two letters that NFKC may recombine) often.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.characters(min_codepoint=0x300, max_codepoint=0x36F),
        st.characters(min_codepoint=0x1F80, max_codepoint=0x1FAF),
    ),
    max_size=60,
)
WORDS = [f"word{k}" for k in range(60)]
MINHASHER = MinHasher(num_perm=256)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalising_never_fails_and_normalising_twice_changes_nothing(text):
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once
    assert normalize(text) == once


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([chr(c) for c in (*range(0x1F80, 0x1F90), *range(0x300, 0x330))]), max_size=6))
def test_normalising_greek_with_combining_marks_twice_changes_nothing(text):
    assert normalize(normalize(text)) == normalize(text)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_tokens_are_the_same_for_a_text_and_its_normalised_form(text):
    np.testing.assert_array_equal(tokenize([text]).hashes, tokenize([normalize(text)]).hashes)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, st.sampled_from([1, 2, 3, 5]), st.booleans())
def test_shingles_and_signatures_of_any_text_are_deterministic(text, ngram, stopwords):
    mh = MinHasher(num_perm=32, ngram=ngram, stopwords=stopwords)
    shingles = mh.shingle_hashes(text)
    signature = mh.signature(text)
    assert shingles.dtype == np.uint32 and signature.dtype == np.uint32 and signature.shape == (32,)
    np.testing.assert_array_equal(mh.shingle_hashes(text), shingles)
    np.testing.assert_array_equal(mh.signature(text), signature)
    np.testing.assert_array_equal(mh.signatures(["other text", text])[1], signature)
    assert (signature == EMPTY).all() == (len(shingles) == 0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_a_word_signature_depends_on_the_set_of_words_only(words, rng):
    shuffled = words * 2
    rng.shuffle(shuffled)
    np.testing.assert_array_equal(MINHASHER.signature(" ".join(shuffled)), MINHASHER.signature(" ".join(words)))


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from(WORDS), min_size=1), st.sets(st.sampled_from(WORDS), min_size=1))
def test_the_jaccard_estimate_is_within_its_statistical_bound(a, b):
    sig_a, sig_b = MINHASHER.signature(" ".join(sorted(a))), MINHASHER.signature(" ".join(sorted(b)))
    exact = len(a & b) / len(a | b)
    # Hoeffding: the mean of 256 agreements strays by more than this with probability < 1e-6.
    bound = math.sqrt(math.log(2e6) / (2 * MINHASHER.num_perm))
    assert abs(MinHasher.jaccard(sig_a, sig_b) - exact) <= bound
    assert (MinHasher.jaccard(sig_a, sig_b) == 1.0) == (a == b)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(ANY_TEXT, ANY_TEXT, st.none() | st.floats(-1e12, 1e12)), max_size=6, unique_by=lambda d: d[0])
)
def test_any_ids_and_texts_survive_a_save_and_load(tmp_path_factory, docs):
    det = Detector()
    for doc_id, text, timestamp in docs:
        det.add(doc_id, text, timestamp=timestamp)
    folder = tmp_path_factory.mktemp("index")
    det.save(folder)
    loaded = Detector.load(folder)
    original, reloaded = det._store.documents(), loaded._store.documents()
    assert reloaded.ids == original.ids
    np.testing.assert_array_equal(reloaded.signatures, original.signatures)
    np.testing.assert_array_equal(reloaded.tokens.hashes, original.tokens.hashes)
    np.testing.assert_array_equal(reloaded.timestamps, original.timestamps)
    for _, text, _ in docs:
        assert loaded.query(text) == det.query(text)
