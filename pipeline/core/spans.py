"""Spans of ``documents.text``: which of those held in Arrow tables lie inside which,
and the line around a span."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def within(spans: pa.Table, containers: pa.Table, articles: pa.Table) -> np.ndarray:
    """Whether each row of ``spans`` lies inside a row of ``containers`` of its article.

    All three tables have ``article_id`` (``spans`` and ``containers`` also
    ``doc_start``/``doc_end``); the containers of one article must not overlap. Spans are
    laid out one article after another on one axis, so the only candidate container is
    the last one starting at or before the span: one sorted search for all of them.
    """
    if containers.num_rows == 0:
        return np.zeros(spans.num_rows, dtype=bool)
    ids = articles.column("article_id")
    width = 1 + (pc.max(articles.column("doc_end")).as_py() or 0)

    def axis(table: pa.Table, column: str) -> np.ndarray:
        at = pc.index_in(table.column("article_id"), value_set=ids).to_numpy(zero_copy_only=False)
        return at.astype(np.int64) * width + table.column(column).to_numpy()

    starts, ends = axis(containers, "doc_start"), axis(containers, "doc_end")
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    at = np.searchsorted(starts, axis(spans, "doc_start"), side="right") - 1
    return (at >= 0) & (axis(spans, "doc_end") <= ends[np.maximum(at, 0)])


def line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the line of ``text`` holding ``[start, end)`` (without its
    line breaks)."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end
