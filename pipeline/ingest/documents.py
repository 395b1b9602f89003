"""Every file under the input folder becomes a row of ``documents``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from pipeline.config import IngestConfig
from pipeline.core.ids import bytes_id, content_id, sha256_hex
from pipeline.core.progress import progress
from pipeline.errors import DocumentError, E, ErrorRecord, error_record
from pipeline.ingest.decode import decode_bytes
from pipeline.ingest.files import relative
from pipeline.ingest.language import detect_language
from pipeline.ingest.webpage import METHOD, Page, read_page
from pipeline.tables import DOCUMENTS

log = logging.getLogger(__name__)

STAGE = "ingest"


def _text_of(path: Path, data: bytes, cfg: IngestConfig) -> tuple[str, str, str, Page | None]:
    decoded = decode_bytes(data)
    if path.suffix.lower() in cfg.html_suffixes:
        page = read_page(decoded.text)
        return page.text, decoded.encoding, METHOD, page
    method = "markdown" if path.suffix.lower() in (".md", ".markdown") else "plain"
    return decoded.text, decoded.encoding, method, None


def _skipped(language: str | None, cfg: IngestConfig) -> str | None:
    if language is None or language in cfg.languages:
        return None
    wanted = ", ".join(cfg.languages)
    return f"language '{language}': entities and dates are extracted for {wanted} only"


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
            text, encoding, method, page = _text_of(path, data, cfg)
            if len(text.strip()) < cfg.min_text_chars:
                raise DocumentError(E.E011 if text else E.E001)
        except Exception as exc:
            err = error_record(rel, STAGE, exc)
            log.error("%s: %s", rel, err.message)
            errors.append(err)
            continue
        language, score = detect_language(
            text, cfg.language_sample_chars, cfg.language_min_confidence
        )
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
                "language": language,
                "language_score": score,
                "skipped": _skipped(language, cfg),
                "title": page.title if page else None,
                "published": page.published if page else None,
                "author": page.author if page else None,
                "site": page.site if page else None,
                "found_by": page.found_by if page else None,
            }
        )
    return pa.Table.from_pylist(rows, schema=DOCUMENTS.schema), errors
