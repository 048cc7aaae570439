"""Other languages: the evaluation per language, and tokenising scripts written without spaces."""

from dedup import Detector
from dedup._eval import Case, evaluate
from dedup._report import render_evaluation
from dedup._tokenize import hash_words, tokenize

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
