"""Entity quality per layer: the pipeline with all default layers, with each default
layer switched off in turn, and with none (the bare model), on every dev set with entity
gold that is built (the example dev gold, CoNLL-2003 dev); strict span+label P/R/F1 per
label. On BBC, when built: junk mentions and the most frequent entities per label."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from bench.train_ner import gum_heldout
from pipeline.config import load_config
from pipeline.core.cache import ResultCache
from pipeline.core.engine import LocalEngine
from pipeline.entities.layers.registry import selected
from pipeline.entities.model import BASE_MODEL
from pipeline.entities.wordlists import honorifics
from pipeline.run import run_pipeline

LABELS = ("PERSON", "ORG", "PLACE")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def strict_scores(out: Path, gold: Path) -> dict[str, tuple[float, float, float]]:
    """Strict (exact span and label) P/R/F1 per label and ``ALL``, counting predictions
    inside the gold's regions only (as the project's scorer does)."""
    regions: dict[str, list[tuple[int, int]]] = {}
    for r in _jsonl(gold / "regions.jsonl"):
        regions.setdefault(r["doc"], []).append((r["start"], r["end"]))
    want = {(g["doc"], g["start"], g["end"], g["label"]) for g in _jsonl(gold / "entities.jsonl")}
    got = set()
    for m in pq.read_table(out / "mentions.parquet").to_pylist():
        doc = Path(m["path"]).name
        if any(s <= m["doc_start"] and m["doc_end"] <= e for s, e in regions.get(doc, ())):
            got.add((doc, m["doc_start"], m["doc_end"], m["label"]))
    scores = {}
    for label in (*LABELS, "ALL"):
        g = {x for x in want if label in ("ALL", x[3])}
        p = {x for x in got if label in ("ALL", x[3])}
        tp = len(g & p)
        prec, rec = tp / len(p) if p else 0.0, tp / len(g) if g else 0.0
        scores[label] = (prec, rec, 2 * prec * rec / (prec + rec) if tp else 0.0)
    return scores


def is_junk(text: str) -> bool:
    """A mention no reader would call a name: no capital letter, no letter at all, one
    character, or an honorific or role word alone."""
    stripped = text.strip().rstrip(".")
    return (
        not any(c.isupper() for c in text)
        or not any(c.isalpha() for c in text)
        or len(stripped) <= 1
        or stripped in honorifics()
    )


def _configs() -> list[tuple[str, dict]]:
    """(name, settings) of each configuration: all default layers, each one off in turn,
    the shipped model bare, and the plain spaCy model bare (a plain spaCy script)."""
    defaults = [x.name for x in selected(None)]
    out: list[tuple[str, dict]] = [("all layers", {})]
    out += [
        (f"without {n}", {"ner": {"layers": [d for d in defaults if d != n]}}) for n in defaults
    ]
    out.append(("bare model", {"ner": {"layers": []}}))
    out.append((f"bare {BASE_MODEL}", {"ner": {"layers": [], "model": BASE_MODEL}}))
    return out


def _sets(raw: Path, shared: Path, devsets: Path, tmp: Path) -> list[tuple[str, Path, Path]]:
    found = []
    if (shared / "gold" / "dev" / "entities.jsonl").exists():
        found.append(("example dev", raw, shared / "gold" / "dev"))
    if (devsets / "conll" / "gold" / "entities.jsonl").exists():
        found.append(("conll", devsets / "conll" / "raw", devsets / "conll" / "gold"))
    gum = devsets / "gum"
    if (gum / "gold" / "genres.json").exists():
        found.append(("gum held-out part", gum / "raw", _held_out_gold(gum, tmp / "gum-gold")))
    return found


def _held_out_gold(gum: Path, dest: Path) -> Path:
    """GUM's gold restricted to its held-out part (the scorer counts only documents with a
    region), written to ``dest``."""
    keep = set(gum_heldout(gum))
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("regions.jsonl", "entities.jsonl"):
        rows = [r for r in _jsonl(gum / "gold" / name) if r["doc"] in keep]
        (dest / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return dest


def run(raw: str, shared: str, devsets: str) -> None:
    """Print the per-layer table for each dev set, then the BBC invariants."""
    with tempfile.TemporaryDirectory() as tmp:
        sets = _sets(Path(raw), Path(shared), Path(devsets), Path(tmp))
        if not sets:
            print(f"no dev set with entity gold found under {shared} or {devsets}")
        for name, folder, gold in sets:
            cache = ResultCache(Path(tmp) / f"{name}.sqlite")  # one model pass per set
            print(f"\n{name}: strict P/R/F1 ({folder})")
            print(f"  {'configuration':<22}" + "".join(f"{lab:>20}" for lab in (*LABELS, "ALL")))
            base = None
            for label, overrides in _configs():
                cfg = load_config(overrides=overrides or None)
                out = Path(tmp) / "out"
                run_pipeline(folder, out, cfg, LocalEngine(0, cache=cache))
                s = strict_scores(out, gold)
                cells = "".join(f"  {p:.3f}/{r:.3f}/{f:.3f}" for p, r, f in s.values())
                print(f"  {label:<22}{cells}")
                if base is None:
                    base = s["ALL"][2]
                else:
                    print(f"  {'':<22}  (F1 all layers - this: {base - s['ALL'][2]:+.3f})")
            cache.close()
        bbc = Path(devsets) / "bbc" / "raw"
        if bbc.is_dir():
            out = Path(tmp) / "bbc"
            run_pipeline(bbc, out, load_config(), LocalEngine(0))
            _bbc_report(out)


def _bbc_report(out: Path) -> None:
    mentions = pq.read_table(out / "mentions.parquet", columns=["text", "label"]).to_pylist()
    junk = Counter(m["text"] for m in mentions if is_junk(m["text"]))
    print(f"\nbbc: {len(mentions)} mentions, {sum(junk.values())} junk")
    for text, n in junk.most_common(10):
        print(f"  junk {n:>6}  {text!r}")
    ents = pq.read_table(out / "entities.parquet", columns=["label", "name", "mention_count"])
    for label in LABELS:
        top = sorted(
            (e for e in ents.to_pylist() if e["label"] == label), key=lambda e: -e["mention_count"]
        )[:25]
        print(f"  top {label}: " + "; ".join(f"{e['name']} ({e['mention_count']})" for e in top))
