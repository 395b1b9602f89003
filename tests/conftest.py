"""Shared fixtures: small corpora written for the tests, and the real spaCy model."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def write_corpus(tmp_path: Path):
    """Write ``{relative path: text or bytes}`` under a fresh folder and return it."""

    def _write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "raw"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
        return root

    return _write
