"""The same event told by different outlets, found from the text alone.

Each article becomes TF-IDF vectors (scikit-learn) over its words and its canonical
entities, plus the TF-IDF of its lead, the numbers it states and the years and places it
names. Similarity is a weighted sum of the body cosine, the lead cosine and the share of
numbers two articles have in common; evidence against one event is added to the
distance: both are dated and further apart than a few days (reports of one event appear
together), the two name years and none in common (the same earthquake a year later),
they name places and none in common ("screened in Oslo", "screened in Lyon"), their
leads state measures of one kind (money, a score, a percentage, a decimal) and share no
measure ("a $45m bid", "a $60m bid"). Candidates come from an inverted index over each
article's highest-weighted terms (terms in more than ``max_posting`` articles skipped),
so the work grows near-linearly with the corpus; the candidate pairs close enough form
components, and inside each component average-link agglomerative clustering decides the
groups, so a group holds together as a whole rather than through a chain of pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.config import DedupConfig

# A number as written ("613", "7.2", "1,300"); four-digit years are evidence of their own.
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
# Measures a lead states, by kind: money, a score or range, a percentage, a decimal (a
# magnitude, a rate). Two leads that state measures of one kind and share no measure
# ("a $45m bid", "a $60m bid"; "won 17-12", "won 21-19") tell different events.
_AMOUNT = r"\d(?:[\d,.]*\d)?"  # "45", "1,300", "2.5"; never a sentence's full stop
_MEASURE_RES = (
    re.compile(
        rf"[$£€¥]\s?{_AMOUNT}(?:\s?(?:bn|m|k|billion|million|trillion)\b)?"
        rf"|{_AMOUNT}\s?(?:bn|m|billion|million)?\s?(?:dollars|pounds|euros)\b",
        re.I,
    ),
    re.compile(r"\b\d{1,3} ?- ?\d{1,3}\b"),
    re.compile(rf"{_AMOUNT}\s?(?:%|per ?cent\b|percent\b)", re.I),
    re.compile(r"\b\d+(?:\.| \. )\d+\b"),  # "6.1", or "6 . 1" in tokenised text
)
_PAIR_BLOCK = 100_000  # candidate pairs scored at once
_WORD_PATTERN = r"(?u)\b\w[\w.]*\w\b|\b\w\b"


@dataclass(frozen=True)
class EventEvidence:
    """What event grouping reads of one article."""

    text: str
    entities: tuple[str, ...]  # canonical entity ids of its mentions, repeats kept
    places: frozenset[str]
    years: frozenset[str]
    published: dt.date | None = None


@dataclass(frozen=True)
class EventGroup:
    """Articles (indices) that report one event, each with its mean similarity to the
    others."""

    members: tuple[int, ...]
    scores: tuple[float, ...]


def _identity(items: Iterable[str]) -> Iterable[str]:
    return items


def _sets(items: list[Iterable[str]]) -> sp.csr_matrix:
    """One binary row per article over the given items (an empty matrix if none)."""
    if not any(items):
        return sp.csr_matrix((len(items), 1))
    return CountVectorizer(analyzer=_identity, binary=True).fit_transform(items).tocsr()


class EventSpace:
    """The articles' vectors, and distances between them under ``cfg``."""

    def __init__(self, evidence: list[EventEvidence], cfg: DedupConfig) -> None:
        self.cfg = cfg
        texts = [e.text for e in evidence]
        words = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, max_df=0.5, token_pattern=_WORD_PATTERN
        )
        body = words.fit_transform(texts)
        ents = [e.entities for e in evidence]
        if any(ents):
            body = sp.hstack([body, cfg.event_entity_weight * _tfidf_of_lists(ents)], format="csr")
        self.body = normalize(body.tocsr())
        leads = [" ".join(t.split()[: cfg.lead_words]) for t in texts]
        self.lead = normalize(words.transform(leads).tocsr())
        self.numbers = _sets(
            [{n for n in _NUMBER_RE.findall(t) if not _YEAR_RE.fullmatch(n)} for t in texts]
        )
        stated = [
            [{_normal_measure(x) for x in pattern.findall(lead)} for pattern in _MEASURE_RES]
            for lead in leads
        ]
        self.measures = _sets([{f"{k}:{v}" for k, vs in enumerate(m) for v in vs} for m in stated])
        # Bit k set: the lead states a measure of kind k.
        self.measure_kinds = np.array(
            [sum(1 << k for k, vs in enumerate(m) if vs) for m in stated], np.int64
        )
        self.years = _sets([e.years for e in evidence])
        self.day = np.array(
            [e.published.toordinal() if e.published else np.nan for e in evidence], float
        )
        self.places = _sets([e.places for e in evidence])

    def pair_distances(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Distances of the pairs ``(a[k], b[k])``."""

        def dot(m: sp.csr_matrix) -> np.ndarray:
            return np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()

        def sizes(m: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
            n = np.diff(m.indptr)
            return n[a], n[b]

        kinds = self.measure_kinds
        return self._distance(
            dot, sizes, np.abs(self.day[a] - self.day[b]), (kinds[a] & kinds[b]) > 0
        )

    def matrix(self, idx: np.ndarray) -> np.ndarray:
        """The square distance matrix of the articles ``idx``."""

        def dot(m: sp.csr_matrix) -> np.ndarray:
            sub = m[idx]
            return (sub @ sub.T).toarray()

        def sizes(m: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
            n = np.diff(m.indptr)[idx].astype(float)
            return n[:, None], n[None, :]

        day, kinds = self.day[idx], self.measure_kinds[idx]
        d = self._distance(
            dot, sizes, np.abs(day[:, None] - day[None, :]), (kinds[:, None] & kinds) > 0
        )
        np.fill_diagonal(d, 0.0)
        return d

    def _distance(
        self,
        dot: Callable[[sp.csr_matrix], np.ndarray],
        sizes: Callable[[sp.csr_matrix], tuple[np.ndarray, np.ndarray]],
        days_apart: np.ndarray,
        measure_kind_shared: np.ndarray,
    ) -> np.ndarray:
        """1 minus the similarity, plus the penalties; ``dot`` and ``sizes`` give, for
        one of the matrices, the pairs' dot products and their rows' numbers of items
        (for pairs, or for a square block); ``days_apart`` and ``measure_kind_shared``
        (both leads state a measure of one kind) are given for the same pairs."""
        cfg = self.cfg

        def disjoint(m: sp.csr_matrix) -> np.ndarray:
            """1 where both name something and nothing in common."""
            na, nb = sizes(m)
            return ((na > 0) & (nb > 0) & (dot(m) == 0)).astype(float)

        measures_differ = measure_kind_shared & (dot(self.measures) == 0)
        na, nb = sizes(self.numbers)
        smaller = np.minimum(na, nb)
        shared = dot(self.numbers)
        number_share = np.divide(
            shared, smaller, out=np.zeros_like(shared, float), where=smaller > 0
        )
        sim = (
            (1 - cfg.event_lead_weight) * dot(self.body)
            + cfg.event_lead_weight * dot(self.lead)
            + cfg.event_number_weight * number_share
        )
        return (
            1.0
            - sim
            + cfg.event_year_penalty * disjoint(self.years)
            + cfg.event_place_penalty * disjoint(self.places)
            + cfg.event_measure_penalty * measures_differ
            + cfg.event_date_penalty * (days_apart > cfg.event_max_days)  # NaN: undated
        )

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(a, b)``, ``a < b``, that share one of their ``event_top_terms``
        highest-weighted terms, among terms held by at most ``event_max_posting``."""
        postings: dict[int, list[int]] = defaultdict(list)
        m = self.body
        for i in range(m.shape[0]):
            lo, hi = m.indptr[i], m.indptr[i + 1]
            order = np.argsort(-m.data[lo:hi], kind="stable")[: self.cfg.event_top_terms]
            for term in m.indices[lo:hi][order]:
                postings[int(term)].append(i)
        codes = []
        for members in postings.values():
            if 1 < len(members) <= self.cfg.event_max_posting:
                x, y = np.triu_indices(len(members), k=1)
                arr = np.asarray(members, dtype=np.int64)
                codes.append(arr[x] * m.shape[0] + arr[y])
        if not codes:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        pairs = np.unique(np.concatenate(codes))
        return pairs // m.shape[0], pairs % m.shape[0]


def _normal_measure(text: str) -> str:
    """A measure as written, spaces out and scale words short ("$ 160 million": "$160m",
    "7 per cent": "7%")."""
    out = re.sub(r"\s", "", text.lower())
    return out.replace("billion", "bn").replace("million", "m").replace("percent", "%")


def _tfidf_of_lists(items: list[tuple[str, ...]]) -> sp.csr_matrix:
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(items)


def _components(
    n: int, a: np.ndarray, b: np.ndarray, distance: np.ndarray, limit: float, cfg: DedupConfig
) -> list[np.ndarray]:
    """The connected components (two or more articles) of the pairs within ``limit``; a
    component larger than ``event_max_component`` is split again with a limit lower by
    0.05, so the clustering's square matrices stay small."""
    close = distance <= limit
    graph = sp.coo_matrix((np.ones(int(close.sum())), (a[close], b[close])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    out = []
    for c in np.unique(label[a[close]]) if close.any() else ():
        idx = np.flatnonzero(label == c)
        if len(idx) <= cfg.event_max_component:
            out.append(idx)
            continue
        inside = np.isin(a, idx) & np.isin(b, idx)
        out += _components(n, a[inside], b[inside], distance[inside], limit - 0.05, cfg)
    return out


def event_groups(evidence: list[EventEvidence], cfg: DedupConfig) -> list[EventGroup]:
    """Groups of two or more articles that report the same event (see the module)."""
    if len(evidence) < 2:
        return []
    try:
        space = EventSpace(evidence, cfg)
    except ValueError:  # scikit-learn: no word is left that tells the articles apart
        return []
    a, b = space.candidates()
    if not len(a):
        return []
    distance = np.concatenate(  # in blocks: a block's rows are copied out of the matrices
        [
            space.pair_distances(a[k : k + _PAIR_BLOCK], b[k : k + _PAIR_BLOCK])
            for k in range(0, len(a), _PAIR_BLOCK)
        ]
    )
    members = _components(len(evidence), a, b, distance, cfg.event_distance, cfg)
    groups = []
    for idx_arr in members:
        dist = space.matrix(idx_arr)
        labels = (
            AgglomerativeClustering(
                n_clusters=None,
                metric="precomputed",
                linkage="average",
                distance_threshold=cfg.event_distance,
            )
            .fit(dist)
            .labels_
        )
        for label in np.unique(labels):
            at = np.flatnonzero(labels == label)
            if len(at) < 2:
                continue
            sub = dist[np.ix_(at, at)]
            mean = 1.0 - sub.sum(axis=1) / (len(at) - 1)
            groups.append(
                EventGroup(
                    tuple(int(i) for i in idx_arr[at]), tuple(round(float(s), 4) for s in mean)
                )
            )
    return sorted(groups, key=lambda g: g.members)
