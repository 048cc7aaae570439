"""Timestamps: one check for every publication time a caller gives, in POSIX seconds."""

from __future__ import annotations

import math

from ._exceptions import InputError


def check_time(value: object, name: str = "timestamp") -> float:
    """``value`` as float seconds; :class:`InputError` naming ``name`` unless it is a finite number.

    Examples
    --------
    >>> check_time(1_700_000_000)
    1700000000.0
    >>> check_time("yesterday", "before")
    Traceback (most recent call last):
    ...
    dedup._exceptions.InputError: before must be a finite number of POSIX seconds, got 'yesterday'
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{name} must be a finite number of POSIX seconds, got {value!r:.60}")
    return float(value)


def check_optional_time(value: object, name: str = "timestamp") -> float | None:
    """Like :func:`check_time`, with ``None`` for a document whose time is not known."""
    return None if value is None else check_time(value, name)
