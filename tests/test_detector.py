"""End-to-end behaviour of the Detector on the seeds and on planted copies."""

import itertools
import re

import pytest

from dedup import Detector, Evidence, InputError, Verdict, align

# An article the tests plant copies of; nobody outside this file wrote it.
ARTICLE = """\
The city council voted on Tuesday to close the Riverside public library for eighteen months while engineers \
repair the flood damage left by the spring storms, the mayor's office said.

Council members approved the plan by seven votes to two after a three-hour debate in which residents urged \
them to keep at least a reading room open in the neighbouring community centre.

The repairs, estimated at 4.2 million dollars, will be paid for by a state disaster grant and the city's own \
reserve fund. Library staff will move to the main branch on Harbour Street, where opening hours will be \
extended into the evening on weekdays.

"Nobody wanted this outcome, but the building is not safe," said council member Ana Whitfield, who chairs the \
committee for public works. She said the contractor had promised weekly progress reports.

Parents at the meeting asked what would happen to the children's summer reading programme, which drew more \
than nine hundred young readers last year. The library director said it would run at two schools instead.
"""

UNRELATED = """\
A regional airline announced new direct flights between the coastal capital and three mountain resorts, \
starting in December, as ski operators expect a record season after heavy early snowfall in the north. \
Tickets go on sale next week and the first month of flights is already half booked, the company said.
"""


def _variants() -> dict[str, str]:
    paragraphs = ARTICLE.split("\n\n")
    edited = ARTICLE.replace("Tuesday", "Wednesday").replace("eighteen months", "a year and a half")
    edited = edited.replace("estimated at", "expected to cost").replace("urged", "begged")
    return {
        "exact": re.sub(r"\s+", "  ", ARTICLE.upper()).replace(",", " ,"),
        "edited": edited,
        "truncated": "\n\n".join(paragraphs[:2]),
        "wrapped": "SUBSCRIBE NOW | Local news | Sign in\n\n"
        + ARTICLE
        + "\n\nShare this article. Comments are closed.",
    }


EXPECTED = {
    "exact": Verdict.EXACT,
    "edited": Verdict.NEAR_DUPLICATE,
    "truncated": Verdict.NEAR_DUPLICATE,
    "wrapped": Verdict.NEAR_DUPLICATE,
}


def test_seeds_give_exactly_the_paraphrase_pair(seeds):
    result = Detector().scan(sorted(seeds.items()))
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [("000", "001", Verdict.PARAPHRASE)]
    assert [(g.source, g.documents) for g in result.groups] == [("001", ("001", "000"))]


def test_adding_the_seeds_one_by_one_matches_the_scan(seeds):
    det = Detector()
    found = {doc_id: det.add(doc_id, text) for doc_id, text in sorted(seeds.items())}
    assert {k: [(m.doc_id, m.verdict) for m in v] for k, v in found.items()} == {
        "000": [],
        "001": [("000", Verdict.PARAPHRASE)],
        "002": [],
        "003": [],
        "004": [],
    }


def test_seed_rewrite_scores_show_why(seeds):
    verdict, scores = Detector().compare(seeds["000"], seeds["001"])
    assert verdict is Verdict.PARAPHRASE
    assert scores.containment < 0.5 < scores.cosine  # little copied text, same content
    for a, b in itertools.combinations(["001", "002", "003", "004"], 2):
        verdict, other = Detector().compare(seeds[a], seeds[b])
        assert verdict is None
        assert other.rewrite < scores.rewrite


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_planted_copies_are_found_with_their_verdict(kind):
    det = Detector()
    det.add("original", ARTICLE)
    det.add("unrelated", UNRELATED)
    matches = det.query(_variants()[kind])
    assert [(m.doc_id, m.verdict) for m in matches] == [("original", EXPECTED[kind])]


def test_planted_copies_are_grouped_in_a_scan():
    docs = [("original", ARTICLE), ("unrelated", UNRELATED), *sorted(_variants().items())]
    result = Detector().scan(docs)
    assert [g.documents for g in result.groups] == [("original", "edited", "exact", "truncated", "wrapped")]
    verdicts = {(p.a, p.b): p.verdict for p in result.pairs}
    for kind, verdict in EXPECTED.items():
        assert verdicts[("original", kind)] is verdict


def test_query_does_not_store_and_add_does():
    det = Detector()
    det.add("original", ARTICLE)
    assert det.query(ARTICLE)[0].verdict is Verdict.EXACT
    assert len(det) == 1
    assert det.add("copy", ARTICLE)[0].doc_id == "original"
    assert len(det) == 2 and "copy" in det


def test_removed_documents_are_no_longer_matched():
    det = Detector()
    det.add("original", ARTICLE)
    det.remove("original")
    assert det.query(ARTICLE) == []
    assert "original" not in det


def test_adding_an_id_again_replaces_its_document():
    det = Detector()
    det.add("a", ARTICLE)
    assert det.add("a", _variants()["edited"]) == []  # its old version is not a match
    assert len(det) == 1
    assert [(m.doc_id, m.verdict) for m in det.query(ARTICLE)] == [("a", Verdict.NEAR_DUPLICATE)]
    det.add("a", UNRELATED)
    assert det.query(ARTICLE) == []
    assert [m.doc_id for m in det.query(UNRELATED)] == ["a"]


def test_duplicate_ids_in_a_scan_are_refused():
    with pytest.raises(InputError, match="'x' occurs more than once"):
        Detector().scan([("x", ARTICLE), ("x", UNRELATED)])


def test_texts_without_words_never_match():
    det = Detector()
    assert det.add("blank", "") == []
    assert det.add("punct", "... !!! ---") == []
    assert det.query("") == []
    assert Detector().scan([("a", ""), ("b", "")]).pairs == ()


def test_scan_is_deterministic_and_independent_of_other_documents(seeds):
    docs = sorted(seeds.items())
    first = Detector().scan(docs)
    assert Detector().scan(docs) == first
    with_extra = Detector().scan([*docs, ("extra", ARTICLE)])
    assert with_extra.pairs == first.pairs


def test_a_scan_with_the_index_explains_its_pairs_with_the_kept_texts(seeds):
    det = Detector(keep_text=True)
    det.add("001", seeds["001"])
    result = det.scan([("000", seeds["000"]), ("002", seeds["002"])], with_index=True)
    [pair] = result.pairs
    assert (pair.a, pair.b, pair.verdict) == ("001", "000", Verdict.PARAPHRASE)
    assert (pair.source, pair.evidence) == ("001", Evidence.DATELINE)
    assert [p.as_dict() for p in pair.passages] == [p.as_dict() for p in align(seeds["001"], seeds["000"])]
    assert [(g.source, g.documents) for g in result.groups] == [("001", ("001", "000"))]


def test_without_its_text_only_timestamps_name_the_original_of_an_indexed_document(seeds):
    det = Detector()
    det.add("001", seeds["001"], timestamp=100.0)
    [pair] = det.scan([("000", seeds["000"], 200.0)], with_index=True).pairs
    assert (pair.source, pair.evidence, pair.passages) == ("001", Evidence.TIMESTAMP, ())
    [pair] = det.scan([("000", seeds["000"])], with_index=True).pairs
    assert (pair.source, pair.evidence) == (None, Evidence.NONE)  # the dateline of 001 is not known


def test_a_scan_strips_chrome_within_the_batch_but_meets_the_index_with_the_texts_as_given():
    page = ARTICLE + "\nShare.\nLeave a Comment\n"
    det = Detector()
    det.add("page", page)
    result = det.scan([("again", page)], with_index=True)
    assert [(p.a, p.b, p.verdict) for p in result.pairs] == [("page", "again", Verdict.EXACT)]
    assert [b.line for b in result.boilerplate] == ["Leave a Comment", "Share."]


def test_add_many_takes_timestamps_expires_and_names_originals(seeds):
    det = Detector(max_age=3600)
    docs = [("old", UNRELATED, 0.0), ("000", seeds["000"], 7200.0), ("001", seeds["001"], 5400.0)]
    [pair] = det.add_many(docs).pairs
    assert (pair.a, pair.b, pair.verdict, pair.source, pair.evidence) == (
        "000",
        "001",
        Verdict.PARAPHRASE,
        "001",
        Evidence.TIMESTAMP,
    )
    assert "old" not in det and len(det) == 2


def _stream(seeds):
    """Documents in arrival order: copies of earlier ones, unrelated ones, and expiring ones."""
    variants = _variants()
    return [
        ("wire", ARTICLE, 1000.0),
        ("other", UNRELATED, None),
        ("exact", variants["exact"], 1500.0),
        *[(doc_id, text, 1000.0 + 100 * k) for k, (doc_id, text) in enumerate(sorted(seeds.items()))],
        ("edited", variants["edited"], 9000.0),  # expires wire before it is compared
        ("truncated", variants["truncated"], 9100.0),
        ("empty", "", None),
    ]


@pytest.mark.parametrize("max_age", [None, 5000.0])
def test_add_many_finds_what_adding_one_by_one_finds(seeds, max_age):
    docs = _stream(seeds)
    one_by_one, batch = Detector(max_age=max_age), Detector(max_age=max_age)
    one_by_one.add("indexed", _variants()["wrapped"], 0.0)
    batch.add("indexed", _variants()["wrapped"], 0.0)
    expected = set()
    for doc_id, text, stamp in docs:
        for m in one_by_one.add(doc_id, text, stamp):
            expected.add((*sorted((m.doc_id, doc_id)), m.verdict, m.scores))
    found = {(*sorted((p.a, p.b)), p.verdict, p.scores) for p in batch.add_many(docs).pairs}
    assert found == expected and len(found) >= 5
    assert batch._store.documents().ids == one_by_one._store.documents().ids


def test_query_many_answers_as_query_does(seeds):
    det = Detector()
    det.add_many(sorted(seeds.items()))
    texts = [*seeds.values(), *_variants().values(), UNRELATED, ""]
    assert det.query_many(texts) == [det.query(text) for text in texts]
    with pytest.raises(TypeError, match="Iterable over raw text documents expected"):
        det.query_many(ARTICLE)
