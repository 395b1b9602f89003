"""Repeated reports and boilerplate, on small articles written for the test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.config import DedupConfig
from pipeline.core.engine import LocalEngine
from pipeline.core.spans import within
from pipeline.stories.boilerplate import boilerplate
from pipeline.stories.duplicates import duplicates
from pipeline.stories.events import EventView, event_links
from pipeline.stories.fingerprints import fingerprints
from pipeline.stories.nearcopies import candidate_pairs, exact_links, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import exact_key, norm_words, shingles, signature
from pipeline.tables import MENTIONS

FLOOD = (
    "Heavy rain flooded the old town of Tartu on Monday, the city council said. "
    "Firefighters pumped water from forty cellars and the river rose by two metres "
    "overnight. The mayor asked people to stay away from the river banks until the "
    "water falls again, and schools in the centre stayed closed for the day."
)
FOOTER = (
    "The Baltic Rivers Network is a union of forty groups that protect rivers and "
    "lakes around the Baltic Sea and publish a yearly report on water quality."
)
CFG = DedupConfig()


def _sig(text: str):
    return signature(text, CFG.shingle_words, CFG.num_perm, CFG.seed)


def test_exact_copies_ignore_case_whitespace_and_punctuation():
    copy = FLOOD.upper().replace(". ", ".\n\n  ").replace(",", "")
    assert exact_key(copy) == exact_key(FLOOD)
    assert [
        (link.a, link.b, link.kind)
        for link in exact_links([exact_key(FLOOD), exact_key("Other."), exact_key(copy)])
    ] == [(0, 2, "exact")]


def test_near_copy_with_new_first_line_and_dropped_words():
    near = "BREAKING: " + FLOOD.replace("old ", "").replace("forty", "40")
    (link,) = near_links([_sig(FLOOD), _sig(near)], 0.3, 0.6, 0.8)
    assert (link.a, link.b, link.kind) == (0, 1, "near") and link.similarity > 0.6


def test_article_contained_in_a_longer_one_is_a_near_copy():
    longer = FLOOD + " " + " ".join(f"Later report {i} said more about roads." for i in range(6))
    (link,) = near_links([_sig(FLOOD), _sig(longer)], 0.3, 0.9, 0.8)
    assert link.similarity >= 0.8


def test_candidates_are_rows_agreeing_on_a_whole_band():
    matrix = np.array(
        [
            [1, 2, 3, 4],
            [9, 9, 3, 4],  # second band as row 0
            [1, 2, 7, 7],  # first band as row 0
            [1, 5, 3, 5],  # agrees with row 0 value by value, never on a whole band
            [9, 9, 8, 8],  # first band as row 1
        ],
        dtype=np.uint64,
    )
    assert candidate_pairs(matrix, bands=2, rows=2).tolist() == [[0, 1], [0, 2], [1, 4]]
    assert candidate_pairs(matrix, bands=1, rows=4).tolist() == []


def test_exact_overlap_of_pairs_counts_each_shingle_once():
    texts = ["a b c d", "b c d e", "a b", "", "x x x x x", "X, x. x", "A B!"]
    jaccard, share = overlaps(texts, np.array([[0, 1], [0, 2], [0, 3], [4, 5], [2, 6]]), k=3)
    assert jaccard.tolist() == [1 / 3, 0.0, 0.0, 1.0, 1.0]
    assert share.tolist() == [0.5, 0.0, 0.0, 1.0, 1.0]


@given(
    st.lists(st.lists(st.sampled_from("abcd"), max_size=40).map(" ".join), min_size=2),
    st.sampled_from([1, 2, 3, 30]),  # 5**30 > 2**63: codes are renumbered on the way
    st.data(),
)
def test_exact_overlap_agrees_with_shingle_sets(texts, k, data):
    index = st.integers(0, len(texts) - 1)
    pairs = data.draw(st.lists(st.tuples(index, index), min_size=1))
    jaccard, share = overlaps(texts, np.array(pairs), k)
    for (i, j), jac, con in zip(pairs, jaccard, share, strict=True):
        a, b = (shingles(norm_words(texts[x]), k) for x in (i, j))
        both = len(a & b)
        assert jac == pytest.approx(both / len(a | b) if both else 0.0)
        assert con == pytest.approx(both / min(len(a), len(b)) if both else 0.0)


def test_thresholds_are_checked_with_a_hint():
    with pytest.raises(ValueError, match=r"min_jaccard must be in \(0, 1\], got 1.5; e.g. 0.5"):
        near_links([_sig(FLOOD)], 0.3, 1.5, 0.8)


def _view(day: int, title: str, lead: str, ents: set[str], places: set[str] = frozenset()):
    return EventView(dt.date(2020, 3, day), title, lead, frozenset(ents), frozenset(places))


def test_same_event_written_differently_is_grouped():
    a = _view(
        2,
        "Floods close schools in Tartu",
        "Heavy rain flooded Tartu on Monday and schools closed, the council said.",
        {"tartu", "council", "mayor-kask"},
        {"tartu"},
    )
    b = _view(
        3,
        "Tartu schools shut as river floods town",
        "The council of Tartu said schools closed on Monday after heavy rain flooded it.",
        {"tartu", "council"},
        {"tartu"},
    )
    (link,) = event_links([a, b], 2, 0.7, 0.3, 100)
    assert link.kind == "event"
    (later_first,) = event_links([b, a], 2, 0.7, 0.3, 100)  # index order, not date order
    assert (later_first.a, later_first.b) == (0, 1)


def test_same_template_different_event_is_not_grouped():
    a = _view(
        2,
        "Campaign launched in Berlin",
        "The campaign was launched in Berlin today.",
        {"campaign-org", "berlin"},
        {"berlin"},
    )
    b = _view(
        2,
        "Campaign launched in Bucharest",
        "The campaign was launched in Bucharest today.",
        {"campaign-org", "bucharest"},
        {"bucharest"},
    )
    far = _view(20, a.title, a.lead, set(a.entities), set(a.title_places))
    assert event_links([a, b], 2, 0.7, 0.3, 100) == []
    assert event_links([a, far], 2, 0.7, 0.3, 100) == []


def _tables(articles: list[str]):
    text = "\n\n".join(articles)
    docs = pa.table({"doc_id": ["d"], "path": ["d.txt"], "text": [text]})
    rows, at = [], 0
    for i, body in enumerate(articles):
        rows.append(
            {
                "article_id": f"a{i}",
                "doc_id": "d",
                "path": "d.txt",
                "doc_start": at,
                "doc_end": at + len(body),
                "title": None,
                "published": dt.date(2020, 3, 1 + i),
                "source": None,
            }
        )
        at += len(body) + 2
    arts = pa.Table.from_pylist(rows)
    footer = text.index("Baltic Rivers Network")
    third = rows[2]["doc_start"] + text[rows[2]["doc_start"] :].index("Tartu")
    found = [  # in a footer, in a story, in the story's copy
        ("a0", footer, "Baltic Rivers Network", "ORG"),
        ("a0", text.index("Tartu"), "Tartu", "PLACE"),
        ("a2", third, "Tartu", "PLACE"),
    ]
    mentions = pa.Table.from_pylist(
        [
            {
                "mention_id": f"m{i}",
                "article_id": art,
                "doc_id": "d",
                "path": "d.txt",
                "doc_start": start,
                "doc_end": start + len(surface),
                "text": surface,
                "label": label,
                "entity_id": f"e-{surface}",
                "method": "model",
                "model_label": label,
                "model": "t",
                "sent_start": 0,
                "sent_end": 1,
                "in_boilerplate": False,
            }
            for i, (art, start, surface, label) in enumerate(found)
        ],
        schema=MENTIONS.schema,
    )
    return docs, arts, mentions, text


def test_stage_groups_copies_flags_boilerplate_and_its_mentions():
    other = (
        "A new bridge over the Emajogi opened in spring after two years of work, and "
        "cyclists were the first to cross it on a sunny morning with music."
    )
    third = (
        "The lake festival drew many visitors this summer, with boats, concerts and a "
        "market of local food along the shore near the harbour and the beach."
    )
    articles = [
        FLOOD + "\n\n" + FOOTER,
        other + "\n\n" + FOOTER,
        FLOOD.replace("Monday", "Tuesday"),
        third + "\n\n" + FOOTER,
    ]
    docs, arts, mentions, text = _tables(articles)
    fps = fingerprints(docs, arts, CFG, LocalEngine())
    paras = boilerplate(docs, arts, fps, CFG)
    boiler = paras.filter(pc.is_valid(paras.column("boilerplate_group")))
    flags = within(mentions, boiler, arts)
    assert flags.tolist() == [True, False, False]
    mentions = mentions.set_column(
        mentions.schema.get_field_index("in_boilerplate"), "in_boilerplate", pa.array(flags)
    )
    dups = duplicates(docs, arts, mentions, fps, CFG)
    rows = {r["article_id"]: r for r in dups.to_pylist()}
    assert set(rows) == {"a0", "a2"}
    assert rows["a0"]["kind"] == "near" and rows["a0"]["representative_id"] == "a0"
    assert rows["a2"]["cluster_id"] == rows["a0"]["cluster_id"]
    boiler = [p for p in paras.to_pylist() if p["boilerplate_group"]]
    assert len(boiler) == 3 and {p["group_articles"] for p in boiler} == {3}
    assert all(text[p["doc_start"] : p["doc_end"]] == FOOTER for p in boiler)
