"""Exact and near copies among texts: exact keys, then MinHash LSH candidates confirmed
by Jaccard similarity or containment (one text embedded in a longer one). Sub-quadratic:
only LSH candidates are compared.

The banding (how many bands of how many rows) is datasketch's, chosen for the threshold;
the bands of the whole signature matrix are bucketed at once in numpy, since
``MinHashLSH`` inserts and queries one key and one band at a time in Python, which is
most of the corpus-level time on a rerun."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHashLSH

from pipeline.core.unionfind import UnionFind
from pipeline.stories.shingles import Signature, containment


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
    exact: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[Link]:
    """Pairs whose Jaccard similarity is at least ``min_jaccard``, or whose containment
    is at least ``min_containment``, among the LSH candidates, in order of ``(a, b)``.

    Candidates come from the signatures alone (what the workers return); they are
    confirmed by ``exact(pairs) -> (jaccards, containments)`` on the texts' shingle sets
    where given (the pipeline gives :func:`pipeline.stories.overlaps.overlaps`: the driver holds
    the texts it read), else by the signatures' estimates.

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
    sizes = np.array([s.size for s in sigs], dtype=np.int64)
    live = np.flatnonzero(sizes)
    if len(live) < 2:
        return []
    matrix = np.stack([sigs[i].minhash.hashvalues for i in live])
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=matrix.shape[1])
    rows = candidate_pairs(matrix, lsh.b, lsh.r)
    if skip:
        wanted = [(int(live[a]), int(live[b])) not in skip for a, b in rows]
        rows = rows[np.array(wanted, dtype=bool)]
    if len(rows) == 0:
        return []
    pairs = live[rows]
    if exact is not None:
        jac, con = exact(pairs)
    else:
        jac = np.count_nonzero(matrix[rows[:, 0]] == matrix[rows[:, 1]], axis=1) / matrix.shape[1]
        con = containment(sizes[pairs[:, 0]], sizes[pairs[:, 1]], jac)
    best = np.maximum(jac, con)
    return [
        Link(int(pairs[x, 0]), int(pairs[x, 1]), "near", round(float(best[x]), 4))
        for x in np.flatnonzero((jac >= min_jaccard) | (con >= min_containment))
    ]


def candidate_pairs(matrix: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, of a signature matrix that agree on every value
    of at least one band of ``rows`` columns (the LSH candidates), sorted, one per row."""
    n = len(matrix)
    found = [np.zeros(0, dtype=np.int64)]
    for band in range(bands):
        block = np.ascontiguousarray(matrix[:, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, n])
        pairs = starts[sizes == 2]  # most buckets: one pair, taken all at once
        first, second = order[pairs], order[pairs + 1]
        found.append(np.minimum(first, second) * n + np.maximum(first, second))
        for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
            members = np.sort(order[start : start + size])
            left, right = np.triu_indices(size, 1)
            found.append(members[left] * n + members[right])
    codes = np.unique(np.concatenate(found))
    return np.stack([codes // n, codes % n], axis=1)


def groups(n: int, links: list[Link]) -> dict[int, list[int]]:
    """Connected components of the links over ``n`` items; singletons left out; keys
    are each group's smallest index."""
    uf = UnionFind[int](range(n))
    for link in links:
        uf.union(link.a, link.b)
    return uf.groups()
