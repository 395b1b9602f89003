"""Repeated reports: exact copies (same normalised text), near copies (MinHash LSH over
word shingles, confirmed by Jaccard or containment), and the same event told by different
outlets (:mod:`pipeline.stories.events`) are grouped into stories; each story has a
representative, its earliest article (the longest on a tie)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import DedupConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.stories.events import EventEvidence, EventGroup, event_groups
from pipeline.stories.fingerprints import decoded
from pipeline.stories.nearcopies import Link, exact_links, groups, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import Signature, from_hashvalues
from pipeline.tables import DUPLICATES, STORIES

STAGE = "dedup"
_STRENGTH = {"exact": 3, "near": 2, "event": 1}


def _without_boilerplate(
    arts: list[dict], texts: dict[str, str], paragraphs: pa.Table
) -> dict[str, str]:
    """The text of each article that has boilerplate paragraphs, without them (stock
    background repeated across articles says nothing of the event); an article that is
    all boilerplate (a text repeated in three or more places) keeps its text."""
    stock = paragraphs.filter(pc.is_valid(paragraphs.column("boilerplate_group")))
    flagged = set(stock.column("article_id").to_pylist())
    if not flagged:
        return {}
    kept: dict[str, list[str]] = defaultdict(list)
    doc_of = {a["article_id"]: a["doc_id"] for a in arts}
    rows = paragraphs.select(["article_id", "doc_start", "doc_end", "boilerplate_group"])
    for r in rows.to_pylist():
        if r["article_id"] in flagged and r["boilerplate_group"] is None:
            kept[r["article_id"]].append(
                texts[doc_of[r["article_id"]]][r["doc_start"] : r["doc_end"]]
            )
    return {aid: "\n\n".join(kept[aid]) for aid in flagged if kept[aid]}


def _evidence(
    arts: list[dict],
    texts: list[str],
    own: dict[str, str],
    mentions: dict[str, list],
    flags: np.ndarray,
    dates: dict[str, list],
) -> list[EventEvidence]:
    """Each article's :class:`EventEvidence`: its text (``own``: without boilerplate
    paragraphs, where it has some), the entities of its mentions outside boilerplate,
    its places, the years of its dates and its published date."""
    entities: dict[str, list[str]] = defaultdict(list)
    places: dict[str, set[str]] = defaultdict(set)
    names = ("article_id", "entity_id", "label")
    for art, entity, label, flag in zip(*(mentions[n] for n in names), flags.tolist(), strict=True):
        if not flag:
            entities[art].append(entity)
            if label == "PLACE":
                places[art].add(entity)
    years: dict[str, set[str]] = defaultdict(set)
    for art, value in zip(dates["article_id"], dates["value"], strict=True):
        years[art].add(value[:4])
    return [
        EventEvidence(
            own.get(a["article_id"], text),
            tuple(entities[a["article_id"]]),
            frozenset(places[a["article_id"]]),
            frozenset(years[a["article_id"]]),
            a["published"],
        )
        for a, text in zip(arts, texts, strict=True)
    ]


def _story_rows(arts: list[dict], links: list[Link], events: list[EventGroup]) -> list[dict]:
    """One row per article: its story (its group, or itself alone), how it joined (its
    strongest link: exact, then near, then event), that link's score, and the article
    that counts for its group of copies."""
    best: dict[int, tuple[int, float, str]] = {}
    for link in links:
        for i in (link.a, link.b):
            best[i] = max(
                best.get(i, (0, 0.0, "")), (_STRENGTH[link.kind], link.similarity, link.kind)
            )
    for group in events:
        for i, score in zip(group.members, group.scores, strict=True):
            best[i] = max(best.get(i, (0, 0.0, "")), (_STRENGTH["event"], score, "event"))
    copy_of = {  # the links so far are copies: exact and near
        i: arts[_earliest(arts, members)]["article_id"]
        for members in groups(len(arts), links).values()
        for i in members
    }
    links = links + [Link(g.members[0], i, "event", 0.0) for g in events for i in g.members[1:]]
    grouped = groups(len(arts), links)
    alone = set(range(len(arts))) - {i for members in grouped.values() for i in members}
    rows = []
    for members in [*grouped.values(), *([i] for i in sorted(alone))]:
        ids = sorted(arts[i]["article_id"] for i in members)
        cluster = content_id("cluster", *ids)
        rep = _earliest(arts, members)
        for i in members:
            _, score, kind = best.get(i, (0, None, None))
            rows.append(
                {
                    "story_id": cluster,
                    "article_id": arts[i]["article_id"],
                    "joined_by": kind,
                    "score": score,
                    "size": len(members),
                    "representative_id": arts[rep]["article_id"],
                    "is_representative": i == rep,
                    "copy_of": copy_of.get(i),
                }
            )
    return sorted(rows, key=lambda r: (r["story_id"], r["article_id"]))


def _earliest(arts: list[dict], members: list[int]) -> int:
    """The member published first (the longest on a tie, then the smallest id)."""
    return min(
        members,
        key=lambda i: (
            arts[i]["published"] is None,
            arts[i]["published"] or 0,
            -(arts[i]["doc_end"] - arts[i]["doc_start"]),
            arts[i]["article_id"],
        ),
    )


def _duplicate_rows(stories: list[dict]) -> list[dict]:
    """``duplicates`` as the output contract has it: the stories of two or more."""
    return [
        {
            "article_id": r["article_id"],
            "cluster_id": r["story_id"],
            "kind": r["joined_by"],
            "similarity": float(r["score"]),
            "representative_id": r["representative_id"],
            "is_representative": r["is_representative"],
        }
        for r in stories
        if r["size"] > 1
    ]


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
    dates: pa.Table,
    paragraphs: pa.Table,
    fingerprints: pa.Table,
    cfg: DedupConfig,
) -> tuple[pa.Table, pa.Table]:
    """Group repeated reports: exact and near copies from the articles' fingerprints, the
    same event from their text, entities (mentions inside boilerplate paragraphs left
    out), numbers, places and years.

    Returns:
        ``duplicates`` (one row per article in a group of two or more) and ``stories``
        (one row per article, its story of one included).
    """
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    fps = decoded(fingerprints)
    flags = mentions.column("in_boilerplate").to_numpy(zero_copy_only=False)

    art_texts = [texts[a["doc_id"]][a["doc_start"] : a["doc_end"]] for a in art_rows]
    links = exact_links([fps[a["article_id"]]["key"] for a in art_rows])
    done = {(link.a, link.b) for link in links}
    sigs = [
        from_hashvalues(fps[a["article_id"]]["hashvalues"], fps[a["article_id"]]["size"], cfg.seed)
        for a in art_rows
    ]
    links += near_copies(art_texts, sigs, cfg, done)
    cols = mentions.select(["article_id", "entity_id", "label"]).to_pydict()
    year_cols = dates.select(["article_id", "value"]).to_pydict()
    own = _without_boilerplate(art_rows, texts, paragraphs)
    evidence = _evidence(art_rows, art_texts, own, cols, flags, year_cols)
    stories = _story_rows(art_rows, links, event_groups(evidence, cfg))
    return (
        pa.Table.from_pylist(_duplicate_rows(stories), schema=DUPLICATES.schema),
        pa.Table.from_pylist(stories, schema=STORIES.schema),
    )
