"""Fit the label model (:mod:`pipeline.entities.labelmodel`) on public annotated text and
write its weights and card.

    python -m bench train-labels [--devsets DIR]

The names are those the pipeline finds (the bundled NER model and the correction layers
that run before ``consistency``) in the validation documents of ``bench.train_ner``
(CoNLL-2003 train, 1 document in 10; GUM's shipped genres, their validation part): the
documents the NER model was not fitted on, where its labels err as they do on a new
corpus. On the documents it was fitted on it is nearly always right, and a model fitted
there learns to trust its votes too much (stacking). A name in one document gets the
gold label of its mentions that match a gold span exactly (the majority), ``NONE`` when
no gold span touches any of its mentions (a nationality, a product, a competition), and
is left out when its mentions only overlap gold spans (a boundary error, not a label).
The card's figures are cross-validated: five folds of documents, each predicted by a
model fitted on the other four.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.train_ner import SHIPPED_GENRES, gum_part
from pipeline.config import Config, load_config
from pipeline.core.engine import LocalEngine
from pipeline.entities.forms import normalise
from pipeline.entities.labelmodel import LABELS, MODEL_FILE, LabelModel, Seen, name_features
from pipeline.entities.layers import apply_layers
from pipeline.entities.layers.registry import selected
from pipeline.entities.mentions import model_mentions, spans_by_article
from pipeline.entities.model_pass import model_spans
from pipeline.ingest.documents import documents
from pipeline.ingest.files import list_inputs
from pipeline.segment.articles import articles

MODEL_PATH = Path("pipeline/entities/data") / MODEL_FILE
CARD = Path("docs/models/labels.md")
MIN_COUNT = 3  # a feature seen in fewer names is left out
SEED = 0

Example = tuple[dict[str, float], str]
FOLDS = 5


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _unseen(name: str, order: list[str]) -> bool:
    """Whether the NER model was not fitted on the document ``name`` (of ``order``, its
    dev set's documents sorted): its validation part (see ``bench.train_ner``)."""
    return order.index(name) % 10 == 0 if name.startswith("conll") else gum_part(name) == "valid"


def _names(root: Path, keep: set[str]) -> tuple[list[Example], list[str]]:
    """The labelled names of the NER model's validation documents among ``keep`` in a dev
    set (CoNLL: 1 in 10 by index; GUM: by :func:`gum_part`), as (features, label), and
    the document of each."""
    cfg: Config = load_config()
    before = tuple(x.name for x in selected(None) if x.name != "consistency")
    paths, _ = list_inputs(root / "raw")
    order = sorted(p.name for p in paths if p.name in keep)
    paths = [p for p in paths if p.name in keep and _unseen(p.name, order)]
    docs, _ = documents(paths, root / "raw", cfg.ingest)
    engine = LocalEngine()
    arts, _ = articles(docs, cfg.segment, engine)
    spans = model_spans(docs, arts, cfg.ner, engine)
    texts = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True)
    )
    names = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("path").to_pylist(), strict=True)
    )
    rows = arts.select(
        ["article_id", "doc_id", "path", "doc_start", "doc_end", "source"]
    ).to_pylist()
    found, _, others = model_mentions(rows, spans_by_article(spans), texts)
    found = apply_layers(found, texts, rows, replace(cfg.ner, layers=before), others)
    gold: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
    for g in _jsonl(root / "gold" / "entities.jsonl"):
        gold[g["doc"]][g["start"], g["end"]] = g["label"]
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for m in [*found, *others]:
        form = texts[m.doc_id][m.doc_start : m.doc_end]
        groups[m.doc_id, normalise(form)].append((form, m))
    found_names: list[Example] = []
    found_in: list[str] = []
    for (doc_id, _), members in sorted(groups.items()):
        name = names[doc_id]
        if not any(m.label in ("PERSON", "ORG", "PLACE") for _, m in members):
            continue
        spans_here = gold.get(name, {})
        exact = Counter(
            spans_here[m.doc_start, m.doc_end]
            for _, m in members
            if (m.doc_start, m.doc_end) in spans_here
        )
        touched = any(s < m.doc_end and m.doc_start < e for _, m in members for s, e in spans_here)
        if exact:
            label = exact.most_common(1)[0][0]
        elif not touched:
            label = "NONE"
        else:
            continue
        form = Counter(f for f, _ in members).most_common(1)[0][0]
        seen = [Seen(m.doc_start, m.doc_end, m.label) for _, m in members]
        found_names.append((name_features(form, texts[doc_id], seen), label))
        found_in.append(name)
    return found_names, found_in


def _baseline(examples: list[Example]) -> list[str]:
    """The label the model's own majority gives each name (what the votes decide)."""
    out = []
    for feats, _ in examples:
        shares = {
            lab: feats.get(f"model={lab}", 0.0) for lab in ("PERSON", "ORG", "PLACE", "OTHER")
        }
        best = max(shares, key=lambda k: shares[k])
        out.append("NONE" if best == "OTHER" else best)
    return out


def _report(gold: list[str], pred: list[str]) -> dict[str, float]:
    out = {"accuracy": float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))}
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(label), gold.count(label)
        out[label] = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    return out


def _fit(examples: list[Example]) -> LabelModel:
    """A label model fitted on ``examples`` (features seen in ``MIN_COUNT`` names)."""
    counts = Counter(k for feats, _ in examples for k in feats)
    vec = DictVectorizer(sparse=True)
    vec.fit([{k: 1.0 for k, n in counts.items() if n >= MIN_COUNT}])
    x = vec.transform([f for f, _ in examples])
    clf = LogisticRegression(C=1.0, max_iter=3000, random_state=SEED)
    clf.fit(x, [lab for _, lab in examples])
    order = [list(clf.classes_).index(lab) for lab in LABELS]
    return LabelModel(
        tuple(vec.feature_names_),
        tuple(tuple(float(v) for v in clf.coef_[k]) for k in order),
        tuple(float(clf.intercept_[k]) for k in order),
    )


def _predict(model: LabelModel, examples: list[Example]) -> list[str]:
    return [max(model.probabilities(f).items(), key=lambda kv: kv[1])[0] for f, _ in examples]


def _cross_validated(examples: list[Example], docs: list[str]) -> list[str]:
    """Each name's label by a model fitted without its document's fold."""
    pred = [""] * len(examples)
    for train, test in GroupKFold(n_splits=FOLDS).split(examples, groups=docs):
        model = _fit([examples[i] for i in train])
        for i, label in zip(test, _predict(model, [examples[i] for i in test]), strict=True):
            pred[i] = label
    return pred


def run(devsets: str) -> None:
    """Fit, measure by cross-validation, write the model and its card."""
    root = Path(devsets)
    genres = json.loads((root / "gum" / "gold" / "genres.json").read_text(encoding="utf-8"))
    gum_keep = {n for g in SHIPPED_GENRES for n in genres[g] if gum_part(n) != "heldout"}
    conll_keep = {p.name for p in (root / "conll-train" / "raw").iterdir()}
    examples: list[Example] = []
    docs: list[str] = []
    for folder, keep in ((root / "conll-train", conll_keep), (root / "gum", gum_keep)):
        found, found_in = _names(folder, keep)
        examples += found
        docs += found_in
    model = _fit(examples)
    MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
    gold = [lab for _, lab in examples]
    before = _report(gold, _baseline(examples))
    after = _report(gold, _cross_validated(examples, docs))
    CARD.write_text(_card(examples, len(set(docs)), model, before, after), encoding="utf-8")
    print(f"{len(examples)} names in {len(set(docs))} documents, {len(model.features)} features")
    print("the NER model's majority:", {k: round(v, 3) for k, v in before.items()})
    print("label model, cross-validated:", {k: round(v, 3) for k, v in after.items()})
    print(f"wrote {MODEL_PATH} and {CARD}")


def _card(examples: list, n_docs: int, model: LabelModel, before: dict, after: dict) -> str:
    def row(name: str, s: dict) -> str:
        return (
            f"| {name} | {s['accuracy']:.3f} | " + " | ".join(f"{s[k]:.3f}" for k in LABELS) + " |"
        )

    counts = Counter(lab for _, lab in examples)
    return f"""# Model card: the label model

`pipeline/entities/data/label_model.json`, written by `python -m bench train-labels`
(`bench/train_labels.py`), read by `pipeline/entities/labelmodel.py`; used by the
`consistency` layer to decide each name's label in each document. Plain numbers in JSON.

## What it does
For a name in one document (its mentions grouped by their normalised form), the
probability that it is a PERSON, an ORG, a PLACE or none of them (NONE: a nationality,
a product, a work, an event, a competition), from what the NER model called each mention
(including its other kinds: NORP, PRODUCT, WORK_OF_ART, EVENT, LAW, LANGUAGE), the two
words each side of each mention, and the name's shape (words, capitals, a known country
or place, an organization's head word).

## Data and licences
The names the pipeline finds (bundled NER model, layers before `consistency`) in the
documents the NER model was not fitted on: its validation documents of CoNLL-2003 train
(1 in 10; Reuters, research agreement) and of GUM's academic, bio, court, interview and
voyage genres (CC BY / CC BY-SA; the held-out part is never read), labelled by their
gold spans (see the module docstring of `bench/train_labels.py`). On the documents the
NER model was fitted on its votes are nearly always right, and a label model fitted
there trusts them too much. Names: {len(examples)} in {n_docs} documents
({", ".join(f"{k} {v}" for k, v in sorted(counts.items()))}). Features seen in at least
{MIN_COUNT} names: {len(model.features)}.

## Model
Multinomial logistic regression (scikit-learn, L2, C=1, lbfgs, seed {SEED}).

## Figures (five folds of documents, each predicted by a model fitted on the others;
accuracy, then F1 per label)
| labeller | accuracy | {" | ".join(LABELS)} |
|---|---|---|---|---|---|
{row("the NER model's majority label", before)}
{row("this model", after)}
"""
