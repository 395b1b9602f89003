"""Writing the output folder: Parquet tables (the schemas of :mod:`pipeline.tables`,
zstd) and a manifest, swapped in whole.

Tables are written into a temporary folder beside the output folder, which then replaces
the old one, so a crash mid-run leaves either all the old tables or all the new ones.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.outputs.folder import MARKER, MARKER_TEXT
from pipeline.tables import TABLES

log = logging.getLogger(__name__)


def write_outputs(
    out: Path,
    tables: dict[str, pa.Table],
    manifest: dict[str, Any],
    extra_files: dict[str, str] | None = None,
) -> None:
    """Write ``tables`` as ``NAME.parquet`` plus ``manifest.json`` into ``out``, atomically.

    Args:
        out: the output folder; replaced whole.
        tables: table name to Arrow table, each with the schema
            :data:`pipeline.tables.TABLES` declares for it.
        manifest: JSON-serialisable run description.
        extra_files: further files (name to text), e.g. an HTML report.
    """
    for name, table in tables.items():
        if table.schema != TABLES[name].schema:
            raise ValueError(
                f"table '{name}' does not have the schema pipeline/tables.py declares:\n"
                f"{table.schema}\n!=\n{TABLES[name].schema}"
            )
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)
    try:
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # ours, from the start
        for name, table in tables.items():
            pq.write_table(table, tmp / TABLES[name].file, compression="zstd")
        for name, text in (extra_files or {}).items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, default=str), encoding="utf-8"
        )
        _fault("before-swap")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(new: Path, out: Path) -> None:
    """Replace folder ``out`` by folder ``new``; the old one is removed only afterwards.
    A kill between the two renames leaves both beside ``out``, each with the marker, and
    :func:`pipeline.outputs.folder.recover` puts the new one in place."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    _fault("between-renames")
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)
        raise
    _fault("after-swap")
    shutil.rmtree(old, ignore_errors=True)


def _fault(step: str) -> None:
    """Kill this process at ``step`` of the swap when ``NEWSEXTRACT_KILL_AT`` names it
    (a fault-injection hook for the reliability tests)."""
    if os.environ.get("NEWSEXTRACT_KILL_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)
