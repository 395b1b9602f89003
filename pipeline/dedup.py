"""Stage 5, repeated reports and boilerplate.

- Articles: exact copies (same normalised text), near copies (MinHash LSH over word
  shingles, confirmed by Jaccard or containment), and the same event written twice
  (:mod:`pipeline.events`) are grouped; each group has a representative, its earliest
  article (the longest on a tie).
- Paragraphs repeated, exactly or nearly, in ``boilerplate_min_articles`` or more
  articles (a campaign's standard description, an agency's footer) are boilerplate;
  mentions inside them are flagged, so entities can be counted with and without them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import DedupConfig
from pipeline.documents import texts_by_id
from pipeline.events import EventView, event_links
from pipeline.ids import content_id
from pipeline.nearcopies import Link, exact_links, groups, near_links
from pipeline.overlaps import overlaps
from pipeline.shingles import Signature, from_hashvalues

STAGE = "dedup"
DUPLICATES_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("cluster_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
        pa.field("representative_id", pa.string(), nullable=False),
        pa.field("is_representative", pa.bool_(), nullable=False),
    ]
)
PARAGRAPHS_SCHEMA = pa.schema(
    [
        pa.field("paragraph_id", pa.string(), nullable=False),
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("doc_start", pa.int64(), nullable=False),
        pa.field("doc_end", pa.int64(), nullable=False),
        pa.field("boilerplate_group", pa.string()),
        pa.field("group_articles", pa.int64(), nullable=False),
    ]
)
_STRENGTH = {"exact": 3, "near": 2, "event": 1}


def _paragraph_groups(
    paras: list[tuple[dict, dict]], texts: dict[str, str], cfg: DedupConfig
) -> list[tuple[str | None, int]]:
    """(boilerplate group id or None, number of articles in its group) per paragraph;
    ``paras`` pairs each article with one of its paragraph fingerprints."""
    chunks = [texts[a["doc_id"]][p["doc_start"] : p["doc_end"]] for a, p in paras]
    # A headline is never boilerplate, however alike the titles of a series are.
    keys = [p["key"] if not p["title"] else f"title-{i}" for i, (_, p) in enumerate(paras)]
    links = exact_links(keys)
    long = [i for i, (_, p) in enumerate(paras) if p["hashvalues"] is not None]
    sigs = [from_hashvalues(paras[i][1]["hashvalues"], paras[i][1]["size"], cfg.seed) for i in long]
    exact = partial(overlaps, [chunks[i] for i in long], k=cfg.shingle_words)
    for link in near_links(
        sigs,
        cfg.paragraph_lsh_threshold,
        cfg.paragraph_jaccard,
        cfg.paragraph_containment,
        exact=exact,
    ):
        links.append(Link(long[link.a], long[link.b], "near", link.similarity))
    out: list[tuple[str | None, int]] = [(None, 1)] * len(paras)
    for members in groups(len(paras), links).values():
        arts = {paras[i][0]["article_id"] for i in members}
        if len(arts) < cfg.boilerplate_min_articles:
            continue
        gid = content_id("boilerplate", *sorted(keys[i] for i in members))
        for i in members:
            out[i] = (gid, len(arts))
    return out


def _views(
    arts: list[dict],
    texts: dict[str, str],
    mentions: dict[str, list],
    flags: np.ndarray,
    paras_of: dict[str, list[dict]],
    cfg: DedupConfig,
) -> list[EventView]:
    by_article: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for art, entity, label, end, flag in zip(
        mentions["article_id"],
        mentions["entity_id"],
        mentions["label"],
        mentions["doc_end"],
        flags.tolist(),
        strict=True,
    ):
        if not flag:
            by_article[art].append((entity, label, end))
    views = []
    for a in arts:
        ps = paras_of[a["article_id"]]
        body = ps[1:] if a["title"] and len(ps) > 1 else ps
        text = texts[a["doc_id"]]
        lead = " ".join(text[p["doc_start"] : p["doc_end"]] for p in body[: cfg.lead_paragraphs])
        title_end = ps[0]["doc_end"] if a["title"] and ps else a["doc_start"]
        mine = by_article[a["article_id"]]
        views.append(
            EventView(
                published=a["published"],
                title=a["title"] or "",
                lead=" ".join(lead.split()[: cfg.lead_words]),
                entities=frozenset(entity for entity, _, _ in mine),
                title_places=frozenset(
                    entity for entity, label, end in mine if label == "PLACE" and end <= title_end
                ),
            )
        )
    return views


def _duplicate_rows(arts: list[dict], texts: dict[str, str], links: list[Link]) -> list[dict]:
    best: dict[int, tuple[int, float, str]] = {}
    for link in links:
        for i in (link.a, link.b):
            cur = best.get(i, (0, 0.0, "event"))
            cand = (_STRENGTH[link.kind], link.similarity, link.kind)
            best[i] = max(cur, cand)
    rows = []
    for members in groups(len(arts), links).values():
        ids = sorted(arts[i]["article_id"] for i in members)
        cluster = content_id("cluster", *ids)
        rep = min(
            members,
            key=lambda i: (
                arts[i]["published"] is None,
                arts[i]["published"] or 0,
                -(arts[i]["doc_end"] - arts[i]["doc_start"]),
                arts[i]["article_id"],
            ),
        )
        for i in members:
            _, sim, kind = best[i]
            rows.append(
                {
                    "article_id": arts[i]["article_id"],
                    "cluster_id": cluster,
                    "kind": kind,
                    "similarity": float(sim),
                    "representative_id": arts[rep]["article_id"],
                    "is_representative": i == rep,
                }
            )
    return sorted(rows, key=lambda r: (r["cluster_id"], r["article_id"]))


def _in_boilerplate(arts: pa.Table, mentions: pa.Table, paragraphs: pa.Table) -> np.ndarray:
    """Whether each mention lies inside a boilerplate paragraph of its article. Spans
    are laid out one article after another on one axis; an article's paragraphs never
    overlap, so the only candidate is the last paragraph starting at or before the
    mention."""
    found = paragraphs.filter(pc.is_valid(paragraphs.column("boilerplate_group")))
    if found.num_rows == 0:
        return np.zeros(mentions.num_rows, dtype=bool)
    ids = arts.column("article_id")
    width = 1 + (pc.max(arts.column("doc_end")).as_py() or 0)

    def axis(table: pa.Table, column: str) -> np.ndarray:
        at = pc.index_in(table.column("article_id"), value_set=ids).to_numpy(zero_copy_only=False)
        return at.astype(np.int64) * width + table.column(column).to_numpy()

    starts, ends = axis(found, "doc_start"), axis(found, "doc_end")
    order = np.argsort(starts, kind="stable")
    starts, ends = starts[order], ends[order]
    at = np.searchsorted(starts, axis(mentions, "doc_start"), side="right") - 1
    return (at >= 0) & (axis(mentions, "doc_end") <= ends[np.maximum(at, 0)])


def near_copies(
    texts: list[str], sigs: list[Signature], cfg: DedupConfig, skip: set[tuple[int, int]]
) -> list[Link]:
    """Near copies among whole articles (``texts`` and their signatures, by index), with
    the article thresholds of ``cfg``, confirmed on the texts' exact shingle sets;
    ``skip`` holds pairs already linked."""
    return near_links(
        sigs,
        cfg.lsh_threshold,
        cfg.near_jaccard,
        cfg.near_containment,
        skip,
        partial(overlaps, texts, k=cfg.shingle_words),
    )


def _paragraphs_of(art_rows: list[dict], fps: dict[str, dict]) -> dict[str, list[dict]]:
    """Each article's paragraph fingerprints, with their spans in the document."""
    return {
        a["article_id"]: [
            p | {"doc_start": a["doc_start"] + p["start"], "doc_end": a["doc_start"] + p["end"]}
            for p in fps[a["article_id"]]["paragraphs"]
        ]
        for a in art_rows
    }


def _decoded(fingerprints: pa.Table) -> dict[str, dict]:
    return dict(
        zip(
            fingerprints.column("article_id").to_pylist(),
            map(json.loads, fingerprints.column("fingerprint").to_pylist()),
            strict=True,
        )
    )


def boilerplate(
    docs: pa.Table, arts: pa.Table, fingerprints: pa.Table, cfg: DedupConfig
) -> pa.Table:
    """The ``paragraphs`` table: every paragraph of every article, with its boilerplate
    group if any, from the articles' fingerprints (:mod:`pipeline.fingerprints`). Needs
    no mentions, so it can run beside the NER stage."""
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    paras_of = _paragraphs_of(art_rows, _decoded(fingerprints))
    flat = [(a, p) for a in art_rows for p in paras_of[a["article_id"]]]
    para_groups = _paragraph_groups(flat, texts, cfg)
    para_rows = [
        {
            "paragraph_id": content_id(a["article_id"], p["doc_start"], p["doc_end"]),
            "article_id": a["article_id"],
            "doc_id": a["doc_id"],
            "path": a["path"],
            "doc_start": p["doc_start"],
            "doc_end": p["doc_end"],
            "boilerplate_group": g,
            "group_articles": n,
        }
        for (a, p), (g, n) in zip(flat, para_groups, strict=True)
    ]
    return pa.Table.from_pylist(para_rows, schema=PARAGRAPHS_SCHEMA)


def duplicates(
    docs: pa.Table,
    arts: pa.Table,
    mentions: pa.Table,
    fingerprints: pa.Table,
    paragraphs: pa.Table,
    cfg: DedupConfig,
) -> tuple[pa.Table, pa.Table]:
    """Group repeated reports, from the articles' fingerprints, and flag the mentions
    inside boilerplate paragraphs (``paragraphs`` from :func:`boilerplate`).

    Returns:
        ``duplicates`` (one row per article in a group of two or more), and ``mentions``
        with ``in_boilerplate`` added.
    """
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    fps = _decoded(fingerprints)
    paras_of = _paragraphs_of(art_rows, fps)
    flags = _in_boilerplate(arts, mentions, paragraphs)
    flagged = mentions.append_column(
        pa.field("in_boilerplate", pa.bool_(), nullable=False), pa.array(flags, pa.bool_())
    )

    art_texts = [texts[a["doc_id"]][a["doc_start"] : a["doc_end"]] for a in art_rows]
    links = exact_links([fps[a["article_id"]]["key"] for a in art_rows])
    done = {(link.a, link.b) for link in links}
    sigs = [
        from_hashvalues(fps[a["article_id"]]["hashvalues"], fps[a["article_id"]]["size"], cfg.seed)
        for a in art_rows
    ]
    links += near_copies(art_texts, sigs, cfg, done)
    done |= {(link.a, link.b) for link in links}
    cols = mentions.select(["article_id", "entity_id", "label", "doc_end"]).to_pydict()
    views = _views(art_rows, texts, cols, flags, paras_of, cfg)
    links += event_links(
        views,
        cfg.event_max_days,
        cfg.event_text_similarity,
        cfg.event_entity_jaccard,
        cfg.event_max_posting,
        done,
    )
    return (
        pa.Table.from_pylist(_duplicate_rows(art_rows, texts, links), schema=DUPLICATES_SCHEMA),
        flagged,
    )
