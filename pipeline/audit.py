"""Auditing extracted spans against the source: list an entity's mentions in context,
and verify every offset in every table against the input files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import IngestConfig
from pipeline.ingest.documents import documents
from pipeline.ingest.files import list_inputs, relative
from pipeline.tables import ARTICLES, DOCUMENTS, ENTITIES, ERRORS, MENTIONS, TABLES


@dataclass(frozen=True)
class MentionInContext:
    """One mention with the text around it."""

    path: str
    doc_start: int
    doc_end: int
    label: str
    method: str
    left: str
    span: str
    right: str
    mention_id: str
    article_id: str
    entity_id: str


def find_entities(out: Path, query: str) -> list[dict]:
    """Entities whose id is ``query``, or whose name or an alias contains it (any case)."""
    ents = pq.read_table(Path(out) / ENTITIES.file).to_pylist()
    exact = [e for e in ents if e["entity_id"] == query]
    if exact:
        return exact
    q = query.casefold()
    return [
        e for e in ents if q in e["name"].casefold() or any(q in a.casefold() for a in e["aliases"])
    ]


def skipped_reasons(out: Path) -> dict[str, str]:
    """Why each skipped document has no entities or dates, by its path and by the id of
    each of its articles."""
    docs = pq.read_table(
        Path(out) / DOCUMENTS.file,
        columns=["doc_id", "path", "skipped"],
        filters=[("skipped", "!=", "")],
    ).to_pylist()
    reasons = {d["path"]: d["skipped"] for d in docs if d["skipped"]}
    if reasons:
        by_doc = {d["doc_id"]: d["skipped"] for d in docs if d["skipped"]}
        arts = pq.read_table(Path(out) / ARTICLES.file, columns=["article_id", "doc_id"])
        for aid, doc in zip(
            *(arts.column(c).to_pylist() for c in ("article_id", "doc_id")), strict=True
        ):
            if doc in by_doc:
                reasons[aid] = by_doc[doc]
    return reasons


def mentions_in_context(out: Path, entity_id: str, width: int = 60) -> list[MentionInContext]:
    """Every mention of ``entity_id``, in document order, with ``width`` characters of
    context on each side taken from ``documents.text``."""
    return select_mentions(out, entity_ids=[entity_id], width=width)


def select_mentions(
    out: Path,
    entity_ids: list[str] | None = None,
    label: str | None = None,
    article: str | None = None,
    width: int = 60,
    limit: int | None = None,
) -> list[MentionInContext]:
    """Mentions in document order, with ``width`` characters of context on each side,
    filtered by entity ids, label and article (an ``article_id`` or a document ``path``);
    at most ``limit`` of them. Only the matching rows are read (Parquet filters)."""
    where = []
    if entity_ids is not None:
        where.append(("entity_id", "in", entity_ids))
    if label:
        where.append(("label", "=", label))
    filters = (
        [[*where, ("article_id", "=", article)], [*where, ("path", "=", article)]]
        if article
        else where or None
    )
    rows = pq.read_table(Path(out) / MENTIONS.file, filters=filters).to_pylist()
    rows = sorted(rows, key=lambda r: (r["path"], r["doc_start"]))[:limit]
    if not rows:
        return []
    paths = sorted({r["path"] for r in rows})
    docs = pq.read_table(
        Path(out) / DOCUMENTS.file, columns=["path", "text"], filters=[("path", "in", paths)]
    )
    texts = dict(zip(docs.column("path").to_pylist(), docs.column("text").to_pylist(), strict=True))
    found = []
    for r in rows:
        text, s, e = texts[r["path"]], r["doc_start"], r["doc_end"]
        found.append(
            MentionInContext(
                path=r["path"],
                doc_start=s,
                doc_end=e,
                label=r["label"],
                method=r["method"],
                left=_one_line(text[max(0, s - width) : s]),
                span=text[s:e],
                right=_one_line(text[e : e + width]),
                mention_id=r["mention_id"],
                article_id=r["article_id"],
                entity_id=r["entity_id"],
            )
        )
    return found


def _one_line(text: str) -> str:
    """``text`` with each run of whitespace (line breaks included) as one space; a space
    at either end stays, so the context reads as the source does."""
    return re.sub(r"\s+", " ", text)


def verify(out: Path, raw: Path, cfg: IngestConfig | None = None) -> list[str]:
    """Re-read the input folder and check every offset of every table against it.

    Returns:
        One line per problem (empty when all is well): a document whose text no longer
        matches its file, an input file added since the run, a span outside its
        document, a ``text`` column that is not ``documents.text[doc_start:doc_end]``.
    """
    out, raw = Path(out), Path(raw)
    stored = pq.read_table(out / DOCUMENTS.file).to_pylist()
    folder = raw if raw.is_dir() else raw.parent  # a single-file input is stored by its name
    wanted = [folder / d["path"] for d in stored if (folder / d["path"]).is_file()]
    fresh, _ = documents(wanted, raw, cfg or IngestConfig())
    fresh_text = dict(
        zip(fresh.column("path").to_pylist(), fresh.column("text").to_pylist(), strict=True)
    )
    problems = []
    texts: dict[str, str] = {}
    for d in stored:
        texts[d["path"]] = d["text"]
        if d["path"] not in fresh_text:
            problems.append(f"{d['path']}: input file missing or unreadable under {raw}")
        elif fresh_text[d["path"]] != d["text"]:
            problems.append(f"{d['path']}: documents.text differs from the file as read now")
    known = set(texts)
    if (out / ERRORS.file).exists():
        known |= set(pq.read_table(out / ERRORS.file, columns=["path"]).column("path").to_pylist())
    listed, _ = list_inputs(raw)
    for path in sorted({relative(p, raw) for p in listed} - known):
        problems.append(f"{path}: input file added since the run (run again to include it)")
    spanned = sorted(
        (t for t in TABLES.values() if "doc_start" in t.schema.names), key=lambda t: t.file
    )
    for spec in spanned:
        table_path = out / spec.file
        if not table_path.exists():
            continue
        table = pq.read_table(table_path)
        cols = [c for c in ("path", "doc_start", "doc_end", "text") if c in table.column_names]
        for i, row in enumerate(table.select(cols).to_pylist()):
            text = texts.get(row["path"])
            where = f"{table_path.stem} row {i} ({row['path']} {row['doc_start']}:{row['doc_end']})"
            if text is None:
                problems.append(f"{where}: no such document")
            elif not 0 <= row["doc_start"] <= row["doc_end"] <= len(text):
                problems.append(f"{where}: span outside the document (length {len(text)})")
            elif "text" in row and text[row["doc_start"] : row["doc_end"]] != row["text"]:
                problems.append(
                    f"{where}: text {row['text']!r} != source "
                    f"{text[row['doc_start'] : row['doc_end']]!r}"
                )
    return problems
