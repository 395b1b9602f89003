"""The output folder: the pipeline never deletes or overwrites what it did not write,
refuses a second run into a folder being written, clears what killed runs left, and a
run killed at any moment leaves the old or the new tables, whole."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import OutputFolderError
from pipeline.outputs.folder import MARKER, MARKER_TEXT, claimed, leftovers
from pipeline.run import run_pipeline

STORY = "Mayor Anna Berg of Oslo opened the bridge on 2 March 2011.\n"


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_folder_of_the_users_own_files_is_refused_and_left_alone(raw, tmp_path, capsys):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.docx").write_bytes(b"my work")
    assert main(["run", str(raw), "--out", str(mine), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"--out {mine.resolve()} holds files the pipeline did not write" in err
    assert err.count("\n") == 1  # one line, no traceback
    assert _files(mine) == {"chapter1.docx": b"my work"}


@pytest.mark.parametrize("where", ["input", "inside", "parent", "grandparent"])
def test_input_inside_and_around_it_are_refused(raw, tmp_path, where, capsys):
    out = {
        "input": raw,
        "inside": raw / "tables",
        "parent": tmp_path,
        "grandparent": tmp_path.parent,
    }[where]
    before = _files(raw)
    assert main(["run", str(raw), "--out", str(out), "-q"]) == 2
    assert str(out.resolve()) in capsys.readouterr().err
    assert _files(raw) == before
    assert not (raw / "tables").exists()


def test_an_existing_file_as_output_is_refused_not_renamed(raw, tmp_path, capsys):
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    assert main(["run", str(raw), "--out", str(target), "-q"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "raw"]


def test_the_folder_of_an_earlier_run_is_replaced_and_marked(raw, tmp_path):
    out = tmp_path / "out"
    run_pipeline(raw, out, load_config())
    assert (out / MARKER).is_file()
    (raw / "more.txt").write_text("Erik Lund of Bergen spoke on 3 March 2011.\n", "utf-8")
    again = run_pipeline(raw, out, load_config())
    assert again.tables["documents"].num_rows == 2


def test_output_of_an_older_version_without_the_marker_is_ours(raw, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    manifest = {"run_id": "r", "versions": {"newsextract": "0.0.1"}, "config": {}, "inputs": []}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "mentions.parquet").write_bytes(b"old")
    run_pipeline(raw, out, load_config())
    assert pq.read_table(out / "documents.parquet").num_rows == 1


def test_a_users_folder_with_a_manifest_shaped_like_ours_is_refused(raw, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    manifest = {"run_id": "r", "versions": {"newsextract": "0.0.1"}, "config": {}, "inputs": []}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "thesis.docx").write_bytes(b"my own work")
    with pytest.raises(OutputFolderError, match="did not write"):
        run_pipeline(raw, out, load_config())
    assert (out / "thesis.docx").read_bytes() == b"my own work"


def test_a_second_run_into_a_folder_being_written_is_refused(raw, tmp_path):
    out = tmp_path / "out"
    with claimed(out, raw), pytest.raises(OutputFolderError, match="another run is writing"):
        run_pipeline(raw, out, load_config())


def test_leftovers_of_killed_runs_are_cleared_but_nothing_else(raw, tmp_path):
    out = tmp_path / "out"
    stale_tmp, stale_old = tmp_path / ".out.tmp-abcd1234", tmp_path / ".out.old-x_y9zz00"
    for stale in (stale_tmp, stale_old):
        stale.mkdir()
        (stale / "mentions.parquet").write_bytes(b"half")
        (stale / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    unrelated = tmp_path / ".out.tmp-notours-at-all"
    unrelated.mkdir()
    # named like leftovers, but without the marker: the user's, never deleted
    lookalikes = [tmp_path / ".out.tmp-abcdefgh", tmp_path / ".out.old-Backup01"]
    for folder in lookalikes:
        folder.mkdir()
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    run_pipeline(raw, out, load_config())
    assert not stale_tmp.exists() and not stale_old.exists()
    assert unrelated.exists()
    assert all((f / "notes.txt").read_text(encoding="utf-8") == "mine" for f in lookalikes)


def test_a_leftover_lookalike_that_is_the_input_is_never_deleted(tmp_path):
    inp = tmp_path / ".out.tmp-abcdefgh"
    inp.mkdir()
    (inp / "a.txt").write_text("Mayor Anna Berg of Oslo opened the bridge.\n", encoding="utf-8")
    (inp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # even one that looks like ours
    run_pipeline(inp, tmp_path / "out", load_config())
    assert (inp / "a.txt").exists()


@pytest.mark.parametrize("step", ["before-swap", "between-renames", "after-swap"])
def test_a_kill_at_each_step_of_the_swap_leaves_tables_info_and_the_next_run_can_read(
    raw, tmp_path, step, capsys
):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "-q"]
    subprocess.run([*cmd, "--no-cache"], check=True, capture_output=True)
    before = _whole(out)
    (raw / "more.txt").write_text("Councillor Lars Dahl of Bergen spoke.\n", encoding="utf-8")
    env = os.environ | {"NEWSEXTRACT_KILL_AT": step}
    killed = subprocess.run([*cmd, "--no-cache"], env=env, capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert main(["info", "--out", str(out)]) == 0  # info finds the old or the new tables
    assert _whole(out) in (before, before | {"more.txt"})
    subprocess.run([*cmd, "--no-cache"], check=True, capture_output=True)
    assert _whole(out) == before | {"more.txt"}
    assert leftovers(out) == []


def test_an_output_under_a_file_is_refused_before_any_work(raw, tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    t0 = time.perf_counter()
    assert main(["run", str(raw), "--out", str(blocker / "out"), "-q", "--no-cache"]) == 2
    assert "cannot write to" in capsys.readouterr().err
    assert time.perf_counter() - t0 < 60  # refused at once, no model pass first


def _whole(out: Path) -> set[str]:
    """The input files of the tables in ``out``, after checking the tables are whole:
    every table the manifest names is there with the rows it says."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, rows in manifest["rows"].items():
        assert pq.read_table(out / f"{name}.parquet").num_rows == rows, name
    docs = pq.read_table(out / "documents.parquet").column("path").to_pylist()
    assert sorted(docs) == sorted(i["path"] for i in manifest["inputs"])
    return set(docs)


def test_a_run_killed_at_any_moment_leaves_old_or_new_tables_whole(raw, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "-q"]
    t0 = time.perf_counter()
    subprocess.run([*cmd, "--no-cache"], check=True, capture_output=True)
    full = time.perf_counter() - t0
    before = _whole(out)
    more = raw / "more.txt"
    rng = random.Random(4)
    for _ in range(6):
        if more.exists():  # each killed run would write other tables than the last one
            more.unlink()
        else:
            more.write_text("Erik Lund of Bergen spoke on 3 March 2011.\n", "utf-8")
        target = {p.name for p in raw.iterdir()}
        proc = subprocess.Popen(
            [*cmd, "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        time.sleep(rng.uniform(0.0, full * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        found = _whole(out)
        assert found in (before, target)
        before = found
    assert main(["run", str(raw), "--out", str(out), "-q", "--no-cache"]) == 0
    assert _whole(out) == {p.name for p in raw.iterdir()}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []
