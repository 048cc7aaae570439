"""Detection quality on the real labelled corpora in ../shared/data (see docs/quality.md).

Each test fails when a target is missed; the module is skipped when the data is absent.
"""

import re
from collections import Counter

import pytest

from dedup import Detector, DetectorConfig, Verdict
from dedup._chrome import tokenize_pages
from dedup._eval import cases_of, evaluate, read_semeval
from dedup._tokenize import CHROME

from .conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"evaluation data not found at {SHARED_DATA}")

CLOUGH = SHARED_DATA / "clough-stevenson-2011"
SEMEVAL = SHARED_DATA / "semeval2022-task8-en"

# Two 'cut' answers copy parts of the Wikipedia article that are not in the source excerpt
# given with the corpus (see ../shared/data/README.md): no text-based detector can find them.
KNOWN_CLOUGH_MISSES = {"g2pE_taskc.txt", "g4pD_taskb.txt"}


@pytest.fixture(scope="module")
def clough():
    return evaluate(cases_of("clough", CLOUGH), "clough")


@pytest.fixture(scope="module")
def semeval():
    return evaluate(cases_of("semeval", SEMEVAL), "semeval")


def test_clough_stevenson_derived_vs_non_f1_reaches_097(clough):
    metrics = clough.derived_metrics()
    assert metrics["f1"] >= 0.97, metrics
    assert metrics["fp"] == 0, "an answer was matched to a source it was not written from"
    assert {p.case for p in clough.errors()} <= KNOWN_CLOUGH_MISSES


def test_clough_stevenson_heavy_revisions_are_paraphrases_and_copies_near_duplicates(clough):
    confusion = clough.confusion()
    assert confusion["heavy"].get("paraphrase", 0) >= 15
    assert confusion["cut"].get("near_duplicate", 0) + confusion["light"].get("near_duplicate", 0) >= 20


def test_the_paraphrase_threshold_is_the_midpoint_of_the_clough_separating_interval(clough):
    config = DetectorConfig()
    separation = clough.separation("rewrite", below_containment=config.near_duplicate_containment)
    assert separation.errors == len(KNOWN_CLOUGH_MISSES)
    assert round(separation.threshold, 2) == config.paraphrase_score


def test_every_clough_paraphrase_is_spread_through_the_answer(clough):
    config = DetectorConfig()
    decided = [
        p
        for p in clough.pairs
        if p.gold_derived and p.scores.containment < config.near_duplicate_containment
        if p.scores.rewrite >= config.paraphrase_score
    ]
    assert min(p.scores.spread for p in decided) >= config.paraphrase_spread


def test_semeval_different_stories_are_never_flagged(semeval):
    assert semeval.derived_metrics()["fp"] == 0, [p.case for p in semeval.errors()]


def test_semeval_same_story_pairs_flagged_are_a_minority(semeval):
    same = [p for p in semeval.pairs if p.category.startswith("same story")]
    assert sum(p.derived for p in same) <= len(same) // 3


def test_mrpc_sentence_pairs_beat_the_majority_class():
    evaluation = evaluate(cases_of("mrpc", SHARED_DATA / "mrpc"), "mrpc")
    metrics = evaluation.derived_metrics()
    majority = (metrics["tp"] + metrics["fn"]) / metrics["pairs"]
    assert metrics["accuracy"] > majority


# -- planted variants of real articles ----------------------------------------------------

HEADER = "Subscribe now | Sign in | Newsletters\nAdvertisement\n"
FOOTER = (
    "\nShare this article: Facebook Twitter Email\nRead more: the top stories this week\n"
    "Copyright 2024 Example Media. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed.\nWe use cookies to improve your experience on our website."
)
EDITS = {"said": "stated", "says": "states", "after": "following", "about": "around", "but": "however"}


def _sentence_ends(text):
    """Offsets just past each sentence or line of ``text``."""
    return [m.end() for m in re.finditer(r"[^.!?\n]+(?:[.!?]+|\n|$)", text) if m.group().strip()]


def _curly(text):
    text = re.sub(r'"(?=\w)', "\u201c", text).replace('"', "\u201d")
    return text.replace("'", "\u2019")


def _light_edit(text):
    """A few words swapped for synonyms, one number changed and one sentence in the middle dropped."""
    return _edited_anywhere(re.sub(r"\b\w+\b", lambda m: EDITS.get(m.group(0), m.group(0)), text))


def _truncated(text):
    """The text up to the first sentence end past a third of its words."""
    third = len(text.split()) // 3
    return text[: next(end for end in _sentence_ends(text) if len(text[:end].split()) >= third)]


def _headline_rewritten(text):
    return "What we know so far\n" + text[_sentence_ends(text)[0] :]


VARIANTS = {
    "upper case": (str.upper, Verdict.EXACT),
    "curly quotes": (_curly, Verdict.EXACT),
    "straight quotes": (lambda t: t.translate(str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''")), Verdict.EXACT),
    "headline rewritten": (_headline_rewritten, None),
    "dateline added": (lambda t: "WASHINGTON (AP) \u2014 " + t, None),
    "truncated": (_truncated, None),
    "boilerplate": (lambda t: HEADER + t + FOOTER, None),
    "light edit": (_light_edit, None),
    "all of these": (lambda t: HEADER + "WASHINGTON (AP) \u2014 " + _light_edit(_truncated(t)).upper() + FOOTER, None),
}


def _all_chrome(text):
    tokens = tokenize_pages([text])
    return bool(((tokens.flags & CHROME) > 0).all())


@pytest.fixture(scope="module")
def articles():
    """Real articles from ../shared: the SemEval texts, the seeds' sources and Clough's sources."""
    texts = {}
    for case in read_semeval(SEMEVAL):
        a, b = case.id.split("_")
        texts[a], texts[b] = case.index["text1"], case.query
    for path in sorted(CLOUGH.glob("orig_task*.txt")):
        texts[path.stem] = path.read_text("utf-8", errors="replace")
    return {k: v for k, v in texts.items() if len(v.split()) >= 60}


@pytest.fixture(scope="module")
def planted(articles):
    """Each variant of each article queried against an index of all the articles."""
    det = Detector()
    for doc_id, text in articles.items():
        det.add(doc_id, text)
    return {
        (kind, doc_id): det.query(make(text))
        for kind, (make, _) in VARIANTS.items()
        for doc_id, text in articles.items()
    }


@pytest.mark.parametrize("kind", VARIANTS)
def test_planted_variants_of_real_articles_are_found(kind, articles, planted):
    _, verdict = VARIANTS[kind]
    found = Counter()
    # A page without article text (a paywall, a cookie wall) is all chrome: it is not an
    # article, and not even an identical copy of it is found.
    pages = [doc_id for doc_id, text in articles.items() if not _all_chrome(text)]
    for doc_id in pages:
        match = next((m for m in planted[(kind, doc_id)] if m.doc_id == doc_id), None)
        found[match is not None and (verdict is None or match.verdict is verdict)] += 1
    assert found[True] / len(pages) >= (1.0 if verdict is Verdict.EXACT else 0.99), found


def test_pages_without_an_article_are_not_found_even_as_copies(articles, planted):
    pages = [doc_id for doc_id, text in articles.items() if _all_chrome(text)]
    assert pages, "the English articles hold a paywall"
    assert not any(m.doc_id == doc_id for kind in VARIANTS for doc_id in pages for m in planted[(kind, doc_id)])


def test_planted_variants_are_not_matched_to_different_stories(articles, planted):
    different = {frozenset(case.id.split("_")) for case in read_semeval(SEMEVAL) if case.gold["text1"][0] == "none"}
    flagged = [
        (kind, doc_id, m.doc_id)
        for (kind, doc_id), matches in planted.items()
        for m in matches
        if frozenset((doc_id, m.doc_id)) in different
    ]
    checked = sum(2 * len(VARIANTS) for pair in different if pair <= articles.keys())
    assert len(flagged) <= 0.01 * checked, flagged


def test_both_stories_of_a_merged_story_are_found_with_partial_reuse(articles):
    # The first half of one article joined to the second half of another (a site stitching
    # two wire stories), queried against an index of all the articles: of the halves of 60
    # words or more, 272 of 274 first halves and 241 of 247 second halves are found
    # (near_duplicate, paraphrase or partial), and no known different story.
    different = {frozenset(case.id.split("_")) for case in read_semeval(SEMEVAL) if case.gold["text1"][0] == "none"}
    pages = {k: v for k, v in articles.items() if not _all_chrome(v)}
    detector = Detector(partial_reuse=True)
    for doc_id, text in pages.items():
        detector.add(doc_id, text)
    ids = list(pages)
    found, halves, wrong = 0, 0, []
    for n, first in enumerate(ids):
        second = ids[(n + 11) % len(ids)]
        ends_a, ends_b = _sentences(pages[first]), _sentences(pages[second])
        if len(ends_a) < 4 or len(ends_b) < 4:
            continue
        head, tail = pages[first][: ends_a[len(ends_a) // 2 - 1]], pages[second][ends_b[len(ends_b) // 2 - 1] :]
        matched = {m.doc_id for m in detector.query(head + "\n" + tail)}
        for doc_id, half in ((first, head), (second, tail)):
            if len(half.split()) >= 60:
                halves += 1
                found += doc_id in matched
        others = matched - {first, second}
        wrong += [m for m in others if {frozenset((first, m)), frozenset((second, m))} & different]
    assert halves >= 400 and found >= 0.95 * halves, (found, halves)
    assert not wrong


# -- other languages ----------------------------------------------------------------------

MULTILINGUAL = SHARED_DATA / "semeval2022-task8-multilingual"

#: Different-story pairs still flagged per language (docs/quality.md names them): two pairs of
#: reports on one topic from one source, in German and Spanish, and a Russian pair of one
#: newspaper's series that share its three-sentence editor's note word for word (partial
#: reuse, labelled different stories). The target is none.
DIFFERENT_STORIES_FLAGGED = {"de": 1, "es": 1, "ru": 1}
#: Same-story and related pairs flagged in all nine languages before stop words, rarity and
#: chrome followed the language: no more may be flagged now.
SAME_STORY_FLAGGED_BEFORE = 39


@pytest.fixture(scope="module")
def multilingual():
    return evaluate(cases_of("semeval", MULTILINGUAL), "semeval")


def test_different_stories_flagged_in_each_language_do_not_grow(multilingual):
    for language, row in multilingual.by_language().items():
        if language != "all":
            assert row["none_flagged"] <= DIFFERENT_STORIES_FLAGGED.get(language, 0), (language, row)


def test_same_stories_flagged_in_other_languages_are_no_more_than_before(multilingual):
    assert multilingual.by_language()["all"]["unscored_flagged"] <= SAME_STORY_FLAGGED_BEFORE


def _sentences(text):
    """Offsets just past each sentence or line of ``text``, Chinese full stops included."""
    return [m.end() for m in re.finditer(r"[^.!?\n。！？]+(?:[.!?。！？]+|\n|$)", text) if m.group().strip()]


def _length(text):
    """Words, or for Chinese characters divided by two (about a word each)."""
    han = sum("\u4e00" <= c <= "\u9fff" for c in text)
    return len(text.split()) + han // 2


def _truncated_anywhere(text):
    """The text up to the first sentence end past a third of its length."""
    third = _length(text) // 3
    return text[: next(end for end in _sentences(text) if _length(text[:end]) >= third)]


def _edited_anywhere(text):
    """One number changed and one sentence in the middle dropped, in any language."""
    text = re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 1), text, count=1)
    ends = _sentences(text)
    if len(ends) > 4:
        middle = len(ends) // 2
        text = text[: ends[middle - 1]] + text[ends[middle] :]
    return text


LANGUAGE_VARIANTS = {
    "copy": lambda t: t,
    "upper case": str.upper,
    "truncated": _truncated_anywhere,
    "light edit": _edited_anywhere,
}


@pytest.fixture(scope="module")
def multilingual_articles():
    """The articles of the multilingual development split by language, by id (60 words or more)."""
    by_language = {}
    for case in read_semeval(MULTILINGUAL):
        a, b = case.id.split("_")
        texts = by_language.setdefault(case.language, {})
        texts[a], texts[b] = case.index["text1"], case.query
    return {language: {k: v for k, v in texts.items() if _length(v) >= 60} for language, texts in by_language.items()}


@pytest.fixture(scope="module")
def planted_by_language(multilingual_articles):
    """Per language and variant, how many variants were found and of how many, querying an
    index of that language's articles.

    A variant left without article text is not counted: a cookie wall or a bot check, or a
    truncation that keeps only the chrome a flattened page glued to its first sentence. Like
    pages without an article in English, such a text is found only when it is identical.
    """
    found = {}
    for language, articles in multilingual_articles.items():
        det = Detector()
        for doc_id, text in articles.items():
            det.add(doc_id, text)
        for kind, make in LANGUAGE_VARIANTS.items():
            variants = {doc_id: make(text) for doc_id, text in articles.items()}
            counted = {doc_id: v for doc_id, v in variants.items() if not _all_chrome(v)}
            hits = [any(m.doc_id == doc_id for m in det.query(v)) for doc_id, v in counted.items()]
            found[(language, kind)] = (sum(hits), len(hits))
    return found


@pytest.mark.parametrize("kind", LANGUAGE_VARIANTS)
def test_planted_variants_are_found_in_every_language(kind, planted_by_language):
    for (language, variant), (hits, total) in sorted(planted_by_language.items()):
        if variant == kind:
            assert hits >= 0.99 * total, (language, kind, hits, total)


def _borrowing(text, host):
    """``host`` with four sentences from the middle of ``text`` inserted at its own middle, or
    ``None`` when ``text`` is too short or those sentences hold page chrome."""
    ends = [0, *_sentences(text)]
    if len(ends) < 8:
        return None
    first = len(ends) // 2 - 2
    passage = text[ends[first] : ends[first + 4]].strip()
    if _length(passage) < 30 or (tokenize_pages([passage]).flags & CHROME).any():
        return None
    cut = _sentences(host)[len(_sentences(host)) // 2]
    return host[:cut] + " " + passage + " " + host[cut:]


def _borrowed_found(articles):
    """Of the texts of ``articles`` with four sentences to lend (:func:`_borrowing`), how many
    are found by the query of another text borrowing them, against an index of all."""
    detector = Detector(partial_reuse=True)
    for doc_id, text in articles.items():
        detector.add(doc_id, text)
    ids = list(articles)
    hits = []
    for n, doc_id in enumerate(ids):
        story = _borrowing(articles[doc_id], articles[ids[(n + 7) % len(ids)]])
        if story is not None:
            hits.append(any(m.doc_id == doc_id for m in detector.query(story)))
    return sum(hits), len(hits)


def test_a_borrowed_passage_is_found_in_english(articles):
    # Four sentences of one article inside another: 227 of 234 found (95 with the defaults);
    # the misses share too few window keys, or sentences of too few content words.
    found, total = _borrowed_found({k: v for k, v in articles.items() if not _all_chrome(v)})
    assert total >= 200 and found >= 0.95 * total, (found, total)


def test_a_borrowed_passage_is_found_in_every_language(multilingual_articles):
    # Four sentences of one article inside another of its language, against an index of the
    # language's articles: 827 of 833 found (ar 25/26, de 214/216, it 79/81, zh 103/104, the
    # others all); the misses share too few window keys to be proposed, or
    # their passage's sentences share too few content words each to align.
    for language, articles in sorted(multilingual_articles.items()):
        found, total = _borrowed_found(articles)
        assert total >= 25 and found >= 0.95 * total, (language, found, total)
