"""Page chrome is found in each text on its own, block by block, and prose is left alone."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup._chrome import tokenize_pages
from dedup._tokenize import CHROME, tokenize

PROSE = (
    "The city council voted on Tuesday to close the Riverside library for eighteen months while engineers "
    "repair the flood damage, the mayor's office said."
)


def chrome_words(text: str) -> list[bool]:
    tokens = tokenize_pages([text])
    return ((tokens.flags & CHROME) > 0).tolist()


def is_chrome(line: str) -> bool:
    """Whether every token of ``line``, set between two paragraphs of prose, is chrome."""
    flags = chrome_words(f"{PROSE}\n{line}\n{PROSE}")
    n = len(tokenize([PROSE]).hashes)
    assert not any(flags[:n]) and not any(flags[-n:]), "the prose around the line was taken for chrome"
    return all(flags[n:-n])


@pytest.mark.parametrize(
    "line",
    [
        "Share this article: Facebook Twitter Email",
        "Follow us on Twitter and Instagram.",
        "Advertisement",
        "Sign up for our newsletter to get the top stories delivered to your inbox.",
        "We use cookies to improve your experience. Please enable JavaScript in your browser.",
        "Contact the newsroom at news@example.com or call 555 0100.",
        "Read the full story at https://www.example.com/news/2024/story.html",
        "All rights reserved.",
        "Log In Sign Up",
        "Home News Sport Business Politics World Culture Travel Weather Opinion Video Podcasts Newsletters",
    ],
)
def test_page_furniture_is_chrome(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "The minister wrote on Twitter that the talks would resume in the spring.",
        "Police said the suspect had sent an email to the school before the attack.",
        "Residents Of The Old Town Say The New Bridge Has Changed Their Lives For The Better",
        "The company's shares rose 4 percent after it reported record sales in Europe and Asia.",
    ],
)
def test_prose_with_one_mention_or_a_title_case_headline_is_not_chrome(line):
    assert not any(chrome_words(line))
    assert not is_chrome(line)


@pytest.mark.parametrize(
    ("prose", "line"),
    [
        (
            "서울 시의회는 화요일 홍수 피해 복구를 위해 도서관을 18개월 동안 폐쇄하기로 했다고 밝혔다.",
            "<저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지>",
        ),
        (
            "市議会は火曜日、洪水被害の修復のため図書館を18か月間閉鎖することを決めたと市長室が発表した。",
            "無断転載・複製を禁じます。",
        ),
    ],
)
def test_a_korean_or_japanese_reprint_notice_is_chrome_and_the_article_is_not(prose, line):
    flags = chrome_words(f"{prose}\n{line}\n{prose}")
    n, m = len(tokenize([prose]).hashes), len(tokenize([line]).hashes)
    assert not any(flags[:n]) and all(flags[n : n + m]) and not any(flags[n + m :])
    # One mention is prose: a dispute over a work's copyright, a site registered as heritage.
    assert not any(chrome_words("그는 이 작품의 저작권을 둘러싼 분쟁이 계속되고 있다고 말했다."))
    assert not any(chrome_words("この寺は1994年に世界遺産に登録された。"))


def test_a_paywall_form_is_chrome_from_end_to_end():
    form = (
        "TAKE A FREE TRIAL Registered users can read up to 3 reports. Enter your details below for immediate "
        "access. If you would like a full trial, please fill in the request form instead. Note our system only "
        "accepts work email addresses (e.g. no Gmail). The password for your account must be at least 8 "
        "characters long. Email address First Name Last Name Organisation Job Title Telephone City Country "
        "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia"
    )
    assert all(chrome_words(form))


def test_one_mention_between_chrome_blocks_is_chrome_and_between_prose_is_not():
    weak = "Enter your details below."
    sandwich = f"Sign up for our newsletter.\n{weak}\nFollow us on Facebook and Twitter."
    flags = chrome_words(sandwich)
    assert all(flags)
    assert not any(chrome_words(f"{PROSE}\n{weak}\n{PROSE}"))


def test_a_mention_after_the_footer_is_chrome_but_a_mention_after_the_headline_is_not():
    footer = f"{PROSE}\nShare this: Facebook Twitter Email\nRead more about cookies here."
    flags = chrome_words(footer)
    n = len(tokenize([PROSE]).hashes)
    assert not any(flags[:n]) and all(flags[n:])
    assert not any(chrome_words(f"Library to close\nSubscribers read it first.\n{PROSE}"))


def test_a_mention_just_before_a_footer_that_ends_the_text_is_chrome_but_not_before_prose():
    weak = "For more of her photographs, visit her page on Facebook."
    flags = chrome_words(f"{PROSE}\n{weak}\nWrite to her at ann@example.com")
    n = len(tokenize([PROSE]).hashes)
    assert not any(flags[:n]) and all(flags[n:])
    flags = chrome_words(f"{PROSE}\n{weak}\nWrite to her at ann@example.com\n{PROSE}")
    assert not any(flags[n : n + len(tokenize([weak]).hashes)])


def test_a_story_number_just_before_the_footer_stays_article_text():
    flags = chrome_words(f"{PROSE} MENAFN0101202000630000ID109949458\nShare this article: Facebook Twitter Email")
    n = len(tokenize([PROSE]).hashes)
    assert not any(flags[: n + 1]) and all(flags[n + 1 :])


def test_a_long_paragraph_is_prose_whatever_it_mentions():
    paragraph = " ".join([PROSE] * 3).replace(".", ",") + " Write to news@example.com."
    assert not any(chrome_words(paragraph))


def test_text_without_capitals_is_never_taken_for_a_list():
    hindi = "नई दिल्ली भारतीय अंतरिक्ष अनुसंधान संगठन प्रमुख ने बुधवार को बताया कि सरकार ने मिशन को मंजूरी दे दी है"
    assert not any(chrome_words(hindi))


def test_addresses_keep_their_block_whole():
    flags = chrome_words(f"{PROSE} Contact Clare: clare@reports.example.com US: (339)-368-6001 SOURCE Reports")
    n = len(tokenize([PROSE]).hashes)
    assert not any(flags[:n]) and all(flags[n:])


def test_chrome_changes_no_token_and_plain_tokenising_flags_none():
    text = f"{PROSE}\nShare this: Facebook Twitter Email"
    with_chrome, without = tokenize_pages([text]), tokenize([text])
    np.testing.assert_array_equal(with_chrome.hashes, without.hashes)
    assert not (without.flags & CHROME).any()
    np.testing.assert_array_equal(with_chrome.flags & ~CHROME, without.flags)


LINES = st.sampled_from(
    [PROSE, "Advertisement", "Follow us on Twitter and Facebook.", "Enter your details below.", "", "Photo: AP"]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(LINES, max_size=5).map("\n".join), min_size=1, max_size=4))
def test_chrome_of_a_text_does_not_depend_on_its_batch(texts):
    batch = tokenize_pages(texts)
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(batch.flags[batch.bounds[i] : batch.bounds[i + 1]], tokenize_pages([text]).flags)
