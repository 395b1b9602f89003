"""Throughput on a larger real-text corpus: words per second of a plain spaCy baseline,
of the NER stage alone, of the whole pipeline on one core and on all cores, and of an
unchanged rerun; peak memory; the ratios between them."""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from pathlib import Path

import spacy

from bench.synthetic import build, sentence_pool
from pipeline.config import load_config
from pipeline.core.cache import ResultCache
from pipeline.core.engine import LocalEngine
from pipeline.entities.mentions import mentions
from pipeline.entities.model import BASE_MODEL
from pipeline.entities.model_pass import model_spans
from pipeline.ingest.documents import documents
from pipeline.ingest.files import list_inputs
from pipeline.run import run_pipeline
from pipeline.segment.articles import articles


def write_corpus(raw: Path, folder: Path, n: int, seed: int = 11) -> int:
    """``n`` articles recombined and perturbed from the example corpus's sentences, one
    file each with a headline; returns the number of words."""
    rng = random.Random(seed)
    syn = build(sentence_pool(raw), n, copy_share=0.05, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for i, text in enumerate(syn.texts):
        title = " ".join(text.split()[: rng.randint(5, 9)]).rstrip(".,;:")
        body = "\n\n".join(" ".join(text.split(". ")[j : j + 3]) for j in range(0, 30, 3))
        (folder / f"a{i:06d}.txt").write_text(f"{title}\n\n{body.strip()}\n", encoding="utf-8")
        words += len(text.split())
    return words


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def run(raw: str, n: int) -> None:
    """Build the corpus and print every figure."""
    cfg = load_config()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        words = write_corpus(Path(raw), corpus, n)
        texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
        print(f"corpus: {n} articles, {words:,} words, {cores} cores")

        nlp = spacy.load(BASE_MODEL)  # a plain spaCy script: the default pipeline
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=cfg.ner.batch_size):
            pass
        baseline = time.perf_counter() - t0
        del nlp

        docs, _ = documents(list_inputs(corpus)[0], corpus, cfg.ingest)
        arts, _ = articles(docs, cfg.segment, LocalEngine(1))
        t0 = time.perf_counter()
        ann = model_spans(docs, arts, cfg.ner, LocalEngine(0))
        mentions(docs, arts, ann, cfg.ner)
        ner_alone = time.perf_counter() - t0

        timings = {}
        for label, workers in (("1 core", 1), (f"{cores} cores", 0)):
            cache = ResultCache(Path(tmp) / f"cache-{workers}.sqlite")
            t0 = time.perf_counter()
            run_pipeline(corpus, Path(tmp) / "out", cfg, LocalEngine(workers, cache=cache))
            timings[label] = time.perf_counter() - t0
            if workers == 0:
                t0 = time.perf_counter()
                run_pipeline(corpus, Path(tmp) / "out", cfg, LocalEngine(0, cache=cache))
                timings["rerun, nothing changed"] = time.perf_counter() - t0
            cache.close()

    def line(name: str, secs: float) -> None:
        print(f"  {name:<34} {secs:8.1f} s {words / secs:10,.0f} words/s")

    line("(a) plain spaCy, default pipeline", baseline)
    line(f"(b) NER stage alone, {cores} cores", ner_alone)
    for name, secs in timings.items():
        line(f"(c/d) whole pipeline, {name}", secs)
    full = timings[f"{cores} cores"]
    print(f"  peak memory: {_peak_mb():,.0f} MB")
    print(f"  whole pipeline ({cores} cores) vs plain spaCy: x{baseline / full:.2f} words/s")
    print(f"  whole pipeline ({cores} cores) / NER stage alone: {full / ner_alone:.2f}")
    print(f"  unchanged rerun / full run: {timings['rerun, nothing changed'] / full:.3f}")
