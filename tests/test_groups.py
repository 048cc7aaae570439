"""The likely original of each pair, and story groups around sources that never chain."""

import pytest

from dedup import Detector, Evidence, InputError, Verdict
from dedup._groups import Link, star_groups

from .test_detector import ARTICLE, UNRELATED

WIRE = "MOSCOW (AP) — " + ARTICLE
TRUNCATED = "\n\n".join(ARTICLE.split("\n\n")[:2])


def test_the_seed_report_names_the_ap_story_the_source_by_its_dateline(seeds):
    result = Detector().scan(sorted(seeds.items()))
    [pair] = result.pairs
    assert (pair.source, pair.evidence) == ("001", Evidence.DATELINE)
    [group] = result.groups
    assert (group.source, group.documents, group.evidence) == ("001", ("001", "000"), Evidence.DATELINE)


def test_timestamps_decide_before_any_content_evidence():
    [pair] = Detector().scan([("wire", WIRE, 2000.0), ("copy", ARTICLE, 1000.0)]).pairs
    assert (pair.source, pair.evidence) == ("copy", Evidence.TIMESTAMP)


def test_equal_or_missing_timestamps_leave_it_to_the_content():
    for docs in ([("wire", WIRE, 5.0), ("copy", ARTICLE, 5.0)], [("wire", WIRE, None), ("copy", ARTICLE)]):
        [pair] = Detector().scan(docs).pairs
        assert (pair.source, pair.evidence) == ("wire", Evidence.DATELINE)


def test_the_text_that_contains_the_other_is_the_original():
    [pair] = Detector().scan([("excerpt", TRUNCATED), ("full", ARTICLE)]).pairs
    assert (pair.verdict, pair.source, pair.evidence) == (Verdict.NEAR_DUPLICATE, "full", Evidence.CONTAINMENT)


def test_identical_texts_name_no_original():
    [pair] = Detector().scan([("a", ARTICLE), ("b", ARTICLE)]).pairs
    assert (pair.source, pair.evidence) == (None, Evidence.NONE)
    [group] = Detector().scan([("a", ARTICLE), ("b", ARTICLE)]).groups
    assert (group.documents, group.evidence) == (("a", "b"), Evidence.NONE)


def test_bad_timestamps_are_refused():
    with pytest.raises(InputError, match="timestamp must be a finite number of POSIX seconds, got 'yesterday'"):
        Detector().scan([("a", ARTICLE, "yesterday")])
    with pytest.raises(InputError, match="timestamp must be a finite number of POSIX seconds, got nan"):
        Detector().scan([("a", ARTICLE, float("nan"))])


def test_a_round_up_of_two_unrelated_stories_does_not_merge_them():
    docs = [("library", ARTICLE), ("flights", UNRELATED), ("round-up", ARTICLE + "\n\n" + UNRELATED)]
    result = Detector().scan(docs)
    assert {(p.a, p.b) for p in result.pairs} == {("library", "round-up"), ("flights", "round-up")}
    assert sorted(g.documents for g in result.groups) == [("round-up", "flights"), ("round-up", "library")]
    assert len({g.id for g in result.groups}) == 2


def test_with_timestamps_a_round_up_is_derived_from_both_stories():
    docs = [("library", ARTICLE, 1.0), ("flights", UNRELATED, 2.0), ("round-up", ARTICLE + "\n\n" + UNRELATED, 3.0)]
    result = Detector().scan(docs)
    assert [(g.source, g.documents) for g in result.groups] == [
        ("library", ("library", "round-up")),
        ("flights", ("flights", "round-up")),
    ]


def _open(a: int, b: int, strength: float = 0.5) -> Link:
    return Link(a, b, None, Evidence.NONE, strength)


def test_a_chain_of_open_pairs_never_puts_its_unrelated_ends_in_one_group():
    groups = star_groups(["A", "B", "C"], [_open(0, 1), _open(1, 2)])
    assert sorted(sorted(g.documents) for g in groups) == [["A", "B"], ["B", "C"]]


def test_a_weak_link_between_two_stories_does_not_merge_them():
    ids = ["s1", "c1", "c2", "s2", "d1", "d2"]
    links = [Link(0, k, 0, Evidence.DATELINE, 0.9) for k in (1, 2)] + [
        Link(3, k, 3, Evidence.DATELINE, 0.9) for k in (4, 5)
    ]
    links += [_open(1, 2, 0.9), _open(4, 5, 0.9), _open(2, 4, 0.3)]
    groups = star_groups(ids, links)
    assert [g.documents for g in groups] == [("s1", "c1", "c2"), ("c2", "d1"), ("s2", "d1", "d2")]


def test_copies_named_by_strong_evidence_share_their_source_s_group_even_if_unrelated():
    # Excerpts of two halves of one article do not match each other, but the evidence says they share a source.
    links = [Link(0, 1, 0, Evidence.TIMESTAMP, 0.5), Link(0, 2, 0, Evidence.DATELINE, 0.5)]
    [group] = star_groups(["long", "first half", "second half"], links)
    assert (group.source, group.documents, group.evidence) == (
        "long",
        ("long", "first half", "second half"),
        Evidence.DATELINE,  # the weaker of the two
    )


def test_groups_and_their_ids_do_not_depend_on_unrelated_documents():
    docs = [("a", WIRE), ("b", ARTICLE)]
    alone = Detector().scan(docs).groups
    assert Detector().scan([("x", UNRELATED), *docs]).groups == alone
