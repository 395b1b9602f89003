"""Every file under the input folder becomes a row of ``documents``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import trafilatura

from pipeline.config import IngestConfig
from pipeline.core.ids import bytes_id, content_id, sha256_hex
from pipeline.core.progress import progress
from pipeline.errors import DocumentError, E, ErrorRecord, error_record
from pipeline.ingest.decode import decode_bytes
from pipeline.ingest.files import relative
from pipeline.tables import DOCUMENTS

log = logging.getLogger(__name__)

STAGE = "ingest"


def _text_of(path: Path, data: bytes, cfg: IngestConfig) -> tuple[str, str, str]:
    decoded = decode_bytes(data)
    if path.suffix.lower() in cfg.html_suffixes:
        extracted = trafilatura.extract(
            decoded.text, output_format="txt", include_comments=False, include_tables=True
        )
        if not extracted:
            raise DocumentError(E.E005)
        return extracted, decoded.encoding, f"trafilatura {trafilatura.__version__}"
    method = "markdown" if path.suffix.lower() in (".md", ".markdown") else "plain"
    return decoded.text, decoded.encoding, method


def documents(
    paths: Iterable[Path], root: Path, cfg: IngestConfig
) -> tuple[pa.Table, list[ErrorRecord]]:
    """Read and decode every file; the text is stored exactly as decoded.

    Args:
        paths: the files to read (see :func:`pipeline.ingest.files.list_inputs`).
        root: the input folder; ``path`` is stored relative to it.
        cfg: ingest settings.

    Returns:
        The ``documents`` table and one error row per file that could not be read.
    """
    rows: list[dict] = []
    errors: list[ErrorRecord] = []
    for path in progress(list(paths), desc="ingest", unit="file"):
        rel = relative(path, root)
        try:
            try:
                if path.stat().st_size > cfg.max_bytes:
                    raise DocumentError(E.E004, limit=cfg.max_bytes)
                data = path.read_bytes()
            except OSError as exc:
                raise DocumentError(E.E006, reason=exc.strerror or str(exc)) from exc
            text, encoding, method = _text_of(path, data, cfg)
            if len(text.strip()) < cfg.min_text_chars:
                raise DocumentError(E.E011 if text else E.E001)
        except Exception as exc:
            err = error_record(rel, STAGE, exc)
            log.error("%s: %s", rel, err.message)
            errors.append(err)
            continue
        rows.append(
            {
                "doc_id": content_id("document", rel),
                "path": rel,
                "text": text,
                "encoding": encoding,
                "method": method,
                "n_bytes": len(data),
                "sha256": sha256_hex(data),
                "content_id": bytes_id(data),
            }
        )
    return pa.Table.from_pylist(rows, schema=DOCUMENTS.schema), errors
