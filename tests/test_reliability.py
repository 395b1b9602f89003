"""Bad inputs and hostile names, on folders built for the test: a batch never aborts for
one input, a refused run changes nothing on disk, and what a document holds cannot
drive the terminal through any output format."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import default_cache_path, main
from pipeline.config import load_config
from pipeline.outputs.folder import claimed
from pipeline.run import run_pipeline

STORY = "Mayor Anna Berg of Oslo opened the bridge on 2 March 2011.\n"
CONTROLS = ("\x1b", "\x07", "\x9b")


def _good(folder: Path, n: int) -> None:
    for i in range(n):
        (folder / f"good{i:02d}.txt").write_text(
            f"Councillor Lars Dahl of Bergen spoke on {1 + i} April 2011.\n", encoding="utf-8"
        )


def test_a_batch_with_bad_names_long_lines_and_deep_trees_keeps_every_good_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw, 12)
    # a name that is not UTF-8
    Path(os.fsdecode(os.fsencode(raw) + b"/caf\xe9.txt")).write_bytes(STORY.encode())
    # one line of more than a million characters and no paragraph break (names at both
    # ends, plain prose between: the test is about the model's length limit)
    filler = " ".join(["the river ran high that day and the road was shut."] * 19_700)
    long_text = f"Anna Berg spoke in Oslo. {filler} Lars Dahl spoke in Bergen."
    assert len(long_text) > 1_000_000
    (raw / "long.txt").write_text(long_text, encoding="utf-8")
    # folders nested 1,000 deep, a story at the bottom
    deep = raw / "deep"
    deep.mkdir()
    for _ in range(1000):  # level by level (mkdir(parents=True) recurses per level)
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text(STORY, encoding="utf-8")
    result = run_pipeline(raw, tmp_path / "out", load_config())
    paths = result.tables["documents"].column("path").to_pylist()
    assert "caf\\xe9.txt" in paths  # kept, its byte written as an escape
    assert {f"good{i:02d}.txt" for i in range(12)} <= set(paths)
    assert any(p.endswith("/d/bottom.txt") for p in paths)
    long_mentions = {
        (m["text"], m["doc_start"])
        for m in result.tables["mentions"].to_pylist()
        if m["path"] == "long.txt"
    }
    assert {("Anna Berg", 0), ("Lars Dahl", long_text.index("Lars Dahl"))} <= long_mentions
    assert result.errors == []
    # pytest's own clean-up recurses per level: take the deep tree down first
    (deep / "bottom.txt").unlink()
    while deep != raw:
        deep.rmdir()
        deep = deep.parent


def test_an_unreadable_folder_is_an_error_row_and_the_rest_is_read(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    (raw / "locked").mkdir(parents=True)
    (raw / "locked" / "secret.txt").write_text(STORY, encoding="utf-8")
    _good(raw, 3)
    real_iterdir = Path.iterdir

    def iterdir(self: Path):
        if self.name == "locked":  # as a folder without read permission behaves
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = run_pipeline(raw, tmp_path / "out", load_config())
    assert [(e.path, e.code) for e in result.errors] == [("locked", "E012")]
    assert len(result.tables["documents"]) == 3


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_as_the_input_is_refused_in_one_line(tmp_path, capsys, kind):
    if kind == "fifo":
        source = tmp_path / "pipe"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")
    assert main(["run", str(source), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "not a folder or a regular file" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_refused_run_creates_no_cache_and_empties_none(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    _good(raw, 2)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["run", str(raw), "--out", str(mine), "-q"]) == 2
    assert not default_cache_path(mine.resolve()).exists()
    # a run into a folder another run holds is refused, and with --full it leaves that
    # run's cache as it was
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "-q"]) == 0
    cache = default_cache_path(out.resolve())
    before = cache.read_bytes()
    with claimed(out, raw):
        assert main(["run", str(raw), "--out", str(out), "-q", "--full"]) == 2
    assert "another run is writing" in capsys.readouterr().err
    assert cache.read_bytes() == before


@pytest.fixture
def hostile(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text(
        "Mayor \x1b[1mAnna Berg\x1b[0m of Oslo opened the bridge.\x9b2J Berg spoke. "
        "Later Anna Berg left the city.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "-q", "--no-cache"]) == 0
    return out


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_mentions_in_csv_and_json_print_control_characters_escaped(hostile, capsys, fmt):
    capsys.readouterr()
    assert main(["mentions", "Berg", "--out", str(hostile), "--format", fmt]) == 0
    shown = capsys.readouterr().out
    assert "Berg" in shown
    assert not any(c in shown for c in CONTROLS)
    if fmt == "json":  # still JSON, the characters recoverable
        rows = json.loads(shown)
        assert any("\x9b" in r["right"] or "\x9b" in r["left"] for r in rows)


def test_entity_names_carry_no_control_characters(hostile):
    names = pq.read_table(hostile / "entities.parquet").column("name").to_pylist()
    assert any("Berg" in name for name in names)
    assert not any(c in name or "[0" in name for name in names for c in CONTROLS)


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:
                continue
            todo.extend(kids - found)
            found |= kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stop_the_run_and_its_workers_within_seconds(tmp_path, sig):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "first.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(out), "-q"]
    subprocess.run([*cmd, "--no-cache"], check=True, capture_output=True)
    before = pq.read_table(out / "documents.parquet").column("path").to_pylist()
    _good(raw, 1)
    for i in range(150):  # enough text for the model to run in worker processes
        (raw / f"long{i:03d}.txt").write_text(
            " ".join(f"Mayor Anna Berg of Oslo met {n} councillors of {i}." for n in range(60)),
            encoding="utf-8",
        )
    run = subprocess.Popen(
        [*cmd, "--no-cache", "--workers", "2"], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2 and run.poll() is None:
        workers = (
            {
                p
                for p in _descendants(run.pid)
                if b"multiprocessing" in Path(f"/proc/{p}/cmdline").read_bytes()
            }
            if Path(f"/proc/{run.pid}").exists()
            else set()
        )
        time.sleep(0.2)
    assert len(workers) >= 2, "the run never started its workers"
    everyone = _descendants(run.pid)
    run.send_signal(sig)
    _, err = run.communicate(timeout=10)
    assert run.returncode == 128 + sig
    assert err.strip().splitlines()[-1] == "interrupted; the previous tables are left as they were"
    assert "Traceback" not in err
    time.sleep(5)
    assert not [p for p in everyone if _alive(p)]
    assert pq.read_table(out / "documents.parquet").column("path").to_pylist() == before
