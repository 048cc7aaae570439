"""The reference implementations dedup is compared with, done the way their users usually do it:
word 5-grams made in Python, fed to datasketch's ``MinHash`` and to rensa's ``RMinHash``.
"""

from __future__ import annotations

import re
from typing import Any

from datasketch import MinHash


def word_shingles(text: str, n: int = 5) -> list[str]:
    """Word n-grams made in Python."""
    words = re.findall(r"\w+", text.lower())
    return [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]


def datasketch_update_loop(texts: list[str]) -> list[MinHash]:
    """One ``MinHash.update`` call per shingle."""
    result = []
    for text in texts:
        m = MinHash(num_perm=128)
        for shingle in word_shingles(text):
            m.update(shingle.encode("utf-8"))
        result.append(m)
    return result


def datasketch_bulk(texts: list[str]) -> list[MinHash]:
    """``MinHash.bulk`` over each text's shingles."""
    return MinHash.bulk([[s.encode("utf-8") for s in word_shingles(t)] for t in texts], num_perm=128)


def rensa_minhashes(texts: list[str]) -> list[Any]:
    """rensa's ``RMinHash`` fed the shingle strings (raises ImportError without the 'bench' extra)."""
    import rensa

    result = []
    for text in texts:
        m = rensa.RMinHash(num_perm=128, seed=1)
        m.update(word_shingles(text))
        result.append(m)
    return result
