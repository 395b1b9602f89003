"""Stage 2, segment: documents are cut into articles (title, own date, source).

A document with a table of contents or several headline blocks is a compilation
(:mod:`pipeline.compilation`); any other is one article inside page chrome
(:mod:`pipeline.single`).
"""

from __future__ import annotations

import datetime as dt
import logging

import pyarrow as pa

from pipeline.cache import ResultCache
from pipeline.compilation import compilation_headlines
from pipeline.config import SegmentConfig
from pipeline.errors import ErrorRecord, error_record
from pipeline.headlines import Headline, source_of
from pipeline.ids import content_id
from pipeline.paragraphs import Paragraph, paragraphs
from pipeline.progress import progress
from pipeline.single import single_article

log = logging.getLogger(__name__)

STAGE = "segment"
REQUIRES = ("doc_id", "path", "text")
SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("doc_start", pa.int64(), nullable=False),
        pa.field("doc_end", pa.int64(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("published_source", pa.string()),
        pa.field("source", pa.string()),
        pa.field("layout", pa.string(), nullable=False),
    ]
)
PRODUCES = tuple(SCHEMA.names)


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


def document_articles(text: str, cfg: SegmentConfig) -> list[dict]:
    """The articles of one document as dicts of span, title, date and source."""
    paras = paragraphs(text)
    if not paras:
        return []
    heads = compilation_headlines(text, paras, cfg)
    if heads:
        return _compilation_rows(paras, heads, cfg)
    found = single_article(text, paras, cfg)
    if found is None:
        return [
            {
                "doc_start": paras[0].start,
                "doc_end": paras[-1].end,
                "title": None,
                "published": None,
                "published_source": None,
                "source": None,
                "layout": "fragment",
            }
        ]
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


def articles(
    docs: pa.Table, cfg: SegmentConfig, cache: ResultCache | None = None
) -> tuple[pa.Table, list[ErrorRecord]]:
    """Cut every document into articles.

    Args:
        docs: the ``documents`` table (``doc_id``, ``path``, ``text``).
        cfg: segmentation settings.
        cache: results of earlier runs, by document text and settings.

    Returns:
        The ``articles`` table, one row per article with its span of ``documents.text``,
        and one error row per document that failed.
    """
    rows: list[dict] = []
    errors: list[ErrorRecord] = []
    cache = cache or ResultCache(None)
    doc_rows = docs.select(list(REQUIRES)).to_pylist()
    keys = [content_id("segment", d["text"], cfg, length=32) for d in doc_rows]
    known = cache.get_many(keys)
    new: dict[str, list[dict]] = {}
    for doc, key in progress(list(zip(doc_rows, keys, strict=True)), desc="segment", unit="doc"):
        try:
            if key in known:
                found = [r | {"published": _date(r["published"])} for r in known[key]]
            else:
                found = document_articles(doc["text"], cfg)
                new[key] = [r | {"published": _iso(r["published"])} for r in found]
        except Exception as exc:
            err = error_record(doc["path"], STAGE, exc)
            log.error("%s: %s", doc["path"], err.message)
            errors.append(err)
            continue
        for row in found:
            row["article_id"] = content_id(doc["doc_id"], row["doc_start"], row["doc_end"])
            row["doc_id"] = doc["doc_id"]
            row["path"] = doc["path"]
            rows.append(row)
        log.debug("%s: %d article(s)", doc["path"], len(found))
    cache.put_many(new)
    return pa.Table.from_pylist(rows, schema=SCHEMA), errors


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
