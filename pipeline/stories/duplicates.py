"""Repeated reports: exact copies (same normalised text), near copies (MinHash LSH over
word shingles, confirmed by Jaccard or containment), and the same event written twice
(:mod:`pipeline.stories.events`) are grouped; each group has a representative, its
earliest article (the longest on a tie)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

import numpy as np
import pyarrow as pa

from pipeline.config import DedupConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.stories.events import EventView, event_links
from pipeline.stories.fingerprints import decoded, paragraphs_of
from pipeline.stories.nearcopies import Link, exact_links, groups, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import Signature, from_hashvalues
from pipeline.tables import DUPLICATES

STAGE = "dedup"
_STRENGTH = {"exact": 3, "near": 2, "event": 1}


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


def _duplicate_rows(arts: list[dict], links: list[Link]) -> list[dict]:
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


def duplicates(
    docs: pa.Table,
    arts: pa.Table,
    mentions: pa.Table,
    fingerprints: pa.Table,
    cfg: DedupConfig,
) -> pa.Table:
    """Group repeated reports, from the articles' fingerprints and their mentions
    (those inside boilerplate paragraphs left out).

    Returns:
        ``duplicates``: one row per article in a group of two or more.
    """
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    fps = decoded(fingerprints)
    paras_of = paragraphs_of(art_rows, fps)
    flags = mentions.column("in_boilerplate").to_numpy(zero_copy_only=False)

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
    return pa.Table.from_pylist(_duplicate_rows(art_rows, links), schema=DUPLICATES.schema)
