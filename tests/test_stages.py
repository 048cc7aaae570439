"""Each stage on its own: fingerprint, candidates, judge, explain."""

import itertools
from collections import Counter

import numpy as np
import pytest

from dedup import DetectorConfig, Evidence, Verdict, _parts
from dedup._candidates import (
    MAX_KEY_DOCS,
    MIN_SHARED_KEYS,
    batch_candidates,
    enough_keys,
    gate_for,
    keys_of,
    passage_candidates,
    shared_keys,
)
from dedup._explain import explain
from dedup._fingerprint import (
    WINDOW,
    WINDOW_BANDS,
    WINDOW_ROWS,
    Fingerprints,
    doc_bits,
    fingerprint,
    sketch,
    window_hasher,
    window_keys,
    window_rows,
)
from dedup._ingest import to_store
from dedup._judge import judge
from dedup._lsh import band_keys
from dedup._memory import MemoryStore
from dedup._parts import Parts
from dedup._tokenize import tokenize

from .test_detector import ARTICLE, UNRELATED, _variants

CONFIG = DetectorConfig()
TEXTS = [ARTICLE, UNRELATED, _variants()["edited"], ""]


def test_fingerprints_of_a_text_do_not_depend_on_its_batch():
    batch = fingerprint(TEXTS, CONFIG)
    for k, text in enumerate(TEXTS):
        alone = fingerprint([text], CONFIG)
        np.testing.assert_array_equal(batch.signatures[k], alone.signatures[0])
        np.testing.assert_array_equal(batch.tokens.doc(k), alone.tokens.doc(0))
    assert batch.sizes[3] == 0 and (batch.sizes[:3] > 0).all()


def test_sketches_are_the_signatures_and_sizes_of_fingerprints():
    prints, sketches = fingerprint(TEXTS, CONFIG), sketch(TEXTS, CONFIG)
    np.testing.assert_array_equal(sketches.signatures, prints.signatures)
    np.testing.assert_array_equal(sketches.sizes, prints.sizes)


def test_candidates_of_a_batch_are_the_copy_pair_only():
    assert batch_candidates(sketch(TEXTS, CONFIG), CONFIG).tolist() == [[0, 2]]


def test_window_keys_are_those_of_each_window_of_content_words_signed_on_its_own():
    words = ARTICLE.split()
    texts = [" ".join(words[:n]) for n in (0, 3, 12, 13, 17, 18, 40)] + [ARTICLE, ""]
    article = tokenize(texts)
    docs, keys = window_keys(article, CONFIG)
    hasher = window_hasher(CONFIG.seed)
    hashes, bounds = hasher.shingles(article)
    expected_docs, expected = [], []
    for d in range(len(texts)):
        content = hashes[bounds[d] : bounds[d + 1]]
        for start in [s for s in range(0, len(content), WINDOW // 2) if s == 0 or s + WINDOW // 2 < len(content)]:
            window = content[start : start + WINDOW]
            if len(window):
                expected_docs += [d] * WINDOW_BANDS
                signature = hasher.sign(window, np.array([0, len(window)]))
                expected += band_keys(signature, WINDOW_BANDS, WINDOW_ROWS).ravel().tolist()
    assert docs.tolist() == expected_docs
    assert keys.tolist() == expected


@pytest.mark.parametrize(("seed", "bits"), [(0, doc_bits(80)), (1, doc_bits(80)), (2, 30)])
def test_pairs_sharing_window_keys_are_those_a_brute_force_count_finds(seed, bits):
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 2**64 - 1, size=40, dtype=np.uint64, endpoint=True)
    docs = rng.integers(0, 80, size=500)
    keys = pool[rng.integers(0, len(pool), size=500)]
    docs, keys = np.append(docs, np.arange(60)), np.append(keys, np.full(60, pool[0]))  # a common key
    holders: dict[int, set[int]] = {}
    for doc, key in zip(docs.tolist(), keys.tolist(), strict=True):
        holders.setdefault(key, set()).add(doc)
    shared = Counter(
        pair
        for held in holders.values()
        if len(held) <= MAX_KEY_DOCS
        for pair in itertools.combinations(sorted(held), 2)
    )
    among = rng.random(80) < 0.3
    for only in (None, among):
        expected = sorted([a, b, count] for (a, b), count in shared.items() if only is None or only[a] or only[b])
        assert shared_keys(window_rows(docs, keys, bits), bits, only).tolist() == expected
        # Split by key range and spilled to files, counted a part at a time: the same pairs.
        rows = Parts(spill_after=1000)
        for half in np.array_split(window_rows(docs, keys, bits), 2):
            rows.add(half)
        assert rows.spilled and len(rows) == len(docs)
        passages = passage_candidates(rows, bits, only).tolist()
        assert passages == [[a, b] for a, b, count in expected if count >= MIN_SHARED_KEYS]


@pytest.mark.parametrize("spill_after", [1000, None])
def test_window_rows_replaced_count_the_pairs_of_the_replaced_documents_as_rows_made_afresh(spill_after):
    rng = np.random.default_rng(3)
    bits = doc_bits(80)
    pool = rng.integers(0, 2**64 - 1, size=60, dtype=np.uint64, endpoint=True)
    docs = rng.integers(0, 80, size=600)
    before, after = pool[rng.integers(0, 30, size=600)], pool[rng.integers(20, 60, size=600)]
    replaced = rng.random(80) < 0.2
    now = np.where(replaced[docs], after, before)  # the replaced documents' keys changed
    old, new = Parts(spill_after), Parts(spill_after)
    for half in np.array_split(window_rows(docs, before, bits), 2):
        old.add(half)
    new.add(window_rows(docs[replaced[docs]], now[replaced[docs]], bits))
    rows = old.replaced(replaced, new, bits)
    assert len(rows) < len(docs)  # the keys the replaced documents no longer hold are left out
    fresh = Parts()
    fresh.add(window_rows(docs, now, bits))
    expected = passage_candidates(fresh, bits, replaced).tolist()
    assert expected and passage_candidates(rows, bits, replaced).tolist() == expected


def test_pairs_counted_a_part_at_a_time_keep_document_numbers_up_to_a_billion(monkeypatch):
    last = (1 << 30) - 1
    shared = np.array([[0, last, 2], [last - 1, last, 7], [5, 7, 1]])
    monkeypatch.setattr(_parts, "SPILL_AFTER", 8)  # every part spilled and read back
    assert enough_keys([shared, shared]).tolist() == [[0, last], [last - 1, last]]


def test_candidates_from_a_store_pass_the_same_gate():
    stored = fingerprint(TEXTS[:2], CONFIG)
    store = MemoryStore(CONFIG.num_perm, CONFIG.bands, CONFIG.rows)
    store.put(to_store(["article", "other"], TEXTS[:2], [None, None], stored, CONFIG), keys_of(stored, CONFIG))
    queries = fingerprint([TEXTS[2], TEXTS[3], UNRELATED.upper()], CONFIG)
    pairs, documents = store.candidates(keys_of(queries, CONFIG), gate_for(queries, CONFIG))
    assert [(row, documents.ids[k]) for row, k in pairs.tolist()] == [(0, "article"), (2, "other")]


def test_judge_gives_each_candidate_its_verdict():
    prints = fingerprint(TEXTS, CONFIG)
    found = judge(np.array([[0, 2], [0, 1]]), prints, CONFIG)
    assert [(i, j, v) for i, j, v, _ in found] == [(0, 2, Verdict.NEAR_DUPLICATE)]


def test_explain_aligns_passages_names_the_original_and_groups():
    prints = fingerprint(TEXTS, CONFIG)
    found = judge(np.array([[0, 2]]), prints, CONFIG)
    (pair,), (group,) = explain(["a", "b", "c", "d"], TEXTS, [1.0, None, 2.0, None], found, CONFIG)
    assert (pair.source, pair.evidence, group.documents) == ("a", Evidence.TIMESTAMP, ("a", "c"))
    assert len(pair.passages) == 1
    assert len(pair.passages[0].sentences) >= 5


def test_fingerprints_join_rows():
    prints = fingerprint(TEXTS, CONFIG)
    joined = Fingerprints.join([prints.subset(np.array([0])), prints.subset(np.array([1, 2, 3]))])
    np.testing.assert_array_equal(joined.tokens.hashes, prints.tokens.hashes)
