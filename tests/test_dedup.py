"""Repeated reports and boilerplate, on small articles written for the test."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.config import DedupConfig
from pipeline.core.engine import LocalEngine
from pipeline.core.spans import within
from pipeline.outputs.analysis import counted_mentions
from pipeline.stories.boilerplate import boilerplate
from pipeline.stories.coverage import contests, is_results_list
from pipeline.stories.duplicates import duplicates, event_evidence
from pipeline.stories.eventgroups import (
    estimated_share,
    event_groups,
    grouped_pairs,
    pair_probabilities,
    prior_shift,
)
from pipeline.stories.eventmodel import load_event_model
from pipeline.stories.events import FEATURES, EventEvidence, EventSpace
from pipeline.stories.fingerprints import fingerprints
from pipeline.stories.nearcopies import candidate_pairs, exact_links, near_links
from pipeline.stories.overlaps import overlaps
from pipeline.stories.shingles import exact_key, norm_words, shingles, signature
from pipeline.tables import DATES, MENTIONS

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
MODEL = load_event_model()


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


FERRY_A1 = (
    "A passenger ferry sank off the coast of Halden on Tuesday, killing 14 people. Rescue "
    "crews pulled 212 survivors from the cold water, the coast guard said. The ferry "
    "Nordlys was carrying 226 passengers when it capsized in a storm in 2011."
)
FERRY_A2 = (
    "Fourteen people died when the ferry Nordlys capsized near Halden during a storm. "
    "The coast guard said 212 passengers were rescued from the water after the vessel, "
    "which carried 226 people, went down in 2011."
)
FERRY_B1 = (
    "Nine people drowned when a ferry capsized in a storm near Grimstad, the coast guard "
    "said. Rescue crews saved 87 passengers from the ferry Sjostjerne, which had 96 "
    "people on board when it sank in 2014."
)
FERRY_B2 = (
    "The coast guard said 87 passengers survived after the ferry Sjostjerne sank in a "
    "storm close to Grimstad in 2014; nine drowned. The vessel had 96 on board."
)
BACKGROUND = [
    "The central bank kept its main interest rate unchanged and said inflation would "
    "slow next year as energy prices fall and wages rise more slowly.",
    "The home side won the cup final after extra time, with a late header from their "
    "captain settling a tense match in front of a full stadium.",
    "A new museum of modern design opened in the old harbour warehouse, showing chairs, "
    "lamps and posters from a century of local makers.",
    "Farmers expect a smaller wheat harvest after a dry spring, and bread prices may "
    "rise in the autumn, the agriculture ministry warned.",
    "The orchestra announced its new season, with three premieres, a festival of film "
    "music and a tour of schools across the region.",
    "Shares in the phone maker fell sharply after it cut its sales forecast, blaming "
    "weak demand for its cheaper models in Asia.",
]


def _evidence(
    text: str,
    names: dict[str, str],
    year: str,
    day: dt.date | None = None,
    title: str | None = None,
) -> EventEvidence:
    """What the stage would read of a text naming ``names`` (name -> label): its
    entities (one per mention found), those of its lead, its places and its year."""
    found = sorted((text.find(n), n) for n in names for _ in range(text.count(n)))
    lead_end = len(" ".join(text.split()[:60]))
    places = frozenset(n for n, label in names.items() if label == "PLACE")
    return EventEvidence(
        text,
        tuple(n for _, n in found),
        places,
        frozenset({year}),
        day,
        tuple(names[n] for _, n in found),
        frozenset(n for at, n in found if at < lead_end),
        title,
    )


def _members(groups) -> list[tuple[int, ...]]:
    return [g.members for g in groups]


FERRY_NAMES_A = {"Halden": "PLACE", "Nordlys": "ORG"}
FERRY_NAMES_B = {"Grimstad": "PLACE", "Sjostjerne": "ORG"}


def test_same_event_in_different_words_is_one_group_and_a_look_alike_is_not():
    corpus = [
        _evidence(FERRY_A1, FERRY_NAMES_A, "2011"),
        _evidence(FERRY_B1, FERRY_NAMES_B, "2014"),
        *(_evidence(t, {}, "2019") for t in BACKGROUND),
        _evidence(FERRY_A2, FERRY_NAMES_A, "2011"),
        _evidence(FERRY_B2, FERRY_NAMES_B, "2014"),
    ]
    found = event_groups(corpus, CFG, MODEL)
    assert _members(found.events) == [(0, 8), (1, 9)]
    assert all(MODEL.threshold <= s <= 1 for g in found.events for s in g.scores)


def test_dated_reports_far_apart_are_not_one_event():
    corpus = [
        _evidence(FERRY_A1, FERRY_NAMES_A, "2011"),
        *(_evidence(t, {}, "2019") for t in BACKGROUND),
        _evidence(FERRY_A2, FERRY_NAMES_A, "2011"),
    ]
    dated = [
        dataclasses.replace(e, day=dt.date(2011, 5, d))
        for e, d in zip(corpus, [3] + [1] * len(BACKGROUND) + [30], strict=True)
    ]
    assert _members(event_groups(corpus, CFG, MODEL).events) == [(0, 7)]
    assert event_groups(dated, CFG, MODEL).events == []


def test_a_dated_report_and_an_undated_one_need_the_undated_bar():
    corpus = [
        _evidence(FERRY_A1, FERRY_NAMES_A, "2011", day=dt.date(2011, 5, 3)),
        *(_evidence(t, {}, "2019", day=dt.date(2011, 5, 3)) for t in BACKGROUND),
        _evidence(FERRY_A2, FERRY_NAMES_A, "2011"),  # undated
    ]
    (group,) = event_groups(corpus, CFG, dataclasses.replace(MODEL, undated_threshold=0.0)).events
    assert group.members == (0, 7)
    p = group.scores[0]
    at_p = dataclasses.replace(MODEL, undated_threshold=p - 1e-3)  # scores are rounded
    above_p = dataclasses.replace(MODEL, undated_threshold=p + 1e-3)
    assert _members(event_groups(corpus, CFG, at_p).events) == [(0, 7)]
    assert event_groups(corpus, CFG, above_p).events == []
    # two undated reports: the bar is not theirs
    undated = [dataclasses.replace(e, day=None) for e in corpus]
    assert _members(event_groups(undated, CFG, above_p).events) == [(0, 7)]


def test_the_share_of_one_happening_is_estimated_from_the_probabilities():
    # probabilities calibrated where half the pairs are one happening
    like_training = np.array([0.9] * 50 + [0.1] * 50)
    assert estimated_share(like_training, 0.5) == pytest.approx(0.5)
    assert prior_shift(like_training, 0.5, 0.5) == 0.0
    # a stream: similar pairs are rarely one happening
    stream = np.array([0.9] * 20 + [0.1] * 180)
    assert estimated_share(stream, 0.5) < 0.05
    assert prior_shift(stream, 0.5, 0.5) < -2.0
    # where no pair stands out the estimate is none; the shift stops at one pair's worth
    assert estimated_share(stream, 0.5) < 1e-3
    assert prior_shift(stream, 0.5, 0.5) == pytest.approx(np.log(1 / 199), abs=1e-6)
    # a corpus richer in one happening than the training pairs is never raised
    richer = np.full(10, 0.9)
    assert estimated_share(richer, 0.5) > 0.5
    assert prior_shift(richer, 0.5, 0.5) == 0.0


def _grouped_as_a_stream(articles: list[EventEvidence], most: float = 1.0) -> list:
    """The event groups of ``articles`` with every pair a candidate (the model's
    probabilities capped at ``most``), undated pairs lowered to the corpus's share."""
    a, b = (np.array(v) for v in zip(*itertools.combinations(range(len(articles)), 2), strict=True))
    space = EventSpace(articles, CFG)
    model_says = pair_probabilities(space, MODEL, CFG)

    def capped(pa: np.ndarray, pb: np.ndarray, x: np.ndarray) -> np.ndarray:
        return np.minimum(model_says(pa, pb, x), most)

    undated = (MODEL.undated_share, MODEL.undated_reference)
    return grouped_pairs(space, a, b, capped, MODEL.threshold, CFG, undated).events


def test_undated_pairs_are_lowered_to_the_corpus_share_and_dated_pairs_are_not():
    corpus = [
        _evidence(FERRY_A1, FERRY_NAMES_A, "2011"),
        *(_evidence(t, {}, "2019") for t in BACKGROUND),
        _evidence(FERRY_A2, FERRY_NAMES_A, "2011"),
    ]
    dated = [dataclasses.replace(e, day=dt.date(2011, 5, 3)) for e in corpus]
    # Every pair a candidate: the ferry reports are the one pair of 28 alike, as a
    # stream's pairs are (the model's undated probabilities are calibrated on ECB+,
    # where half are one happening).
    (on_one_day,) = _grouped_as_a_stream(dated)
    (undated_group,) = _grouped_as_a_stream(corpus)
    assert on_one_day.members == undated_group.members == (0, 7)
    # strong evidence still joins two undated reports, less surely
    assert MODEL.threshold <= undated_group.scores[0] < 0.9 < on_one_day.scores[0]
    # evidence the model puts at 0.8 joins them only when their day can be compared
    assert _members(_grouped_as_a_stream(dated, most=0.8)) == [(0, 7)]
    assert _grouped_as_a_stream(corpus, most=0.8) == []


def test_in_a_stream_undated_reports_whose_leads_name_different_weekdays_are_two_events():
    # FERRY_A1 tells of a sinking on Tuesday; the second report names its day too
    def stream(second: str) -> list[EventEvidence]:
        return [
            _evidence(FERRY_A1, FERRY_NAMES_A, "2011"),
            *(_evidence(t, {}, "2019") for t in BACKGROUND),
            _evidence(second, FERRY_NAMES_A, "2011"),
        ]

    same_day = FERRY_A2.replace("during a storm.", "during a storm on Tuesday.")
    other_day = FERRY_A2.replace("during a storm.", "during a storm on Thursday.")
    assert _members(_grouped_as_a_stream(stream(same_day))) == [(0, 7)]
    assert _grouped_as_a_stream(stream(other_day)) == []
    # dated on one day, the dates decide: one event
    dated = [dataclasses.replace(e, day=dt.date(2011, 5, 3)) for e in stream(other_day)]
    assert _members(_grouped_as_a_stream(dated)) == [(0, 7)]


STORM_1 = (
    "Storm Elvira tore roofs off forty houses in Lindholm on Sunday night, and the "
    "fire brigade said two people were hurt by falling tiles. Mayor Petra Voss said the "
    "town would open its sports hall to families who lost their homes."
)
STORM_2 = (
    "Two people were injured in Lindholm when Storm Elvira ripped the roofs from about "
    "40 homes overnight, firefighters reported. The town's mayor, Petra Voss, offered "
    "the sports hall as shelter for the families left without a roof."
)
STORM_NAMES = {"Lindholm": "PLACE", "Petra Voss": "PERSON", "Elvira": "ORG"}
MATCH_A1 = (
    "Harbour City beat Northport 3-1 in the Coastal League on Saturday, with two goals "
    "from striker Jonas Berg in the second half. Northport had led at the break through "
    "a penalty. Coach Mia Lund said her side deserved the points."
)
MATCH_A2 = (
    "Jonas Berg scored twice after the interval as Harbour City came from behind to "
    "defeat Northport 3-1 in the Coastal League on Saturday. Northport went ahead from "
    "the penalty spot before half-time. Harbour City coach Mia Lund praised her team."
)
MATCH_B1 = (
    "Eastvale and Westbrook drew 2-2 in the Coastal League on Saturday after a late "
    "equaliser from defender Omar Hale. Westbrook had been two goals up at the break. "
    "Coach Ivan Rask said his team lost focus in the second half."
)
MATCH_B2 = (
    "Omar Hale headed a late equaliser as Eastvale fought back from two goals down to "
    "draw 2-2 with Westbrook in the Coastal League on Saturday. Westbrook coach Ivan "
    "Rask said his players had stopped running after half-time."
)
MATCH_NAMES_A = {
    "Harbour City": "ORG",
    "Northport": "ORG",
    "Jonas Berg": "PERSON",
    "Mia Lund": "PERSON",
    "Coastal League": "ORG",
}
MATCH_NAMES_B = {
    "Eastvale": "ORG",
    "Westbrook": "ORG",
    "Omar Hale": "PERSON",
    "Ivan Rask": "PERSON",
    "Coastal League": "ORG",
}
SATURDAY = dt.date(2021, 10, 2)


def test_one_happening_told_by_two_outlets_in_other_words_is_one_event():
    corpus = [
        _evidence(STORM_1, STORM_NAMES, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(STORM_2, STORM_NAMES, "2021", SATURDAY + dt.timedelta(days=1)),
    ]
    found = event_groups(corpus, CFG, MODEL)
    assert _members(found.events) == [(0, 7)]
    assert _members(found.threads) == [(0, 7)]


def test_two_matches_of_one_league_on_one_day_are_two_events_of_one_thread():
    corpus = [
        _evidence(MATCH_A1, MATCH_NAMES_A, "2021", SATURDAY),
        _evidence(MATCH_B1, MATCH_NAMES_B, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(MATCH_A2, MATCH_NAMES_A, "2021", SATURDAY),
        _evidence(MATCH_B2, MATCH_NAMES_B, "2021", SATURDAY),
    ]
    found = event_groups(corpus, CFG, MODEL)
    assert _members(found.events) == [(0, 8), (1, 9)]
    assert _members(found.threads) == [(0, 1, 8, 9)]


def test_a_roundup_of_many_stories_joins_no_event():
    roundup = (
        "News in brief, Saturday.\n\n"
        "Weather: Storm Elvira tore roofs off houses in Lindholm overnight. Forecasters "
        "expect calmer winds on Monday.\n\n"
        "Football: Harbour City beat Northport 3-1 in the Coastal League. The win lifts "
        "them to third place.\n\n"
        "Economy: the central bank kept its main interest rate unchanged. Economists had "
        "expected a small cut before the end of the year.\n\n"
        "Culture: a new museum of modern design opened in the old harbour warehouse, with "
        "free entry for its first week.\n\n"
        "Farming: growers expect a smaller wheat harvest after a dry spring, and millers "
        "warn that flour may cost more in the autumn.\n\n"
        "Transport: the ferry line to the islands adds two evening crossings from June, "
        "the operator said."
    )
    names = {**STORM_NAMES, **MATCH_NAMES_A}
    corpus = [
        _evidence(STORM_1, STORM_NAMES, "2021", SATURDAY),
        _evidence(MATCH_A1, MATCH_NAMES_A, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(roundup, names, "2021", SATURDAY),
    ]
    assert event_groups(corpus, CFG, MODEL).events == []


def test_a_digest_is_paragraphs_that_share_no_word():
    digest = "\n\n".join(
        [
            "Weather: heavy rain flooded cellars along the river overnight, firefighters said.",
            "Markets: shares of the shipping group fell sharply after a profit warning.",
            "Cinema: a restored silent comedy returns to screens in the capital this week.",
            "Schools: teachers begin a two-day strike over pay on Tuesday, unions announced.",
        ]
    )
    report = "\n\n".join(
        [
            "Heavy rain flooded cellars along the river overnight, firefighters said.",
            "Firefighters pumped water from forty cellars, and the river rose a metre.",
            "The river is expected to fall by Friday, though more rain is forecast.",
            "Residents whose cellars flooded can ask the firefighters for pumps.",
        ]
    )
    space = EventSpace([_evidence(t, {}, "2021", SATURDAY) for t in (digest, report)], CFG)
    assert space.digest.tolist() == [True, False]
    assert space.covers_many.tolist() == [True, False]


def test_a_roundup_of_items_headed_by_places_is_a_digest():
    roundup = "\n\n".join(
        [
            "Embassies marked the day of remembrance with events around the world.",
            "Kenya. The embassy in Nairobi held a photo exhibition on the day of remembrance.",
            "Norway. Students in Oslo held a minute of silence on the day of remembrance.",
            "Chile. A concert in Santiago closed the day of remembrance on Sunday evening.",
        ]
    )
    report = "\n\n".join(
        [
            "Oslo - Students held a minute of silence on the day of remembrance.",
            "The students in Oslo then read the names of the victims aloud.",
            "Norway's embassies will hold the same ceremony next year, Oslo said.",
        ]
    )
    space = EventSpace([_evidence(t, {}, "2021", SATURDAY) for t in (roundup, report)], CFG)
    assert space.digest.tolist() == [True, False]


def test_a_table_of_standings_joins_no_event():
    table = "\n".join(
        ["Coastal League standings after Saturday's games:"]
        + [f"Harbour City {k} {k + 2} {k + 1} {3 * k + 6}" for k in range(3)]
        + [f"Eastvale {k} {k + 1} {k + 2} {3 * k + 3}" for k in range(3)]
    )
    twin = table.replace("Saturday", "Sunday")
    corpus = [
        _evidence(table, MATCH_NAMES_A, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(twin, MATCH_NAMES_A, "2021", SATURDAY),
    ]
    assert event_groups(corpus, CFG, MODEL).events == []
    lines = DedupConfig(table_min_lines=99)  # the same texts, not read as tables
    assert _members(event_groups(corpus, lines, MODEL).events) == [(0, 7)]


RESULTS = (
    "Coastal League semifinal results on Saturday: 1 - Harbour City beat Northport 3-1, "
    "2 - Eastvale beat 4 - Westbrook 2-0."
)


def test_a_results_list_states_the_results_of_many_contests():
    rows = (
        "Coastal Cup on Saturday, third place:\nHarbour City (North) 92 Northport (South) 81\n"
        "Fifth place:\nEastvale (West) 75 Westbrook (East) 70"
    )
    assert contests(RESULTS) == {
        frozenset({"Harbour City", "Northport"}),
        frozenset({"Eastvale", "Westbrook"}),
    }
    assert contests(rows) == {
        frozenset({"Harbour City (North)", "Northport (South)"}),
        frozenset({"Eastvale (West)", "Westbrook (East)"}),
    }
    assert is_results_list(RESULTS) and is_results_list(rows)
    # a match report that gives another result besides its own is not a list
    report = MATCH_A1 + " Elsewhere, Eastvale beat Westbrook 2-0 in a game of few chances."
    assert len(contests(report)) == 2 and not is_results_list(report)


def test_a_results_list_joins_no_event_and_the_reports_of_its_match_do():
    names = {**MATCH_NAMES_A, **MATCH_NAMES_B}
    corpus = [
        _evidence(MATCH_A1, MATCH_NAMES_A, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(MATCH_A2, MATCH_NAMES_A, "2021", SATURDAY),
        _evidence(RESULTS, names, "2021", SATURDAY),
    ]
    space = EventSpace(corpus, CFG)
    assert space.results.tolist() == [False] * 8 + [True]
    assert _members(event_groups(corpus, CFG, MODEL).events) == [(0, 7)]


def test_a_match_summary_joins_the_report_of_its_match_and_no_other():
    """A line of scorers, minutes and attendance is figures more than prose, yet one
    happening with the report of its match; another match of the day stays apart."""
    summary = (
        "Coastal League summary on Saturday: Harbour City 3 ( Jonas Berg 52nd , 71st , "
        "Per Holm 88th ) Northport 1 ( Ola Dahl 30th pen ) . Halftime 0-1 . Attendance "
        "12,400 ."
    )
    corpus = [
        _evidence(MATCH_A1, MATCH_NAMES_A, "2021", SATURDAY),
        _evidence(MATCH_B1, MATCH_NAMES_B, "2021", SATURDAY),
        *(_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND),
        _evidence(summary, MATCH_NAMES_A, "2021", SATURDAY),
    ]
    space = EventSpace(corpus, CFG)
    assert not space.covers_many[-1]  # one contest: no results list, no table
    assert _members(event_groups(corpus, CFG, MODEL).events) == [(0, 8)]


def test_pair_evidence_counts_days_named_apart_and_a_table_covers_many():
    friday = SATURDAY - dt.timedelta(days=1)
    table = "Coastal League results:\n" + "\n".join(f"Eastvale {k} Westbrook {k}" for k in range(6))
    corpus = [
        dataclasses.replace(
            _evidence(STORM_1, STORM_NAMES, "2021", SATURDAY), recent_days=frozenset({friday})
        ),
        dataclasses.replace(
            _evidence(STORM_2, STORM_NAMES, "2021", SATURDAY), recent_days=frozenset({SATURDAY})
        ),
        _evidence(table, MATCH_NAMES_B, "2021", SATURDAY),
    ]
    space = EventSpace(corpus, CFG)
    x = space.features(np.array([0, 0]), np.array([1, 2]))
    days = FEATURES.index("days_disjoint")
    assert x[:, days].tolist() == [1.0, 0.0]  # the table names no day
    assert space.covers_many.tolist() == [False, False, True]  # six rows of its seven lines


def test_pair_evidence_compares_the_weekdays_the_leads_name():
    storm_monday = STORM_1.replace("on Sunday night", "on Monday night")
    corpus = [
        _evidence(STORM_1, STORM_NAMES, "2021"),  # "on Sunday night"
        _evidence(storm_monday, STORM_NAMES, "2021"),
        _evidence("On Sunday " + STORM_2, STORM_NAMES, "2021"),
        _evidence(STORM_2, STORM_NAMES, "2021"),  # names no day of the week
    ]
    x = EventSpace(corpus, CFG).features(np.array([0, 0, 0]), np.array([1, 2, 3]))
    shared, apart = FEATURES.index("weekday_shared"), FEATURES.index("weekdays_disjoint")
    assert x[:, shared].tolist() == [0.0, 1.0, 0.0]
    assert x[:, apart].tolist() == [1.0, 0.0, 0.0]


def _documents(articles: list[str]) -> tuple[pa.Table, pa.Table, str]:
    """One document holding ``articles``, a blank line apart, dated the same day."""
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
                "published": dt.date(2020, 3, 1),
                "source": None,
            }
        )
        at += len(body) + 2
    return docs, pa.Table.from_pylist(rows), text


def _mentions(found: list[tuple[str, int, str, str]]) -> pa.Table:
    """A ``mentions`` table of (article id, start in the document, text, label)."""
    return pa.Table.from_pylist(
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


def test_a_headline_places_its_happening_by_its_places_and_organizations():
    articles = [
        "Memorial concert held at Lyon Opera House\n\nA choir sang for the victims.",
        "Memorial concert held in Oslo\n\nA choir sang for the victims.",
        "Memorial concert held in Georgia\n\nA choir sang for the victims.",
        "Memorial concerts across three US states\n\nA choir sang for the victims.",
    ]
    docs, arts, text = _documents(articles)
    found = [
        ("a0", text.index("Lyon Opera House"), "Lyon Opera House", "ORG"),
        ("a1", text.index("Oslo"), "Oslo", "PLACE"),
        ("a2", text.index("Georgia"), "Georgia", "PLACE"),  # a country and a US state
    ]
    paras = pa.table({"article_id": pa.array([], pa.string()), "boilerplate_group": []})
    dates = pa.Table.from_pylist([], schema=DATES.schema)
    evidence = event_evidence(docs, arts, _mentions(found), dates, paras, CFG)
    # the last headline's country no mention holds: the line's own words name it
    assert [e.head_countries for e in evidence] == [{"FR"}, {"NO"}, set(), {"US"}]


def _tables(articles: list[str]):
    docs, arts, text = _documents(articles)
    rows = arts.to_pylist()
    footer = text.index("Baltic Rivers Network")
    third = rows[2]["doc_start"] + text[rows[2]["doc_start"] :].index("Tartu")
    found = [  # in a footer, in a story, in the story's copy
        ("a0", footer, "Baltic Rivers Network", "ORG"),
        ("a0", text.index("Tartu"), "Tartu", "PLACE"),
        ("a2", third, "Tartu", "PLACE"),
    ]
    mentions = _mentions(found)
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
    dates = pa.Table.from_pylist([], schema=DATES.schema)
    dups, stories = duplicates(docs, arts, mentions, dates, paras, fps, CFG)
    rows = {r["article_id"]: r for r in dups.to_pylist()}
    assert set(rows) == {"a0", "a2"}
    assert rows["a0"]["kind"] == "near" and rows["a0"]["representative_id"] == "a0"
    assert rows["a2"]["cluster_id"] == rows["a0"]["cluster_id"]
    story = {r["article_id"]: r for r in stories.to_pylist()}
    assert set(story) == {"a0", "a1", "a2", "a3"}
    assert story["a2"]["story_id"] == rows["a0"]["cluster_id"] and story["a2"]["size"] == 2
    assert (story["a1"]["size"], story["a1"]["joined_by"], story["a1"]["score"]) == (1, None, None)
    boiler = [p for p in paras.to_pylist() if p["boilerplate_group"]]
    assert len(boiler) == 3 and {p["group_articles"] for p in boiler} == {3}
    assert all(text[p["doc_start"] : p["doc_end"]] == FOOTER for p in boiler)


def test_an_item_reprinted_under_another_date_joins_its_original():
    reprint = FLOOD.replace("Monday", "Sunday")
    articles = [FLOOD, BACKGROUND[0] + "\n\n" + FOOTER, BACKGROUND[2], reprint]
    docs, arts, mentions, _ = _tables(articles)
    later = [dt.date(2020, 3, 1), dt.date(2020, 3, 2), dt.date(2020, 3, 3), dt.date(2021, 3, 1)]
    arts = arts.set_column(
        arts.schema.get_field_index("published"), "published", pa.array(later, pa.date32())
    )
    fps = fingerprints(docs, arts, CFG, LocalEngine())
    dates = pa.Table.from_pylist([], schema=DATES.schema)
    paras = boilerplate(docs, arts, fps, CFG)
    _, stories = duplicates(docs, arts, mentions, dates, paras, fps, CFG)
    story = {r["article_id"]: r for r in stories.to_pylist()}
    assert story["a3"]["story_id"] == story["a0"]["story_id"]
    assert story["a3"]["joined_by"] == "near" and story["a0"]["is_representative"]
    assert story["a1"]["size"] == 1


def test_copies_count_once_and_each_outlets_report_counts():
    articles = [FERRY_A1, FERRY_A1, FERRY_A2, FERRY_A2, *BACKGROUND]
    docs, arts, _ = _documents(articles)
    fps = fingerprints(docs, arts, CFG, LocalEngine())
    paras = boilerplate(docs, arts, fps, CFG)
    none = pa.Table.from_pylist([], schema=MENTIONS.schema)
    dates = pa.Table.from_pylist([], schema=DATES.schema)
    _, stories = duplicates(docs, arts, none, dates, paras, fps, CFG)
    story = {r["article_id"]: r for r in stories.to_pylist()}
    assert [story[f"a{i}"]["copy_of"] for i in range(5)] == ["a0", "a0", "a2", "a2", None]
    assert story["a0"]["story_id"] == story["a2"]["story_id"]  # two outlets, one event
    tables = {
        "mentions": pd.DataFrame({"article_id": ["a0", "a1", "a2", "a3", "a4"]}).assign(
            in_boilerplate=False
        ),
        "stories": stories.to_pandas(),
    }
    assert counted_mentions(tables)["article_id"].tolist() == ["a0", "a2", "a4"]


def test_a_shared_stock_paragraph_does_not_make_one_event():
    events = [
        "A choir from Narva won the spring song contest on Saturday evening.",
        "The port of Parnu opened a new terminal for ferries to the islands.",
        "A storm cut power to three hundred homes in Haapsalu overnight.",
    ]
    articles = [f"{e}\n\n{FOOTER}" for e in events] + [FLOOD, *BACKGROUND]
    docs, arts, mentions, _ = _tables(articles)
    fps = fingerprints(docs, arts, CFG, LocalEngine())
    paras = boilerplate(docs, arts, fps, CFG)
    assert paras.filter(pc.is_valid(paras.column("boilerplate_group"))).num_rows == 3
    dates = pa.Table.from_pylist([], schema=DATES.schema)
    _, stories = duplicates(docs, arts, mentions, dates, paras, fps, CFG)
    assert [r["size"] for r in stories.to_pylist()] == [1] * len(articles)


def test_pages_in_another_language_are_not_alike_by_their_function_words():
    bridge = (
        "El alcalde de la ciudad dijo que las obras del puente sobre el río se van a terminar "
        "en el mes de mayo y que los vecinos de la zona no tendrán que esperar más para cruzar "
        "con sus coches."
    )
    final = (
        "La selección de baloncesto ganó el partido de la noche con una gran defensa y el "
        "entrenador dijo que los jugadores están listos para la final que se juega en la "
        "capital el próximo domingo."
    )
    background = [_evidence(t, {}, "2021", SATURDAY) for t in BACKGROUND]
    unknown = [_evidence(t, {}, "2021", SATURDAY) for t in (bridge, final)]
    spanish = [dataclasses.replace(e, language="es") for e in unknown]
    read_as_english = event_groups(unknown + background, CFG, MODEL)
    assert _members(read_as_english.threads) == [(0, 1)]  # "de", "la", "que" in common
    found = event_groups(spanish + background, CFG, MODEL)
    assert found.threads == [] and found.events == []
