"""Boilerplate paragraphs: paragraphs repeated, exactly or nearly, in
``boilerplate_min_articles`` or more articles (a campaign's standard description, an
agency's footer). Needs only the articles' fingerprints, so it runs beside the NER stage."""

from __future__ import annotations

from functools import partial

import pyarrow as pa

from pipeline.config import DedupConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.stories.fingerprints import decoded, paragraphs_of
from pipeline.stories.nearcopies import Link, exact_links, groups, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import from_hashvalues
from pipeline.tables import PARAGRAPHS


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


def boilerplate(
    docs: pa.Table, arts: pa.Table, fingerprints: pa.Table, cfg: DedupConfig
) -> pa.Table:
    """The ``paragraphs`` table: every paragraph of every article, with its boilerplate
    group if any, from the articles' fingerprints (:mod:`pipeline.stories.fingerprints`). Needs
    no mentions, so it can run beside the NER stage."""
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    paras_of = paragraphs_of(art_rows, decoded(fingerprints))
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
    return pa.Table.from_pylist(para_rows, schema=PARAGRAPHS.schema)
