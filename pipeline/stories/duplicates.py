"""Repeated reports: exact copies (same normalised text), near copies (MinHash LSH over
word shingles, confirmed by Jaccard or containment), and the same event told by different
outlets (:mod:`pipeline.stories.events`) are grouped into stories; each story has a
representative, its earliest article (the longest on a tie)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import DedupConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.core.places import countries_named, country_named_first
from pipeline.stories.eventgroups import EventGroup, Groups, event_groups
from pipeline.stories.eventmodel import load_event_model
from pipeline.stories.events import EventEvidence
from pipeline.stories.fingerprints import decoded
from pipeline.stories.nearcopies import Link, exact_links, groups, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import Signature, from_hashvalues
from pipeline.tables import DUPLICATES, STORIES

STAGE = "dedup"
_TOP_LINES = 3  # a date line stands among an article's first lines
_DATE_LINE_WORDS = 10  # and is short: a date, a place, a time
_RECENT_DAYS = 14  # a day a report names this close before its own is its happening's
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
    lead_words: int,
    languages: dict[str, str | None],
) -> list[EventEvidence]:
    """Each article's :class:`EventEvidence`: its text (``own``: without boilerplate
    paragraphs, where it has some), the entities of its mentions outside boilerplate with
    their labels, those of its lead (its first ``lead_words`` words), the countries its
    first line (its headline, where it has one) places its happening in (by its places and
    organizations, and by the line's own words:
    :func:`~pipeline.core.places.countries_named`), its places, the years of its dates, its
    day (the published date, else the first day a short line at its top names: a
    dateline, a date line), the days it names in the fortnight before, and its title."""
    entities: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, list[str]] = defaultdict(list)
    places: dict[str, set[str]] = defaultdict(set)
    in_lead: dict[str, set[str]] = defaultdict(set)
    lead_end, head_end = {}, {}
    # The countries a headline names, first in its own words (a NER model may miss "US"
    # before a noun), then by its mentions below.
    head_countries: dict[str, set[str]] = {}
    for a, text in zip(arts, texts, strict=True):
        lead_end[a["article_id"]] = a["doc_start"] + _lead_length(text, lead_words)
        body = text.lstrip()
        head = body.split("\n", 1)[0]
        head_end[a["article_id"]] = a["doc_start"] + (len(text) - len(body)) + len(head)
        head_countries[a["article_id"]] = countries_named(head)
    names = ("article_id", "entity_id", "label", "doc_start", "text")
    rows = zip(*(mentions[n] for n in names), flags.tolist(), strict=True)
    for art, entity, label, at, name, flag in rows:
        if not flag:
            entities[art].append(entity)
            labels[art].append(label)
            if label == "PLACE":
                places[art].add(entity)
            if at < lead_end[art]:
                in_lead[art].add(entity)
            in_headline = at < head_end[art]
            if in_headline and label in ("PLACE", "ORG") and (where := country_named_first(name)):
                head_countries[art].add(where)
    years: dict[str, set[str]] = defaultdict(set)
    stated: dict[str, set[dt.date]] = defaultdict(set)
    date_line: dict[str, dt.date] = {}
    top = {
        a["article_id"]: (a["doc_start"], _top_lines(text))
        for a, text in zip(arts, texts, strict=True)
    }
    names = ("article_id", "value", "grain", "doc_start")
    for art, value, grain, at in zip(*(dates[n] for n in names), strict=True):
        years[art].add(value[:4])
        if grain != "day":
            continue
        start, lines = top[art]
        if art not in date_line and any(lo <= at - start < hi for lo, hi in lines):
            date_line[art] = dt.date.fromisoformat(value)
        else:
            stated[art].add(dt.date.fromisoformat(value))
    day = {a["article_id"]: a["published"] or date_line.get(a["article_id"]) for a in arts}
    return [
        EventEvidence(
            own.get(a["article_id"], text),
            tuple(entities[a["article_id"]]),
            frozenset(places[a["article_id"]]),
            frozenset(years[a["article_id"]]),
            day[a["article_id"]],
            tuple(labels[a["article_id"]]),
            frozenset(in_lead[a["article_id"]]),
            a["title"],
            frozenset(head_countries[a["article_id"]]),
            _recent(stated[a["article_id"]], day[a["article_id"]]),
            languages.get(a["doc_id"]),
        )
        for a, text in zip(arts, texts, strict=True)
    ]


def _recent(days: set[dt.date], day: dt.date | None) -> frozenset[dt.date]:
    """The days among ``days`` in the ``_RECENT_DAYS`` up to ``day``: when the happening a
    report tells took place ("on Friday", "on 3 March"); none when the report is undated."""
    if day is None:
        return frozenset()
    return frozenset(d for d in days if 0 <= (day - d).days <= _RECENT_DAYS)


def _top_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the short lines among the text's first ``_TOP_LINES``: where a dateline or
    a date line stands ("LONDON 1996-08-30", "December 15, 2008, 7:35 am")."""
    spans, at = [], 0
    for line in text.split("\n")[:_TOP_LINES]:
        if len(line.split()) <= _DATE_LINE_WORDS:
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def _lead_length(text: str, words: int) -> int:
    """The length of the text's first ``words`` words, with what lies between them."""
    ends = [m.end() for m in itertools.islice(re.finditer(r"\S+", text), words)]
    return ends[-1] if ends else 0


def _story_rows(arts: list[dict], links: list[Link], found: Groups) -> list[dict]:
    """One row per article: its story (its copies and the reports of its happening, or
    itself alone), how it joined (its strongest link: exact, then near, then event), that
    link's score, the article that counts for its group of copies, and its thread (the
    story and the other stories of one developing subject)."""
    best: dict[int, tuple[int, float, str]] = {}
    for link in links:
        for i in (link.a, link.b):
            best[i] = max(
                best.get(i, (0, 0.0, "")), (_STRENGTH[link.kind], link.similarity, link.kind)
            )
    for group in found.events:
        for i, score in zip(group.members, group.scores, strict=True):
            best[i] = max(best.get(i, (0, 0.0, "")), (_STRENGTH["event"], score, "event"))
    copy_of = {  # the links so far are copies: exact and near
        i: arts[_earliest(arts, members)]["article_id"]
        for members in groups(len(arts), links).values()
        for i in members
    }
    links = links + _chain(found.events, "event")
    stories = _with_singletons(len(arts), groups(len(arts), links))
    threads = _with_singletons(len(arts), groups(len(arts), links + _chain(found.threads, "")))
    thread_of = {i: members for members in threads for i in members}
    rows = []
    for members in stories:
        cluster = _group_id(arts, "cluster", members)
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
                    "thread_id": _group_id(arts, "thread", thread_of[i]),
                    "thread_size": len(thread_of[i]),
                }
            )
    return sorted(rows, key=lambda r: (r["story_id"], r["article_id"]))


def _chain(found: list[EventGroup], kind: str) -> list[Link]:
    """Links that join each group's members."""
    return [Link(g.members[0], i, kind, 0.0) for g in found for i in g.members[1:]]


def _with_singletons(n: int, grouped: dict[int, list[int]]) -> list[list[int]]:
    """The groups, then every item in none as a group of its own."""
    alone = set(range(n)) - {i for members in grouped.values() for i in members}
    return [*grouped.values(), *([i] for i in sorted(alone))]


def _group_id(arts: list[dict], kind: str, members: list[int]) -> str:
    return content_id(kind, *sorted(arts[i]["article_id"] for i in members))


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


def _article_texts(docs: pa.Table, arts: pa.Table) -> tuple[list[dict], dict[str, str], list[str]]:
    """The rows of ``arts``, the texts of ``docs`` by id, and each article's own text."""
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    return art_rows, texts, [texts[a["doc_id"]][a["doc_start"] : a["doc_end"]] for a in art_rows]


def event_evidence(
    docs: pa.Table,
    arts: pa.Table,
    mentions: pa.Table,
    dates: pa.Table,
    paragraphs: pa.Table,
    cfg: DedupConfig,
) -> list[EventEvidence]:
    """What same-event grouping reads of each article of ``arts``, in its order: its text
    without boilerplate paragraphs, its entities (mentions inside boilerplate left out),
    places, years, published date, title and language (see :class:`EventEvidence`)."""
    art_rows, texts, art_texts = _article_texts(docs, arts)
    return _evidence(
        art_rows,
        art_texts,
        _without_boilerplate(art_rows, texts, paragraphs),
        mentions.select(["article_id", "entity_id", "label", "doc_start", "text"]).to_pydict(),
        mentions.column("in_boilerplate").to_numpy(zero_copy_only=False),
        dates.select(["article_id", "value", "grain", "doc_start"]).to_pydict(),
        cfg.lead_words,
        _languages(docs),
    )


def _languages(docs: pa.Table) -> dict[str, str | None]:
    """Each document's language (ISO 639-1), where the ingest stage found one."""
    if "language" not in docs.column_names:
        return {}
    ids, languages = docs.column("doc_id").to_pylist(), docs.column("language").to_pylist()
    return dict(zip(ids, languages, strict=True))


def copy_links(
    docs: pa.Table, arts: pa.Table, fingerprints: pa.Table, cfg: DedupConfig
) -> list[Link]:
    """Exact and near copies among the articles of ``arts`` (by index), from their
    ``fingerprints`` (exact keys and MinHash signatures)."""
    art_rows, _, art_texts = _article_texts(docs, arts)
    fps = decoded(fingerprints)
    links = exact_links([fps[a["article_id"]]["key"] for a in art_rows])
    done = {(link.a, link.b) for link in links}
    sigs = [
        from_hashvalues(fps[a["article_id"]]["hashvalues"], fps[a["article_id"]]["size"], cfg.seed)
        for a in art_rows
    ]
    return links + near_copies(art_texts, sigs, cfg, done)


def duplicates(
    docs: pa.Table,
    arts: pa.Table,
    mentions: pa.Table,
    dates: pa.Table,
    paragraphs: pa.Table,
    fingerprints: pa.Table,
    cfg: DedupConfig,
) -> tuple[pa.Table, pa.Table]:
    """Group repeated reports: exact and near copies from the articles' fingerprints,
    reports of one happening and threads from the pair model over their evidence
    (:func:`event_evidence`).

    Returns:
        ``duplicates`` (one row per article in a group of two or more) and ``stories``
        (one row per article, its story of one included, with its thread).

    Raises:
        ValueError: ``cfg.event_model`` names a model this version cannot read.
    """
    art_rows = arts.to_pylist()
    links = copy_links(docs, arts, fingerprints, cfg)
    evidence = event_evidence(docs, arts, mentions, dates, paragraphs, cfg)
    model = load_event_model(Path(cfg.event_model) if cfg.event_model else None)
    stories = _story_rows(art_rows, links, event_groups(evidence, cfg, model))
    return (
        pa.Table.from_pylist(_duplicate_rows(stories), schema=DUPLICATES.schema),
        pa.Table.from_pylist(stories, schema=STORIES.schema),
    )
