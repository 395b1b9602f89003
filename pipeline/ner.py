"""Stage 3a, named entities: spaCy's mentions of people, organizations and places,
then the correction layers (:mod:`pipeline.layers`) in the order configured."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pyarrow as pa

from pipeline.config import NerConfig
from pipeline.ids import content_id
from pipeline.layers import apply_layers
from pipeline.nlp import load_model
from pipeline.paragraphs import paragraphs
from pipeline.progress import progress
from pipeline.spans import LABEL_MAP, Mention, sort_key

log = logging.getLogger(__name__)

STAGE = "ner"
REQUIRES = ("article_id", "doc_id", "path", "doc_start", "doc_end")
SCHEMA = pa.schema(
    [
        pa.field("mention_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("doc_start", pa.int64(), nullable=False),
        pa.field("doc_end", pa.int64(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("entity_id", pa.string()),
        pa.field("method", pa.string(), nullable=False),
        pa.field("model_label", pa.string()),
        pa.field("model", pa.string(), nullable=False),
        pa.field("sent_start", pa.int64(), nullable=False),
        pa.field("sent_end", pa.int64(), nullable=False),
    ]
)


def _chunks(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` at paragraph breaks into pieces of at most ``max_chars``
    (a single longer paragraph stays whole), so very long articles stay safe to parse."""
    if end - start <= max_chars:
        yield start, end
        return
    piece_start = piece_end = None
    for para in paragraphs(text, start, end):
        if piece_start is None:
            piece_start = para.start
        elif para.end - piece_start > max_chars:
            yield piece_start, piece_end
            piece_start = para.start
        piece_end = para.end
    if piece_start is not None:
        yield piece_start, piece_end


DATES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_start", pa.int64(), nullable=False),
        pa.field("doc_end", pa.int64(), nullable=False),
    ]
)


def model_mentions(
    texts: dict[str, str], articles: list[dict], cfg: NerConfig
) -> tuple[list[Mention], list[dict]]:
    """Run spaCy over every article and keep PERSON, ORG and GPE/LOC/FAC as PLACE, and
    the DATE spans apart (for the dates stage).

    Offsets are mapped back from each piece's own text to ``documents.text``.
    """
    nlp = load_model(cfg.model)

    def pieces() -> Iterator[tuple[str, tuple[dict, int]]]:
        for art in articles:
            text = texts[art["doc_id"]]
            for lo, hi in _chunks(text, art["doc_start"], art["doc_end"], cfg.max_chunk_chars):
                yield text[lo:hi], (art, lo)

    out: list[Mention] = []
    date_spans: list[dict] = []
    stream = nlp.pipe(pieces(), as_tuples=True, batch_size=cfg.batch_size)
    with nlp.memory_zone():
        for doc, (art, offset) in progress(stream, desc="ner", unit="piece"):
            for ent in doc.ents:
                label = LABEL_MAP.get(ent.label_)
                if ent.label_ == "DATE":
                    date_spans.append(
                        {
                            "article_id": art["article_id"],
                            "doc_start": offset + ent.start_char,
                            "doc_end": offset + ent.end_char,
                        }
                    )
                if label is None:
                    continue
                sent = ent.sent
                out.append(
                    Mention(
                        doc_id=art["doc_id"],
                        article_id=art["article_id"],
                        doc_start=offset + ent.start_char,
                        doc_end=offset + ent.end_char,
                        label=label,
                        method="model",
                        model_label=ent.label_,
                        sent_start=offset + sent.start_char,
                        sent_end=offset + sent.end_char,
                    )
                )
    return out, date_spans


def mentions_table(
    found: list[Mention], texts: dict[str, str], paths: dict[str, str], model: str
) -> pa.Table:
    """The ``mentions`` table (``entity_id`` still empty) from mention records."""
    rows = [
        {
            "mention_id": content_id(m.article_id, m.doc_start, m.doc_end, m.label),
            "article_id": m.article_id,
            "doc_id": m.doc_id,
            "path": paths[m.doc_id],
            "doc_start": m.doc_start,
            "doc_end": m.doc_end,
            "text": texts[m.doc_id][m.doc_start : m.doc_end],
            "label": m.label,
            "entity_id": None,
            "method": m.method,
            "model_label": m.model_label,
            "model": model,
            "sent_start": m.sent_start,
            "sent_end": m.sent_end,
        }
        for m in sorted(found, key=sort_key)
    ]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def mentions(docs: pa.Table, arts: pa.Table, cfg: NerConfig) -> tuple[pa.Table, pa.Table]:
    """Find the people, organizations and places of every article.

    Args:
        docs: ``documents`` (``doc_id``, ``path``, ``text``).
        arts: ``articles`` (spans of ``documents.text``).
        cfg: NER settings, including which correction layers run.

    Returns:
        The ``mentions`` table (``entity_id`` is filled by the entities stage), and
        spaCy's DATE spans for the dates stage.
    """
    texts = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True)
    )
    paths = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("path").to_pylist(), strict=True)
    )
    articles = arts.select([*REQUIRES, "source"]).to_pylist()
    found, date_spans = model_mentions(texts, articles, cfg)
    log.info("ner: model found %d mentions in %d articles", len(found), len(articles))
    found = apply_layers(found, texts, articles, cfg)
    table = mentions_table(found, texts, paths, cfg.model)
    return table, pa.Table.from_pylist(date_spans, schema=DATES_SCHEMA)
