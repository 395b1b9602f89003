"""Exact and near copies among texts: exact keys, then MinHash LSH candidates
(datasketch) confirmed by estimated Jaccard similarity or containment (one text embedded
in a longer one). Sub-quadratic: only LSH candidates are compared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from datasketch import MinHashLSH

from pipeline.shingles import Signature, containment
from pipeline.unionfind import UnionFind


@dataclass(frozen=True)
class Link:
    """Two texts (by index) found to repeat each other, how, and how closely."""

    a: int
    b: int
    kind: str
    similarity: float


def exact_links(keys: list[str]) -> list[Link]:
    """Texts with the same exact key, each linked to the first of its key."""
    first: dict[str, int] = {}
    links = []
    for i, key in enumerate(keys):
        if key in first:
            links.append(Link(first[key], i, "exact", 1.0))
        else:
            first[key] = i
    return links


def near_links(
    sigs: list[Signature],
    lsh_threshold: float,
    min_jaccard: float,
    min_containment: float,
    skip: set[tuple[int, int]] | None = None,
    exact: Callable[[int, int], tuple[float, float]] | None = None,
) -> list[Link]:
    """Pairs whose Jaccard similarity is at least ``min_jaccard``, or whose containment
    is at least ``min_containment``, among the LSH candidates.

    Candidates are confirmed by ``exact(i, j) -> (jaccard, containment)`` computed on the
    texts' shingle sets where given, else by the signatures' estimates (all a distributed
    run has: its workers return signatures, not texts).

    Raises:
        ValueError: when a threshold is outside (0, 1].
    """
    for name, value in (
        ("lsh_threshold", lsh_threshold),
        ("min_jaccard", min_jaccard),
        ("min_containment", min_containment),
    ):
        if not 0 < value <= 1:
            raise ValueError(f"{name} must be in (0, 1], got {value}; e.g. 0.5")
    if not sigs:
        return []
    num_perm = len(sigs[0].minhash.hashvalues)
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for i, s in enumerate(sigs):
            if s.size:
                session.insert(i, s.minhash, check_duplication=False)
    links = []
    seen: set[tuple[int, int]] = set(skip or ())
    for i, s in enumerate(sigs):
        if not s.size:
            continue
        for j in lsh.query(s.minhash):
            pair = (min(i, j), max(i, j))
            if i == j or pair in seen:
                continue
            seen.add(pair)
            if exact is not None:
                jac, con = exact(pair[0], pair[1])
            else:
                jac = s.minhash.jaccard(sigs[j].minhash)
                con = containment(s, sigs[j], jac)
            if jac >= min_jaccard or con >= min_containment:
                links.append(Link(pair[0], pair[1], "near", round(max(jac, con), 4)))
    return links


def groups(n: int, links: list[Link]) -> dict[int, list[int]]:
    """Connected components of the links over ``n`` items; singletons left out; keys
    are each group's smallest index."""
    uf = UnionFind[int](range(n))
    for link in links:
        uf.union(link.a, link.b)
    return uf.groups()
