"""Fine-tune the spaCy NER on public annotated text and write the model the pipeline ships.

    python -m bench train-ner [--devsets DIR] [--epochs N]

Data (built by ``../shared/devsets/build.py``; never ``conll`` dev nor the example gold):

- ``conll-train``: CoNLL-2003 English training split, PERSON/ORG/PLACE (MISC dropped); one
  document in ten (by index) is kept for validation.
- ``gum``: the GUM genres whose licences allow shipping weights (academic, bio, court,
  interview, voyage); each document goes to train, validation or held-out by a hash of its
  name (:func:`gum_part`). The other genres (non-commercial or unlicensed) are never
  trained on: with the held-out documents they form the held-out part that is reported.
- ``ecb`` (ECB+, CC BY 3.0): rehearsal. Its texts with the base model's own entities as
  targets, so that what ``en_core_web_sm`` knows of news survives the fine-tuning.

Targets: the gold spans (PERSON, ORG, and PLACE as the base model's GPE, LOC or FAC for
that span, else GPE); the base model's spans of its other labels (NORP, DATE, PRODUCT,
EVENT, WORK_OF_ART...) where they overlap no gold span, so those labels are rehearsed too;
everything else outside (a base PERSON, ORG or place the gold does not hold is a name of
no such type: a competition, a nationality). Training updates the ``ner`` component only
(it has its own embedding layer), seeded, for ``--epochs`` passes; the epoch with the best
validation F1 is kept. Validation decides that and nothing else; the figures reported
come from the held-out part and from the scorer on ``conll`` dev.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.entities.model import BASE_MODEL, BUNDLED_DIR

SEED = 0
UNUSED_PIPES = ["tagger", "parser", "lemmatizer", "attribute_ruler"]  # NER needs none
SHIPPED_GENRES = ("academic", "bio", "court", "interview", "voyage")
OURS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
CARD = Path("docs/models/ner.md")
DROPOUT = 0.2
GUM_WEIGHT = 3  # each GUM training document is seen this many times an epoch


def gum_part(name: str) -> str:
    """Which part a GUM document of a shipped genre belongs to: ``train`` (8 in 10),
    ``valid`` (1 in 10) or ``heldout`` (1 in 10), by the CRC-32 of its file name."""
    k = zlib.crc32(name.encode()) % 10
    return "valid" if k == 0 else "heldout" if k == 1 else "train"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _gold(root: Path) -> dict[str, list[tuple[int, int, str]]]:
    spans: dict[str, list[tuple[int, int, str]]] = {}
    path = root / "gold" / "entities.jsonl"
    for g in _jsonl(path) if path.exists() else []:
        spans.setdefault(g["doc"], []).append((g["start"], g["end"], g["label"]))
    return spans


def _docs(root: Path, names: Iterable[str]) -> list[tuple[str, str, list]]:
    gold = _gold(root)
    return [
        (n, (root / "raw" / n).read_text(encoding="utf-8"), gold.get(n, [])) for n in sorted(names)
    ]


def gum_heldout(gum: Path) -> list[str]:
    """The GUM documents never trained on nor used for validation: the held-out part of
    the shipped genres and every document of the other genres."""
    genres = json.loads((gum / "gold" / "genres.json").read_text(encoding="utf-8"))
    return sorted(
        n
        for g, names in genres.items()
        for n in names
        if g not in SHIPPED_GENRES or gum_part(n) == "heldout"
    )


def splits(devsets: Path) -> dict[str, list[tuple[str, str, list]]]:
    """The documents (name, text, gold spans) of each part: ``conll_train`` and
    ``conll_valid`` (1 in 10 by index), ``gum_train``, ``gum_valid`` and ``gum_heldout``
    (see :func:`gum_part` and :func:`gum_heldout`), and ECB+ ``rehearsal``."""
    conll = sorted(p.name for p in (devsets / "conll-train" / "raw").iterdir())
    genres = json.loads((devsets / "gum" / "gold" / "genres.json").read_text(encoding="utf-8"))
    shipped = [n for g in SHIPPED_GENRES for n in genres[g]]
    return {
        "conll_train": _docs(devsets / "conll-train", (n for i, n in enumerate(conll) if i % 10)),
        "conll_valid": _docs(devsets / "conll-train", conll[::10]),
        "gum_train": _docs(devsets / "gum", (n for n in shipped if gum_part(n) == "train")),
        "gum_valid": _docs(devsets / "gum", (n for n in shipped if gum_part(n) == "valid")),
        "gum_heldout": _docs(devsets / "gum", gum_heldout(devsets / "gum")),
        "rehearsal": _docs(devsets / "ecb", (p.name for p in (devsets / "ecb" / "raw").iterdir())),
    }


def _example(base: Language, text: str, gold: list[tuple[int, int, str]]) -> Example:
    """The training example of ``text``: gold spans, the base model's other labels where
    they overlap no gold span, everything else outside."""
    predicted = base(text)
    doc = base.make_doc(text)
    taken = [False] * len(doc)
    spans: list[Span] = []
    base_label = {(e.start_char, e.end_char): e.label_ for e in predicted.ents}
    for start, end, label in gold:
        if label == "PLACE":
            label = base_label.get((start, end), "GPE")
            label = label if label in ("GPE", "LOC", "FAC") else "GPE"
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is not None and not any(taken[span.start : span.end]):
            spans.append(span)
            taken[span.start : span.end] = [True] * len(span)
    for e in predicted.ents:
        if e.label_ not in OURS and not any(taken[e.start : e.end]):
            spans.append(Span(doc, e.start, e.end, label=e.label_))
            taken[e.start : e.end] = [True] * (e.end - e.start)
    target = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    target.ents = [Span(target, s.start, s.end, label=s.label_) for s in spans]
    return Example(doc, target)


def _rehearsal(base: Language, text: str) -> Example:
    """The base model's own entities of its other labels on ``text`` as the target; its
    people, organizations and places left unknown (no loss either way: they are what the
    fine-tuning corrects)."""
    predicted = base(text)
    doc = base.make_doc(text)
    target = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    kept = [Span(target, e.start, e.end, e.label_) for e in predicted.ents if e.label_ not in OURS]
    unknown = [Span(target, e.start, e.end) for e in predicted.ents if e.label_ in OURS]
    target.set_ents(kept, missing=unknown, default="outside")
    return Example(doc, target)


def _scores(nlp: Language, docs: list[tuple[str, str, list]]) -> dict[str, float]:
    """Strict P/R/F1 of PERSON/ORG/PLACE (GPE, LOC and FAC as PLACE) of the model alone."""
    tp = pred = gold = 0
    by_label = {k: [0, 0, 0] for k in ("PERSON", "ORG", "PLACE")}
    for (_, _, spans), doc in zip(docs, nlp.pipe(t for _, t, _ in docs), strict=True):
        want = {(s, e, lab) for s, e, lab in spans}
        got = {(x.start_char, x.end_char, OURS[x.label_]) for x in doc.ents if x.label_ in OURS}
        for label, counts in by_label.items():
            w = {x for x in want if x[2] == label}
            g = {x for x in got if x[2] == label}
            counts[0] += len(w & g)
            counts[1] += len(g)
            counts[2] += len(w)
        tp += len(want & got)
        pred += len(got)
        gold += len(want)
    out = {"ALL": _f1(tp, pred, gold)}
    out |= {label: _f1(*c) for label, c in by_label.items()}
    return out


def _f1(tp: int, pred: int, gold: int) -> float:
    return 2 * tp / (pred + gold) if pred + gold else 0.0


def fine_tune(
    base: Language,
    train: list[tuple[str, str, list]],
    gum_train: list[tuple[str, str, list]],
    rehearsal: list[tuple[str, str, list]],
    valid: list[tuple[str, str, list]],
    epochs: int,
) -> tuple[Language, list, int]:
    """The base model with its ``ner`` fine-tuned on ``train`` and ``gum_train`` (each GUM
    document ``GUM_WEIGHT`` times), rehearsed on ``rehearsal``, seeded; the epoch with the
    best F1 on ``valid`` is kept. Returns the model, the history (epoch, loss, validation
    scores, seconds) and the epoch kept."""
    fix_random_seed(SEED)
    t0 = time.perf_counter()
    examples = [_example(base, t, g) for _, t, g in train]
    examples += [_example(base, t, g) for _, t, g in gum_train] * GUM_WEIGHT
    rehearse = [_rehearsal(base, t) for _, t, _ in rehearsal]
    print(
        f"{len(examples)} training examples, {len(rehearse)} for rehearsal, {len(valid)} "
        f"for validation ({time.perf_counter() - t0:.0f} s to prepare)"
    )
    nlp = spacy.load(BASE_MODEL, exclude=UNUSED_PIPES)
    nlp.enable_pipe("senter")
    history = []
    best, best_f1, best_bytes = 0, -1.0, b""
    rng = random.Random(SEED)
    ner = nlp.get_pipe("ner")
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.resume_training()
        for epoch in range(1, epochs + 1):
            t0 = time.perf_counter()
            pool = examples + rehearse
            rng.shuffle(pool)
            losses: dict[str, float] = {}
            for batch in minibatch(pool, size=16):
                nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
            with nlp.use_params(optimizer.averages or {}):
                scores = _scores(nlp, valid)
                if scores["ALL"] > best_f1:
                    best, best_f1, best_bytes = epoch, scores["ALL"], ner.to_bytes()
            history.append((epoch, losses["ner"], scores, time.perf_counter() - t0))
            print(
                f"epoch {epoch}: loss {losses['ner']:.0f}, validation F1 "
                f"{scores['ALL']:.3f} ({time.perf_counter() - t0:.0f} s)"
            )
    ner.from_bytes(best_bytes)
    return nlp, history, best


def _half(name: str, index: int) -> int:
    """The half (0 or 1) of the training part a document falls in for the fold models:
    CoNLL by its index in the part, GUM by the CRC-32 of its file name."""
    return index % 2 if name.startswith("conll") else zlib.crc32(name.encode()) % 2


def fold_models(devsets: Path, folder: Path, epochs: int) -> list[tuple[Path, set[str]]]:
    """Two NER models fine-tuned as the bundled one, each on one half of its training
    documents (see :func:`_half`), in ``folder``; each with the training documents it
    never saw, whose names it labels as a new corpus's. A model already there from the
    same recipe (documents, epochs, seed) is reused."""
    parts = splits(devsets)
    valid = parts["conll_valid"] + parts["gum_valid"]
    out = []
    for k in (0, 1):
        train, gum, unseen = [], [], set()
        for key, kept in (("conll_train", train), ("gum_train", gum)):
            for i, doc in enumerate(parts[key]):
                if _half(doc[0], i) == k:
                    unseen.add(doc[0])
                else:
                    kept.append(doc)
        recipe = {
            "base": BASE_MODEL,
            "seed": SEED,
            "epochs": epochs,
            "gum_weight": GUM_WEIGHT,
            "dropout": DROPOUT,
            "trained_on": sorted(d[0] for d in train + gum),
        }
        path = folder / f"fold{k}"
        stamp = path / "recipe.json"
        if not stamp.exists() or json.loads(stamp.read_text(encoding="utf-8")) != recipe:
            print(f"fold {k}: training on {len(train) + len(gum)} documents")
            base = spacy.load(BASE_MODEL, exclude=UNUSED_PIPES)
            nlp, _, best = fine_tune(base, train, gum, parts["rehearsal"], valid, epochs)
            shutil.rmtree(path, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            nlp.to_disk(path)
            stamp.write_text(json.dumps(recipe), encoding="utf-8")
            print(f"fold {k}: kept epoch {best}; wrote {path}")
        out.append((path, unseen))
    return out


def run(devsets: str, epochs: int) -> None:
    """Fine-tune, keep the best validation epoch, write the model and its card."""
    parts = splits(Path(devsets))
    base = spacy.load(BASE_MODEL, exclude=UNUSED_PIPES)
    valid = parts["conll_valid"] + parts["gum_valid"]
    before_nlp = spacy.load(BASE_MODEL, exclude=UNUSED_PIPES)
    before_nlp.enable_pipe("senter")
    before = {
        "valid": _scores(before_nlp, valid),
        "gum_heldout": _scores(before_nlp, parts["gum_heldout"]),
    }
    nlp, history, best = fine_tune(
        base, parts["conll_train"], parts["gum_train"], parts["rehearsal"], valid, epochs
    )
    after = {"valid": _scores(nlp, valid), "gum_heldout": _scores(nlp, parts["gum_heldout"])}
    nlp.meta["name"] = "newsextract_ner"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "en_core_web_sm 3.8.0 with its NER fine-tuned on CoNLL-2003 train and GUM "
        "(academic, bio, court, interview, voyage), rehearsed on ECB+: docs/models/ner.md"
    )
    nlp.meta["sources"] = [
        {"name": "en_core_web_sm 3.8.0", "license": "MIT"},
        {"name": "CoNLL-2003 (Reuters RCV1)", "license": "Reuters research agreement"},
        {"name": "GUM 72ce5ac, five genres", "license": "CC BY 4.0 / CC BY 2.5 / CC BY-SA 3.0"},
        {"name": "ECB+ (rehearsal, base model's labels)", "license": "CC BY 3.0"},
    ]
    shutil.rmtree(BUNDLED_DIR, ignore_errors=True)
    nlp.to_disk(BUNDLED_DIR)
    CARD.write_text(_card(parts, history, best, before, after), encoding="utf-8")
    print(f"kept epoch {best}; wrote {BUNDLED_DIR} and {CARD}")


def _card(parts: dict, history: list, best: int, before: dict, after: dict) -> str:
    def row(name: str, s: dict[str, float]) -> str:
        cells = " | ".join(f"{s[k]:.3f}" for k in ("PERSON", "ORG", "PLACE", "ALL"))
        return f"| {name} | {cells} |"

    epochs = "\n".join(
        f"| {e} | {loss:.0f} | {s['ALL']:.3f} | {sec:.0f} |" for e, loss, s, sec in history
    )
    held = [n for n, _, _ in parts["gum_heldout"]]
    return f"""# Model card: the bundled NER model

`pipeline/entities/data/ner_model/`, written by `python -m bench train-ner`
(`bench/train_ner.py`); the default of `[ner] model` (`newsextract-ner`). A spaCy
pipeline directory (`tok2vec` and `senter` as in `en_core_web_sm` 3.8.0, `ner` fine-tuned);
spaCy's own format, loaded with `spacy.load`, no pickled code.

## Data and licences
| part | documents | use |
|---|---|---|
| CoNLL-2003 train, 9 in 10 documents | {len(parts["conll_train"])} | training |
| CoNLL-2003 train, 1 in 10 (by index) | {len(parts["conll_valid"])} | validation (epoch choice) |
| GUM academic, bio, court, interview, voyage: train | {len(parts["gum_train"])} | training |
| the same genres: validation | {len(parts["gum_valid"])} | validation (epoch choice) |
| the same genres held out, and every other genre | {len(parts["gum_heldout"])} | reported only |
| ECB+ texts, the base model's own entities | {len(parts["rehearsal"])} | rehearsal |

- CoNLL-2003: Reuters news (RCV1) of 1996 under the Reuters research agreement; the
  weights are a statistical model of it and hold no text.
- GUM (commit 72ce5ac): the trained genres are CC BY 4.0 (academic, court), CC BY 2.5
  (interview, Wikinews) and CC BY-SA 3.0 (bio, Wikipedia; voyage, Wikivoyage); the
  annotations CC BY 4.0. Non-commercial and unlicensed genres are used for measuring only.
- ECB+: CC BY 3.0, texts only (targets are the base model's output).
- Base: en_core_web_sm 3.8.0 (MIT).

GUM documents of the trained genres go to a part by the CRC-32 of their file name
(0 mod 10 validation, 1 mod 10 held out, else training). Held-out part:
{", ".join(held)}.

## Training
Targets: gold PERSON, ORG and PLACE (as the base model's GPE, LOC or FAC for that span,
else GPE); the base model's other labels where no gold span overlaps them; everything else
outside; in the rehearsal texts, the base model's other labels as targets and its people,
organizations and places left unknown (no loss). Each GUM document counts {GUM_WEIGHT} times
an epoch. Only `ner` is updated (it has its own embedding layer), minibatches of 16
documents, dropout {DROPOUT}, seed {SEED}, {len(history)} epochs; the epoch with the best
validation F1 (strict, PERSON/ORG/PLACE) is kept, with averaged parameters: epoch {best}.

| epoch | loss | validation F1 | seconds |
|---|---|---|---|
{epochs}

## Figures (the model alone, strict span and label; GPE, LOC, FAC as PLACE)
| set | PERSON | ORG | PLACE | all |
|---|---|---|---|---|
{row("validation, base model", before["valid"])}
{row("validation, this model", after["valid"])}
{row("GUM held-out part, base model", before["gum_heldout"])}
{row("GUM held-out part, this model", after["gum_heldout"])}

The pipeline's figures with its correction layers (scorer on `conll` dev, the GUM
held-out part and the example dev gold) are in the README, "People, organizations and
places".
"""
