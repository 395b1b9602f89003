"""Incremental reruns: per-article results come from the cache; only new text is
annotated; the tables are the same as a fresh run's."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.cli import default_cache_path, main
from pipeline.config import load_config
from pipeline.core.cache import ResultCache
from pipeline.core.engine import LocalEngine
from pipeline.dates import extract
from pipeline.run import run_pipeline

from samples import COMPILATION, SINGLE

STORY = "Mayor Anna Berg of Oslo opened the bridge on March 2, 2011.\n"


class CountingEngine(LocalEngine):
    """The real local engine, recording how many texts each model pass annotates."""

    def __init__(self, cache: ResultCache) -> None:
        super().__init__(workers=1, cache=cache)
        self.annotated = 0

    def run(self, task, items):
        if task.name == "annotate":
            self.annotated += len(items)
        return super().run(task, items)


def _tables(out: Path) -> dict[str, list[dict]]:
    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(out.glob("*.parquet"))}


def _not_again(text: str) -> tuple[str, bool]:
    raise AssertionError("an unchanged document's numeric date order is cached")


def test_rerun_uses_the_cache_and_a_new_file_costs_only_its_own_ner(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "digest.txt").write_text(COMPILATION, encoding="utf-8")
    (raw / "page.txt").write_text(SINGLE, encoding="utf-8")
    engine = CountingEngine(ResultCache(tmp_path / "cache.sqlite"))
    cfg = load_config()
    first = run_pipeline(raw, tmp_path / "out", cfg, engine)
    n_articles = first.tables["articles"].num_rows
    assert engine.annotated == n_articles

    monkeypatch.setattr(extract, "numeric_order", _not_again)
    run_pipeline(raw, tmp_path / "out", cfg, engine)
    assert engine.annotated == n_articles
    monkeypatch.undo()

    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    run_pipeline(raw, tmp_path / "out", cfg, engine)
    assert engine.annotated == n_articles + 1

    fresh = run_pipeline(raw, tmp_path / "fresh", cfg, LocalEngine(1))
    assert _tables(tmp_path / "out") == _tables(fresh.out)


def test_full_drops_the_cache(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "-q"]) == 0
    cache = default_cache_path(out)
    assert cache.exists()
    stale = ResultCache(cache)
    stale.put_many({"unrelated": 1})
    stale.close()
    assert main(["run", str(raw), "--out", str(out), "-q", "--full"]) == 0
    assert ResultCache(cache).get_many(["unrelated"]) == {}
