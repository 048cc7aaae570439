import numpy as np
import pytest
from datasketch import MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import MinHasher, _lsh
from dedup._lsh import LSHIndex, PassageIndex, band_keys, bucket_pairs, pairs_sharing_keys


def brute_force_pairs(keys):
    n = len(keys)
    return {(i, j) for i in range(n) for j in range(i + 1, n) if (keys[i] == keys[j]).any()}


def test_pairs_sharing_keys_equals_brute_force():
    rng = np.random.default_rng(0)
    signatures = rng.integers(0, 3, (200, 8)).astype(np.uint32)
    keys = band_keys(signatures, 4, 2)
    pairs = pairs_sharing_keys(keys)
    assert set(map(tuple, pairs.tolist())) == brute_force_pairs(keys)
    assert pairs.tolist() == sorted(pairs.tolist())


@pytest.mark.parametrize("min_tail", [1 << 17, 64])
def test_incremental_queries_equal_brute_force_through_merges(monkeypatch, min_tail):
    monkeypatch.setattr(_lsh, "_MIN_TAIL", min_tail)
    rng = np.random.default_rng(1)
    keys = band_keys(rng.integers(0, 4, (1500, 6)).astype(np.uint32), 3, 2)
    index = LSHIndex(3, 2)
    i = 0
    while i < len(keys):
        expected = [[k, j] for k in range(i, min(i + 5, len(keys))) for j in range(i) if (keys[k] == keys[j]).any()]
        found = index.query_many(keys[i : i + 5])
        assert (found + np.array([i, 0])).tolist() == expected
        step = int(rng.integers(1, 40))
        index.insert(keys[i : i + step])
        i += step
    assert len(index) == 1500


def test_removed_and_inactive_slots_are_not_returned():
    keys = band_keys(np.zeros((3, 4), dtype=np.uint32), 2, 2)
    index = LSHIndex(2, 2)
    index.insert(keys, live=np.array([True, False, True]))
    index.remove(2)
    assert index.query(keys[0]).tolist() == [0]


def test_candidates_equal_datasketch_minhashlsh_with_the_same_bands(seeds):
    mh = MinHasher()
    texts = list(seeds.values())
    texts += [t[: len(t) // k] for t in texts for k in (2, 3)]
    signatures = mh.signatures(texts)
    lsh = MinHashLSH(num_perm=128, params=(64, 2))
    index = LSHIndex(64, 2)
    keys = index.keys(signatures)
    for i, sig in enumerate(signatures):
        lsh.insert(i, mh.to_datasketch(sig))
    index.insert(keys)
    for i, sig in enumerate(signatures):
        assert sorted(lsh.query(mh.to_datasketch(sig))) == index.query(keys[i]).tolist()


def test_pair_generation_in_small_chunks_gives_the_same_pairs(monkeypatch):
    rng = np.random.default_rng(2)
    keys = band_keys(rng.integers(0, 2, (120, 4)).astype(np.uint32), 2, 2)
    expected = pairs_sharing_keys(keys)
    monkeypatch.setattr("dedup._lsh._PAIRS_PER_CHUNK", 7)
    np.testing.assert_array_equal(pairs_sharing_keys(keys), expected)


def test_buckets_among_some_rows_give_every_pair_that_involves_them():
    rng = np.random.default_rng(4)
    keys = band_keys(rng.integers(0, 5, (150, 6)).astype(np.uint32), 3, 2)
    for share in (0.0, 0.05, 0.5, 1.0):
        among = rng.random(150) < share
        found = {
            (a, b)
            for band in range(3)
            for left, right in bucket_pairs(keys[:, band], among)
            for a, b in zip(left.tolist(), right.tolist(), strict=True)
            if among[a] or among[b]
        }
        assert found == {(i, j) for i, j in brute_force_pairs(keys) if among[i] or among[j]}


def test_band_keys_of_one_band_are_that_column_of_all_band_keys():
    signatures = np.random.default_rng(6).integers(0, 2**32, (40, 12)).astype(np.uint32)
    every = band_keys(signatures, 6, 2)
    for band in range(6):
        np.testing.assert_array_equal(band_keys(signatures[:, 2 * band :], 1, 2, first=band)[:, 0], every[:, band])


def test_band_keys_do_not_depend_on_the_block_size(monkeypatch):
    signatures = np.random.default_rng(5).integers(0, 2**32, (50, 12)).astype(np.uint32)
    expected = band_keys(signatures, 6, 2)
    monkeypatch.setattr("dedup._lsh._ROWS_PER_BLOCK", 7)
    np.testing.assert_array_equal(band_keys(signatures, 6, 2), expected)
    np.testing.assert_array_equal(band_keys(signatures[:0], 6, 2), np.zeros((0, 6), dtype=np.uint64))


def test_passage_index_pairs_rows_with_slots_sharing_enough_rare_keys_as_brute_force():
    rng = np.random.default_rng(7)
    stored = [set(rng.integers(0, 60, rng.integers(0, 12)).tolist()) for _ in range(40)]
    index = PassageIndex()
    for lo in range(0, 40, 7):  # several inserts, so several sorted runs
        rows = [r - lo for r in range(lo, min(lo + 7, 40)) for _ in stored[r]]
        keys = [k for r in range(lo, min(lo + 7, 40)) for k in stored[r]]
        index.insert(np.array(rows, dtype=np.int64), np.array(keys, dtype=np.uint64), np.arange(lo, lo + 7))
    queries = [set(rng.integers(0, 60, 10).tolist()) for _ in range(5)]
    rows = np.array([q for q, keys in enumerate(queries) for _ in keys], dtype=np.int64)
    keys = np.array([k for q in queries for k in q], dtype=np.uint64)
    holders = {k: sum(k in s for s in stored) for k in range(60)}
    expected = [
        [q, slot]
        for q, asked in enumerate(queries)
        for slot, held in enumerate(stored)
        if len({k for k in asked & held if holders[k] <= 5}) >= 2
    ]
    assert index.query_many(rows, keys, min_shared=2, max_holders=5).tolist() == expected
    assert len(index) == sum(len(s) for s in stored)


def test_passage_index_merged_and_renumbered_answers_as_one_made_afresh(monkeypatch):
    monkeypatch.setattr("dedup._lsh._MIN_TAIL", 8)  # merges into the main array after a few inserts
    rng = np.random.default_rng(3)
    stored = [rng.integers(0, 2**64, rng.integers(1, 9), dtype=np.uint64) for _ in range(60)]
    stored[7] = stored[3]  # a document stored twice
    index = PassageIndex()
    for lo in range(0, 60, 4):
        rows = np.concatenate([np.full(len(stored[r]), r - lo) for r in range(lo, lo + 4)])
        index.insert(rows, np.concatenate(stored[lo : lo + 4]), np.arange(lo, lo + 4))
    rows = np.concatenate([np.full(len(keys), q) for q, keys in enumerate(stored)])
    keys = np.concatenate(stored)
    expected = sorted([[q, q] for q in range(60)] + [[3, 7], [7, 3]])
    assert index.query_many(rows, keys, min_shared=1).tolist() == expected
    alive = np.array([s % 3 != 0 for s in range(60)])
    slot_of = np.where(alive, np.cumsum(alive) - 1, -1)
    fresh = PassageIndex()
    live = [keys for keys, kept in zip(stored, alive, strict=True) if kept]
    fresh.insert(
        np.concatenate([np.full(len(k), r) for r, k in enumerate(live)]), np.concatenate(live), np.arange(len(live))
    )
    renumbered = index.renumbered(slot_of)
    assert len(renumbered) == len(fresh)
    asked = rows[alive[rows]], keys[alive[rows]]
    assert renumbered.query_many(*asked, min_shared=1).tolist() == fresh.query_many(*asked, min_shared=1).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 3)), max_size=60))
def test_distinct_rows_are_the_sorted_set_of_pairs_even_when_keys_share_their_high_half(triples):
    from dedup._arrays import distinct_rows

    rows = np.array([r for r, _, _ in triples], dtype=np.int64)
    keys = np.array([(high << 32) | low for _, high, low in triples], dtype=np.uint64)
    got_rows, got_keys = distinct_rows(rows, keys)
    assert list(zip(got_rows.tolist(), got_keys.tolist(), strict=True)) == sorted(
        set(zip(rows.tolist(), keys.tolist(), strict=True))
    )
