"""Stage: candidate pairs -> scores -> verdicts.

The candidates of a batch are re-ranked in chunks whose documents are profiled together
(``_rerank.Profiles``); every score of a pair depends on its two texts only, so a pair
gets the same scores whichever batch it is judged in, and the same verdict (``_verdict``).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._align import SentenceWords, stronger, strongest, token_sentences, verbatim_passage
from ._batching import WORKERS
from ._config import DetectorConfig
from ._fingerprint import Fingerprints, fingerprint
from ._minhash import MinHasher
from ._passages import rules_for
from ._rerank import Profiles, Scores
from ._tokenize import Tokens
from ._types import F64, I64, U32
from ._verdict import Verdict, decide, is_reused, may_be_derived

#: A pair of texts with a verdict: ``(i, j, verdict, scores)``, rows of a batch.
Found = tuple[int, int, Verdict, Scores]
PAIRS_PER_RERANK = 2_000  # candidate pairs whose documents are profiled together (~60 KB each at the peak)


def judge_profiled(
    profiles: Profiles, left: I64, right: I64, estimates: F64, config: DetectorConfig, full: bool = False
) -> list[tuple[Verdict | None, Scores]]:
    """The verdicts and scores of pairs ``(left[k], right[k])`` of profiled documents.

    The in-order evidence is computed where a verdict may need it, or everywhere with ``full``.
    """
    aligned = (lambda _: True) if full else functools.partial(may_be_derived, config=config)
    identical, scores = profiles.scores(left, right, estimates, aligned)
    judged = []
    words: dict[bool, SentenceWords] = {}
    counts = functools.partial(is_reused, config=config)
    for i, j, same, s in zip(left.tolist(), right.tolist(), identical, scores, strict=True):
        verdict = decide(bool(same), s, config)
        # Reused passages are looked for only where no verdict about whole texts fits; a pair
        # of whole texts is scored by their rules, as it would be without partial reuse.
        partial = verdict is None and config.partial_reuse
        if full or partial:
            rules = rules_for(partial)
            if rules.join_wrapped not in words:
                words[rules.join_wrapped] = token_sentences(profiles.tokens, rules.join_wrapped)
            similarity, shared = strongest(
                words[rules.join_wrapped], i, j, config.passage_similarity, config.passage_gap, rules, counts
            )
            if rules.verbatim_words:
                copied = verbatim_passage(profiles.tokens, i, j, rules.verbatim_words)
                similarity, shared = stronger((similarity, shared), copied, counts)
            s = dataclasses.replace(s, passage=similarity, passage_words=float(shared))
            verdict = decide(bool(same), s, config)
        judged.append((verdict, s))
    return judged


def judge(pairs: I64, prints: Fingerprints, config: DetectorConfig) -> list[Found]:
    """The pairs (rows of ``pairs``, texts of ``prints``) with a verdict, in the order given."""
    return judge_with(pairs, prints.signatures, prints.tokens.subset, config)


def judge_with(pairs: I64, signatures: U32, tokens_of: Callable[[I64], Tokens], config: DetectorConfig) -> list[Found]:
    """The pairs (rows of ``pairs``) with a verdict, in the order given, from the texts'
    signatures and ``tokens_of(docs)``, the tokens of texts ``docs`` (sorted), asked for a
    chunk of pairs at a time; chunks are judged on :data:`WORKERS` threads."""

    def judge_chunk(chunk: int) -> list[Found]:
        part = pairs[chunk : chunk + PAIRS_PER_RERANK]
        docs, local = np.unique(part, return_inverse=True)
        local = local.reshape(part.shape)
        estimates = MinHasher.jaccard_many(signatures, part[:, 0], part[:, 1])
        profiles = Profiles(tokens_of(docs), config)
        judged = judge_profiled(profiles, local[:, 0], local[:, 1], estimates, config)
        return [(i, j, v, s) for (i, j), (v, s) in zip(part.tolist(), judged, strict=True) if v is not None]

    chunks = range(0, len(pairs), PAIRS_PER_RERANK)
    if len(chunks) < 2 or WORKERS < 2:
        return [f for chunk in chunks for f in judge_chunk(chunk)]
    with ThreadPoolExecutor(WORKERS) as pool:  # the profiles and alignments release the GIL in part
        return [f for found in pool.map(judge_chunk, chunks) for f in found]


def judge_texts(text_a: str, text_b: str, config: DetectorConfig) -> tuple[Verdict | None, Scores]:
    """The verdict and every score of two texts, with no index and no batch around them."""
    prints = fingerprint([text_a, text_b], config)
    one, two = np.array([0]), np.array([1])
    estimate = MinHasher.jaccard_many(prints.signatures, one, two)
    return judge_profiled(Profiles(prints.tokens, config), one, two, estimate, config, full=True)[0]
