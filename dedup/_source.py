"""Explanation, a derived pair -> which text is the likely original, and why.

The evidence is weighed in this order, and the first that tells the texts apart decides:

1. ``timestamp``: the text published first is the original, when both times are known
   and differ.
2. ``dateline``: a wire dateline near the top, such as ``MOSCOW (AP) —``, marks the
   agency's own story; it decides when exactly one of the two texts has one (a verbatim
   copy usually keeps the dateline, and then it tells nothing).
3. ``containment``: the original contains the other's material. Each text's share of
   content (rarity-weighted) that lies in aligned passages is compared: a copy or rewrite
   is mostly aligned material, while its source also holds what the copy left out. The
   shares must differ by at least a margin.

Otherwise the direction is left open (``none``).
"""

from __future__ import annotations

import re
from enum import Enum

#: News agencies whose datelines mark a wire story: ``CITY (AP) —``.
WIRE_AGENCIES = ("AP", "Reuters", "AFP", "UPI", "dpa", "PTI", "ANI", "IANS", "Xinhua", "Bloomberg", "EFE", "Kyodo")
DATELINE_CHARS = 2000  # a dateline is looked for this far into a text, past headlines and bylines

_DATELINE = re.compile(r"^[^\n]{0,80}?\((" + "|".join(WIRE_AGENCIES) + r")\)\s*[—–-]", re.MULTILINE)


class Evidence(str, Enum):
    """What named the original of a pair (or of a group).

    ``TIMESTAMP``
        It was published first.
    ``DATELINE``
        It carries a wire agency's dateline and the other text does not.
    ``CONTAINMENT``
        It contains the other's material, and has material of its own.
    ``NONE``
        Nothing tells the texts apart; no original is named.
    """

    TIMESTAMP = "timestamp"
    DATELINE = "dateline"
    CONTAINMENT = "containment"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


#: Strongest first.
STRENGTH = {Evidence.TIMESTAMP: 0, Evidence.DATELINE: 1, Evidence.CONTAINMENT: 2, Evidence.NONE: 3}


def wire_dateline(text: str) -> str | None:
    """The agency of a wire dateline near the top of ``text``, or ``None``.

    Examples
    --------
    >>> wire_dateline("Headline\\n\\nMOSCOW (AP) — Russian forces are being withdrawn")
    'AP'
    >>> wire_dateline("Officials said the AP (Associated Press) reported it") is None
    True
    """
    found = _DATELINE.search(text, 0, DATELINE_CHARS)
    return found.group(1) if found else None


def original_of(
    times: tuple[float | None, float | None],
    datelines: tuple[str | None, str | None],
    shares: tuple[float, float],
    margin: float,
) -> tuple[int | None, Evidence]:
    """Which of two derived texts (0 or 1) is the original, and the evidence that decided.

    ``shares`` are the texts' shares of content in aligned passages; the original is the
    one with the smaller share, by at least ``margin``.

    Examples
    --------
    >>> original_of((None, None), (None, "AP"), (0.5, 0.5), 0.1)
    (1, <Evidence.DATELINE: 'dateline'>)
    >>> original_of((1700000000, None), (None, None), (1.0, 0.4), 0.1)
    (1, <Evidence.CONTAINMENT: 'containment'>)
    """
    (time_a, time_b), (line_a, line_b), (share_a, share_b) = times, datelines, shares
    if time_a is not None and time_b is not None and time_a != time_b:
        return (0 if time_a < time_b else 1), Evidence.TIMESTAMP
    if (line_a is None) != (line_b is None):
        return (0 if line_a else 1), Evidence.DATELINE
    if abs(share_a - share_b) >= margin:
        return (0 if share_a < share_b else 1), Evidence.CONTAINMENT
    return None, Evidence.NONE
