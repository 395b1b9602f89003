"""The model pass's mentions of people, organizations and places, then the correction
layers (:mod:`pipeline.entities.layers`) that the configuration selects."""

from __future__ import annotations

import logging

import pyarrow as pa

from pipeline.config import NerConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.core.json_columns import by_article
from pipeline.entities.layers import apply_layers
from pipeline.entities.mention import LABEL_MAP, Mention, sort_key
from pipeline.entities.sentences import sentence_of
from pipeline.tables import MENTIONS

log = logging.getLogger(__name__)

STAGE = "ner"
REQUIRES = ("article_id", "doc_id", "path", "doc_start", "doc_end")
DATES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_start", pa.int64(), nullable=False),
        pa.field("doc_end", pa.int64(), nullable=False),
    ]
)


def spans_by_article(annotations: pa.Table) -> dict[str, list]:
    """The model pass's spans (the private ``_annotations`` table) by article id."""
    return by_article(annotations, "spans")


def model_mentions(
    articles: list[dict], spans: dict[str, list], texts: dict[str, str]
) -> tuple[list[Mention], list[dict], list[Mention]]:
    """The model's PERSON, ORG and GPE/LOC/FAC (as PLACE) mentions; its DATE spans apart
    (for the dates stage); and its names of other kinds (NORP, PRODUCT, EVENT...), as
    mention records with that label, for the layers to read; offsets into
    ``documents.text`` (``texts``, by ``doc_id``), each with its sentence."""
    out: list[Mention] = []
    others: list[Mention] = []
    date_spans: list[dict] = []
    for art in articles:
        at, text = art["doc_start"], texts[art["doc_id"]]
        for start, end, label in spans[art["article_id"]]:
            if label == "DATE":
                date_spans.append(
                    {"article_id": art["article_id"], "doc_start": at + start, "doc_end": at + end}
                )
                continue
            s_start, s_end = sentence_of(text, art, at + start, at + end)
            mention = Mention(
                doc_id=art["doc_id"],
                article_id=art["article_id"],
                doc_start=at + start,
                doc_end=at + end,
                label=LABEL_MAP.get(label, label),
                method="model",
                model_label=label,
                sent_start=s_start,
                sent_end=s_end,
            )
            (out if label in LABEL_MAP else others).append(mention)
    return out, date_spans, others


def mentions_table(
    found: list[Mention], texts: dict[str, str], paths: dict[str, str], model: str
) -> pa.Table:
    """The ``mentions`` table from mention records (``entity_id`` and ``in_boilerplate``
    are filled by :func:`pipeline.entities.canonical.entities`)."""
    ordered = sorted(found, key=sort_key)
    n = len(ordered)
    columns = {
        "mention_id": [content_id(m.article_id, m.doc_start, m.doc_end, m.label) for m in ordered],
        "article_id": [m.article_id for m in ordered],
        "doc_id": [m.doc_id for m in ordered],
        "path": [paths[m.doc_id] for m in ordered],
        "doc_start": [m.doc_start for m in ordered],
        "doc_end": [m.doc_end for m in ordered],
        "text": [texts[m.doc_id][m.doc_start : m.doc_end] for m in ordered],
        "label": [m.label for m in ordered],
        "entity_id": pa.nulls(n, pa.string()),
        "method": [m.method for m in ordered],
        "model_label": [m.model_label for m in ordered],
        "model": pa.repeat(pa.scalar(model), n),
        "sent_start": [m.sent_start for m in ordered],
        "sent_end": [m.sent_end for m in ordered],
        "in_boilerplate": pa.repeat(pa.scalar(False), n),
    }
    return pa.table(columns, schema=MENTIONS.schema)


def mentions(
    docs: pa.Table, arts: pa.Table, annotations: pa.Table, cfg: NerConfig
) -> tuple[pa.Table, pa.Table]:
    """Find the people, organizations and places of every article.

    Args:
        docs: ``documents`` (``doc_id``, ``path``, ``text``).
        arts: ``articles`` (spans of ``documents.text``).
        annotations: the model pass's spans per article
            (:func:`pipeline.entities.model_pass.model_spans`).
        cfg: NER settings, including which correction layers run.

    Returns:
        The ``mentions`` table (``entity_id`` is filled by the canonical entities), and
        spaCy's DATE spans for the dates stage.
    """
    texts = texts_by_id(docs)
    paths = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("path").to_pylist(), strict=True)
    )
    articles = arts.select([*REQUIRES, "source"]).to_pylist()
    found, date_spans, others = model_mentions(articles, spans_by_article(annotations), texts)
    log.info("ner: model found %d mentions in %d articles", len(found), len(articles))
    found = apply_layers(found, texts, articles, cfg, others)
    table = mentions_table(found, texts, paths, cfg.model)
    return table, pa.Table.from_pylist(date_spans, schema=DATES_SCHEMA)
