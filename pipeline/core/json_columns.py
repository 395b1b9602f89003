"""The private per-article tables (the model pass's spans, the fingerprints) keep one
JSON value per article: reading such a column back."""

from __future__ import annotations

import json

import pyarrow as pa


def by_article(table: pa.Table, column: str) -> dict[str, object]:
    """Each article's decoded ``column`` value, by ``article_id``."""
    return dict(
        zip(
            table.column("article_id").to_pylist(),
            map(json.loads, table.column(column).to_pylist()),
            strict=True,
        )
    )
