"""Documents are cut into articles (title, own date, source).

A document with a table of contents or several headline blocks is a compilation
(:mod:`pipeline.segment.compilation`); any other is one article inside page chrome
(:mod:`pipeline.segment.single`).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

import pyarrow as pa

from pipeline.config import SegmentConfig
from pipeline.core.documents import is_extracted_page
from pipeline.core.engine import Engine, Failure, Task
from pipeline.core.ids import content_id
from pipeline.core.paragraphs import Paragraph, paragraphs
from pipeline.errors import ErrorRecord
from pipeline.segment.compilation import compilation_headlines
from pipeline.segment.headlines import Headline, source_of
from pipeline.segment.single import dateline_line, single_article
from pipeline.tables import ARTICLES, LEFT_OUT

log = logging.getLogger(__name__)

STAGE = "segment"
REQUIRES = ("doc_id", "path", "text", "title", "published", "language", "method")


def _compilation_rows(
    paras: list[Paragraph], heads: list[Headline], cfg: SegmentConfig
) -> list[dict]:
    rows = []
    for n, head in enumerate(heads):
        stop = heads[n + 1].first_para if n + 1 < len(heads) else len(paras)
        last = paras[stop - 1]
        source = source_of(last, cfg) if stop - 1 > head.last_para else None
        rows.append(
            {
                "doc_start": head.start,
                "doc_end": last.end,
                "title": head.title,
                "published": head.date,
                "published_source": head.date_source if head.date else None,
                "source": source,
                "layout": "compilation",
            }
        )
    return rows


def _whole(paras: list[Paragraph], layout: str) -> dict:
    """One article of all the paragraphs, no title or date of its own."""
    return {
        "doc_start": paras[0].start,
        "doc_end": paras[-1].end,
        "title": None,
        "published": None,
        "published_source": None,
        "source": None,
        "layout": layout,
    }


def document_articles(
    text: str, cfg: SegmentConfig, language: str | None = "en", extracted: bool = False
) -> list[dict]:
    """The articles of one document (in ``language``, ISO 639-1) as dicts of span, title,
    date and source. ``extracted``: the text is a web page's main content as the
    extractor kept it, which is one article whole unless it is a compilation."""
    paras = paragraphs(text, language=language)
    if not paras:
        return []
    heads = compilation_headlines(text, paras, cfg)
    if heads:
        return _compilation_rows(paras, heads, cfg)
    if extracted:  # its title and date are set from the page's metadata
        return [_whole(paras, "single")]
    found = single_article(paras, cfg)
    if found is None:
        row = _whole(paras, "fragment")
        day = dateline_line(paras)  # a table or a list may still carry its dateline
        return [row | {"published": day, "published_source": "dateline"} if day else row]
    return [
        {
            "doc_start": found.start,
            "doc_end": found.end,
            "title": found.title,
            "published": found.published,
            "published_source": found.published_source,
            "source": found.source,
            "layout": "single",
        }
    ]


def _document_rows(item: tuple[str, str | None, bool], cfg: SegmentConfig) -> list[dict]:
    """:func:`document_articles` of a (text, language, extracted) item as plain data (ISO
    dates), for the engine and its cache."""
    text, language, extracted = item
    return [
        r | {"published": _iso(r["published"])}
        for r in document_articles(text, cfg, language or "en", extracted)
    ]


def articles(
    docs: pa.Table, cfg: SegmentConfig, engine: Engine
) -> tuple[pa.Table, list[ErrorRecord]]:
    """Cut every document into articles.

    Args:
        docs: the ``documents`` table (``doc_id``, ``path``, ``text``).
        cfg: segmentation settings.
        engine: runs the per-document work, with its cache of earlier results.

    Returns:
        The ``articles`` table, one row per article with its span of ``documents.text``,
        and one error row per document that failed.
    """
    rows: list[dict] = []
    errors: list[ErrorRecord] = []
    doc_rows = docs.select(list(REQUIRES)).to_pylist()
    task = Task(
        STAGE,
        partial(_document_rows, cfg=cfg),
        key=lambda item: item,
        settings=(cfg,),
        may_fail=True,
    )
    found_all = engine.map(
        task, [(d["text"], d["language"], is_extracted_page(d["method"])) for d in doc_rows]
    )
    for doc, found in zip(doc_rows, found_all, strict=True):
        if isinstance(found, Failure):
            errors.append(ErrorRecord(doc["path"], STAGE, found.code, found.message))
            log.error("%s: %s", doc["path"], found.message)
            continue
        if len(found) == 1 and (doc["title"] or doc["published"]):
            found = [_with_page_metadata(found[0], doc)]
        for r in found:
            row = r | {
                "published": _date(r["published"]),
                "article_id": content_id(doc["doc_id"], r["doc_start"], r["doc_end"]),
                "doc_id": doc["doc_id"],
                "path": doc["path"],
            }
            rows.append(row)
        log.debug("%s: %d article(s)", doc["path"], len(found))
    return pa.Table.from_pylist(rows, schema=ARTICLES.schema), errors


def left_out(docs: pa.Table, arts: pa.Table) -> pa.Table:
    """Every stretch of each document's text outside all its articles (whitespace
    trimmed, empty ones dropped), so that nothing leaves the tables unseen."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for a in arts.select(["doc_id", "doc_start", "doc_end"]).to_pylist():
        spans.setdefault(a["doc_id"], []).append((a["doc_start"], a["doc_end"]))
    rows = []
    for doc in docs.select(["doc_id", "path", "text"]).to_pylist():
        text, held = doc["text"], sorted(spans.get(doc["doc_id"], []))
        if not held:
            continue  # a document with no article failed segmentation: see errors
        gaps, cursor = [], 0
        for start, end in held:
            if start > cursor:
                gaps.append(
                    (cursor, start, "between articles" if cursor else "before the first article")
                )
            cursor = max(cursor, end)
        gaps.append((cursor, len(text), "after the last article"))
        for lo, hi, reason in gaps:
            stretch = text[lo:hi]
            stripped = stretch.strip()
            if stripped:
                start = lo + len(stretch) - len(stretch.lstrip())
                rows.append(
                    {
                        "doc_id": doc["doc_id"],
                        "path": doc["path"],
                        "doc_start": start,
                        "doc_end": start + len(stripped),
                        "text": stripped,
                        "reason": reason,
                    }
                )
    return pa.Table.from_pylist(rows, schema=LEFT_OUT.schema)


def _with_page_metadata(row: dict, doc: dict) -> dict:
    """A web page's one article takes the page's title and published date from its
    metadata where the page states them (``published_source`` ``page_metadata``)."""
    row = row | {"title": doc["title"] or row["title"]}
    if doc["published"]:
        row |= {"published": _iso(doc["published"]), "published_source": "page_metadata"}
    return row


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
