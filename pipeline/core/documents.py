"""Reading the ``documents`` table (kept free of the ingest stage's heavy imports, so
worker processes can use it)."""

from __future__ import annotations

import pyarrow as pa


def texts_by_id(docs: pa.Table) -> dict[str, str]:
    """Each document's text by its ``doc_id``."""
    return dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True)
    )


# ``documents.method`` of a web page starts with the extractor's name (the ingest stage
# writes "trafilatura X, htmldate Y"): its text is the page's main content as extracted.
PAGE_EXTRACTOR = "trafilatura"


def is_extracted_page(method: str | None) -> bool:
    """Whether a document's text is a web page's extracted main content."""
    return bool(method) and method.startswith(PAGE_EXTRACTOR)
