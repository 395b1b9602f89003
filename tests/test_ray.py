"""The Ray engine on a local Ray instance gives the very tables the local engine does."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.config import load_config
from pipeline.core.engine import LocalEngine, RayEngine
from pipeline.run import run_pipeline

from samples import COMPILATION, SINGLE

STORY = (
    "Mayor Anna Berg of Oslo opened the bridge on March 2, 2011. Berg thanked the "
    "Nordic Rivers Foundation.\n"
)


@pytest.fixture(scope="module")
def ray_engine():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield RayEngine(actors=2, batch_size=2)
    ray.shutdown()


def _tables(out: Path) -> dict[str, list[dict]]:
    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(out.glob("*.parquet"))}


def test_ray_engine_tables_equal_local_engine_tables(tmp_path, ray_engine):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "digest.txt").write_text(COMPILATION, encoding="utf-8")
    (raw / "page.txt").write_text(SINGLE, encoding="utf-8")
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    cfg = load_config()
    local = run_pipeline(raw, tmp_path / "local", cfg, LocalEngine(1))
    remote = run_pipeline(raw, tmp_path / "ray", cfg, ray_engine)
    a, b = _tables(local.out), _tables(remote.out)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name
    assert len(a["mentions"]) > 5 and len(a["articles"]) > 3


def test_the_ray_engine_prints_no_ray_log_lines(tmp_path):
    import re
    import subprocess
    import sys

    raw = tmp_path / "input"
    raw.mkdir()
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(tmp_path / "t")),
            *("--engine", "ray", "--workers", "1", "--no-cache"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    ours = re.compile(r"^(\d\d:\d\d:\d\d (INFO|WARNING) pipeline\.|newsextract |  |$)")
    foreign = [line for line in (done.stdout + done.stderr).splitlines() if not ours.match(line)]
    assert foreign == []
