"""Event groups (one happening) and threads (one developing story) from the pair model's
probabilities.

Candidate pairs (:meth:`EventSpace.candidates`) get the model's probability of one
happening; the pairs at or above the model's threshold form components, and inside each
component every pair gets its probability and average-link agglomerative clustering
(scikit-learn) over ``1 - probability`` decides the groups, so a group holds together as
a whole, not through a chain of pairs. Threads join what cannot be shown to be one
happening but shares the subject: pairs whose body and lead similarity reach
``thread_similarity`` and whose days, when both are known, lie within
``thread_max_days``, again by average link; every event group lies inside one thread.

Two articles dated (published, or a date line at their top) more than ``event_max_days``
apart are never one happening: reports of one happening appear together, and a later
development is the thread's next event. A table (results, standings, prices) is one
happening with no other: it covers many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering

from pipeline.config import DedupConfig
from pipeline.stories.eventmodel import EventModel
from pipeline.stories.events import FEATURES, EventEvidence, EventSpace

_PAIR_BLOCK = 100_000  # candidate pairs scored at once
_BODY, _LEAD = FEATURES.index("body"), FEATURES.index("lead")


@dataclass(frozen=True)
class EventGroup:
    """Articles (indices) of one group, each with its mean probability of sharing the
    group's happening (or, for a thread, its mean similarity to the others)."""

    members: tuple[int, ...]
    scores: tuple[float, ...]


@dataclass(frozen=True)
class Groups:
    """The event groups and the threads of a corpus (groups of two or more)."""

    events: list[EventGroup]
    threads: list[EventGroup]


PairScores = Callable[[np.ndarray, np.ndarray], np.ndarray]


def average_link_groups(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    score: PairScores,
    floor: float,
    max_size: int,
) -> list[EventGroup]:
    """Groups of ``n`` articles: the candidate pairs ``(a, b)`` that ``score`` (pairs ->
    scores in [0, 1]) puts at or above ``floor`` form components; inside each, every pair
    is scored and average-link clustering at the same floor decides the groups. A
    component larger than ``max_size`` is split again with a floor higher by 0.05."""
    values = np.concatenate(  # in blocks: a block's rows are copied out of the matrices
        [
            score(a[k : k + _PAIR_BLOCK], b[k : k + _PAIR_BLOCK])
            for k in range(0, len(a), _PAIR_BLOCK)
        ]
        or [np.empty(0)]
    )
    return _grouped(n, a, b, values, score, floor, max_size)


def _grouped(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    values: np.ndarray,
    score: PairScores,
    floor: float,
    max_size: int,
) -> list[EventGroup]:
    keep = values >= floor
    if not keep.any():
        return []
    a, b, values = a[keep], b[keep], values[keep]
    graph = sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    groups = []
    for c in np.unique(label[a]):
        idx = np.flatnonzero(label == c)
        if len(idx) > max_size:
            inside = np.isin(a, idx)
            groups += _grouped(
                n, a[inside], b[inside], values[inside], score, floor + 0.05, max_size
            )
            continue
        x, y = np.triu_indices(len(idx), k=1)
        dist = np.zeros((len(idx), len(idx)))
        dist[x, y] = dist[y, x] = 1.0 - score(idx[x], idx[y])
        labels = (
            AgglomerativeClustering(
                n_clusters=None,
                metric="precomputed",
                linkage="average",
                distance_threshold=1.0 - floor + 1e-9,
            )
            .fit(dist)
            .labels_
        )
        for lab in np.unique(labels):
            at = np.flatnonzero(labels == lab)
            if len(at) > 1:
                mean = 1.0 - dist[np.ix_(at, at)].sum(axis=1) / (len(at) - 1)
                groups.append(
                    EventGroup(
                        tuple(int(i) for i in idx[at]), tuple(round(float(v), 4) for v in mean)
                    )
                )
    return groups


def _merged(n: int, threads: list[EventGroup], events: list[EventGroup]) -> list[EventGroup]:
    """Threads widened so that each event group lies inside one: a thread and the events
    that touch it become one thread (its members keep their thread scores; an article
    joined only through an event scores 0)."""
    edges = [(g.members[0], m) for g in [*threads, *events] for m in g.members[1:]]
    if not edges:
        return []
    x, y = np.array(edges).T
    _, label = connected_components(
        sp.coo_matrix((np.ones(len(x)), (x, y)), shape=(n, n)), directed=False
    )
    score = {m: s for g in threads for m, s in zip(g.members, g.scores, strict=True)}
    out = []
    for c in np.unique(label[x]):
        members = tuple(int(i) for i in np.flatnonzero(label == c))
        out.append(EventGroup(members, tuple(score.get(m, 0.0) for m in members)))
    return out


def pair_probabilities(space: EventSpace, model: EventModel, cfg: DedupConfig) -> PairScores:
    """The model's probability that each pair reports one happening; 0 for two articles
    dated more than ``event_max_days`` apart (reports of one happening appear together:
    a later development is another event of the thread) and for a table (results,
    standings: it covers many happenings)."""

    def probability(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        p = model.probability(space.features(a, b))
        apart = space.days_apart(a, b) > cfg.event_max_days  # NaN (undated): False
        return np.where(apart | space.table[a] | space.table[b], 0.0, p)

    return probability


def _thread_similarity(
    space: EventSpace, cfg: DedupConfig, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """How much the pairs share their subject: body and lead cosines, 0 for two articles
    dated more than ``thread_max_days`` apart."""
    x = space.features(a, b)
    sim = (1 - cfg.thread_lead_weight) * x[:, _BODY] + cfg.thread_lead_weight * x[:, _LEAD]
    return np.where(space.days_apart(a, b) > cfg.thread_max_days, 0.0, sim)


def event_groups(evidence: list[EventEvidence], cfg: DedupConfig, model: EventModel) -> Groups:
    """Event groups and threads of the articles (see the module)."""
    if len(evidence) < 2:
        return Groups([], [])
    try:
        space = EventSpace(evidence, cfg)
    except ValueError:  # scikit-learn: no word is left that tells the articles apart
        return Groups([], [])
    a, b = space.candidates()
    probability = pair_probabilities(space, model, cfg)
    return grouped_pairs(space, a, b, probability, model.threshold, cfg)


def grouped_pairs(
    space: EventSpace,
    a: np.ndarray,
    b: np.ndarray,
    probability: PairScores,
    threshold: float,
    cfg: DedupConfig,
) -> Groups:
    """Event groups (average ``probability`` at least ``threshold``) and threads of the
    articles of ``space`` from their candidate pairs ``(a, b)``."""
    n = space.body.shape[0]
    if not len(a):
        return Groups([], [])
    size = cfg.event_max_component
    events = average_link_groups(n, a, b, probability, threshold, size)
    similarity = partial(_thread_similarity, space, cfg)
    threads = average_link_groups(n, a, b, similarity, cfg.thread_similarity, size)
    return Groups(
        sorted(events, key=lambda g: g.members),
        sorted(_merged(n, threads, events), key=lambda g: g.members),
    )
