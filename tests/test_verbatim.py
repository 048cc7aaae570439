"""Verbatim runs: the stretches of identical words two texts share."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup._verbatim import K, joined, shared_runs, text_runs, words_of


def _brute_force_longest(a: list[int], b: list[int]) -> int:
    """The length of the longest common run of ``a`` and ``b``, by dynamic programming."""
    best, previous = 0, [0] * (len(b) + 1)
    for x in a:
        current = [0] * (len(b) + 1)
        for j, y in enumerate(b):
            if x == y:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=0, max_size=40),
    st.lists(st.integers(0, 3), min_size=0, max_size=40),
    st.integers(K, 8),
)
def test_the_longest_run_is_the_longest_common_substring(a, b, minimum):
    runs = shared_runs(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), minimum)
    longest = _brute_force_longest(a, b)
    if longest < minimum:
        assert len(runs) == 0
        return
    a0, a1, b0, b1 = runs[0].tolist()
    assert a1 - a0 == longest and a[a0:a1] == b[b0:b1]
    for a0, a1, b0, b1 in runs.tolist():  # every run is a real one, and none overlap
        assert a1 - a0 >= minimum and a[a0:a1] == b[b0:b1]
    for x, y in zip(runs.tolist(), runs.tolist()[1:], strict=False):
        assert not (x[0] < y[1] and y[0] < x[1]) and not (x[2] < y[3] and y[2] < x[3])


def test_runs_a_few_words_apart_are_one_passage():
    runs = np.array([[0, 60, 10, 70], [63, 130, 73, 140], [200, 260, 0, 5]])
    assert joined(runs).tolist() == [[0, 130, 10, 140, 127], [200, 260, 0, 5, 60]]


def test_a_copied_paragraph_is_found_to_the_word_whatever_its_line_breaks():
    paragraph = " ".join(f"Word{n} of the copied paragraph" for n in range(12))
    story = "A local report on other things. " + paragraph.replace(" of the", "\nof the") + " Then the report goes on."
    wire = "WIRE (AP) - " + paragraph + "\nMore wire text follows here."
    runs, share = text_runs(words_of(story), words_of(wire))
    [(a0, a1, b0, b1)] = runs.tolist()
    assert story[a0:a1].split() == wire[b0:b1].split() == paragraph.split()
    assert share.tolist() == [1.0]


def test_texts_without_enough_shared_words_have_no_runs():
    runs, share = text_runs(words_of("one two three"), words_of("one two three four five"))
    assert runs.shape == (0, 4) and share.shape == (0,)
    assert text_runs(words_of(""), words_of(""))[0].shape == (0, 4)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.one_of(
            st.characters(codec=None, exclude_categories=()),
            st.sampled_from("aAäÄßẞﬁİıΣσς_1 .\n"),
        ),
        max_size=80,
    )
)
def test_words_are_those_the_regular_expression_finds_and_equal_when_equal_case_folded(text):
    spans, keys = words_of(text)
    words = list(re.finditer(r"\w+", text))
    assert spans.tolist() == [list(m.span()) for m in words]
    folded = [m.group().casefold() for m in words]
    same = {(a, b) for a in range(len(words)) for b in range(len(words)) if folded[a] == folded[b]}
    assert same == {(a, b) for a in range(len(words)) for b in range(len(words)) if keys[a] == keys[b]}


def test_a_word_has_one_key_in_every_text_whichever_way_its_words_are_found():
    plain = words_of("He crossed the strasse in naive 😀 haste")  # an emoji: the regular expression
    folded = words_of("STRASSE, Straße and NAIVE")  # ß: the regular expression
    basic = words_of("Strasse or naive")  # the arrays
    assert plain[1][3] == folded[1][0] == folded[1][1] == basic[1][0]
    assert plain[1][5] == folded[1][3] == basic[1][2]
