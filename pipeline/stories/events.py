"""The same happening told by different outlets: the evidence two articles give, pair by
pair.

Each article becomes TF-IDF vectors (scikit-learn) over its words and its canonical
entities, the TF-IDF of its lead, and sets of what it states: numbers, measures in its
lead (money, a score, a percentage, a decimal), years, places, people and organizations
(weighted by their rarity in the corpus), the days of the week its lead names, and its
quotations.
For a pair of articles :meth:`EventSpace.features` turns these into one row of
:data:`FEATURES`; the fitted model (:mod:`pipeline.stories.eventmodel`) weighs them into
the probability that the two report one happening. Candidate pairs come from an inverted
index over each article's highest-weighted terms (terms in more than ``max_posting``
articles skipped), so the work grows near-linearly with the corpus.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.config import DedupConfig
from pipeline.core.paragraphs import stopwords
from pipeline.stories.coverage import is_digest, is_results_list, is_table

# A number as written ("613", "7.2", "1,300"); four-digit years are evidence of their own.
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
# Measures a lead states, by kind: money, a score or range, a percentage, a decimal (a
# magnitude, a rate). Two leads that state measures of one kind and share no measure
# ("a $45m bid", "a $60m bid"; "won 17-12", "won 21-19") tell different happenings.
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
# A quotation: text between double quotes, straight or typographic, on one line.
_QUOTE_RE = re.compile(r"[\"“”„]([^\"“”„\n]{20,}?)[\"“”]")
_QUOTE_WORDS = 5  # quotations compare by their runs of this many words
_QUOTE_SKETCH = 12  # and by at most this many of those runs
_WORD_PATTERN = r"(?u)\b\w[\w.]*\w\b|\b\w\b"
_WORD_RE = re.compile(_WORD_PATTERN)
_TOKEN_RE = re.compile(r"\S+")
_HEADLINE_MAX_WORDS = 30  # a first line longer than this is no headline
# A day of the week named (the standard library's names, as the entity layers read
# them): reports of one happening name its day ("on Tuesday"), reports of two
# happenings of one subject often name different days.
_WEEKDAY_RE = re.compile(rf"\b(?:{'|'.join(calendar.day_name)})\b")
LABELS = ("PERSON", "ORG", "PLACE")

FEATURES: tuple[str, ...] = (
    "body",  # cosine of the TF-IDF vectors of words and entities
    "lead",  # cosine of the leads' words (the first ``lead_words``)
    "title",  # cosine of the titles' words (a title, else a short first line)
    "numbers",  # share of the smaller set of stated numbers held by both
    "person",  # people in common, weighted by rarity (weighted Jaccard, one name's weight
    # added to the union: a single shared name is not the whole story)
    "org",  # organizations in common, likewise
    "place",  # places in common, likewise
    "years_disjoint",  # both name years, none in common
    "measures_differ",  # the leads state measures of one kind, none in common
    "day_shared",  # both name a day of the fortnight before them, one in common
    "days_disjoint",  # both name days of the fortnight before them, none in common
    "weekday_shared",  # both leads name a day of the week, one in common
    "weekdays_disjoint",  # both leads name days of the week, none in common
    "lead_named",  # share of the names of both leads that the other article names
    "lead_disjoint",  # both leads name someone or somewhere, the other article never does
    "lead_places_missing",  # both leads name places: share of them the other never names
    "head_countries_differ",  # both first lines (headlines) name places in known countries,
    # none in common
    "quotes_shared",  # a quotation in common (a run of five words inside quotes)
    "spread_max",  # the larger of the two counts of distinct entities per 100 words
)


@dataclass(frozen=True)
class EventEvidence:
    """What event grouping reads of one article."""

    text: str
    entities: tuple[str, ...]  # canonical entity ids of its mentions, repeats kept
    places: frozenset[str]
    years: frozenset[str]
    day: dt.date | None = None  # when it appeared: its published date, else a date line
    labels: tuple[str, ...] = ()  # the label of each of ``entities``, when known
    lead_entities: frozenset[str] = frozenset()  # entities named in its lead
    title: str | None = None
    # the countries of the places its first line (headline) names, where known
    head_countries: frozenset[str] = frozenset()
    recent_days: frozenset[dt.date] = frozenset()  # days it names in the fortnight before
    language: str | None = None  # ISO 639-1, where known


def _identity(items: Iterable[str]) -> Iterable[str]:
    return items


def _sets(items: list[Iterable[str]]) -> sp.csr_matrix:
    """One binary row per article over the given items (an empty matrix if none)."""
    if not any(items):
        return sp.csr_matrix((len(items), 1))
    return CountVectorizer(analyzer=_identity, binary=True).fit_transform(items).tocsr()


def _rarity_weighted(items: list[set[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """The binary matrix of ``items`` and the same weighted by each item's inverse
    document frequency (an entity most articles name says little)."""
    binary = _sets(items)
    df = np.asarray(binary.sum(axis=0)).ravel()
    idf = np.log((1 + len(items)) / (1 + df)) + 1.0
    return binary, (binary @ sp.diags(idf)).tocsr()


def _aligned(
    every: list[set[str]], some: list[frozenset[str]]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Binary matrices of ``every`` and of ``some`` (subsets of it) over one vocabulary."""
    vectorizer = CountVectorizer(analyzer=_identity, binary=True)
    if not any(every):
        empty = sp.csr_matrix((len(every), 1))
        return empty, empty
    return vectorizer.fit_transform(every).tocsr(), vectorizer.transform(some).tocsr()


def _first_line(text: str) -> str:
    """The text's first line when it is short enough to be a headline, else nothing."""
    line = text.strip().split("\n", 1)[0]
    return line if len(line.split()) <= _HEADLINE_MAX_WORDS else ""


def _quote_runs(text: str) -> set[str]:
    """Runs of five words inside the text's quotations, lower-cased: the
    ``_QUOTE_SKETCH`` of them with the smallest CRC-32 (a sketch: two texts that quote
    one sentence share its smallest runs, and a long quotation costs no more than a
    short one)."""
    runs = set()
    for quoted in _QUOTE_RE.findall(text):
        words = re.findall(r"\w+", quoted.lower())
        runs.update(
            " ".join(words[i : i + _QUOTE_WORDS]) for i in range(len(words) - _QUOTE_WORDS + 1)
        )
    return set(sorted(runs, key=lambda r: zlib.crc32(r.encode()))[:_QUOTE_SKETCH])


def _normal_measure(text: str) -> str:
    """A measure as written, spaces out and scale words short ("$ 160 million": "$160m",
    "7 per cent": "7%")."""
    out = re.sub(r"\s", "", text.lower())
    return out.replace("billion", "bn").replace("million", "m").replace("percent", "%")


def _content_words(text: str, language: str | None) -> str:
    """``text`` without the stopwords of its language (jusText's list) when that is not
    English (scikit-learn's English list applies to every text): two pages in one
    language otherwise look alike by their function words ("de", "la", "que")."""
    if language in (None, "en") or (stops := stopwords(language)) == stopwords("en"):
        return text
    return " ".join(w for w in _WORD_RE.findall(text) if w.lower() not in stops)


def _tfidf_of_lists(items: list[tuple[str, ...]]) -> sp.csr_matrix:
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(items)


class EventSpace:
    """The articles' vectors and sets, and the evidence of pairs of them under ``cfg``."""

    def __init__(self, evidence: list[EventEvidence], cfg: DedupConfig) -> None:
        self.cfg = cfg
        texts = [e.text for e in evidence]
        words = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, max_df=0.5, token_pattern=_WORD_PATTERN
        )
        languages = [e.language for e in evidence]

        def content(items: list[str]) -> list[str]:
            return [_content_words(t, lang) for t, lang in zip(items, languages, strict=True)]

        body = words.fit_transform(content(texts))
        ents = [e.entities for e in evidence]
        if any(ents):
            body = sp.hstack([body, cfg.event_entity_weight * _tfidf_of_lists(ents)], format="csr")
        self.body = normalize(body.tocsr())
        leads = [" ".join(t.split()[: cfg.lead_words]) for t in texts]
        self.lead = normalize(words.transform(content(leads)).tocsr())
        self.title = normalize(
            words.transform(content([e.title or _first_line(e.text) for e in evidence]))
        )
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
        self.named = [
            _rarity_weighted(
                [
                    {x for x, lab in zip(e.entities, e.labels, strict=True) if lab == label}
                    for e in evidence
                ]
            )
            for label in LABELS
        ]
        # The weight of a name held by two articles: what one shared name counts.
        self.typical_weight = float(np.log((1 + len(evidence)) / 3) + 1.0)
        self.named_all, self.named_lead = _aligned(
            [set(e.entities) for e in evidence], [e.lead_entities for e in evidence]
        )
        self.places_all, self.places_lead = _aligned(
            [set(e.places) for e in evidence], [e.lead_entities & e.places for e in evidence]
        )
        self.recent_days = _sets([{d.isoformat() for d in e.recent_days} for e in evidence])
        self.weekdays = _sets([set(_WEEKDAY_RE.findall(lead)) for lead in leads])
        self.head_countries = _sets([e.head_countries for e in evidence])
        self.quotes = _sets([_quote_runs(t) for t in texts])
        self.day = np.array([e.day.toordinal() if e.day else np.nan for e in evidence], float)
        n_words = np.array([max(len(_TOKEN_RE.findall(t)), 1) for t in texts], float)
        self.spread = 100.0 * np.array([len(set(e.entities)) for e in evidence]) / n_words
        matrices = [
            self.numbers,
            self.years,
            self.head_countries,
            self.named_lead,
            self.places_lead,
            self.recent_days,
            self.weekdays,
        ]
        self._sizes = {id(m): np.diff(m.indptr) for m in matrices}
        self._totals = {id(w): np.asarray(w.sum(axis=1)).ravel() for _, w in self.named}
        self.table = np.array([is_table(t, cfg) for t in texts], bool)
        self.results = np.array([is_results_list(t) for t in texts], bool)
        self.digest = np.array([is_digest(t, cfg) for t in texts], bool)
        # A table, a results list or a digest covers many happenings: it is one of none.
        self.covers_many = self.table | self.results | self.digest

    def features(
        self, a: np.ndarray, b: np.ndarray, known: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """The evidence of the pairs ``(a[k], b[k])``: one row each, one column per name in
        :data:`FEATURES` (``known``: columns already computed for these pairs)."""

        rows: dict[tuple[int, bool], sp.csr_matrix] = {}

        def sliced(m: sp.csr_matrix, second: bool) -> sp.csr_matrix:
            key = (id(m), second)
            if key not in rows:
                rows[key] = m[b if second else a]
            return rows[key]

        def cross(m: sp.csr_matrix, n: sp.csr_matrix, back: bool = False) -> np.ndarray:
            if not m.nnz or not n.nnz:
                return np.zeros(len(a))
            product = sliced(m, back).multiply(sliced(n, not back))
            return np.asarray(product.sum(axis=1)).ravel()

        known = known or {}
        size = self._sizes

        def dot(m: sp.csr_matrix) -> np.ndarray:
            return cross(m, m)

        def disjoint(m: sp.csr_matrix) -> np.ndarray:
            n = size[id(m)]
            return ((n[a] > 0) & (n[b] > 0) & (dot(m) == 0)).astype(float)

        def share(m: sp.csr_matrix) -> np.ndarray:
            n = size[id(m)]
            smaller = np.minimum(n[a], n[b])
            return np.divide(dot(m), smaller, out=np.zeros(len(a)), where=smaller > 0)

        def weighted_jaccard(binary: sp.csr_matrix, weighted: sp.csr_matrix) -> np.ndarray:
            common = cross(binary, weighted)
            total = self._totals[id(weighted)]
            return common / (total[a] + total[b] - common + self.typical_weight)

        def lead_in_other(lead: sp.csr_matrix, every: sp.csr_matrix) -> tuple[np.ndarray, ...]:
            """Per pair: how many names of the two leads the other article names, how many
            names the leads hold, and whether both leads name one."""
            found = cross(lead, every) + cross(lead, every, back=True)
            n = size[id(lead)]
            return found, n[a] + n[b], (n[a] > 0) & (n[b] > 0)

        in_other, lead_total, both_lead = lead_in_other(self.named_lead, self.named_all)
        places_found, places_total, both_places = lead_in_other(self.places_lead, self.places_all)
        kinds = self.measure_kinds
        shared_measures = dot(self.measures)
        columns = {
            "body": known["body"] if "body" in known else dot(self.body),
            "lead": known["lead"] if "lead" in known else dot(self.lead),
            "title": dot(self.title),
            "numbers": share(self.numbers),
            **{
                label.lower(): weighted_jaccard(*m)
                for label, m in zip(LABELS, self.named, strict=True)
            },
            "years_disjoint": disjoint(self.years),
            "measures_differ": (((kinds[a] & kinds[b]) > 0) & (shared_measures == 0)).astype(float),
            "day_shared": (dot(self.recent_days) > 0).astype(float),
            "days_disjoint": disjoint(self.recent_days),
            "weekday_shared": (dot(self.weekdays) > 0).astype(float),
            "weekdays_disjoint": self.weekdays_apart(a, b).astype(float),
            "lead_named": np.divide(
                in_other, lead_total, out=np.zeros(len(a)), where=lead_total > 0
            ),
            "lead_disjoint": (both_lead & (in_other == 0)).astype(float),
            "lead_places_missing": np.where(
                both_places, 1.0 - places_found / np.maximum(places_total, 1), 0.0
            ),
            "head_countries_differ": disjoint(self.head_countries),
            "quotes_shared": (dot(self.quotes) > 0).astype(float),
            "spread_max": np.maximum(self.spread[a], self.spread[b]),
        }
        return np.column_stack([columns[name] for name in FEATURES])

    def weekdays_apart(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether the leads of the pairs ``(a[k], b[k])`` both name days of the week, none
        in common (the feature ``weekdays_disjoint``, as booleans)."""
        n = self._sizes[id(self.weekdays)]
        common = np.asarray(self.weekdays[a].multiply(self.weekdays[b]).sum(axis=1)).ravel()
        return (n[a] > 0) & (n[b] > 0) & (common == 0)

    def cosines(self, a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
        """The ``body`` and ``lead`` cosines of the pairs ``(a[k], b[k])``."""
        return {
            name: np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel()
            for name, m in (("body", self.body), ("lead", self.lead))
        }

    def days_apart(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Days between the days of the pairs ``(a[k], b[k])``; NaN unless both are
        dated."""
        return np.abs(self.day[a] - self.day[b])

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
