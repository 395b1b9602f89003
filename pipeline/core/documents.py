"""Reading the ``documents`` table (kept free of the ingest stage's heavy imports, so
worker processes can use it)."""

from __future__ import annotations

import pyarrow as pa


def texts_by_id(docs: pa.Table) -> dict[str, str]:
    """Each document's text by its ``doc_id``."""
    return dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True)
    )
