"""Aligned passages: which sentences of a derived text match which of its source, and where."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dedup import Detector, align
from dedup._align import sentence_spans, token_sentences
from dedup._lcs import monotone_alignment
from dedup._tokenize import tokenize

from .test_detector import ARTICLE, UNRELATED


def test_the_seed_rewrite_is_one_reused_passage_whose_sentences_align_in_order_with_the_ap_story(seeds):
    rewrite, source = seeds["000"], seeds["001"]
    [passage] = align(rewrite, source, Detector().config.passage_similarity, partial_reuse=False)
    # The rewrite retells the AP story in its first ten sentences; its last two paragraphs are its own.
    retold = rewrite.index("The withdrawal of Russian forces from the region comes amid")
    assert passage.a_end <= retold
    passages = passage.sentences
    assert sum(p.a_end <= retold for p in passages) >= 8
    assert [p.a_start for p in passages] == sorted(p.a_start for p in passages)
    assert [p.b_start for p in passages] == sorted(p.b_start for p in passages)
    first = passages[0]
    assert rewrite[first.a_start : first.a_end].startswith("The Russian forces stationed as peacekeepers")
    assert source[first.b_start : first.b_end].startswith("MOSCOW (AP) — Russian forces are being withdrawn")
    assert all(0.4 <= p.similarity <= 1.0 for p in passages)


def test_a_copy_is_one_passage_aligned_sentence_by_sentence_at_offsets_of_the_original_texts():
    header = "Ünïcödé Néws — “Local”\r\n\r\n"
    copy = header + ARTICLE.replace("\n", "\r\n")
    [whole] = align(ARTICLE, copy, partial_reuse=False)
    # The last sentence has one content word ("library"): a seed needs two.
    assert (whole.a_start, whole.a_end) == (0, sentence_spans(ARTICLE)[-2, 1])
    passages = whole.sentences
    assert len(passages) == len(sentence_spans(ARTICLE)) - 1
    for p in passages:
        assert p.similarity == 1.0
        assert copy[p.b_start : p.b_end] == ARTICLE[p.a_start : p.a_end]


def test_unrelated_texts_align_nothing():
    assert align(ARTICLE, UNRELATED) == ()
    assert align("", ARTICLE) == ()


def test_sentences_do_not_end_at_titles_initials_or_lower_case_continuations():
    text = (
        "Gen. Yevgeny Nikiforov met J. K. Rowling on Tuesday, Nov. 17, 2020. He said e.g. that it was fine!  Then left."
    )
    pieces = [text[a:b] for a, b in sentence_spans(text).tolist()]
    assert pieces == [
        "Gen. Yevgeny Nikiforov met J. K. Rowling on Tuesday, Nov. 17, 2020.",
        "He said e.g. that it was fine!",
        "Then left.",
    ]


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(0, 5), st.integers(0, 5)), elements=st.floats(0, 1)),
    st.floats(0, 1),
)
def test_monotone_alignment_is_the_best_order_preserving_matching(similarity, minimum):
    found = monotone_alignment(similarity, minimum)
    rows, cols = found[:, 0], found[:, 1]
    assert (np.diff(rows) > 0).all() and (np.diff(cols) > 0).all()
    assert (similarity[rows, cols] >= minimum).all()
    best = 0.0
    n, m = similarity.shape
    for k in range(min(n, m) + 1):
        for r in itertools.combinations(range(n), k):
            for c in itertools.combinations(range(m), k):
                cells = similarity[list(r), list(c)]
                if (cells >= minimum).all():
                    best = max(best, float(cells.sum()))
    assert abs(similarity[rows, cols].sum() - best) < 1e-9


def test_matches_carry_passages_when_the_detector_keeps_texts(seeds):
    keeping = Detector(keep_text=True)
    keeping.add("001", seeds["001"])
    [match] = keeping.query(seeds["000"])
    assert len(match.passages) == 1
    assert len(match.passages[0].sentences) >= 8
    p = match.passages[0]
    assert seeds["001"][p.b_start : p.b_end].startswith("MOSCOW (AP)")
    assert keeping.add("000", seeds["000"])[0].passages == match.passages


def test_matches_carry_no_passages_by_default_and_removed_texts_are_dropped(seeds):
    plain = Detector()
    plain.add("001", seeds["001"])
    assert plain.query(seeds["000"])[0].passages == ()
    keeping = Detector(keep_text=True)
    keeping.add("001", seeds["001"])
    keeping.remove("001")
    assert keeping._store._texts == [None]  # the removed document's text is not held on to
    assert keeping.query(seeds["000"]) == []


def test_scan_pairs_carry_passages_with_offsets_into_the_given_texts(seeds):
    docs = sorted(seeds.items())
    [pair] = Detector().scan(docs).pairs
    assert [p.as_dict() for p in pair.passages] == [p.as_dict() for p in align(seeds["000"], seeds["001"], 0.4)]


def test_verdict_sentences_join_wrapped_lines_only_when_asked():
    text = "The minister said on Monday that\nthe bridge would reopen. Engineers\nfound cracks.\nTraffic resumed."
    tokens = tokenize([text])
    assert int(token_sentences(tokens).first[-1]) == 5
    assert int(token_sentences(tokens, join_wrapped=True).first[-1]) == 3
