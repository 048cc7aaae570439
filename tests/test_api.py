import inspect

import pytest

import dedup
from dedup import ConfigError, Detector, DetectorConfig, MinHasher


def test_all_lists_exactly_the_public_names():
    public = {name for name in dir(dedup) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(dedup, name))}
    assert set(dedup.__all__) == public - modules


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"num_perm": 0}, "num_perm must be between 1 and 4096, got 0"),
        ({"bands": 200, "rows": 2}, r"bands \* rows must not exceed num_perm"),
        ({"paraphrase_score": 1.5}, "paraphrase_score must be a number between 0 and 1, got 1.5"),
        ({"scheme": "md5"}, "scheme must be one of 'affine32', got 'md5'"),
        ({"ngram": "3"}, "ngram must be an int, got '3'"),
    ],
)
def test_invalid_settings_are_rejected_naming_the_value(settings, message):
    with pytest.raises(ConfigError, match=message):
        Detector(**settings)


def test_config_errors_are_value_errors():
    with pytest.raises(ValueError):
        DetectorConfig(rows=0)


def test_unknown_setting_is_rejected():
    with pytest.raises(ConfigError, match="unknown setting"):
        Detector(paraphrase=0.5)


def test_minhasher_validates_its_arguments():
    with pytest.raises(ConfigError, match="seed must be between"):
        MinHasher(seed=-1)


def test_a_string_where_documents_are_expected_is_a_type_error():
    with pytest.raises(TypeError, match="Iterable over raw text documents expected, string object received"):
        Detector().scan("a single string")
    with pytest.raises(TypeError, match="Iterable over raw text documents expected"):
        MinHasher().signatures("a single string")


def test_scan_items_must_be_id_text_tuples():
    with pytest.raises(TypeError, match=r"\(doc_id, text\) or \(doc_id, text, timestamp\) tuples"):
        Detector().scan(["a", "b"])


def test_non_string_text_is_a_type_error():
    with pytest.raises(TypeError, match="text must be a str, got bytes"):
        Detector().add("x", b"bytes")
    with pytest.raises(TypeError, match="text of 'x' is a bytes, expected str"):
        Detector().scan([("x", b"bytes")])
