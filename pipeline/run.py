"""The pipeline's wiring, in one place: an ordered list of stages over named tables.

Each stage reads some tables and adds others; the order is checked when the pipeline is
assembled, so a stage can never run before what it needs exists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline import dates, dedup, entities, ingest, ner, segment
from pipeline.config import Config
from pipeline.errors import ErrorRecord, errors_table
from pipeline.manifest import build_manifest
from pipeline.report import render_report
from pipeline.write import write_outputs

log = logging.getLogger(__name__)

Tables = dict[str, pa.Table]
StageFn = Callable[[Tables, Config], tuple[Tables, list[ErrorRecord]]]


@dataclass(frozen=True)
class Stage:
    """A named step: the tables it reads, the tables it adds, the function that does it."""

    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    fn: StageFn


def _segment(tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    arts, errors = segment.articles(tables["documents"], cfg.segment)
    return {"articles": arts}, errors


def _ner(tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    found, model_dates = ner.mentions(tables["documents"], tables["articles"], cfg.ner)
    return {"mentions": found, "_model_dates": model_dates}, []


def _dates(tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    found = dates.dates(
        tables["documents"], tables["articles"], tables.get("_model_dates"), cfg.dates
    )
    return {"dates": found}, []


def _entities(tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    mentions, ents = entities.entities(
        tables["mentions"], tables["documents"], tables["articles"], cfg.entities
    )
    return {"mentions": mentions, "entities": ents}, []


def _dedup(tables: Tables, cfg: Config) -> tuple[Tables, list[ErrorRecord]]:
    dups, paras, mentions = dedup.duplicates(
        tables["documents"], tables["articles"], tables["mentions"], cfg.dedup
    )
    return {"duplicates": dups, "paragraphs": paras, "mentions": mentions}, []


STAGES: tuple[Stage, ...] = (
    Stage("segment", ("documents",), ("articles",), _segment),
    Stage("ner", ("documents", "articles"), ("mentions", "_model_dates"), _ner),
    Stage("entities", ("mentions", "documents", "articles"), ("mentions", "entities"), _entities),
    Stage("dates", ("documents", "articles", "_model_dates"), ("dates",), _dates),
    Stage(
        "dedup",
        ("documents", "articles", "mentions"),
        ("duplicates", "paragraphs", "mentions"),
        _dedup,
    ),
)


def check_stages(stages: tuple[Stage, ...], available: set[str]) -> None:
    """Raise ValueError if a stage needs a table that no earlier stage produces."""
    have = set(available)
    for stage in stages:
        missing = [t for t in stage.requires if t not in have]
        if missing:
            raise ValueError(
                f"stage '{stage.name}' needs table(s) {missing} that no earlier stage "
                f"produces; reorder STAGES in pipeline/run.py"
            )
        have.update(stage.produces)


@dataclass
class RunResult:
    """What a run did: its tables, errors, timings and where it wrote."""

    out: Path
    tables: Tables
    errors: list[ErrorRecord]
    seconds: dict[str, float] = field(default_factory=dict)
    n_files: int = 0


def run_pipeline(raw: Path, out: Path, cfg: Config) -> RunResult:
    """Run every stage on the files under ``raw`` and write the tables into ``out``."""
    seconds: dict[str, float] = {}
    check_stages(STAGES, {"documents"})
    paths = ingest.list_inputs(raw)
    log.info("ingest: %d file(s) under %s", len(paths), raw)
    t0 = time.perf_counter()
    docs, errors = ingest.documents(paths, raw, cfg.ingest)
    seconds["ingest"] = time.perf_counter() - t0
    tables: Tables = {"documents": docs}
    for stage in STAGES:
        t0 = time.perf_counter()
        produced, stage_errors = stage.fn(tables, cfg)
        seconds[stage.name] = time.perf_counter() - t0
        tables.update(produced)
        errors.extend(stage_errors)
        log.info(
            "%s: %s in %.2fs",
            stage.name,
            ", ".join(f"{n} {t.num_rows} rows" for n, t in produced.items()),
            seconds[stage.name],
        )
    tables = {name: t for name, t in tables.items() if not name.startswith("_")}
    tables["errors"] = errors_table(errors)
    t0 = time.perf_counter()
    manifest = build_manifest(cfg, docs, tables, seconds, len(paths))
    manifest["input"] = str(Path(raw).resolve())
    report = render_report(
        docs,
        tables["articles"],
        tables.get("mentions"),
        tables.get("entities"),
        tables.get("dates"),
    )
    write_outputs(out, tables, manifest, {"report.html": report})
    seconds["write"] = time.perf_counter() - t0
    return RunResult(out, tables, errors, seconds, len(paths))
