"""Other languages: the evaluation per language, detecting the language of a text, its stop words and
rarity, and tokenising scripts written without spaces."""

import json
import re

import pytest

from dedup import ConfigError, Detector, DetectorConfig, IndexLoadError, MinHasher, Verdict
from dedup._align import Sentences
from dedup._chrome import tokenize_pages
from dedup._cli import main
from dedup._config import LANGUAGES
from dedup._eval import Case, evaluate
from dedup._language import codes, detect, is_stopword
from dedup._rarity import idf
from dedup._report import render_evaluation
from dedup._tokenize import CHROME, hash_words, tokenize

COPY = "Der Stadtrat schloss die Bibliothek nach dem Hochwasser für dringende Reparaturen am Dach."
OTHER = "Die Mannschaft gewann das Finale in der Verlängerung mit zwei Toren vor vollem Stadion."


def test_the_evaluation_counts_flagged_pairs_per_language_and_in_all():
    cases = [
        Case("1", {"a": COPY}, COPY, {"a": ("none", "different")}, "de"),
        Case("2", {"a": COPY}, OTHER, {"a": ("none", "different")}, "de"),
        Case("3", {"a": COPY}, COPY, {"a": ("unscored", "same story")}, "pl"),
    ]
    rows = evaluate(cases).by_language()
    assert list(rows) == ["de", "pl", "all"]
    assert (rows["de"]["pairs"], rows["de"]["none"], rows["de"]["none_flagged"]) == (2, 2, 1)
    assert (rows["pl"]["unscored"], rows["pl"]["unscored_flagged"]) == (1, 1)
    assert (rows["all"]["pairs"], rows["all"]["none_flagged"], rows["all"]["unscored_flagged"]) == (3, 1, 1)


def test_the_text_report_has_a_row_per_language_only_when_the_corpus_names_languages():
    case = Case("1", {"a": COPY}, OTHER, {"a": ("none", "different")})
    assert "per language" not in render_evaluation(evaluate([case]), "text")
    table = render_evaluation(evaluate([Case("1", {"a": COPY}, OTHER, {}, "de")]), "text")
    assert "\n  de " in table and "\n  all " in table


# -- scripts without spaces ---------------------------------------------------------------

CLAUSES = ["英国的街道上堆满了圣诞垃圾", "新年前夜后瓶装水满溢", "议会指责工作人员生病", "圣诞节后垃圾堆积如山"]


def test_han_runs_are_tokenised_as_character_bigrams_and_a_lone_character_alone():
    assert hash_words(["英国"]).tolist() == tokenize(["英国"]).hashes.tolist()
    assert tokenize(["英国的街道"]).hashes.tolist() == hash_words(["英国", "国的", "的街", "街道"]).tolist()
    assert tokenize(["iPhone手机 2020年"]).hashes.tolist() == hash_words(["iphone", "手机", "2020", "年"]).tolist()


def test_a_chinese_rewrite_that_reorders_clauses_keeps_a_containment():
    text = "，".join(CLAUSES) + "。"
    reordered = "，".join(CLAUSES[2:] + CLAUSES[:2]) + "。"
    _, scores = Detector().compare(text, reordered)
    assert scores.containment > 0.5


THAI_CLAUSES = [
    "กรุงเทพมหานครประกาศปิดห้องสมุดริมแม่น้ำ",
    "เพื่อซ่อมแซมความเสียหายจากน้ำท่วมครั้งใหญ่",
    "เจ้าหน้าที่คาดว่างานจะใช้เวลาสิบแปดเดือน",
    "ประชาชนสามารถยืมหนังสือที่สาขาอื่นได้",
]


def test_thai_like_other_scripts_without_spaces_is_tokenised_as_character_bigrams():
    assert tokenize(["สวัสดี"]).hashes.tolist() == hash_words(["สว", "วั", "ัส", "สด", "ดี"]).tolist()
    text = " ".join(THAI_CLAUSES)
    verdict, scores = Detector().compare(text, " ".join(THAI_CLAUSES[2:] + THAI_CLAUSES[:2]))
    assert verdict is not None and scores.containment > 0.5
    other = "นักฟุตบอลทีมชาติไทยชนะการแข่งขันนัดสำคัญเมื่อคืนวันเสาร์ต่อหน้าแฟนบอลจำนวนมากในสนามกีฬาแห่งชาติ"
    assert Detector().compare(text, other)[0] is None


# -- the language of each text ------------------------------------------------------------

TEXTS = {
    "en": "The council closed the library on Monday because the roof leaks, and it will not open before spring.",
    "de": "Der Stadtrat hat die Bibliothek am Montag geschlossen, weil das Dach undicht ist, bis zum Frühjahr.",
    "es": "El ayuntamiento cerró la biblioteca el lunes porque el techo tiene goteras y no abrirá hasta la primavera.",
    "fr": "La mairie a fermé la bibliothèque lundi parce que le toit fuit, et elle ne rouvrira pas avant le printemps.",
    "it": "Il comune ha chiuso la biblioteca lunedì perché il tetto perde e non riaprirà prima della primavera.",
    "pl": "Rada miasta zamknęła bibliotekę w poniedziałek, bo przecieka dach, i nie zostanie otwarta przed wiosną.",
    "ru": "Городской совет закрыл библиотеку в понедельник, потому что протекает крыша, и она не откроется до весны.",
    "tr": "Belediye, çatı akıttığı için kütüphaneyi pazartesi günü kapattı ve bu bahardan önce açılmayacak.",
    "ar": "أغلق مجلس المدينة المكتبة يوم الاثنين لأن السقف يسرب المياه، ولن تفتح قبل فصل الربيع في هذا العام.",
    "zh": "市议会周一关闭了图书馆，因为屋顶漏水，我们在春天之前不会重新开放，这是一个没有办法的决定。",
    "ja": "市議会は月曜日、屋根の雨漏りのため図書館を閉鎖したと発表した。春までに再開する予定はないという。",
    "ko": (
        "시의회는 월요일 지붕에서 비가 새서 도서관을 닫았다고 밝혔으며, "
        "봄이 오기 전에는 다시 문을 열지 않을 것이라고 말했다."
    ),
}


def test_the_language_of_each_text_of_a_mixed_batch_is_detected():
    tokens = tokenize(list(TEXTS.values()))
    assert [LANGUAGES[c] for c in detect(tokens.hashes, tokens.bounds)] == list(TEXTS)


def test_a_text_too_short_to_tell_and_an_empty_one_are_english():
    tokens = tokenize(["Die", "", "Bundesliga Dortmund Bayern"])
    assert detect(tokens.hashes, tokens.bounds).tolist() == [0, 0, 0]


def test_the_language_is_kept_in_the_flags_of_every_token_of_its_text():
    tokens = tokenize_pages([TEXTS["de"], TEXTS["en"]])
    assert set(codes(tokens)[: tokens.bounds[1]].tolist()) == {LANGUAGES.index("de")}
    assert set(codes(tokens)[tokens.bounds[1] :].tolist()) == {0}
    assert set(codes(tokenize_pages([TEXTS["en"]], "de")).tolist()) == {LANGUAGES.index("de")}


def test_stop_words_and_rarity_follow_the_language_of_the_text():
    german = tokenize_pages(["die Stadt und der Fluss"])
    assert is_stopword(german.hashes, german.flags).tolist() == [True, True, True, True, False]
    english = tokenize_pages(["die Stadt und der Fluss"], "en")
    assert is_stopword(english.hashes, english.flags).tolist() == [True, False, False, False, False]
    assert idf(german.hashes, german.flags)[0] < idf(english.hashes, english.flags)[0]


def test_japanese_and_korean_particles_are_stop_words_and_common_in_their_own_language_only():
    japanese = tokenize_pages(["閉鎖している"])  # 閉鎖, 鎖し, して, てい, いる
    assert is_stopword(japanese.hashes, japanese.flags).tolist() == [False, False, True, True, True]
    as_english = tokenize_pages(["閉鎖している"], "en")
    assert not is_stopword(as_english.hashes, as_english.flags).any()
    assert idf(japanese.hashes, japanese.flags)[2] < idf(as_english.hashes, as_english.flags)[2]
    korean = tokenize_pages(["도서관에서 파업했습니다"])  # 도서, 서관, 관에, 에서, 파업, 업했, 했습, 습니, 니다
    assert is_stopword(korean.hashes, korean.flags)[[3, 7, 8]].all()
    assert not is_stopword(korean.hashes, korean.flags)[[0, 4]].any()
    as_english = tokenize_pages(["도서관에서 파업했습니다"], "en")
    assert (idf(korean.hashes, korean.flags)[[3, 8]] < idf(as_english.hashes, as_english.flags)[[3, 8]]).all()


def test_german_function_words_alone_do_not_make_two_articles_alike():
    a = "Die Regierung hat am Montag in Berlin beschlossen, dass die Steuer für Diesel nicht mehr steigen wird."
    b = "Der Verein hat am Samstag in München gesagt, dass er für die neue Saison noch mehr Spieler haben wird."
    _, scores = Detector().compare(a, b)
    _, as_english = Detector(DetectorConfig(language="en")).compare(a, b)
    assert scores.rewrite < as_english.rewrite


def test_german_sentences_sharing_only_function_words_are_no_reused_passage():
    a = (
        "Die Regierung hat am Montag in Berlin beschlossen, dass die Steuer für Diesel nicht mehr steigen wird. "
        "Das sagte der Minister."
    )
    b = (
        "Der Verein hat am Samstag in München gesagt, dass er für die neue Saison noch mehr Spieler haben wird. "
        "Das sagte der Trainer."
    )
    assert Sentences([a, b]).align(0, 1, 0.3) == ()
    assert Sentences([a, b], language="de").align(0, 1, 0.3) == ()
    assert Sentences([a, b], language="en").align(0, 1, 0.3) != ()


def test_minhasher_drops_the_stop_words_of_each_texts_language():
    german = "Die Regierung hat am Montag in Berlin beschlossen, dass die Steuer für Diesel nicht mehr steigen wird."
    english = "The government decided on Monday in Berlin that the tax on diesel will not rise any more."
    assert len(MinHasher().shingle_hashes(german)) == len(MinHasher(language="de").shingle_hashes(german)) == 5
    assert len(MinHasher(language="en").shingle_hashes(german)) == 13
    both = MinHasher().signatures([german, english])
    assert (both[0] == MinHasher(language="de").signature(german)).all()
    assert (both[1] == MinHasher(language="en").signature(english)).all()


def test_an_unknown_language_for_minhasher_is_refused_naming_it():
    with pytest.raises(ConfigError, match=r"language must be 'auto' or one of .*got 'deutsch'"):
        MinHasher(language="deutsch")


def test_an_unknown_language_setting_is_refused_naming_it():
    with pytest.raises(ConfigError, match=r"language must be 'auto' or one of .*got 'german'"):
        DetectorConfig(language="german")


# -- Japanese and Korean: planted variants of a news text, and unrelated texts -------------

JA_RAIL = (
    "北海道の地方鉄道会社は15日、来年春から新しい観光列車の運行を始めると発表した。"
    "列車は札幌と旭川の間を1日2往復し、車内では地元の食材を使った弁当が販売される。"
    "会社によると、沿線の人口減少で利用者は10年前の半分近くまで落ち込んでおり、観光客の取り込みが経営再建の柱になるという。"
    "車両は古い特急を改造したもので、大きな窓と木製の座席が特徴だ。"
    "運賃は通常の特急料金に1000円を加えた額になる見込みで、予約は来月1日から受け付ける。"
    "地元の商工会議所は、駅周辺の商店街にも人の流れが戻ることを期待していると話した。"
    "一方、専門家からは、冬の大雪で運休が続けば計画が揺らぐとの指摘も出ている。"
    "会社の社長は記者会見で、地域と一緒に新しい鉄道の形を作りたいと語った。"
)
JA_SLEEP = (
    "東京の大学の研究チームは、小学生の睡眠時間と学力の関係を調べた結果を学会誌に発表した。"
    "調査は全国の約3000人の児童を対象に2年間行われ、毎晩9時間以上眠る子どもは算数の成績が高い傾向にあった。"
    "研究者は、寝る前にスマートフォンを使う時間が長いほど睡眠が短くなると指摘している。"
    "保護者への聞き取りでは、夕食の時間が遅い家庭ほど子どもの就寝も遅くなることが分かった。"
    "チームは今後、学校と協力して生活習慣を改善する取り組みの効果を確かめる予定だ。"
    "文部科学省の担当者は、結果を参考に家庭向けの資料を作りたいとしている。"
)
KO_STRIKE = (
    "부산항 부두 노동자들이 임금 인상을 요구하며 3일부터 파업에 들어갔다. "
    "노조는 지난 5년 동안 물가가 크게 올랐지만 임금은 거의 그대로였다고 주장했다. "
    "파업으로 하루 평균 2만 개가 넘는 컨테이너의 처리가 늦어지고 있으며, "
    "수출 기업들은 선적 일정을 다시 짜느라 어려움을 겪고 있다. "
    "항만공사는 대체 인력을 투입해 피해를 줄이겠다고 밝혔지만, 노조는 이를 파업 방해라고 비판했다. "
    "정부는 양측이 대화로 문제를 풀어야 한다며 중재에 나설 뜻을 내비쳤다. "
    "전문가들은 파업이 일주일 이상 이어지면 자동차와 전자 제품 수출에 큰 타격이 있을 것이라고 내다봤다. "
    "노조 위원장은 기자회견에서 회사가 성실한 안을 내놓을 때까지 물러서지 않겠다고 말했다."
)
KO_FROG = (
    "국립생물자원관 연구진이 지리산 계곡에서 새로운 종의 개구리를 발견했다고 12일 발표했다. "
    "이 개구리는 몸길이가 4센티미터 정도로 작고, 등에 노란 점무늬가 있는 것이 특징이다. "
    "연구진은 유전자 분석을 통해 기존에 알려진 종과 뚜렷하게 다르다는 사실을 확인했다. "
    "발견된 지역은 사람의 발길이 드문 곳으로, 맑은 물과 낙엽이 많아 양서류가 살기에 알맞은 환경이다. "
    "연구진은 기후 변화로 서식지가 줄어들 수 있다며 보호 대책이 필요하다고 강조했다. "
    "이번 연구 결과는 국제 학술지에 실렸으며, 연구진은 앞으로 다른 산에서도 조사를 이어갈 계획이다."
)


def _sentences(text, end):
    return [s for s in re.split(f"(?<={re.escape(end)})", text) if s.strip()]


def _reordered(text, end, comma):
    """The sentences in reverse order, each with its first clause moved to its end."""
    sentences = [s.strip().removesuffix(end.strip()).split(comma) for s in reversed(_sentences(text, end))]
    return " ".join(comma.join(c[1:] + c[:1]) + end.strip() for c in sentences)


def _variants(text, end, comma):
    sentences = _sentences(text, end)
    edited = "".join(sentences[:3] + sentences[4:])  # a sentence dropped and a number changed
    return {
        "copy": text,
        "truncated": "".join(sentences[:3]),
        "light edit": re.sub(r"\d+", lambda m: str(int(m.group()) + 1), edited, count=1),
        "reordered rewrite": _reordered(text, end, comma),
    }


JAPANESE_AND_KOREAN = {"ja": (JA_RAIL, JA_SLEEP, "。", "、"), "ko": (KO_STRIKE, KO_FROG, ". ", ", ")}


@pytest.mark.parametrize("language", JAPANESE_AND_KOREAN)
def test_japanese_and_korean_texts_are_detected_as_such_and_chinese_stays_chinese(language):
    article, other, _, _ = JAPANESE_AND_KOREAN[language]
    tokens = tokenize([article, other, TEXTS["zh"], "，".join(CLAUSES) + "。"])
    assert [LANGUAGES[c] for c in detect(tokens.hashes, tokens.bounds)] == [language, language, "zh", "zh"]


@pytest.mark.parametrize("language", JAPANESE_AND_KOREAN)
def test_planted_variants_of_a_japanese_and_a_korean_article_are_found_and_only_it(language):
    article, other, end, comma = JAPANESE_AND_KOREAN[language]
    det = Detector()
    det.add("article", article)
    det.add("other", other)
    for kind, variant in _variants(article, end, comma).items():
        assert variant != article or kind == "copy"
        assert [m.doc_id for m in det.query(variant)] == ["article"], kind


@pytest.mark.parametrize("language", JAPANESE_AND_KOREAN)
def test_unrelated_japanese_or_korean_articles_are_not_paired(language):
    article, other, _, _ = JAPANESE_AND_KOREAN[language]
    assert Detector().compare(article, other)[0] is None
    assert Detector().scan([("a", article), ("b", other)]).pairs == ()


@pytest.mark.parametrize("language", JAPANESE_AND_KOREAN)
def test_japanese_and_korean_function_words_weigh_less_than_as_english(language):
    article, other, _, _ = JAPANESE_AND_KOREAN[language]
    _, scores = Detector().compare(article, other)
    _, as_english = Detector(DetectorConfig(language="en")).compare(article, other)
    _, as_own = Detector(DetectorConfig(language=language)).compare(article, other)
    assert scores == as_own
    assert scores.rewrite < as_english.rewrite


def test_the_command_line_takes_japanese_and_korean(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"a": a, "b": a[: len(a) // 2], "label": "near_duplicate"} for a in (JA_RAIL, KO_STRIKE)]
    rows += [{"a": a, "b": b, "label": "none"} for a, b in ((JA_RAIL, JA_SLEEP), (KO_STRIKE, KO_FROG))]
    pairs.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    for language in ("ja", "ko"):
        assert main(["eval", "pairs", str(pairs), "--format", "json", "--language", language]) == 0
        derived = json.loads(capsys.readouterr().out)["derived"]
        assert (derived["tp"], derived["fp"]) == (2, 0), language


# -- page chrome in other languages -------------------------------------------------------


#: Pages without an article: an advertising and a cookie notice, a consent wall, a bot check,
#: an ad-blocker wall and prompts, in five languages.
CHROME_PAGES = [
    "Aby poprawić swoją witrynę, wyświetlamy reklamy.\nSzczegóły w polityce prywatności i plikach cookie.",
    "Wir verwenden Cookies und zeigen mit Ihrer Zustimmung Werbung.\nDatenschutzerklärung | Impressum",
    "Jeśli chcesz połączyć się z nami z adresu IP 207.241.233.112, zaznacz „Nie jestem robotem”.",
    "我们注意到您正在屏蔽广告！关闭广告拦截器，继续支持新闻业。或者购买订阅以无限访问。",
    "Abonnez-vous à notre newsletter. Tous droits réservés.",
]


@pytest.mark.parametrize("page", CHROME_PAGES)
def test_consent_walls_bot_checks_and_prompts_in_other_languages_are_chrome(page):
    tokens = tokenize_pages([page])
    assert ((tokens.flags & CHROME) > 0).all()


@pytest.mark.parametrize("page", CHROME_PAGES)
def test_a_page_that_is_only_chrome_is_not_an_article_even_when_copied(page):
    det = Detector()
    det.add("first", page)
    assert det.query(page) == []
    verdict, _ = det.compare(page, page.upper())
    assert verdict is None


def test_an_article_behind_a_consent_wall_is_still_an_exact_copy():
    page = "Wir verwenden Cookies und zeigen mit Ihrer Zustimmung Werbung.\n" + TEXTS["de"]
    verdict, _ = Detector().compare(page, page.upper())
    assert verdict is Verdict.EXACT


# -- a stored index keeps its language setting --------------------------------------------


def test_a_saved_index_refuses_another_language_and_keeps_each_texts_language(tmp_path):
    det = Detector()
    det.add("de", TEXTS["de"])
    det.add("en", TEXTS["en"])
    det.save(tmp_path / "index")
    with pytest.raises(IndexLoadError, match="language is 'auto' in the index, 'de' requested"):
        Detector.load(tmp_path / "index", language="de")
    loaded = Detector.load(tmp_path / "index")
    assert [m.doc_id for m in loaded.query(TEXTS["de"])] == ["de"]


def test_the_command_line_takes_the_language_and_refuses_an_unknown_one(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    a = "die Stadt und der Fluss, die Brücke und der Turm, die Straße und der Platz am Abend"
    b = "die Stadt und der Fluss, das Dorf und die Kirche, der Wald und der See am Morgen"
    pairs.write_text(json.dumps({"a": a, "b": b, "label": "none"}) + "\n", encoding="utf-8")
    flagged = {}
    for language in ("de", "en"):  # German function words taken for English content words
        assert main(["eval", "pairs", str(pairs), "--format", "json", "--language", language]) == 0
        flagged[language] = json.loads(capsys.readouterr().out)["derived"]["fp"]
    assert flagged == {"de": 0, "en": 1}
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "pairs", str(pairs), "--language", "german"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'german'" in capsys.readouterr().err


def test_a_scan_of_texts_in_every_language_pairs_each_with_its_copy_as_compare_does():
    docs = []
    for language, text in TEXTS.items():
        docs += [(f"{language}-a", text), (f"{language}-b", text.upper() + " " + text[:25])]
    result = Detector().scan(docs)
    assert sorted((p.a[:2], p.b[:2]) for p in result.pairs) == sorted((lang, lang) for lang in TEXTS)
    texts = dict(docs)
    for pair in result.pairs:
        assert Detector().compare(texts[pair.a], texts[pair.b]) == (pair.verdict, pair.scores)


def test_turkish_dotted_and_dotless_i_fold_to_one_letter_in_both_cases():
    assert tokenize(["KIŞ İSTANBUL'DA ILIK"]).hashes.tolist() == tokenize(["kış istanbul'da ılık"]).hashes.tolist()
