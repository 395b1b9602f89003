"""The output folder: which folders the pipeline may write into, and holding one while
a run writes it.

The pipeline replaces its output folder whole at the end of a run, so it must never be
pointed at a folder of the user's own files. It writes only into a folder it created or
one that holds its marker (or the manifest of an earlier version); it refuses the input
folder, a folder inside the input, and any folder that holds the input. A run holds a
lock on the folder, so a second run into it is refused while the first writes, and it
clears what killed runs left beside it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import OutputFolderError
from pipeline.tables import TABLES

MARKER = ".newsextract-output"
MARKER_TEXT = (
    "This folder was written by newsextract. Each run replaces it whole: keep nothing\n"
    "of your own in it.\n"
)


def _marked(folder: Path) -> bool:
    """Whether ``folder`` holds the marker this tool writes into every folder it makes."""
    try:
        return (folder / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` was written by the pipeline: it holds the marker, or it is an
    output of an earlier version (before the marker): a manifest with this tool's own
    fields and nothing but the files this tool writes."""
    if _marked(folder):
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (isinstance(manifest, dict) and isinstance(manifest.get("versions"), dict)):
        return False
    ours = {t.file for t in TABLES.values()} | {"manifest.json", "report.html", "report"}
    return (
        "newsextract" in manifest["versions"]
        and {"run_id", "config", "inputs"} <= set(manifest)
        and all(p.name in ours for p in folder.iterdir())
    )


def check_output_folder(out: Path, raw: Path) -> Path:
    """The output folder, resolved, if the pipeline may write it for input ``raw``.

    Raises:
        OutputFolderError: with a one-line reason that names the folder.
    """
    out, raw = Path(out).resolve(), Path(raw).resolve()
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"--out {out} is a file, not a folder; name a folder")
    if out == raw:
        raise OutputFolderError(f"--out {out} is the input; name another folder for the tables")
    if raw.is_dir() and out.is_relative_to(raw):
        raise OutputFolderError(
            f"--out {out} is inside the input folder {raw}; the next run would read the "
            "tables as documents: name a folder outside it"
        )
    if raw.is_relative_to(out):
        raise OutputFolderError(
            f"--out {out} holds the input {raw}; the output folder is replaced whole on "
            "every run: name a folder beside the input, not around it"
        )
    if out.is_dir() and any(out.iterdir()) and not is_ours(out):
        raise OutputFolderError(
            f"--out {out} holds files the pipeline did not write; the output folder is "
            "replaced whole on every run: name a new or empty folder"
        )
    return out


def _writable(folder: Path) -> None:
    """Raise OutputFolderError unless files can be created in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".newsextract-probe-", dir=folder)
        os.rmdir(probe)
    except OSError as exc:
        raise OutputFolderError(
            f"cannot write to {folder}: {exc.strerror or exc}; choose a folder you can write"
        ) from exc


def leftovers(out: Path) -> list[Path]:
    """Temporary folders that killed runs left beside ``out``: named ``.NAME.tmp-*`` or
    ``.NAME.old-*`` *and* holding the marker this tool writes into them when it makes
    them (a folder of the user's that only looks like one is never a leftover)."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:tmp|old)-[A-Za-z0-9_]{{8}}")
    return sorted(
        p
        for p in out.parent.iterdir()
        if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink() and _marked(p)
    )


def _in_use(folder: Path) -> bool:
    """Whether a live run holds ``folder`` (its lock moves with the folder it locked)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        return not _locked(fd)
    finally:
        os.close(fd)


def _locked(fd: int) -> bool:
    """Take the run's exclusive lock on the open folder ``fd``; False if a run holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def recover(out: Path) -> Path | None:
    """Put tables back at ``out`` when a run was killed between the two renames of its
    swap (``out`` gone, the old tables in ``.NAME.old-*``, the new ones in
    ``.NAME.tmp-*``): the new ones if they were written whole (their manifest is
    written last), else the old ones. Returns the folder put back, or None."""
    out = Path(out).absolute()
    if out.exists() or not out.parent.is_dir():
        return None
    found = [p for p in leftovers(out) if not _in_use(p)]
    complete = [p for p in found if ".tmp-" in p.name and (p / "manifest.json").is_file()]
    old = [p for p in found if ".old-" in p.name]
    for candidate in sorted(complete, key=lambda p: p.stat().st_mtime, reverse=True) + old:
        try:
            os.rename(candidate, out)
        except OSError:
            continue
        return candidate
    return None


@contextmanager
def claimed(out: Path, raw: Path) -> Iterator[Path]:
    """Check ``out`` (see :func:`check_output_folder`), create it with its marker, lock
    it for the duration, and clear the leftovers of killed runs; yields the resolved
    folder.

    Raises:
        OutputFolderError: the folder may not be written, cannot be written, or
            another run is writing it.
    """
    recover(out)
    out = check_output_folder(out, raw)
    _writable(out.parent)
    _writable(out)
    if not (out / MARKER).exists():
        (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    fd = os.open(out, os.O_RDONLY)
    try:
        if not _locked(fd):
            raise OutputFolderError(
                f"another run is writing to {out}; wait for it to finish or choose another --out"
            )
        real_raw = Path(raw).resolve()
        for stale in leftovers(out):
            if not (real_raw.is_relative_to(stale) or stale.resolve().is_relative_to(real_raw)):
                shutil.rmtree(stale, ignore_errors=True)
        yield out
    finally:
        os.close(fd)


def require_tables(out: Path, names: tuple[str, ...]) -> None:
    """Raise OutputFolderError, saying what to run, unless ``out`` holds the tables
    ``names`` with every column :mod:`pipeline.tables` declares for them."""
    out = Path(out)
    rerun = f"run `newsextract run RAW --out {out}` first"
    recover(out)
    if not out.is_dir():
        raise OutputFolderError(f"no output folder {out}; {rerun}")
    for name in names:
        spec = TABLES[name]
        try:
            schema = pq.read_schema(out / spec.file)
        except FileNotFoundError:
            raise OutputFolderError(f"{out} has no {spec.file}; {rerun}") from None
        except (OSError, pa.ArrowException) as exc:
            raise OutputFolderError(f"{out / spec.file} cannot be read ({exc}); {rerun}") from exc
        missing = [c for c in spec.schema.names if c not in schema.names]
        if missing:
            raise OutputFolderError(
                f"{out / spec.file} was written by another version (no {', '.join(missing)}); "
                f"{rerun} again"
            )


def recorded_input(out: Path) -> Path:
    """The input the run that wrote ``out`` read, from its manifest."""
    try:
        manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
        return Path(manifest["input"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutputFolderError(
            f"{out}/manifest.json does not say which input was read; pass it with --raw"
        ) from exc
