"""The label of a name in one document, decided from all its mentions there: what the
model called each one (a person, an organization, a place, or a name of another kind:
a nationality, a product, a work, an event), the words around them ("shares in X",
"X's chief executive", "X beat Y", "in X", "Mr X"), and the name's own shape (its words,
capitals, whether it is a known country or place, whether it opens with a given name,
whether it holds an organization's head word, whether a single word is the surname of
a person named in full in the document), and what the names joined to it are ("X and
Y", "X, Y", "X v Y", "X beat Y": names coordinated or opposed so are mostly of one kind).

A multinomial logistic regression over these features, fitted on the mentions of
CoNLL-2003 train and GUM against their gold labels (``python -m bench train-labels``;
card ``docs/models/labels.md``), stored as plain numbers in JSON
(``pipeline/entities/data/label_model.json``): loading it runs no code.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from pipeline.core.spans import line_around
from pipeline.entities.wordlists import (
    country_names,
    given_names,
    honorifics,
    org_heads,
    place_names,
)

LABELS = ("PERSON", "ORG", "PLACE", "NONE")
MODEL_FILE = "label_model.json"
_TOKEN_RE = re.compile(r"'s\b|’s\b|\w+|[^\w\s]")
_WINDOW = 2  # context words each side
# What joins two names of one kind: coordination ("and", "or", a comma) and a contest
# ("v", "versus", "beat", "against").
_JOINS = frozenset({"and", "or", ",", "v", "v.", "vs", "vs.", "versus", "beat", "against"})


@dataclass(frozen=True)
class Seen:
    """One mention of a name: its span in its document and what the model called it
    (PERSON, ORG, PLACE, or another kind: NORP, PRODUCT...)."""

    start: int
    end: int
    label: str


def _context(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The ``_WINDOW`` tokens before and after a span, lower-cased, on its line."""
    line_start, line_end = line_around(text, start, end)
    left = _TOKEN_RE.findall(text[max(line_start, start - 60) : start].lower())[-_WINDOW:]
    right = _TOKEN_RE.findall(text[end : min(line_end, end + 60)].lower())[:_WINDOW]
    return left, right


def _kind(label: str) -> str:
    return label if label in ("PERSON", "ORG", "PLACE") else "OTHER"


def joined_labels(
    texts: Mapping[str, str], mentions: Iterable[tuple[str, Seen]]
) -> dict[str, dict[tuple[int, int], tuple[str, ...]]]:
    """Per document of ``texts``, for each of its mentions (``mentions``: (document,
    mention) pairs, every name's), the labels of the names next to it joined by a word
    of ``_JOINS`` on one line ("Harbour City and Northport", "Eastvale beat Westbrook")."""
    by_doc: dict[str, list[Seen]] = defaultdict(list)
    for doc_id, s in mentions:
        by_doc[doc_id].append(s)
    out: dict[str, dict[tuple[int, int], tuple[str, ...]]] = {}
    for doc_id, seen in by_doc.items():
        text = texts[doc_id]
        ordered = sorted(seen, key=lambda s: (s.start, s.end))
        found: dict[tuple[int, int], list[str]] = defaultdict(list)
        for x, y in itertools.pairwise(ordered):
            between = text[x.end : y.start]
            if "\n" not in between and between.strip().lower() in _JOINS:
                found[x.start, x.end].append(y.label)
                found[y.start, y.end].append(x.label)
        out[doc_id] = {span: tuple(labels) for span, labels in found.items()}
    return out


def name_features(
    form: str,
    text: str,
    seen: list[Seen],
    surnames: Collection[str] = frozenset(),
    joined: Mapping[tuple[int, int], tuple[str, ...]] | None = None,
) -> dict[str, float]:
    """The features of the name ``form`` from its mentions ``seen`` in ``text``;
    ``surnames``: its document's (:func:`document_surnames`), to mark a surname
    ("Okafor" after the person "Grace Okafor"); ``joined``: its document's
    (:func:`joined_labels`), the labels of the names each mention is joined to."""
    feats: Counter[str] = Counter()
    n = len(seen)
    joined = joined or {}
    for s in seen:
        feats[f"model={_kind(s.label)}"] += 1 / n
        for label in joined.get((s.start, s.end), ()):
            feats[f"joined={_kind(label)}"] += 1 / n
        left, right = _context(text, s.start, s.end)
        for k, w in enumerate(reversed(left), 1):
            feats[f"L{k}={w}"] += 1 / n
        for k, w in enumerate(right, 1):
            feats[f"R{k}={w}"] += 1 / n
        if left and left[-1].capitalize() in honorifics():
            feats["after_honorific"] += 1 / n
    parts = form.split()
    feats[f"words={min(len(parts), 3)}"] = 1.0
    feats["mentions"] = math.log1p(n)
    if len(form) > 1 and form.isupper():
        feats["capitals"] = 1.0
    if form in country_names():
        feats["country"] = 1.0
    elif form in place_names():
        feats["known_place"] = 1.0
    if parts and parts[0].capitalize() in given_names():
        feats["given_name" if len(parts) == 1 else "given_name_first"] = 1.0
    if any(p.strip(",.;:") in org_heads() for p in parts):
        feats["org_head"] = 1.0
    if form.endswith("s") and not form.endswith("ss"):
        feats["ends_s"] = 1.0
    if len(parts) == 1 and form in surnames:
        feats["surname"] = 1.0
    return dict(feats)


def document_surnames(names: Iterable[tuple[str, str, str]]) -> dict[str, frozenset[str]]:
    """Each document's surnames: the last words of its names of two or more words that
    most of their mentions call a person (ties: the label first in alphabetical order),
    from (document, name, label) triples, one per mention."""
    tallies: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for doc_id, form, label in names:
        if len(form.split()) > 1:
            tallies[doc_id, form][label] += 1
    out: dict[str, set[str]] = defaultdict(set)
    for (doc_id, form), tally in tallies.items():
        if max(sorted(tally), key=lambda k: tally[k]) == "PERSON":
            out[doc_id].add(form.split()[-1])
    return {doc_id: frozenset(words) for doc_id, words in out.items()}


@dataclass(frozen=True)
class LabelModel:
    """Weights of the label model: one row of ``coef`` per label of :data:`LABELS`."""

    features: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    # per feature, its weight for each label (coef transposed), built once
    _by_feature: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_feature", np.asarray(self.coef, float).T.copy())

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        """The probability of each label of :data:`LABELS` for one name's features."""
        index = _indices(self.features)
        z = np.array(self.intercept, float)
        for name, value in feats.items():
            k = index.get(name)
            if k is not None:
                z += value * self._by_feature[k]
        p = np.exp(z - z.max())
        p /= p.sum()
        return dict(zip(LABELS, p.tolist(), strict=True))

    def to_json(self) -> str:
        """The model as JSON, numbers to 8 significant digits."""
        return (
            json.dumps(
                {
                    "labels": LABELS,
                    "features": self.features,
                    "coef": [[float(f"{v:.8g}") for v in row] for row in self.coef],
                    "intercept": [float(f"{v:.8g}") for v in self.intercept],
                }
            )
            + "\n"
        )


@cache
def _indices(features: tuple[str, ...]) -> dict[str, int]:
    return {name: k for k, name in enumerate(features)}


@cache
def load_label_model() -> LabelModel:
    """The label model shipped with the package.

    Raises:
        ValueError: the file's labels are not :data:`LABELS` (retrain it).
    """
    text = resources.files("pipeline.entities").joinpath("data", MODEL_FILE).read_text("utf-8")
    raw = json.loads(text)
    if tuple(raw["labels"]) != LABELS:
        raise ValueError(
            f"{MODEL_FILE}: its labels are not {LABELS}; run python -m bench train-labels"
        )
    return LabelModel(
        tuple(raw["features"]),
        tuple(tuple(row) for row in raw["coef"]),
        tuple(raw["intercept"]),
    )
