"""Partial reuse: a few paragraphs of one article inside another, found and reported as passages."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import ConfigError, Detector, DetectorConfig, Verdict, align
from dedup._align import sentence_spans, sentence_starts, stop_spans
from dedup._passages import PARTIAL, WHOLE_TEXT, cluster_seeds, reused, rules_for
from dedup._tokenize import tokenize

from .test_detector import ARTICLE, UNRELATED


def _planted(seeds: dict[str, str]) -> tuple[str, str, str]:
    """An unrelated long article with five sentences of the AP story in its middle."""
    source = seeds["001"]
    spans = sentence_spans(source)
    start = source.index("MOSCOW (AP)")
    first = int(np.searchsorted(spans[:, 0], start))
    borrowed = source[spans[first, 0] : spans[first + 3, 1]]
    host = "\n\n".join((ARTICLE, UNRELATED, ARTICLE.replace("library", "museum")))
    middle = len(host) // 2
    cut = host.index(". ", middle) + 2
    return host[:cut] + borrowed + " " + host[cut:], borrowed, source


def test_a_planted_passage_is_found_as_partial_by_scan(seeds):
    text, borrowed, source = _planted(seeds)
    [pair] = Detector(partial_reuse=True).scan([("story", text), ("wire", source)]).pairs
    assert pair.verdict is Verdict.PARTIAL
    [passage] = pair.passages
    assert borrowed[:40] in text[passage.a_start : passage.a_end]
    assert len(passage.sentences) >= 3


def test_a_scan_whose_window_rows_spill_to_files_finds_what_one_in_memory_does(seeds, monkeypatch):
    from dedup import _parts
    from dedup._fingerprint import sketch

    text, _, source = _planted(seeds)
    docs = [("story", text), ("wire", source), *((f"seed{k}", t) for k, t in sorted(seeds.items()))]
    expected = Detector(partial_reuse=True).scan(docs)
    monkeypatch.setattr(_parts, "SPILL_AFTER", 100)
    assert sketch([t for _, t in docs], DetectorConfig(partial_reuse=True)).windows.spilled
    assert Detector(partial_reuse=True).scan(docs) == expected
    assert ("story", "wire", Verdict.PARTIAL) in [(p.a, p.b, p.verdict) for p in expected.pairs]


def test_window_rows_that_cannot_spill_say_where_to_point_tmpdir(monkeypatch, tmp_path):
    import tempfile

    from dedup._parts import Parts

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(OSError, match="set TMPDIR to a writable folder"):
        Parts(spill_after=0).add(np.arange(3, dtype=np.uint64))


def test_a_planted_passage_is_found_by_the_cli(seeds, tmp_path, capsys):
    from dedup._cli import main

    text, _, source = _planted(seeds)
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    (tmp_path / "wire.txt").write_text(source, encoding="utf-8")
    assert main(["scan", str(tmp_path), "--partial-reuse"]) in (0, 1)
    assert "partial" in capsys.readouterr().out


def test_a_passage_copied_word_for_word_is_reported_exactly_even_rewrapped(seeds):
    text, borrowed, source = _planted(seeds)
    rewrapped = text.replace(borrowed, borrowed.replace(". ", ".\n").replace(" the ", "\nthe "))
    for story in (text, rewrapped):
        [pair] = Detector(partial_reuse=True).scan([("story", story), ("wire", source)]).pairs
        assert pair.verdict is Verdict.PARTIAL
        [passage] = pair.passages
        assert story[passage.a_start : passage.a_end].split() == borrowed.split()
        assert source[passage.b_start : passage.b_end] == borrowed
        assert passage.similarity == 1.0 and passage.sentences


def test_unrelated_articles_are_not_partial():
    verdict, scores = Detector(partial_reuse=True).compare(ARTICLE, UNRELATED)
    assert verdict is None and scores.passage_words < DetectorConfig().partial_words


def test_consecutive_seeds_merge_into_one_passage_and_a_stray_weak_seed_is_dropped():
    seeds = np.array([[0, 10], [1, 11], [3, 12], [40, 2]])
    similarity = np.array([0.9, 0.8, 0.7, 0.45])
    found = reused(seeds, similarity, lambda *_: (0.8, 1.0, 20))
    assert [(c.rows, c.cols) for c in found] == [((0, 3), (10, 12))]


def test_seeds_far_apart_in_either_text_are_separate_clusters():
    seeds = np.array([[0, 0], [1, 1], [2, 30], [3, 31]])
    assert [c.tolist() for c in cluster_seeds(seeds, 4)] == [[[0, 0], [1, 1]], [[2, 30], [3, 31]]]


def test_overlapping_passages_keep_the_heavier():
    seeds = np.array([[0, 0], [1, 1], [0, 200], [1, 201], [2, 202]])
    similarity = np.full(5, 0.9)
    found = reused(seeds, similarity, lambda r0, r1, c0, c1: (0.9, float(r1 - r0 + c1 - c0), 20))
    assert [(c.rows, c.cols) for c in found] == [((0, 2), (200, 202))]


def test_partial_settings_are_validated():
    with pytest.raises(ConfigError, match="partial_words"):
        DetectorConfig(partial_words=0)
    with pytest.raises(ConfigError, match="partial_similarity"):
        DetectorConfig(partial_similarity=2.0)


def test_the_html_report_shows_a_partial_pair_with_its_passage_on_both_sides(seeds):
    from dedup._report import render

    text, _, source = _planted(seeds)
    texts = {"story": text, "wire": source}
    page = render(Detector(partial_reuse=True).scan(sorted(texts.items())), "html", texts=texts)
    assert '<span class="verdict partial">partial</span>' in page
    assert ".partial {" in page  # the verdict's badge has a colour
    assert page.count('<mark class="c0" data-passage="1"') == 2
    assert "aligned sentences" in page


def test_a_brief_of_a_story_is_aligned_with_the_whole_story(seeds):
    """A summary condenses its whole source: the passage's story side is all of the story,
    not the stretch between the brief's first and last matches."""
    story = seeds["001"]
    spans = stop_spans(story, join_wrapped=True)
    body = [k for k, (a, b) in enumerate(spans.tolist()) if len(story[a:b].split()) >= 12]
    picked = [body[len(body) // 5], body[len(body) // 2], body[4 * len(body) // 5]]
    brief = " ".join(story[spans[k, 0] : spans[k, 1]] for k in picked)
    [passage] = align(brief, story)
    assert (passage.a_start, passage.a_end) == (0, len(brief))
    assert (passage.b_start, passage.b_end) == (spans[0, 0], spans[-1, 1])
    assert {s.b_start for s in passage.sentences} >= {int(spans[k, 0]) for k in picked}
    # Without partial reuse's rules, the same passage spans only the brief's matches.
    [narrow] = align(brief, story, partial_reuse=False)
    assert spans[0, 0] < narrow.b_start and narrow.b_end < spans[-1, 1]


def test_a_sentence_that_runs_several_lines_of_its_source_together_is_aligned_with_all_of_them():
    """Each source line shares too few words with the long sentence to align on its own,
    but together they are what it retells."""
    source = (
        "Mangrove wardens in the delta\n"
        "The programme pays village wardens who patrol the mangrove forests of the delta against illegal"
        " logging and report every clearing to the district office.\n"
        "Each warden is given a boat, a radio, boots and two uniforms by the ministry.\n"
        "Cooperatives earn a share of carbon income when replanted belts survive three monsoons.\n"
        "Satellite maps of forest cover are published yearly for every village and parish.\n"
        "Universities in the capital train the wardens during a fortnight of courses every spring before the rains."
    )
    retold = (
        "Mangrove wardens in the delta. The programme pays village wardens who patrol the mangrove forests of"
        " the delta against illegal logging and report clearing to the district office, each warden gets a boat"
        " and a radio, cooperatives earn carbon income, satellite maps are published yearly and universities"
        " train the wardens."
    )
    story = f"The old harbour was rebuilt after a storm destroyed the piers. {retold} The customs house is a museum."
    [passage] = align(story, source)
    assert story[passage.a_start : passage.a_end] == retold
    assert (passage.b_start, passage.b_end) == (0, len(source))


def test_with_partial_rules_a_passage_retold_in_shuffled_order_stays_whole():
    seeds = np.array([[10, 3], [11, 5], [12, 4], [13, 2]])
    similarity = np.array([0.7, 0.9, 0.6, 0.8])

    def whole(*_):
        return 0.8, 1.0, 20

    [in_order] = reused(seeds, similarity, whole)
    [shuffled] = reused(seeds, similarity, whole, slack=PARTIAL.slack)
    assert (in_order.rows, in_order.cols) != ((10, 13), (2, 5))
    assert (shuffled.rows, shuffled.cols) == ((10, 13), (2, 5))


def test_with_partial_reuse_a_line_wrapped_inside_a_sentence_does_not_end_it():
    text = "The river burst its banks on Monday and\nflooded the old town. Shops closed.\nThe mayor spoke."
    assert len(sentence_spans(text)) == 4
    assert [text[a:b] for a, b in sentence_spans(text, PARTIAL.join_wrapped).tolist()] == [
        "The river burst its banks on Monday and\nflooded the old town.",
        "Shops closed.",
        "The mayor spoke.",
    ]
    assert not WHOLE_TEXT.join_wrapped and rules_for(True) is PARTIAL and rules_for(False) is WHOLE_TEXT


def _report_and_verdict_sentences(text: str) -> tuple[list[list[int]], list[list[int]]]:
    """The token hashes of each sentence of ``text`` as the report cuts it with partial reuse,
    and as the verdict does."""
    spans = stop_spans(text, PARTIAL.join_wrapped).tolist()
    pieces = tokenize([text[a:b] for a, b in spans])
    report = [pieces.doc(k).tolist() for k in range(len(spans)) if len(pieces.doc(k))]
    tokens = tokenize([text])
    sentence = np.cumsum(sentence_starts(tokens, PARTIAL.join_wrapped)) - 1
    verdict = [tokens.hashes[sentence == k].tolist() for k in range(int(sentence.max(initial=-1)) + 1)]
    return report, verdict


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Hajiyev spoke on 4 October 1967.World Space Week began; it costs 3.5 million.",
        'where.; "I know it\'s there," said Saratoga Fire Chief Ed Kraule. It was 12,000,000 acres',
        "The river burst its banks and\n\u00a0\u00a0flooded the town\u2026\nthe mayor spoke!\n\nShops (closed.) Then",
        "Shops closed and\n          then reopened. A line wrapped\n   here, and\nthere. Then",
        "地震发生后。救援队赶到现场！居民撤离？ नमस्ते। दुनिया",
    ],
)
def test_with_partial_reuse_the_report_cuts_sentences_where_the_verdict_does(text):
    report, verdict = _report_and_verdict_sentences(text)
    assert report == verdict
    assert len(verdict) > 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", "Word", "3", "5", ".", "!", "?", ";", '"', ")", " ", "\n", "\u00a0", "\u2026"]),
        max_size=40,
    )
)
def test_with_partial_reuse_the_report_cuts_any_text_where_the_verdict_does(parts):
    report, verdict = _report_and_verdict_sentences("".join(parts))
    assert report == verdict


def _in_a_long_article(seeds: dict[str, str]) -> tuple[str, str, str]:
    """The AP story's planted sentences in the middle of a generated article of 1,500 other
    words: a sixth of the shorter text, too little for whole-text signatures to collide."""
    from benchmarks.corpus import news_corpus

    _, borrowed, source = _planted(seeds)
    host = news_corpus(1, seed=0, words_per_doc=1500, planted_share=0).texts[0]
    cut = host.index(". ", len(host) // 2) + 2
    return host[:cut] + borrowed + " " + host[cut:], borrowed, source


def _indexed(seeds, **settings) -> tuple[Detector, str]:
    """A detector with the AP story indexed as ``wire``, and a long article that borrows from it."""
    text, _, source = _in_a_long_article(seeds)
    det = Detector(keep_text=True, **settings)
    det.add("wire", source)
    return det, text


def _found(matches) -> list[tuple[str, str]]:
    return [(m.doc_id, m.verdict.value) for m in matches]


def test_an_indexed_story_is_proposed_for_a_passage_only_with_partial_reuse(seeds):
    det, text = _indexed(seeds, partial_reuse=True)
    [match] = det.query(text)
    assert (match.doc_id, match.verdict) == ("wire", Verdict.PARTIAL)
    [passage] = match.passages
    assert _in_a_long_article(seeds)[1][:40] in text[passage.a_start : passage.a_end]
    assert _found(det.add("story", text)) == [("wire", "partial")]
    det, text = _indexed(seeds, partial_reuse=False)
    assert det.query(text) == [] and det.add("story", text) == []  # whole-text keys miss it


def test_a_batch_added_at_once_pairs_a_story_with_the_passage_it_borrows(seeds):
    text, _, source = _in_a_long_article(seeds)
    result = Detector(partial_reuse=True).add_many([("wire", source), ("story", text)])
    assert [(p.a, p.b, p.verdict.value) for p in result.pairs] == [("wire", "story", "partial")]


def test_passages_are_proposed_after_save_and_load(seeds, tmp_path):
    det, text = _indexed(seeds, partial_reuse=True)
    det.save(tmp_path / "index")
    assert _found(Detector.load(tmp_path / "index").query(text)) == [("wire", "partial")]
    plain, _ = _indexed(seeds, partial_reuse=False)
    plain.save(tmp_path / "plain")
    assert Detector.load(tmp_path / "plain").query(text) == []
    assert _found(Detector.load(tmp_path / "plain", partial_reuse=True).query(text)) == [("wire", "partial")]


def test_a_removed_or_expired_story_is_no_longer_proposed_for_a_passage(seeds):
    det, text = _indexed(seeds, partial_reuse=True)
    det.remove("wire")
    assert det.query(text) == []
    text, _, source = _in_a_long_article(seeds)
    det = Detector(partial_reuse=True)
    det.add("wire", source, timestamp=100.0)
    det.expire(before=200.0)
    assert det.query(text) == []


def test_compacting_the_index_keeps_the_window_keys_of_live_documents(seeds, monkeypatch):
    from dedup import _memory

    monkeypatch.setattr(_memory, "MIN_DEAD_TO_COMPACT", 2)
    det, text = _indexed(seeds, partial_reuse=True)
    for k in range(3):
        det.add(f"other{k}", f"{k} {ARTICLE}")
        det.remove(f"other{k}")
    store = det._store
    assert isinstance(store, _memory.MemoryStore) and len(store._ids) < 4  # compacted
    assert _found(det.query(text)) == [("wire", "partial")]
