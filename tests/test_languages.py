"""Other languages: the evaluation per language, detecting the language of a text, its stop words and
rarity, and tokenising scripts written without spaces."""

import json

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


def test_a_scan_of_texts_in_ten_languages_pairs_each_with_its_copy_as_compare_does():
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
