"""What an output folder holds: the run that wrote it, its tables, errors and timings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.config import Config, config_dict
from pipeline.tables import ERRORS, TABLES


def _changed(recorded: Any, default: Any, where: str = "") -> list[str]:
    """``section.key = value`` for every setting that differs from the default."""
    if isinstance(recorded, dict) and isinstance(default, dict):
        return [
            line
            for key in sorted(recorded)
            for line in _changed(recorded[key], default.get(key), f"{where}{key}.")
        ]
    return [] if recorded == default else [f"{where.rstrip('.')} = {json.dumps(recorded)}"]


def folder_info(out: Path, max_errors: int = 10) -> dict[str, Any]:
    """The manifest's run, version, input, settings that differ from the defaults, the
    rows of every table, the first ``max_errors`` errors and the seconds per stage."""
    out = Path(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {
        name: pq.ParquetFile(out / t.file).metadata.num_rows
        for name, t in TABLES.items()
        if (out / t.file).exists()
    }
    errors = pq.read_table(out / ERRORS.file).to_pylist() if rows.get("errors") else []
    return {
        "folder": str(out.resolve()),
        "run_id": manifest.get("run_id"),
        "created": manifest.get("created"),
        "versions": manifest.get("versions", {}),
        "input": manifest.get("input"),
        "files": manifest.get("files"),
        "settings_changed": _changed(
            manifest.get("config", {}), json.loads(json.dumps(config_dict(Config())))
        ),
        "rows": rows,
        "errors": errors[:max_errors],
        "seconds": manifest.get("seconds", {}),
    }
