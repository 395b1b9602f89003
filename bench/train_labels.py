"""Fit the label model (:mod:`pipeline.entities.labelmodel`) on public annotated text and
write its weights and card.

    python -m bench train-labels [--devsets DIR] [--folds DIR] [--epochs N]

The names are those the pipeline finds (an NER model and the correction layers that run
before ``consistency``) in CoNLL-2003 train and GUM's shipped genres (not their held-out
part), each document tagged by an NER model that was not fitted on it, so that its
labels err as they do on a new corpus (a label model fitted on the NER model's own
training documents learns to trust its votes too much: stacking). The NER model's
validation documents (``bench.train_ner``) are tagged by the bundled model; its training
documents by two fold models, each fine-tuned by the same recipe on one half of them
(:func:`bench.train_ner.fold_models`, about 20 minutes each on 2 cores, kept in
``--folds`` and reused while their recipe is unchanged) and tagging the other half.
A name in one document gets the gold label of its mentions that match a gold span
exactly (the majority), ``NONE`` when no gold span touches any of its mentions (a
nationality, a product, a competition), and is left out when its mentions only overlap
gold spans (a boundary error, not a label). The card's figures are cross-validated:
five folds of documents, each predicted by a model fitted on the other four.
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

from bench.train_ner import fold_models, splits
from pipeline.config import Config, load_config
from pipeline.core.engine import LocalEngine
from pipeline.entities.forms import normalise
from pipeline.entities.labelmodel import (
    LABELS,
    MODEL_FILE,
    LabelModel,
    Seen,
    document_surnames,
    joined_labels,
    name_features,
)
from pipeline.entities.layers import apply_layers
from pipeline.entities.layers.registry import selected
from pipeline.entities.mentions import model_mentions, spans_by_article
from pipeline.entities.model import BUNDLED
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


def _names(root: Path, chosen: set[str], model: str) -> tuple[list[Example], list[str]]:
    """The labelled names the pipeline finds with the NER ``model`` in the documents
    ``chosen`` of a dev set, as (features, label), and the document of each."""
    cfg: Config = load_config()
    ner = replace(cfg.ner, model=model)
    before = tuple(x.name for x in selected(None) if x.name != "consistency")
    paths, _ = list_inputs(root / "raw")
    paths = [p for p in paths if p.name in chosen]
    docs, _ = documents(paths, root / "raw", cfg.ingest)
    engine = LocalEngine()
    arts, _ = articles(docs, cfg.segment, engine)
    spans = model_spans(docs, arts, ner, engine)
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
    found = apply_layers(found, texts, rows, replace(ner, layers=before), others)
    gold: dict[str, dict[tuple[int, int], str]] = defaultdict(dict)
    for g in _jsonl(root / "gold" / "entities.jsonl"):
        gold[g["doc"]][g["start"], g["end"]] = g["label"]
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for m in [*found, *others]:
        form = texts[m.doc_id][m.doc_start : m.doc_end]
        groups[m.doc_id, normalise(form)].append((form, m))
    surnames = document_surnames(
        (m.doc_id, form, m.label) for members in groups.values() for form, m in members
    )
    joined = joined_labels(
        texts,
        (
            (m.doc_id, Seen(m.doc_start, m.doc_end, m.label))
            for members in groups.values()
            for _, m in members
        ),
    )
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
        found_names.append(
            (
                name_features(
                    form, texts[doc_id], seen, surnames.get(doc_id, frozenset()), joined[doc_id]
                ),
                label,
            )
        )
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


def run(devsets: str, folds: str, epochs: int) -> None:
    """Fit, measure by cross-validation, write the model and its card."""
    root = Path(devsets)
    parts = splits(root)
    validation = {n for key in ("conll_valid", "gum_valid") for n, _, _ in parts[key]}
    taggers = [(BUNDLED, validation)]
    taggers += [(str(p), unseen) for p, unseen in fold_models(root, Path(folds), epochs)]
    examples: list[Example] = []
    docs: list[str] = []
    for model, chosen in taggers:
        for folder in (root / "conll-train", root / "gum"):
            found, found_in = _names(folder, chosen, model)
            examples += found
            docs += found_in
    model = _fit(examples)
    MODEL_PATH.write_text(model.to_json(), encoding="utf-8")
    gold = [lab for _, lab in examples]
    predicted = _cross_validated(examples, docs)
    own = [i for i, d in enumerate(docs) if d in validation]
    figures = {
        "all": (_report(gold, _baseline(examples)), _report(gold, predicted)),
        "validation": (
            _report([gold[i] for i in own], _baseline([examples[i] for i in own])),
            _report([gold[i] for i in own], [predicted[i] for i in own]),
        ),
    }
    CARD.write_text(_card(examples, docs, validation, model, figures), encoding="utf-8")
    print(f"{len(examples)} names in {len(set(docs))} documents, {len(model.features)} features")
    for part, (before, after) in figures.items():
        print(f"{part}: the NER model's majority", {k: round(v, 3) for k, v in before.items()})
        print(f"{part}: label model, cross-validated", {k: round(v, 3) for k, v in after.items()})
    print(f"wrote {MODEL_PATH} and {CARD}")


def _card(
    examples: list[Example],
    docs: list[str],
    validation: set[str],
    model: LabelModel,
    figures: dict[str, tuple[dict, dict]],
) -> str:
    def row(names: str, labeller: str, s: dict) -> str:
        scores = " | ".join(f"{s[k]:.3f}" for k in ("accuracy", *LABELS))
        return f"| {names} | {labeller} | {scores} |"

    counts = Counter(lab for _, lab in examples)
    val_names = "validation documents (bundled NER)"
    n_valid = sum(d in validation for d in docs)
    (all_before, all_after), (val_before, val_after) = figures["all"], figures["validation"]
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
or place, whether its first word is a given name of the 1990 US Census lists, an
organization's head word, whether a single word is the surname of a person the
document names in full), and the labels of the names it is joined to ("X and Y", "X, Y",
"X v Y", "X beat Y").

## Data and licences
The names the pipeline finds (NER model, layers before `consistency`) in CoNLL-2003
train (Reuters, research agreement) and in GUM's academic, bio, court, interview and
voyage genres (CC BY / CC BY-SA; the held-out part is never read), each document tagged
by an NER model that was not fitted on it, so that its labels err as they do on a new
corpus (a label model fitted on a model's own training documents trusts its votes too
much):
- the NER model's validation documents (CoNLL 1 in 10, GUM's validation part): the
  bundled NER model; {n_valid} names;
- its training documents: two fold models, each fine-tuned as the bundled model (same
  recipe, `bench.train_ner.fold_models`) on one half of them and tagging the other half;
  {len(examples) - n_valid} names. The fold models are trained by this command (once; kept
  in the temp folder) and are not shipped.

Names are labelled by their gold spans (see the module docstring of
`bench/train_labels.py`). Names: {len(examples)} in {len(set(docs))} documents
({", ".join(f"{k} {v}" for k, v in sorted(counts.items()))}). Features seen in at least
{MIN_COUNT} names: {len(model.features)}.

## Model
Multinomial logistic regression (scikit-learn, L2, C=1, lbfgs, seed {SEED}).

## Figures (five folds of documents, each predicted by a model fitted on the others;
accuracy, then F1 per label)
| names | labeller | accuracy | {" | ".join(LABELS)} |
|---|---|---|---|---|---|---|
{row("all", "the NER model's majority label", all_before)}
{row("all", "this model", all_after)}
{row(val_names, "the NER model's majority label", val_before)}
{row(val_names, "this model", val_after)}
"""
