"""Page chrome is stripped before comparing: it neither makes false matches nor hides real ones."""

import numpy as np
import pytest

from dedup import Boilerplate, Detector, DetectorConfig
from dedup._fingerprint import doc_bits
from dedup._scan import find_local

from .test_detector import ARTICLE, UNRELATED

COOKIES = """\
We use cookies and similar technologies to personalise content and advertising, to provide social media \
features and to analyse our traffic, and we share information about your use of our site with our partners.
Copyright Harbour Media Group. All content on this site is protected and may not be reproduced without permission."""

# Four pages of one site about four different things.
STORIES = [
    "The city museum reopened its east wing on Saturday after a two-year renovation funded by local donors. "
    "Curators have rehung the maritime collection in chronological order, and a new gallery shows paintings of "
    "the old harbour that had been in storage since the nineteen-seventies. Entry stays free for residents, and "
    "school groups can book guided tours on weekday mornings.",
    "A lorry carrying building sand overturned on the ring road early on Monday, closing two lanes until the "
    "afternoon. Nobody was hurt, police said, but commuters faced delays of up to an hour. Engineers will inspect "
    "the crash barrier, which was damaged over a length of about forty metres, and the council has asked the "
    "haulage firm to pay for the repairs.",
    "The under-sixteens of Harbour Athletic won the regional cup final on penalties after a goalless draw against "
    "Northfield. Their goalkeeper saved two spot kicks in front of a crowd of more than a thousand, the largest for "
    "a youth match in the county this season. The team now plays in the national rounds, with the first match away "
    "at a club from the capital in March.",
    "Volunteers planted four hundred oak saplings along the river bank at the weekend, part of a scheme to reduce "
    "flooding in the lower town. The trees were donated by a nursery in the valley. Organisers said more planting "
    "days would follow in the spring if enough people sign up to help, and the council will provide tools, gloves "
    "and a hot lunch for every volunteer.",
]


def _pages() -> list[tuple[str, str]]:
    return [(f"page-{k}", f"{story}\n{COOKIES}\nShare.") for k, story in enumerate(STORIES)]


def test_chrome_shared_by_unrelated_pages_makes_no_match_and_is_reported():
    pages = _pages()
    result = Detector().scan(pages)
    assert result.pairs == ()
    assert {b.line for b in result.boilerplate} == {*COOKIES.splitlines(), "Share."}
    assert all(b.documents == 4 for b in result.boilerplate)


def test_chrome_does_not_hide_a_copy_on_another_site():
    copy = "SUBSCRIBE NOW\n" + ARTICLE + "\n" + COOKIES
    result = Detector().scan([*_pages(), ("source", ARTICLE), ("copy", copy)])
    assert [(p.a, p.b) for p in result.pairs] == [("source", "copy")]
    assert result.pairs[0].scores.containment == 1.0


def test_paragraphs_that_recur_in_copies_are_kept():
    copies = [(f"copy-{k}", f"Site {k} news\n{ARTICLE}") for k in range(4)]
    result = Detector().scan([*copies, ("other", UNRELATED)])
    assert len(result.pairs) == 6
    assert result.boilerplate == ()


def test_a_small_folder_still_loses_common_chrome_lines(seeds):
    stripped = {b.line for b in Detector().scan(sorted(seeds.items())).boilerplate}
    assert {"Share.", "Exit mobile version", "Leave a Comment"} <= stripped


def test_stripping_keeps_offsets_into_the_given_texts():
    text = "Share.\n" + ARTICLE
    [pair] = Detector().scan([("a", ARTICLE), ("b", text)]).pairs
    assert all(text[p.b_start : p.b_end] == ARTICLE[p.a_start : p.a_end] for p in pair.passages)


def test_stripping_can_be_turned_off():
    assert Detector(strip_boilerplate=False).scan([("a", "Share.\nTroops left.")]).boilerplate == ()
    assert Detector().scan([("a", "Share.\nTroops left.")]).boilerplate == (Boilerplate("Share.", 1),)


def test_a_line_copied_into_several_derived_documents_is_kept():
    first, *rest = ARTICLE.split("\n\n")
    copies = [(f"copy-{k}", "\n\n".join([first, *(f"{p.strip()} (Update {k}.)" for p in rest)])) for k in range(3)]
    result = Detector().scan([("source", ARTICLE), *copies])
    assert result.boilerplate == ()
    assert len(result.pairs) == 6
    first_passage = result.pairs[0].passages[0]
    assert ARTICLE[first_passage.a_start : first_passage.a_end].startswith(first.strip())
    first_sentences = first_passage.sentences[0]
    assert ARTICLE[first_sentences.a_start : first_sentences.a_end] == first.strip()


@pytest.mark.parametrize("partial_reuse", [False, True])
def test_judging_again_only_the_changed_documents_gives_what_a_full_pass_gives(partial_reuse):
    config = DetectorConfig(partial_reuse=partial_reuse)
    pages = [text for _, text in _pages()] + [ARTICLE, ARTICLE.replace("Tuesday", "Monday"), UNRELATED]
    blanked = [text.replace("Share.", "      ").replace("Monday", "      ") for text in pages]
    changed = np.array([a != b for a, b in zip(pages, blanked, strict=True)])
    assert 0 < changed.sum() < len(pages)
    sketches, found = find_local(blanked, config)
    expected_sketches, expected = find_local(pages, config)
    got_sketches, got = find_local(pages, config, (changed, sketches, found))
    assert got == expected
    np.testing.assert_array_equal(got_sketches.signatures, expected_sketches.signatures)
    np.testing.assert_array_equal(got_sketches.sizes, expected_sketches.sizes)
    if partial_reuse:  # the changed texts' window rows, and the others' of the keys they hold
        got_rows, expected_rows = (
            np.sort(np.concatenate(list(s.windows.parts()))) for s in (got_sketches, expected_sketches)
        )
        bits = doc_bits(len(pages))
        low = np.uint64((1 << bits) - 1)
        held = np.isin(expected_rows & ~low, expected_rows[changed[(expected_rows & low).astype(np.int64)]] & ~low)
        assert set(expected_rows[held].tolist()) <= set(got_rows.tolist()) <= set(expected_rows.tolist())


def test_an_empty_batch_or_one_without_words_scans_to_nothing():
    for docs in ([], [("a", "")], [("a", "\n\n"), ("b", "...")]):
        result = Detector().scan(docs)
        assert (result.pairs, result.groups, result.boilerplate) == ((), (), ())
