"""Explanation, derived pairs -> story groups: each a source and the documents derived from it.

Connected components chain: one weak or mixed link (a round-up quoting two stories, a
false match between two copies) would merge two unrelated stories into one. Groups here
are stars instead, and every member is linked to the group's source directly:

- a document named the original by a timestamp or a dateline gets a group of itself and
  the documents so derived from it; those may be unrelated to each other (two excerpts
  of one long article), since the evidence says they share their source;
- a document linked to the source more weakly (named a copy by containment alone, or
  with the direction open) joins only if it is linked to every member already there, so
  a chain A–B–C with A and C unrelated never puts A and C in one group: a round-up B
  that contains both A and C looks like their source by containment, and is not;
- a group that lies inside another group is dropped, and each pair left in no group
  becomes a group of its own two documents, so a document linked to two stories (a
  round-up) is in both groups and links them without merging them.

Candidate sources are tried by their number of links, then input order; groups are
listed in the input order of their sources. A group's id is a hash of its documents'
ids, so it does not depend on anything else in the scan.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ._source import STRENGTH, Evidence


@dataclass(frozen=True)
class Link:
    """A derived pair of documents, by input position, as the groups see it.

    ``original`` is ``a`` or ``b``, or ``None`` when the direction is open; ``strength``
    orders the open links a peer may join by (stronger first).
    """

    a: int
    b: int
    original: int | None
    evidence: Evidence
    strength: float


@dataclass(frozen=True)
class Group:
    """A story group: a source document and the documents derived from it.

    Attributes
    ----------
    id : str
        Stable id: a hash of the documents' ids.
    source : str
        The likely original.
    documents : tuple of str
        The source first, then the derived documents in input order.
    evidence : Evidence
        The weakest evidence that named the source in the group's pairs with it;
        ``NONE`` when one of them left the direction open, and the source is then
        just the best-linked document.
    """

    id: str
    source: str
    documents: tuple[str, ...]
    evidence: Evidence


def group_id(documents: Sequence[str]) -> str:
    """The id of the group of ``documents`` (in any order).

    Examples
    --------
    >>> group_id(["001.txt", "000.txt"])
    'g-58652c07e506'
    """
    key = "\n".join(sorted(documents)).encode("utf-8", "surrogatepass")
    return "g-" + hashlib.blake2b(key, digest_size=6).hexdigest()


def star_groups(ids: Sequence[str], links: Sequence[Link]) -> tuple[Group, ...]:
    """The story groups of documents ``ids`` joined by derived ``links``."""
    linked: dict[int, set[int]] = {}
    touching: dict[int, list[Link]] = {}
    for link in links:
        for end in (link.a, link.b):
            linked.setdefault(end, set()).add(_other(link, end))
            touching.setdefault(end, []).append(link)

    candidates = []
    for center in sorted(linked, key=lambda d: (-len(linked[d]), d)):
        own = [link for link in touching[center] if link.original in (center, None)]
        members = {_other(k, center) for k in own if k.evidence in (Evidence.TIMESTAMP, Evidence.DATELINE)}
        for link in sorted(own, key=lambda k: (-k.strength, _other(k, center))):
            other = _other(link, center)
            if other not in members and members <= linked[other]:
                members.add(other)
        if members:
            evidence = max((k.evidence for k in own if _other(k, center) in members), key=STRENGTH.__getitem__)
            candidates.append((center, frozenset(members | {center}), evidence))

    kept: list[tuple[int, frozenset[int], Evidence]] = []
    groups_of: dict[int, set[int]] = {}
    for center, group, evidence in sorted(candidates, key=lambda c: -len(c[1])):
        if not set.intersection(*(groups_of.get(d, set()) for d in group)):  # not inside a kept group
            kept.append((center, group, evidence))
            for d in group:
                groups_of.setdefault(d, set()).add(len(kept) - 1)
    for link in links:
        if not groups_of.get(link.a, set()) & groups_of.get(link.b, set()):
            kept.append(
                (link.a if link.original is None else link.original, frozenset((link.a, link.b)), link.evidence)
            )
    return tuple(_group(ids, center, members, evidence) for center, members, evidence in sorted(kept, key=_order))


def _other(link: Link, end: int) -> int:
    return link.b if link.a == end else link.a


def _order(group: tuple[int, frozenset[int], Evidence]) -> tuple[int, list[int]]:
    return group[0], sorted(group[1])


def _group(ids: Sequence[str], center: int, members: frozenset[int], evidence: Evidence) -> Group:
    documents = tuple(ids[d] for d in [center, *sorted(members - {center})])
    return Group(group_id(documents), ids[center], documents, evidence)
