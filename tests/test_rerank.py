"""The alignment behind ``order`` and ``spread``, and what ``spread`` tells apart."""

import math
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from dedup import Detector, DetectorConfig, Scores, Verdict
from dedup._rerank import _unit_rows, aligned_parts
from dedup._verdict import decide


def heaviest_common_subsequence(a, b, weights):
    """The plain quadratic table, for reference."""
    best = np.zeros((len(a) + 1, len(b) + 1), dtype=np.int64)
    for i in range(len(a)):
        for j in range(len(b)):
            match = best[i, j] + weights[i] if a[i] == b[j] else 0
            best[i + 1, j + 1] = max(best[i, j + 1], best[i + 1, j], match)
    return int(best[-1, -1])


SEQUENCES = st.lists(st.integers(0, 5), max_size=14).map(lambda xs: np.array(xs, dtype=np.uint32))


@settings(max_examples=300, deadline=None)
@given(SEQUENCES, SEQUENCES, st.lists(st.integers(1, 9), min_size=6, max_size=6), st.integers(1, 5))
def test_aligned_parts_split_one_heaviest_alignment(a, b, token_weights, parts):
    weights = np.array(token_weights, dtype=np.int64)[a]
    aligned, part_weights = aligned_parts(a, b, weights, parts)
    assert aligned.sum() == heaviest_common_subsequence(a, b, weights)
    assert part_weights.sum() == weights.sum()
    np.testing.assert_array_equal(aligned_parts(a, a, weights, parts)[0], part_weights)
    assert (aligned >= 0).all() and (aligned <= part_weights).all()


SOURCE = [
    "The regional water authority announced on Monday that the northern reservoir had fallen to its lowest level "
    "in forty years after an unusually dry winter and spring.",
    "Engineers warned that hosepipe restrictions would begin within a fortnight unless heavy rain arrived, and "
    "farmers in the valley have already cut the acreage of thirsty crops such as potatoes and strawberries.",
    "The authority's chief executive said a new pipeline linking the reservoir to the river estuary would be "
    "finished by autumn, at a cost of twelve million pounds shared with the county council.",
    "Environmental groups criticised the plan, arguing that leaking mains lose a fifth of the treated water "
    "before it reaches a single household, and that repairs would be cheaper than any pipeline.",
]
REWRITE = [
    "On Monday the regional water authority said the northern reservoir had dropped to its lowest level in four "
    "decades following a very dry winter and spring.",
    "Its engineers cautioned that hosepipe limits would start within two weeks without heavy rain, while valley "
    "farmers have already reduced the acreage of thirsty crops like potatoes and strawberries.",
    "A new pipeline from the reservoir to the river estuary will be complete by autumn, the authority's chief "
    "executive said, costing twelve million pounds split with the county council.",
    "Environmental groups attacked the plan, saying leaking mains waste a fifth of treated water before it "
    "reaches any household and that repairs would cost less than a pipeline.",
]
OWN = [
    "Tourism in the lake district had its best summer on record, with hotels reporting full bookings from June to "
    "the end of September and restaurants hiring extra seasonal staff.",
    "Local bus companies added evening services to the busiest villages, and the mountain rescue teams recorded "
    "fewer callouts than in any year since they began keeping statistics.",
    "Shop owners in the market town said the festival weekend alone brought in more trade than the whole of March "
    "and April combined, though parking remained a constant complaint.",
]


def test_a_rewrite_keeps_its_sources_words_throughout():
    verdict, scores = Detector().compare("\n".join(SOURCE), "\n".join(REWRITE))
    assert verdict is Verdict.PARAPHRASE
    assert scores.spread > 0.8


def test_one_shared_paragraph_among_others_gives_a_low_spread_and_no_verdict():
    quoting = "\n".join([OWN[0], OWN[1], SOURCE[2], OWN[2]])
    verdict, scores = Detector().compare("\n".join(SOURCE), quoting)
    assert verdict is None
    assert scores.spread < 0.1 and scores.order > 0.25  # one quarter in order, the rest not


def test_a_paraphrase_needs_content_rewrite_and_spread():
    config = DetectorConfig()
    rewrite = Scores(0.2, 0.2, 0.1, 0.6, 0.5, 0.5, 0.5, 0.9)
    assert decide(False, rewrite, config) is Verdict.PARAPHRASE
    assert decide(False, replace(rewrite, spread=0.2), config) is None
    assert decide(False, replace(rewrite, rewrite=0.25), config) is None
    assert decide(False, replace(rewrite, cosine=0.2), config) is None
    assert decide(False, replace(rewrite, containment=0.6, spread=0.0), config) is Verdict.NEAR_DUPLICATE
    assert decide(True, replace(rewrite, spread=0.0), config) is Verdict.EXACT


def test_a_rewrite_with_a_paragraph_of_its_own_is_still_a_paraphrase():
    verdict, _ = Detector().compare("\n".join(SOURCE), "\n".join([*REWRITE, OWN[0]]))
    assert verdict is Verdict.PARAPHRASE


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_tfidf_rows_are_divided_by_the_norm_of_their_squares_summed_in_storage_order(seed):
    rng = np.random.default_rng(seed)
    n_rows, n_columns = int(rng.integers(1, 6)), int(rng.integers(0, 60))
    dense = rng.random((n_rows, n_columns)) * (rng.random((n_rows, n_columns)) < 0.7) * 10.0 ** rng.integers(-3, 4)
    # Scaled by a diagonal, as the TF-IDF matrix is, whose product stores columns out of order.
    matrix = sparse.csr_matrix(dense) @ sparse.diags(rng.random(n_columns))
    expected = matrix.data.copy()
    for row in range(n_rows):  # the loop of scikit-learn's ``normalize``, which the scores were pinned with
        lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
        total = 0.0
        for value in matrix.data[lo:hi]:
            total += value * value
        if total != 0.0:
            expected[lo:hi] /= math.sqrt(total)
    result = _unit_rows(matrix)
    np.testing.assert_array_equal(result.indices, matrix.indices)
    np.testing.assert_array_equal(result.data, expected)
