"""Per-article fingerprints for the dedup stage: exact keys and MinHash signatures of
articles and of their paragraphs. Plain data (no texts), so workers anywhere can compute
them and the corpus-level grouping runs on what they return."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

import pyarrow as pa

from pipeline.config import DedupConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.engine import Engine, Task, Where
from pipeline.core.json_columns import by_article
from pipeline.core.paragraphs import paragraphs
from pipeline.stories.shingles import SCHEME, exact_key, norm_words, signature


@dataclass(frozen=True)
class FingerprintJob:
    """What fingerprinting needs besides the texts."""

    k: int
    num_perm: int
    seed: int
    min_words: int


def fingerprint(text: str, title: bool, k: int, num_perm: int, seed: int, min_words: int) -> dict:
    """An article's exact key and signature, and each paragraph's span (relative to the
    article), exact key and, for paragraphs of ``min_words`` words or more that are not
    the headline, signature."""
    sig = signature(text, k, num_perm, seed)
    paras = []
    for n, p in enumerate(paragraphs(text)):
        chunk = text[p.start : p.end]
        is_title = title and n == 0
        long = not is_title and len(norm_words(chunk)) >= min_words
        psig = signature(chunk, k, num_perm, seed) if long else None
        paras.append(
            {
                "start": p.start,
                "end": p.end,
                "title": is_title,
                "key": exact_key(chunk),
                "hashvalues": psig.minhash.hashvalues.tolist() if psig else None,
                "size": psig.size if psig else 0,
            }
        )
    return {
        "key": exact_key(text),
        "hashvalues": sig.minhash.hashvalues.tolist(),
        "size": sig.size,
        "paragraphs": paras,
    }


def _fingerprint_json(item: tuple[str, bool], job: FingerprintJob) -> str:
    """:func:`fingerprint` of one (text, has_title) item, as JSON text."""
    text, title = item
    return json.dumps(fingerprint(text, title, job.k, job.num_perm, job.seed, job.min_words))


SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("fingerprint", pa.large_string(), nullable=False),  # JSON
    ]
)


def fingerprints(docs: pa.Table, arts: pa.Table, cfg: DedupConfig, engine: Engine) -> pa.Table:
    """Fingerprints of every article (a private table, JSON per article)."""
    texts = texts_by_id(docs)
    rows = arts.select(["article_id", "doc_id", "doc_start", "doc_end", "title"]).to_pylist()
    items = [
        (texts[r["doc_id"]][r["doc_start"] : r["doc_end"]], r["title"] is not None) for r in rows
    ]
    job = FingerprintJob(cfg.shingle_words, cfg.num_perm, cfg.seed, cfg.paragraph_min_words)
    task = Task(
        "fingerprint",
        partial(_fingerprint_json, job=job),
        key=lambda item: tuple(item),
        settings=(SCHEME, job),
        where=Where.TASKS,
    )
    found = engine.map(task, items)
    return pa.table(
        {"article_id": [r["article_id"] for r in rows], "fingerprint": found}, schema=SCHEMA
    )


def paragraphs_of(art_rows: list[dict], fps: dict[str, dict]) -> dict[str, list[dict]]:
    """Each article's paragraph fingerprints, with their spans in the document."""
    return {
        a["article_id"]: [
            p | {"doc_start": a["doc_start"] + p["start"], "doc_end": a["doc_start"] + p["end"]}
            for p in fps[a["article_id"]]["paragraphs"]
        ]
        for a in art_rows
    }


def decoded(fingerprints: pa.Table) -> dict[str, dict]:
    """Each article's fingerprint, decoded, by ``article_id``."""
    return by_article(fingerprints, "fingerprint")
