"""Disjoint sets (union-find with path halving), for grouping linked items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    """Union-find over any hashable, orderable keys; a group's root is its least key, so
    results do not depend on the order of unions."""

    def __init__(self, items: Iterable[K] = ()) -> None:
        self.parent: dict[K, K] = {}
        for item in items:
            self.parent[item] = item

    def find(self, x: K) -> K:
        """The root of ``x``'s group (``x`` joins as its own group if new)."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: K, b: K) -> None:
        """Merge the groups of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
            self.parent[hi] = lo

    def groups(self) -> dict[K, list[K]]:
        """Root to members, groups of two or more only."""
        out: dict[K, list[K]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return {k: sorted(v) for k, v in out.items() if len(v) > 1}  # type: ignore[type-var]
