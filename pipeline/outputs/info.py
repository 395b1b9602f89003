"""What an output folder holds: the run that wrote it, its tables, errors and timings."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import Config, config_dict
from pipeline.tables import DOCUMENTS, ERRORS, LEFT_OUT, TABLES

LEFT_OUT_WARN = 0.10  # share of a document's letters left out of every article worth a line


def skipped_documents(docs: pa.Table) -> dict[str, int]:
    """Documents whose entities and dates were not extracted, counted by reason."""
    return dict(Counter(r for r in docs.column("skipped").to_pylist() if r))


def letters(text: str) -> int:
    """The characters of ``text`` that are not whitespace (counted at C speed)."""
    return len("".join(text.split()))


def mostly_left_out(docs: pa.Table, left_out: pa.Table | None) -> dict[str, float]:
    """Documents that left more than ``LEFT_OUT_WARN`` of their letters out of every
    article, with that share."""
    if left_out is None or not left_out.num_rows:
        return {}
    lost: Counter = Counter()
    for path, text in zip(
        left_out.column("path").to_pylist(), left_out.column("text").to_pylist(), strict=True
    ):
        lost[path] += letters(text)
    out = {}
    for path, text in zip(
        docs.column("path").to_pylist(), docs.column("text").to_pylist(), strict=True
    ):
        total = letters(text or "")
        if lost[path] and total and lost[path] / total > LEFT_OUT_WARN:
            out[path] = round(lost[path] / total, 3)
    return out


def notices(docs: pa.Table, left_out: pa.Table | None) -> list[str]:
    """Lines that tell what a run did not extract: documents skipped (and why), and
    documents much of whose text is in ``left_out``."""
    lines = [
        f"skipped: {n} document(s), {reason}"
        for reason, n in sorted(skipped_documents(docs).items())
    ]
    lost = mostly_left_out(docs, left_out)
    if lost:
        worst = max(lost, key=lost.get)
        lines.append(
            f"left out: {len(lost)} document(s) kept less than {1 - LEFT_OUT_WARN:.0%} of their "
            f"text in articles (most: {worst}, {lost[worst]:.0%} left out; see left_out.parquet)"
        )
    return lines


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
    rows of every table, the first ``max_errors`` errors, the documents skipped by reason,
    the :func:`notices` and the seconds per stage."""
    out = Path(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {
        name: pq.ParquetFile(out / t.file).metadata.num_rows
        for name, t in TABLES.items()
        if (out / t.file).exists()
    }
    errors = pq.read_table(out / ERRORS.file).to_pylist() if rows.get("errors") else []
    docs = pq.read_table(out / DOCUMENTS.file, columns=["path", "text", "skipped"])
    left_out = pq.read_table(out / LEFT_OUT.file) if rows.get("left_out") else None
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
        "skipped": skipped_documents(docs),
        "notices": notices(docs, left_out),
        "seconds": manifest.get("seconds", {}),
    }
