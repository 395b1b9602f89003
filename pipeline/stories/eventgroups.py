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

Two undated articles: their probabilities are calibrated at the base rate of the
model's undated training pairs (ECB+'s: half of its similar texts report one happening),
and a stream's undated similar texts are far less often one. The share of one happening
among the corpus's pairs of two undated articles is estimated from their probabilities
by EM (Saerens, Latinne and Decaestecker 2002, "Adjusting the outputs of a classifier to
new a priori probabilities"); where it is under the model's ``undated_reference`` (the
same estimate on its training pairs' held-out probabilities) their log-odds are lowered
by the difference, so undated articles join one event only on the strong evidence a
stream calls for. In a stream (odds under half the reference's) two undated articles
whose leads name days of the week, none in common ("sank on Tuesday", "capsized on
Thursday"), report two happenings: news leads name the day of what they report, and
without publication dates that is the one day the texts give. The estimate follows the
gold: ``ecb``'s undated pairs 0.47 (gold 0.51), ``conll`` with its dates hidden 0.024
(gold 0.022); ``bbc`` 0.007.

Two articles dated (published, or a date line at their top) more than ``event_max_days``
apart are never one happening: reports of one happening appear together, and a later
development is the thread's next event. A dated article and an undated one are one
happening only on the strong evidence the model's ``undated_threshold`` asks. A table
(results, standings, prices) or a digest (a roundup, a newsletter: items headed by
different places, or paragraphs that share no word) is one happening with no other: it
covers many.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.special import expit, logit
from sklearn.cluster import AgglomerativeClustering

from pipeline.config import DedupConfig
from pipeline.stories.eventmodel import EventModel
from pipeline.stories.events import FEATURES, EventEvidence, EventSpace

log = logging.getLogger(__name__)

_PAIR_BLOCK = 100_000  # candidate pairs scored at once
_GROUP_BLOCK = 5_000  # pairs inside groups scored at once (all their evidence: memory)
_BODY, _LEAD = FEATURES.index("body"), FEATURES.index("lead")
_EM_ROUNDS = 200  # at most; the estimate settles long before
_EM_TOLERANCE = 1e-7
_EDGE = 1e-9  # probabilities and shares kept this far inside (0, 1)
# A stream: its undated similar texts are, by the odds, under half as often one happening
# as the training pairs' (a shift under -log 2). There two undated articles whose leads
# name different days of the week ("on Tuesday", "on Thursday") report two happenings.
# (Estimated shifts: `ecb`'s held-out pairs -0.08, `conll` with its dates hidden -3.9,
# `bbc` -4.8: any bound between them parts the same pairs.)
_STREAM_SHIFT = -float(np.log(2.0))


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


# Scores in [0, 1] of the pairs (a[k], b[k]) from their evidence (EventSpace.features).
PairScores = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def candidate_scores(
    space: EventSpace,
    a: np.ndarray,
    b: np.ndarray,
    cfg: DedupConfig,
    *scores: PairScores,
) -> list[np.ndarray]:
    """Each of ``scores`` for the candidate pairs ``(a, b)``, in blocks (a block's rows
    are copied out of the matrices); a pair whose body and lead similarity is under
    ``event_min_similarity`` scores 0 without the rest of its evidence being computed."""
    parts: list[list[np.ndarray]] = [[] for _ in scores]
    w = cfg.thread_lead_weight
    for k in range(0, len(a), _PAIR_BLOCK):
        pa, pb = a[k : k + _PAIR_BLOCK], b[k : k + _PAIR_BLOCK]
        cos = space.cosines(pa, pb)
        close = (1 - w) * cos["body"] + w * cos["lead"] >= cfg.event_min_similarity
        x = space.features(pa[close], pb[close], {n: v[close] for n, v in cos.items()})
        for part, score in zip(parts, scores, strict=True):
            values = np.zeros(len(pa))
            values[close] = score(pa[close], pb[close], x)
            part.append(values)
    return [np.concatenate(part) if part else np.empty(0) for part in parts]


def average_link_groups(
    space: EventSpace,
    a: np.ndarray,
    b: np.ndarray,
    values: np.ndarray,
    score: PairScores,
    floor: float,
    max_size: int,
) -> list[EventGroup]:
    """Groups of the articles of ``space``: the candidate pairs ``(a, b)`` whose ``values``
    (their ``score``) reach ``floor`` form components; inside each, every pair is scored
    and average-link clustering at the same floor decides the groups. A component larger
    than ``max_size`` is split again with a floor higher by 0.05."""
    keep = values >= floor
    if not keep.any():
        return []
    n = space.body.shape[0]
    a, b, values = a[keep], b[keep], values[keep]
    graph = sp.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    groups = []
    pair_value = {(int(i), int(j)): float(v) for i, j, v in zip(a, b, values, strict=True)}
    components = []
    for c in np.unique(label[a]):
        idx = np.flatnonzero(label == c)
        if len(idx) == 2:  # one pair, already scored: a group of two (most components)
            i, j = int(idx[0]), int(idx[1])
            v = round(pair_value.get((i, j), pair_value.get((j, i), 0.0)), 4)
            groups.append(EventGroup((i, j), (v, v)))
        elif len(idx) > max_size:
            inside = np.isin(a, idx)
            groups += average_link_groups(
                space, a[inside], b[inside], values[inside], score, floor + 0.05, max_size
            )
        else:
            components.append(idx)
    # Every pair inside every component, scored in blocks of pairs (not component by
    # component: the per-call cost of the sparse products dominated small components)
    tri = [np.triu_indices(len(idx), k=1) for idx in components]
    if components:
        pa = np.concatenate([idx[x] for idx, (x, _) in zip(components, tri, strict=True)])
        pb = np.concatenate([idx[y] for idx, (_, y) in zip(components, tri, strict=True)])
        scored = np.concatenate(
            [
                score(
                    pa[k : k + _GROUP_BLOCK],
                    pb[k : k + _GROUP_BLOCK],
                    space.features(pa[k : k + _GROUP_BLOCK], pb[k : k + _GROUP_BLOCK]),
                )
                for k in range(0, len(pa), _GROUP_BLOCK)
            ]
        )
    at = 0
    for idx, (x, y) in zip(components, tri, strict=True):
        dist = np.zeros((len(idx), len(idx)))
        dist[x, y] = dist[y, x] = 1.0 - scored[at : at + len(x)]
        at += len(x)
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
            members = np.flatnonzero(labels == lab)
            if len(members) > 1:
                mean = 1.0 - dist[np.ix_(members, members)].sum(axis=1) / (len(members) - 1)
                groups.append(
                    EventGroup(
                        tuple(int(i) for i in idx[members]),
                        tuple(round(float(v), 4) for v in mean),
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
    a later development is another event of the thread), for a table (results,
    standings) or a digest (a roundup, a newsletter): it covers many happenings, and for
    a dated article with an undated one under the model's ``undated_threshold``: their
    days cannot be compared, so only strong evidence joins them."""

    def probability(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        apart = space.days_apart(a, b) > cfg.event_max_days  # NaN (undated): False
        many = space.covers_many[a] | space.covers_many[b]
        p = model.probability(x)
        one_dated = np.isnan(space.day[a]) != np.isnan(space.day[b])
        weak = one_dated & (p < model.undated_threshold)
        return np.where(apart | many | weak, 0.0, p)

    return probability


def thread_similarity(space: EventSpace, cfg: DedupConfig) -> PairScores:
    """How much each pair shares its subject: body and lead cosines, 0 for two articles
    dated more than ``thread_max_days`` apart."""

    def similarity(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        sim = (1 - cfg.thread_lead_weight) * x[:, _BODY] + cfg.thread_lead_weight * x[:, _LEAD]
        return np.where(space.days_apart(a, b) > cfg.thread_max_days, 0.0, sim)

    return similarity


def _logit(p: np.ndarray | float) -> np.ndarray:
    """The log-odds of ``p``, kept finite (``p`` held ``_EDGE`` inside (0, 1))."""
    return logit(np.clip(p, _EDGE, 1 - _EDGE))


def estimated_share(p: np.ndarray, trained: float) -> float:
    """The share of one happening among pairs with the probabilities ``p``, calibrated at
    the share ``trained``, by EM (Saerens, Latinne and Decaestecker 2002): each round
    re-weighs every pair's probability to the current share and takes their mean as the
    next."""
    p = np.clip(p, _EDGE, 1 - _EDGE)
    share = trained
    for _ in range(_EM_ROUNDS):
        yes = share / trained * p
        following = float(np.mean(yes / (yes + (1 - share) / (1 - trained) * (1 - p))))
        settled = abs(following - share) < _EM_TOLERANCE
        share = following
        if settled:
            break
    return share


def prior_shift(p: np.ndarray, trained: float, reference: float) -> float:
    """How much lower, in log-odds, the share of one happening is among pairs with the
    probabilities ``p`` (:func:`estimated_share`, never under one pair's worth,
    ``1 / len(p)``: where no pair stands out the estimate is none, which would part every
    pair whatever its evidence) than the ``reference`` (the estimate on the training
    pairs); 0 when it is not lower, or nothing is known."""
    if not len(p) or not 0 < trained < 1 or not 0 < reference < 1:
        return 0.0
    share = max(estimated_share(p, trained), 1 / len(p))
    shift = float(_logit(share) - _logit(reference))
    return min(0.0, round(shift, 6))  # rounding error is no shift


def _undated_shifted(space: EventSpace, probability: PairScores, shift: float) -> PairScores:
    """``probability`` with the log-odds of pairs of two undated articles moved by
    ``shift`` (a probability of 0 stays 0)."""

    def shifted(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        return _moved(probability(a, b, x), np.isnan(space.day[a]) & np.isnan(space.day[b]), shift)

    return shifted


def _weekdays_apart_vetoed(space: EventSpace, probability: PairScores) -> PairScores:
    """``probability``, but 0 for two undated articles whose leads name days of the week,
    none in common (:meth:`EventSpace.weekdays_apart`)."""

    def vetoed(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        undated = np.isnan(space.day[a]) & np.isnan(space.day[b])
        return np.where(undated & space.weekdays_apart(a, b), 0.0, probability(a, b, x))

    return vetoed


def _moved(p: np.ndarray, where: np.ndarray, shift: float) -> np.ndarray:
    """``p`` with the log-odds of the pairs ``where`` holds moved by ``shift`` (0 stays 0)."""
    return np.where(where & (p > 0), expit(_logit(p) + shift), p)


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
    undated = (model.undated_share, model.undated_reference)
    return grouped_pairs(space, a, b, probability, model.threshold, cfg, undated)


def grouped_pairs(
    space: EventSpace,
    a: np.ndarray,
    b: np.ndarray,
    probability: PairScores,
    threshold: float,
    cfg: DedupConfig,
    undated: tuple[float, float] = (0.0, 0.0),
) -> Groups:
    """Event groups (average ``probability`` at least ``threshold``) and threads of the
    articles of ``space`` from their candidate pairs ``(a, b)``; the probabilities of
    pairs of two undated articles are lowered to the corpus's own share
    (:func:`prior_shift`; ``undated``: the model's ``undated_share`` and
    ``undated_reference``, zeros to leave them as they are)."""
    similarity = thread_similarity(space, cfg)
    p, sim = candidate_scores(space, a, b, cfg, probability, similarity)
    both_undated = np.isnan(space.day[a]) & np.isnan(space.day[b])
    shift = prior_shift(p[both_undated], *undated)
    if shift < 0:
        log.info(
            "events: %d candidate pairs of two undated articles, lowered by %.2f in "
            "log-odds to the corpus's share of one happening",
            int(both_undated.sum()),
            -shift,
        )
        probability = _undated_shifted(space, probability, shift)
        p = _moved(p, both_undated, shift)
        if shift < _STREAM_SHIFT:
            probability = _weekdays_apart_vetoed(space, probability)
            p = np.where(both_undated & space.weekdays_apart(a, b), 0.0, p)
    size = cfg.event_max_component
    events = average_link_groups(space, a, b, p, probability, threshold, size)
    threads = average_link_groups(space, a, b, sim, similarity, cfg.thread_similarity, size)
    n = space.body.shape[0]
    return Groups(
        sorted(events, key=lambda g: g.members),
        sorted(_merged(n, threads, events), key=lambda g: g.members),
    )
