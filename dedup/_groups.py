"""Explanation, derived pairs -> story groups: each a source and the documents derived from it.

Connected components chain: one weak or mixed link (a round-up quoting two stories, a
false match between two copies) would merge two unrelated stories into one. Groups here
are stars instead, and every member is linked to the group's source directly:

- a document named the original of one or more pairs gets a group of itself and the
  documents derived from it; those may be unrelated to each other (two excerpts of one
  long article), since the evidence says they share their source;
- where a pair's direction is open, the two documents are peers: a peer joins a group
  only if it is linked to every member already there, so a chain A–B–C of open pairs
  with A and C unrelated never puts A and C together;
- a document derived from two sources that are not linked (a round-up) is in both
  groups, and so links them without merging them;
- a group that lies inside another group is dropped.

Candidate sources are tried by their number of links, then input order; groups are
listed in the input order of their sources. A group's id is a hash of its source's id,
so it does not depend on the other documents of a scan.
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
        Stable id: a hash of the source's document id.
    source : str
        The likely original.
    documents : tuple of str
        The source first, then the derived documents in input order.
    evidence : Evidence
        The strongest evidence that named the source in one of the group's pairs;
        ``NONE`` when every pair's direction was open and the source is simply the
        best-linked document.
    """

    id: str
    source: str
    documents: tuple[str, ...]
    evidence: Evidence


def group_id(source: str) -> str:
    """The id of the group around ``source``.

    Examples
    --------
    >>> group_id("001.txt")
    'g-e3b012732352'
    """
    return "g-" + hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def star_groups(ids: Sequence[str], links: Sequence[Link]) -> tuple[Group, ...]:
    """The story groups of documents ``ids`` joined by derived ``links``."""
    linked: dict[int, set[int]] = {}
    derived: dict[int, list[Link]] = {}
    peers: dict[int, list[tuple[Link, int]]] = {}
    for link in links:
        linked.setdefault(link.a, set()).add(link.b)
        linked.setdefault(link.b, set()).add(link.a)
        if link.original is None:
            peers.setdefault(link.a, []).append((link, link.b))
            peers.setdefault(link.b, []).append((link, link.a))
        else:
            derived.setdefault(link.original, []).append(link)

    candidates = []
    for center in sorted(linked, key=lambda d: (-len(linked[d]), d)):
        members = {link.b if link.a == center else link.a for link in derived.get(center, [])}
        evidence = min(
            (link.evidence for link in derived.get(center, [])), key=STRENGTH.__getitem__, default=Evidence.NONE
        )
        for _, peer in sorted(peers.get(center, []), key=lambda lp: (-lp[0].strength, lp[1])):
            if members <= linked[peer]:
                members.add(peer)
        if members:
            candidates.append((center, frozenset(members | {center}), evidence))

    kept: list[tuple[int, frozenset[int], Evidence]] = []
    for center, group, evidence in sorted(candidates, key=lambda c: -len(c[1])):
        if not any(group <= other for _, other, _ in kept):
            kept.append((center, group, evidence))
    return tuple(
        Group(group_id(ids[center]), ids[center], tuple(ids[d] for d in [center, *sorted(group - {center})]), evidence)
        for center, group, evidence in sorted(kept)
    )
