"""Integer mixing functions shared by the hashing stages (numpy, wrapping arithmetic)."""

from __future__ import annotations

import numpy as np

from ._types import U32, U64

_M32_1, _M32_2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)
_M64_1, _M64_2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)


def fmix32(h: U32) -> U32:
    """MurmurHash3's 32-bit finaliser, element-wise (the pre-mix datasketch applies)."""
    h = h ^ (h >> np.uint32(16))
    h *= _M32_1
    h ^= h >> np.uint32(13)
    h *= _M32_2
    h ^= h >> np.uint32(16)
    return h


def fmix64(h: U64) -> U64:
    """MurmurHash3's 64-bit finaliser, element-wise."""
    h = h ^ (h >> np.uint64(33))
    h *= _M64_1
    h ^= h >> np.uint64(33)
    h *= _M64_2
    h ^= h >> np.uint64(33)
    return h


def odd_constants(n: int, salt: int) -> U64:
    """``n`` fixed pseudo-random odd 64-bit multipliers, distinct for each ``salt``."""
    offset = (salt * 0x9E3779B97F4A7C15) % 2**64
    base = np.arange(n, dtype=np.uint64) + np.uint64(offset)
    return fmix64(fmix64(base) + np.uint64(0x632BE59BD9B4E019)) | np.uint64(1)


def high32(h: U64) -> U32:
    """The upper 32 bits, which are the best mixed after a multiply."""
    return (h >> np.uint64(32)).astype(np.uint32)
