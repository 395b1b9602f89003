"""The same event written twice: articles whose titles or leads say much the same, whose
published dates fall within a few days, and whose people, organizations and places
agree. Candidates come from an inverted index of shared entities (very common ones
skipped), so the search stays sub-quadratic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.stories.nearcopies import Link
from pipeline.stories.shingles import norm_words


@dataclass(frozen=True)
class EventView:
    """What event matching reads of an article."""

    published: dt.date | None
    title: str
    lead: str
    entities: frozenset[str]
    title_places: frozenset[str]


def _content(text: str) -> str:
    return " ".join(w for w in norm_words(text) if w not in STOP_WORDS)


def text_similarity(a: EventView, b: EventView) -> float:
    """The better of title and lead similarity (rapidfuzz token-set ratio over content
    words), in [0, 1]."""
    scores = [fuzz.token_set_ratio(_content(a.lead), _content(b.lead))]
    if a.title and b.title:
        scores.append(fuzz.token_set_ratio(_content(a.title), _content(b.title)))
    return max(scores) / 100


def _entities_agree(a: EventView, b: EventView, min_jaccard: float) -> bool:
    if a.title_places and b.title_places and a.title_places != b.title_places:
        return False  # "launched in Berlin" vs "launched in Bucharest"
    if not a.entities or not b.entities:
        return False
    jac = len(a.entities & b.entities) / len(a.entities | b.entities)
    return jac >= min_jaccard


def event_links(
    views: list[EventView],
    max_days: int,
    min_text: float,
    min_entity_jaccard: float,
    max_posting: int,
    skip: set[tuple[int, int]] | None = None,
) -> list[Link]:
    """Pairs of articles reporting the same event. Each shared entity's articles are
    taken in date order, so only pairs within ``max_days`` of each other are compared."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(views):
        if v.published is not None:
            for e in v.entities:
                postings[e].append(i)
    seen: set[tuple[int, int]] = set(skip or ())
    links = []
    window = dt.timedelta(days=max_days)
    for members in postings.values():
        if len(members) > max_posting:
            continue  # an entity in most articles says nothing about sameness
        members.sort(key=lambda i: views[i].published)
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if views[j].published - views[i].published > window:
                    break  # the rest are later still
                pair = (i, j) if i < j else (j, i)
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = views[pair[0]], views[pair[1]]
                if not _entities_agree(a, b, min_entity_jaccard):
                    continue
                sim = text_similarity(a, b)
                if sim >= min_text:
                    links.append(Link(pair[0], pair[1], "event", round(sim, 4)))
    return links
