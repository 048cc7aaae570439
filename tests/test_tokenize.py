"""The vectorised tokeniser against a plain per-character reference."""

import itertools
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import normalize
from dedup._tokenize import NUMERIC, SENTENCE_START, WRAPPED, tokenize, tokenize_lines

SCRIPTS = "英国的街道 a1。ひらカナ한"  # Han, Kana and Hangul among other characters
# Kana, Han and Hangul, tokenised as character bigrams.
BIGRAM_RANGES = (
    (0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF)
)  # fmt: skip


def in_bigrams(c: str) -> bool:
    return any(first <= ord(c) <= last for first, last in BIGRAM_RANGES)


def split_scripts(run: str) -> list[str]:
    """A run cut into the parts outside Han, Kana and Hangul, and the bigrams of the parts inside."""
    parts: list[str] = []
    for c in run:
        if parts and in_bigrams(c) == in_bigrams(parts[-1][-1]) and not in_bigrams(c):
            parts[-1] += c
        else:
            parts.append(c)
    tokens, i = [], 0
    while i < len(parts):
        if not in_bigrams(parts[i][0]):
            tokens.append(parts[i])
            i += 1
            continue
        j = i
        while j < len(parts) and in_bigrams(parts[j][0]):
            j += 1
        chars = parts[i:j]
        tokens += [a + b for a, b in itertools.pairwise(chars)] if len(chars) > 1 else chars
        i = j
    return tokens


def reference_tokens(text: str) -> list[str]:
    """Runs of letters, marks and digits, with , or . between two digits kept inside; Han,
    Kana and Hangul in character bigrams."""
    chars = normalize(text)
    word = [unicodedata.category(c)[0] in "LMN" and c not in "_" for c in chars]
    digit = [c in "0123456789" for c in chars]
    for i in range(1, len(chars) - 1):
        if chars[i] in ",." and digit[i - 1] and digit[i + 1]:
            word[i] = True
    tokens, current = [], []
    for c, w in zip(chars, word, strict=True):
        if w:
            current.append(c)
        elif current:
            tokens += split_scripts("".join(current))
            current = []
    if current:
        tokens += split_scripts("".join(current))
    return tokens


def hashes_of_words(words: list[str]) -> list[int]:
    t = tokenize(words)
    return [int(t.doc(i)[0]) for i in range(len(words))]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.text(alphabet=SCRIPTS, max_size=30))
def test_tokens_match_the_reference(text):
    words = reference_tokens(text)
    got = tokenize([text]).doc(0).tolist()
    assert got == (hashes_of_words(words) if words else [])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6))
def test_a_batch_tokenises_like_its_texts_one_by_one(texts):
    batch = tokenize(texts)
    assert len(batch) == len(texts)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(batch.doc(i), tokenize([text]).doc(0))


def test_case_quotes_dashes_and_spacing_do_not_matter():
    variants = [
        "Azerbaijan’s “forces” — withdrawn.",
        'AZERBAIJAN\'S "FORCES" - WITHDRAWN',
        "azerbaijan s forces withdrawn",
        "Ａｚｅｒｂａｉｊａｎ's forces\n\twithdrawn",
    ]
    first = tokenize(variants[:1]).doc(0)
    for v in variants[1:]:
        np.testing.assert_array_equal(tokenize([v]).doc(0), first)


def test_numbers_keep_their_separators_and_are_flagged():
    t = tokenize(["About 2,000 troops, 2.5 tonnes. Then 3 more"])
    assert len(t.doc(0)) == 8
    assert (t.flags & NUMERIC).astype(bool).tolist() == [False, True, False, True, False, False, True, False]


def test_sentence_starts_follow_terminators_and_line_breaks():
    t = tokenize(["One two. Three four! Five\nsix 2.5 seven"])
    assert (t.flags & SENTENCE_START).astype(bool).tolist() == [True, False, True, False, True, True, False, False]


def test_a_line_wrapped_inside_a_sentence_is_flagged():
    texts = ["Forces left\nthe region. Then\n  more came.\n\nlater on", "a\nb. c\n\nd\nE f\n\tg"]
    t = tokenize(texts)
    wrapped = [bool(f & WRAPPED) for f in t.flags]
    # "the" and "more" continue a line; "later" follows a blank line; "a", a text's first word,
    # follows the break between two texts; "b" and "g" continue, "c" follows a full stop, "E" is upper case.
    first = [False, False, True, False, False, True, False, False, False]
    second = [False, True, False, False, False, False, True]
    assert wrapped == first + second
    assert all(f & SENTENCE_START for f, w in zip(t.flags, wrapped, strict=True) if w)


def test_non_latin_words_stay_whole():
    assert len(tokenize(["नमस्ते दुनिया"]).doc(0)) == 2
    assert len(tokenize(["Добрый день, мир"]).doc(0)) == 3


def test_lone_surrogates_do_not_crash():
    assert len(tokenize(["abc\ud800def"]).doc(0)) == 2


def test_tokens_of_a_text_are_the_tokens_of_its_normal_form():
    texts = ["STRAẞE İstanbul ǰ ΐ", "Grüße aus KÖLN", "ΣΊΣΥΦΟΣ", "plain ascii TEXT"]
    np.testing.assert_array_equal(tokenize(texts).hashes, tokenize([normalize(t) for t in texts]).hashes)
    assert (tokenize(["STRAẞE"]).doc(0) == tokenize(["strasse"]).doc(0)).all()


@pytest.mark.parametrize(
    "text",
    ["\u0391\u0342", "ß\u0301", "\u03aa\u0301", "J\u030c", "Ω\u0342 ΚΑΙ ΑΓΙΟΣ"],
)
def test_a_mark_that_composes_with_a_folded_character_tokenises_like_the_normal_form(text):
    # Capital alpha and perispomeni have no composed form; small alpha and perispomeni do,
    # so the normal form composes them.
    np.testing.assert_array_equal(tokenize([text]).hashes, tokenize([normalize(text)]).hashes)
    many = [f"{text} number {k}" for k in range(20_000)]  # large enough for the compiled kernel
    np.testing.assert_array_equal(tokenize(many).hashes, tokenize([normalize(t) for t in many]).hashes)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_tokenises_like_its_normal_form(text):
    np.testing.assert_array_equal(tokenize([text]).hashes, tokenize([normalize(text)]).hashes)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), max_size=4))
def test_each_token_knows_its_line(texts):
    tokens, line = tokenize_lines(texts)
    for i, text in enumerate(texts):
        lo, hi = tokens.bounds[i], tokens.bounds[i + 1]
        pieces = text.split("\n")
        by_line = tokenize(pieces)
        expected_line = np.repeat(np.arange(len(pieces)), np.diff(by_line.bounds))
        np.testing.assert_array_equal(tokens.hashes[lo:hi], by_line.hashes)
        np.testing.assert_array_equal(line[lo:hi], expected_line)
