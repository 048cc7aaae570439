"""Guard on ingestion: ``add_many`` in batches against one ``scan`` of the same documents, in one process.

No absolute time is involved. ``add_many`` of ``GUARD_DOCS`` generated documents in batches of
``BATCH`` must reach ``FLOOR_VS_SCAN`` times the documents per second of a scan of them (the
scan is timed before and after the ingestion and the two times averaged, so that a change of
load on the machine weighs on both), and both must report every planted copy. The median
latency of a query must grow at most ``CEILING_QUERY_GROWTH``-fold from ``SMALL_INDEX`` to
``GUARD_DOCS`` indexed documents: the same queries are put to the two indexes back to back,
round after round, and the median of the rounds' ratios counts. The figures measured are in
docs/performance.md.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from dedup import Detector

from .corpus import news_corpus
from .streaming import held_out, ingest, query_latencies, warm_up_ingestion, warm_up_scan

GUARD_DOCS = 10_000  # before the batch ingestion path, add_many took about a minute and 2 GB for these
BATCH = 1_000
SMALL_INDEX = 1_000
FLOOR_VS_SCAN = 0.5
CEILING_QUERY_GROWTH = 3.0
QUERY_ROUNDS = 5


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    corpus = news_corpus(GUARD_DOCS, seed=1)
    warm_up_scan(GUARD_DOCS)
    warm_up_ingestion(SMALL_INDEX, BATCH)
    planted = {(a, b) for a, b, _ in corpus.planted}

    def scan() -> tuple[float, float]:
        start = time.perf_counter()
        found = {(p.a, p.b) for p in Detector().scan(corpus.docs).pairs}
        return time.perf_counter() - start, len(found & planted) / len(planted)

    before, scan_found = scan()
    queries = held_out(corpus, among=SMALL_INDEX)
    large = Detector()
    _, ingested = ingest(large, corpus, BATCH, [SMALL_INDEX, GUARD_DOCS], queries)
    after, _ = scan()
    small = Detector()
    small.add_many(corpus.docs[:SMALL_INDEX])
    medians = [
        (statistics.median(query_latencies(small, queries)[0]), statistics.median(query_latencies(large, queries)[0]))
        for _ in range(QUERY_ROUNDS)
    ]
    return {
        "scan_seconds": (before + after) / 2,
        "scan_found": scan_found,
        "ingested": ingested,
        "query_medians": medians,
    }


def test_add_many_in_batches_keeps_at_least_half_the_speed_of_a_scan(measured):
    ratio = measured["scan_seconds"] / measured["ingested"]["seconds"]
    print(f"\nadd_many in batches of {BATCH:,} vs one scan: {ratio:.2f}x the docs/s (floor {FLOOR_VS_SCAN}x)")
    assert ratio >= FLOOR_VS_SCAN


def test_add_many_and_scan_report_every_planted_copy(measured):
    assert measured["ingested"]["planted_found"] == 1.0
    assert measured["scan_found"] == 1.0


def test_query_time_grows_at_most_threefold_from_a_small_to_a_large_index(measured):
    growth = statistics.median(large / small for small, large in measured["query_medians"])
    rounds = ", ".join(f"{large:.1f}/{small:.1f}" for small, large in measured["query_medians"])
    print(
        f"\nmedian query, {GUARD_DOCS:,} vs {SMALL_INDEX:,} indexed: {growth:.2f}x (ceiling {CEILING_QUERY_GROWTH}x); "
        f"ms by round: {rounds}"
    )
    assert growth <= CEILING_QUERY_GROWTH


def test_a_smaller_corpus_is_the_start_of_a_larger_one():
    """The streaming benchmark scans the first documents by generating a smaller corpus."""
    small, large = news_corpus(100), news_corpus(400)
    assert small.docs == large.docs[:100]
    assert small.planted == [p for p in large.planted if p[1] in dict(small.docs)]
