"""The pipeline's wiring, in one place: stages over named tables, run as a small
dependency graph.

Each stage reads some tables and adds others (names starting with ``_`` are private and
not written). The graph is checked when the pipeline is assembled; at run time a stage
starts as soon as what it needs exists, so cheap main-process work (fingerprints)
runs while the model pass keeps the worker processes busy.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import Config
from pipeline.core.engine import Engine, LocalEngine
from pipeline.dates.extract import confirm, dates
from pipeline.entities.canonical import entities
from pipeline.entities.mentions import mentions
from pipeline.entities.model_pass import model_spans
from pipeline.errors import ErrorRecord, errors_table
from pipeline.ingest.documents import documents
from pipeline.ingest.files import list_inputs
from pipeline.outputs.folder import claimed
from pipeline.outputs.manifest import build_manifest
from pipeline.outputs.report import report_files
from pipeline.outputs.write import write_outputs
from pipeline.segment.articles import articles, left_out
from pipeline.stories.boilerplate import boilerplate
from pipeline.stories.duplicates import duplicates
from pipeline.stories.fingerprints import fingerprints

log = logging.getLogger(__name__)

Tables = dict[str, pa.Table]
StageFn = Callable[[Tables, Config, Engine], tuple[Tables, list[ErrorRecord]]]


@dataclass(frozen=True)
class Stage:
    """A named step: the tables it reads, the tables it adds, the function that does it."""

    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    fn: StageFn
    # Pure-Python work beside the NER stage: on a large input it runs in a child process
    # of its own (given only the tables it requires, and an in-process engine), where it
    # does not wait on the interpreter lock the NER stage holds.
    isolated: bool = False


def _segment(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    arts, errors = articles(t["documents"], cfg.segment, engine)
    return {"articles": arts, "left_out": left_out(t["documents"], arts)}, errors


def _extracted(t: Tables) -> pa.Table:
    """The articles that entities and dates run on: those of documents not ``skipped``
    (a language the configuration does not ask for)."""
    docs = t["documents"]
    skipped = docs.filter(pc.is_valid(docs.column("skipped"))).column("doc_id")
    arts = t["articles"]
    return arts.filter(pc.invert(pc.is_in(arts.column("doc_id"), value_set=skipped)))


def _annotate(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    return {"_annotations": model_spans(t["documents"], _extracted(t), cfg.ner, engine)}, []


def _fingerprint(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    found = fingerprints(t["documents"], t["articles"], cfg.dedup, engine)
    return {"_fingerprints": found}, []


def _ner(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    found, model_dates = mentions(t["documents"], _extracted(t), t["_annotations"], cfg.ner)
    return {"_mentions_raw": found, "_model_dates": model_dates}, []


def _entities(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    found, ents = entities(
        t["_mentions_raw"], t["documents"], t["articles"], t["paragraphs"], cfg.entities
    )
    return {"mentions": found, "entities": ents}, []


def _dates(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    found, unresolved, errors = dates(t["documents"], _extracted(t), cfg.dates, engine)
    return {"_dates": found, "unresolved_dates": unresolved}, errors


def _confirm_dates(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    return {"dates": confirm(t["_dates"], t["_model_dates"])}, []


def _boilerplate(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    paras = boilerplate(t["documents"], t["articles"], t["_fingerprints"], cfg.dedup)
    return {"paragraphs": paras}, []


def _duplicates(t: Tables, cfg: Config, engine: Engine) -> tuple[Tables, list[ErrorRecord]]:
    dups, stories = duplicates(
        t["documents"],
        t["articles"],
        t["mentions"],
        t["dates"],
        t["paragraphs"],
        t["_fingerprints"],
        cfg.dedup,
    )
    return {"duplicates": dups, "stories": stories}, []


STAGES: tuple[Stage, ...] = (
    Stage("segment", ("documents",), ("articles", "left_out"), _segment),
    Stage("annotate", ("documents", "articles"), ("_annotations",), _annotate),
    Stage("fingerprint", ("documents", "articles"), ("_fingerprints",), _fingerprint),
    Stage(
        "ner", ("documents", "articles", "_annotations"), ("_mentions_raw", "_model_dates"), _ner
    ),
    Stage(
        "boilerplate",
        ("documents", "articles", "_fingerprints"),
        ("paragraphs",),
        _boilerplate,
        isolated=True,
    ),
    Stage(
        "entities",
        ("_mentions_raw", "documents", "articles", "paragraphs"),
        ("mentions", "entities"),
        _entities,
    ),
    Stage("dates", ("documents", "articles"), ("_dates", "unresolved_dates"), _dates),
    Stage("confirm_dates", ("_dates", "_model_dates"), ("dates",), _confirm_dates),
    Stage(
        "dedup",
        ("documents", "articles", "mentions", "dates", "paragraphs", "_fingerprints"),
        ("duplicates", "stories"),
        _duplicates,
    ),
)


def check_stages(stages: tuple[Stage, ...], available: set[str]) -> None:
    """Raise ValueError if a stage needs a table no stage produces, or two stages
    produce the same table."""
    produced: dict[str, str] = {}
    for stage in stages:
        for name in stage.produces:
            if name in produced or name in available:
                raise ValueError(
                    f"table '{name}' is produced by both '{produced.get(name)}' "
                    f"and '{stage.name}'; give one of them another name"
                )
            produced[name] = stage.name
    for stage in stages:
        missing = [t for t in stage.requires if t not in produced and t not in available]
        if missing:
            raise ValueError(
                f"stage '{stage.name}' needs table(s) {missing} that no stage "
                f"produces; add the stage to STAGES in pipeline/run.py"
            )


# Below this much text an isolated stage runs in a thread like the others: a child
# process costs a few seconds to start (imports) and to hand the texts over.
ISOLATE_MIN_CHARS = 5_000_000


def _in_child(fn: StageFn, tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    return fn(tables, cfg, LocalEngine(1))


def _isolated(stage: Stage, tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    """Run ``stage`` in a child process of its own (spawned: the parent has threads)."""
    needed = {name: tables[name] for name in stage.requires}
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as child:
        return child.submit(_in_child, stage.fn, needed, cfg).result()


def run_stages(
    tables: Tables,
    cfg: Config,
    engine: Engine,
    stages: tuple[Stage, ...] = STAGES,
    isolate_min_chars: int | None = None,
) -> tuple[Tables, list[ErrorRecord], dict[str, float]]:
    """Run ``stages`` as their inputs become ready (two at a time at most in this
    process), the isolated ones in child processes when ``documents`` holds at least
    ``isolate_min_chars`` (default :data:`ISOLATE_MIN_CHARS`) characters of text."""
    check_stages(stages, set(tables))
    tables, errors, seconds = dict(tables), [], {}
    pending = list(stages)
    running: dict[Future, Stage] = {}
    docs = tables.get("documents")
    chars = 0 if docs is None else pc.sum(pc.utf8_length(docs.column("text"))).as_py() or 0
    isolate = chars >= (ISOLATE_MIN_CHARS if isolate_min_chars is None else isolate_min_chars)

    def timed(stage: Stage, snapshot: Tables) -> tuple[Tables, list[ErrorRecord], float]:
        t0 = time.perf_counter()
        if stage.isolated and isolate:
            out, errs = _isolated(stage, snapshot, cfg)
        else:
            out, errs = stage.fn(snapshot, cfg, engine)
        return out, errs, time.perf_counter() - t0

    # Two stages at a time in this process (more would only share its interpreter lock);
    # isolated ones wait on their child processes from a pool of their own.
    with (
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="stage") as pool,
        ThreadPoolExecutor(thread_name_prefix="isolated") as waiters,
    ):
        while pending or running:
            for stage in [s for s in pending if all(r in tables for r in s.requires)]:
                pending.remove(stage)
                on = waiters if stage.isolated and isolate else pool
                running[on.submit(timed, stage, dict(tables))] = stage
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                stage = running.pop(fut)
                out, errs, secs = fut.result()
                tables.update(out)
                errors.extend(errs)
                seconds[stage.name] = secs
                log.info(
                    "%s: %s in %.2fs",
                    stage.name,
                    ", ".join(f"{n} {t.num_rows} rows" for n, t in out.items()),
                    secs,
                )
    return tables, errors, seconds


@dataclass
class RunResult:
    """What a run did: its tables, errors, timings and where it wrote."""

    out: Path
    tables: Tables
    errors: list[ErrorRecord]
    seconds: dict[str, float] = field(default_factory=dict)
    n_files: int = 0


@contextmanager
def few_collections(gen0_threshold: int = 50_000) -> Iterator[None]:
    """Fewer cyclic garbage-collector passes for the duration: the corpus-level steps
    build hundreds of thousands of small acyclic objects (mention records, row dicts),
    and CPython's default gen-0 threshold (700) turns that into thousands of passes
    that find almost nothing. The previous thresholds come back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(gen0_threshold, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_pipeline(raw: Path, out: Path, cfg: Config, engine: Engine | None = None) -> RunResult:
    """Run every stage on the files under ``raw`` and write the tables into ``out``
    (``engine``: where per-article work runs, with its cache; default: this machine's
    cores, no cache)."""
    with few_collections(), claimed(out, raw) as folder:
        return _run(raw, folder, cfg, engine or LocalEngine())


def _run(raw: Path, out: Path, cfg: Config, engine: Engine) -> RunResult:
    t_start = time.perf_counter()
    paths, errors = list_inputs(raw)
    log.info("ingest: %d file(s) under %s", len(paths), raw)
    t0 = time.perf_counter()
    docs, read_errors = documents(paths, raw, cfg.ingest)
    errors += read_errors
    seconds = {"ingest": time.perf_counter() - t0}
    tables, stage_errors, stage_seconds = run_stages({"documents": docs}, cfg, engine)
    errors += stage_errors
    seconds |= stage_seconds
    tables = {name: t for name, t in tables.items() if not name.startswith("_")}
    tables["errors"] = errors_table(errors)
    t0 = time.perf_counter()
    manifest = build_manifest(cfg, docs, tables, seconds, len(paths))
    manifest["input"] = str(Path(raw).resolve())
    report = report_files(tables["documents"], tables["articles"], tables)
    write_outputs(out, tables, manifest, report)
    seconds["write"] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - t_start
    return RunResult(Path(out).resolve(), tables, errors, seconds, len(paths))
