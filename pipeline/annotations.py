"""Stage 3a, the model pass: spaCy over every article, on the configured engine, with
results cached by the article's text and the model, so reruns annotate only new text."""

from __future__ import annotations

import json
import logging

import pyarrow as pa

from pipeline.cache import ResultCache
from pipeline.config import NerConfig
from pipeline.documents import texts_by_id
from pipeline.engines import AnnotateJob, Engine
from pipeline.ids import content_id
from pipeline.nlp import model_version

log = logging.getLogger(__name__)

STAGE = "annotate"
REQUIRES = ("article_id", "doc_id", "doc_start", "doc_end")
SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("spans", pa.large_string(), nullable=False),  # JSON, relative offsets
    ]
)


def annotations(
    docs: pa.Table, arts: pa.Table, cfg: NerConfig, engine: Engine, cache: ResultCache
) -> pa.Table:
    """Model entities, sentences and DATE spans of every article (private table).

    Only articles whose (text, model, version, chunking) key is not in ``cache`` are
    sent to ``engine``; their results are added to the cache.
    """
    texts = texts_by_id(docs)
    rows = arts.select(list(REQUIRES)).to_pylist()
    version = model_version(cfg.model)
    bodies = [texts[r["doc_id"]][r["doc_start"] : r["doc_end"]] for r in rows]
    keys = [content_id("annotate", b, version, cfg.max_chunk_chars, length=32) for b in bodies]
    known = cache.get_many(keys, decode=False)  # JSON text goes into the table as is
    todo = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    log.info(
        "annotate: %d article(s), %d from the cache, %d to annotate",
        len(rows),
        len(rows) - len(todo),
        len(todo),
    )
    job = AnnotateJob(cfg.model, cfg.max_chunk_chars, cfg.batch_size)
    fresh = engine.annotate([bodies[i] for i in todo], job)
    new = {keys[i]: spans for i, spans in zip(todo, fresh, strict=True)}
    cache.put_many(new)
    known |= {k: json.dumps(v) for k, v in new.items()}
    return pa.table(
        {
            "article_id": [r["article_id"] for r in rows],
            "spans": [known[k] for k in keys],
        },
        schema=SCHEMA,
    )
