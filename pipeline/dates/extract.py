"""The dates stage: every date expression of every article, found and normalised
(:mod:`pipeline.dates.resolve`) per article on the engine, with results cached; then
confirmed against the model's DATE spans."""

from __future__ import annotations

import pyarrow as pa

from pipeline.config import DatesConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.engine import Engine, Failure, Task
from pipeline.core.ids import content_id
from pipeline.dates.resolve import article_dates, numeric_order
from pipeline.errors import ErrorRecord
from pipeline.tables import DATES, UNRESOLVED_DATES

STAGE = "dates"
REQUIRES = ("article_id", "doc_id", "path", "doc_start", "doc_end", "published")
_CACHED = ("value", "end_value", "grain", "kind", "ambiguous", "method", "reason")


def _orders(texts: dict[str, str], cfg: DatesConfig, engine: Engine) -> dict[str, tuple[str, bool]]:
    """Each document's :func:`numeric_order` (or the configured one); cached by its text,
    since finding it scans the whole document."""
    if not cfg.detect_order:
        return {doc_id: (cfg.date_order, True) for doc_id in texts}
    task = Task("numeric-order", numeric_order, key=lambda text: (text,))
    found = engine.map(task, list(texts.values()))
    return {doc_id: (o[0], o[1]) for doc_id, o in zip(texts, found, strict=True)}


def _relative_rows(item: tuple[str, dict, tuple[str, bool]]) -> list[dict]:
    """:func:`article_dates` of one (document text, article, numeric order) item, as
    plain data with offsets relative to the article."""
    text, art, order = item
    lo = art["doc_start"]
    return [
        {k: r[k] for k in _CACHED} | {"start": r["doc_start"] - lo, "end": r["doc_end"] - lo}
        for r in article_dates(text, art, order)
    ]


def dates(
    docs: pa.Table, arts: pa.Table, cfg: DatesConfig, engine: Engine
) -> tuple[pa.Table, pa.Table, list[ErrorRecord]]:
    """Find and normalise the dates of every article (``method`` is ``pattern`` until
    :func:`confirm` has seen the model's DATE spans).

    Args:
        docs: ``documents``.
        arts: ``articles`` with their final ``published`` dates (the relative base).
        cfg: dates settings.
        engine: runs the per-article work, with its cache of earlier results (keyed by
            the article's text, date, the document's numeric order and the settings).

    Returns:
        The (private) dates table, ``unresolved_dates`` (expressions that need an article
        date the article lacks), and one error row per article that failed.
    """
    texts = texts_by_id(docs)
    orders = _orders(texts, cfg, engine)
    art_rows = arts.select(list(REQUIRES)).to_pylist()
    task = Task(
        STAGE,
        _relative_rows,
        key=lambda item: (
            item[0][item[1]["doc_start"] : item[1]["doc_end"]],
            item[1]["published"],
            item[2],
        ),
        settings=(cfg,),
        may_fail=True,
    )
    found = engine.map(task, [(texts[a["doc_id"]], a, orders[a["doc_id"]]) for a in art_rows])
    rows: list[dict] = []
    failed: dict[str, list[Failure]] = {}
    for art, relative in zip(art_rows, found, strict=True):
        if isinstance(relative, Failure):
            failed.setdefault(art["path"], []).append(relative)
            continue
        lo = art["doc_start"]
        for r in relative:
            start, end = lo + r["start"], lo + r["end"]
            rows.append(
                {k: r[k] for k in _CACHED}
                | {
                    "date_id": content_id(art["article_id"], start, end),
                    "article_id": art["article_id"],
                    "doc_id": art["doc_id"],
                    "path": art["path"],
                    "doc_start": start,
                    "doc_end": end,
                    "text": texts[art["doc_id"]][start:end],
                    "base": art["published"],
                }
            )
    errors = [  # one row per file: the first failure, and how many articles failed
        ErrorRecord(path, STAGE, fs[0].code, f"{fs[0].message} (in {len(fs)} article(s))")
        for path, fs in failed.items()
    ]
    resolved = [r for r in rows if r["value"] is not None]
    unresolved = [r for r in rows if r["value"] is None]
    return (
        pa.Table.from_pylist(resolved, schema=DATES.schema),
        pa.Table.from_pylist(unresolved, schema=UNRESOLVED_DATES.schema),
        errors,
    )


def confirm(found: pa.Table, model_dates: pa.Table) -> pa.Table:
    """Mark the dates that spaCy's DATE spans overlap: ``method`` becomes
    ``pattern+model``."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in model_dates.select(["article_id", "doc_start", "doc_end"]).to_pylist():
        spans.setdefault(r["article_id"], []).append((r["doc_start"], r["doc_end"]))
    methods = [
        "pattern+model" if any(s < e0 and s0 < e for s, e in spans.get(a, ())) else m
        for a, s0, e0, m in zip(
            found.column("article_id").to_pylist(),
            found.column("doc_start").to_pylist(),
            found.column("doc_end").to_pylist(),
            found.column("method").to_pylist(),
            strict=True,
        )
    ]
    col = found.schema.get_field_index("method")
    return found.set_column(col, found.schema.field("method"), pa.array(methods, pa.string()))
