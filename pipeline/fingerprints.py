"""Per-article fingerprints for the dedup stage: exact keys and MinHash signatures of
articles and of their paragraphs. Plain data (no texts), so workers anywhere can compute
them and the corpus-level grouping runs on what they return."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from pipeline.cache import ResultCache
from pipeline.config import DedupConfig
from pipeline.documents import texts_by_id
from pipeline.ids import content_id
from pipeline.paragraphs import paragraphs
from pipeline.shingles import SCHEME, exact_key, norm_words, signature

if TYPE_CHECKING:
    from pipeline.engines import Engine


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


STAGE = "fingerprint"
SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("fingerprint", pa.large_string(), nullable=False),  # JSON
    ]
)


def fingerprints(
    docs: pa.Table,
    arts: pa.Table,
    cfg: DedupConfig,
    engine: Engine,
    cache: ResultCache | None = None,
) -> pa.Table:
    """Fingerprints of every article (private table), computed by ``engine`` for the
    articles ``cache`` does not already hold."""
    texts = texts_by_id(docs)
    rows = arts.select(["article_id", "doc_id", "doc_start", "doc_end", "title"]).to_pylist()
    items = [
        (texts[r["doc_id"]][r["doc_start"] : r["doc_end"]], r["title"] is not None) for r in rows
    ]
    job = FingerprintJob(cfg.shingle_words, cfg.num_perm, cfg.seed, cfg.paragraph_min_words)
    cache = cache or ResultCache(None)
    keys = [content_id("fingerprint", text, title, SCHEME, job, length=32) for text, title in items]
    known = cache.get_many(keys, decode=False)  # JSON text goes into the table as is
    todo = sorted({k: i for i, k in enumerate(keys) if k not in known}.values())
    fresh = engine.fingerprint([items[i] for i in todo], job)
    new = {keys[i]: fp for i, fp in zip(todo, fresh, strict=True)}
    cache.put_many(new)
    known |= {k: json.dumps(v) for k, v in new.items()}
    return pa.table(
        {
            "article_id": [r["article_id"] for r in rows],
            "fingerprint": [known[k] for k in keys],
        },
        schema=SCHEMA,
    )


def fingerprint_batch(
    items: list[tuple[str, bool]], k: int, num_perm: int, seed: int, min_words: int
) -> list[dict]:
    """:func:`fingerprint` over (text, has_title) pairs."""
    return [fingerprint(t, title, k, num_perm, seed, min_words) for t, title in items]
