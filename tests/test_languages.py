"""Other languages: the evaluation per language."""

from dedup._eval import Case, evaluate
from dedup._report import render_evaluation

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
