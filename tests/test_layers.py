"""Each NER correction layer on sentences written for the test."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from layer_helpers import context, mention, spans

from pipeline.entities.abbreviations import best_long_form, definitions, matches_initials
from pipeline.entities.layers.acronyms import acronyms
from pipeline.entities.layers.base import new_mention
from pipeline.entities.layers.cleanup import cleanup
from pipeline.entities.layers.consistency import consistency
from pipeline.entities.layers.cues import cues
from pipeline.entities.layers.demonyms import demonyms
from pipeline.entities.layers.gazetteer import gazetteer
from pipeline.entities.layers.sources import sources
from pipeline.entities.sentences import _last_stop, _stops


def test_cleanup_trims_articles_possessives_quotes_and_function_words():
    ctx = context(
        "We met at the Peace Palace's gate, saw “Harbour Lights” and of the Nordic Union."
    )
    found = [
        mention(ctx, 0, "the Peace Palace's", "PLACE"),
        mention(ctx, 0, "“Harbour Lights”", "ORG"),
        mention(ctx, 0, "of the Nordic Union.", "ORG"),
    ]
    out = cleanup(found, ctx)
    assert spans(ctx, out) == [
        ("Peace Palace", "PLACE"),
        ("Harbour Lights", "ORG"),
        ("Nordic Union", "ORG"),
    ]
    assert out[0].method == "model+cleanup"
    assert (out[0].doc_start, out[0].doc_end) == (14, 26)


def test_cleanup_cuts_at_line_breaks():
    ctx = context("Anna Berg,\nSpecial correspondent")
    out = cleanup([mention(ctx, 0, "Anna Berg,\nSpecial", "PERSON")], ctx)
    assert spans(ctx, out) == [("Anna Berg", "PERSON")]


def test_demonyms_are_dropped_and_stripped_from_people():
    ctx = context("The Norwegian delegation, Lithuanian Rita Kalns and Norwegian-Americans met.")
    found = [
        mention(ctx, 0, "Norwegian", "PERSON"),
        mention(ctx, 0, "Lithuanian Rita Kalns", "PERSON"),
        mention(ctx, 0, "Norwegian-Americans", "ORG"),
    ]
    assert spans(ctx, demonyms(found, ctx)) == [("Rita Kalns", "PERSON")]


def test_honorifics_mark_people_and_stay_out_of_the_span():
    ctx = context("Mrs. Anna Berg met Ambassador Tariq Lind and writer Olga Rand in Oslo.")
    found = [
        mention(ctx, 0, "Ambassador Tariq Lind", "ORG"),
        mention(ctx, 0, "Olga Rand", "ORG"),
    ]
    out = cues(found, ctx)
    assert spans(ctx, out) == [
        ("Anna Berg", "PERSON"),
        ("Tariq Lind", "PERSON"),
        ("Olga Rand", "PERSON"),
    ]
    assert {m.method for m in out} == {"cues", "model+cues"}


def test_organization_names_are_taken_whole():
    text = (
        "The Nordic Rivers Foundation and the Embassy of Norway in Athens thanked the "
        "Arctic Student Council for Science and Culture."
    )
    ctx = context(text)
    found = [
        mention(ctx, 0, "Nordic Rivers", "PERSON"),
        mention(ctx, 0, "Norway", "PLACE"),
        mention(ctx, 0, "Arctic Student Council", "ORG"),
    ]
    assert spans(ctx, cues(found, ctx)) == [
        ("Nordic Rivers Foundation", "ORG"),
        ("Embassy of Norway in Athens", "ORG"),
        ("Arctic Student Council for Science and Culture", "ORG"),
    ]


def test_a_league_the_model_left_unread_is_a_competition_and_a_league_of_members_a_body():
    text = (
        "Eastvale lead the Coastal Premier League. The Coastal League of Voters met, and "
        "the Harbour Rugby League fined Eastvale."
    )
    ctx = context(text)
    found = [mention(ctx, 0, "Eastvale", "ORG"), mention(ctx, 0, "Harbour Rugby", "PLACE")]
    assert spans(ctx, cues(found, ctx)) == [
        ("Eastvale", "ORG"),
        ("Coastal League of Voters", "ORG"),
        ("Harbour Rugby League", "ORG"),
    ]


def test_an_organization_name_stops_before_a_weekday_or_month():
    text = "The Harbour Trade Council on Friday named Lena Voss. On Monday Voss spoke."
    ctx = context(text)
    found = [mention(ctx, 0, "Lena Voss", "PERSON"), mention(ctx, 0, "Voss", "PERSON", nth=1)]
    assert spans(ctx, cues(found, ctx)) == [
        ("Harbour Trade Council", "ORG"),
        ("Lena Voss", "PERSON"),
        ("Voss", "PERSON"),
    ]


def test_the_models_place_or_longer_name_stands_against_a_head_word():
    text = (
        "Talks on the South Bank and Lowmoor resumed. The Norway Embassy and Acme Rivet "
        "Bank Systems Inc agreed, said Vestland University Karin Holm."
    )
    ctx = context(text)
    found = [
        mention(ctx, 0, "South Bank", "PLACE"),
        mention(ctx, 0, "Lowmoor", "PLACE"),
        mention(ctx, 0, "Norway Embassy", "PLACE"),
        mention(ctx, 0, "Acme Rivet Bank Systems Inc", "ORG"),
        mention(ctx, 0, "Vestland University Karin Holm", "ORG"),
    ]
    assert spans(ctx, cues(found, ctx)) == [
        ("South Bank", "PLACE"),  # not "South Bank and Lowmoor", an organization
        ("Lowmoor", "PLACE"),
        ("Norway Embassy", "ORG"),  # a place and a head word: that place's organization
        ("Acme Rivet Bank Systems Inc", "ORG"),  # not cut to "Acme Rivet Bank"
        ("Vestland University", "ORG"),  # the model's span ran on into a name
    ]


def test_saint_opens_a_name_and_is_no_title():
    text = "St Albury beat Rovers in St Kellan on Saturday."
    ctx = context(text)
    found = [mention(ctx, 0, "St Albury", "ORG"), mention(ctx, 0, "St Kellan", "PLACE")]
    assert spans(ctx, cues(found, ctx)) == [("St Albury", "ORG"), ("St Kellan", "PLACE")]


def test_events_titles_and_sites():
    text = "The Eastvale Film Festival showed “Silent River” near the Peace Palace."
    ctx = context(text)
    found = [
        mention(ctx, 0, "Eastvale Film Festival", "ORG"),
        mention(ctx, 0, "Silent River", "PERSON"),
        mention(ctx, 0, "Peace Palace", "ORG"),
    ]
    assert spans(ctx, cues(found, ctx)) == [("Peace Palace", "PLACE")]


def test_gazetteer_relabels_splits_and_adds_places():
    text = (
        "Norway and Portugal’s Olympic Committee greeted Norway Anna Berg. "
        "Delegates came from Berlin too."
    )
    ctx = context(text)
    found = [
        mention(ctx, 0, "Norway", "ORG"),
        mention(ctx, 0, "Portugal’s Olympic Committee", "ORG"),
        mention(ctx, 0, "Norway Anna Berg", "ORG"),
    ]
    out = gazetteer(found, ctx)
    assert spans(ctx, out) == [
        ("Norway", "PLACE"),
        ("Portugal", "PLACE"),
        ("Olympic Committee", "ORG"),
        ("Norway", "PLACE"),
        ("Anna Berg", "PERSON"),
        ("Berlin", "PLACE"),
    ]
    assert [m.method for m in out if m.model_label is None] == ["gazetteer"]


def test_a_country_before_an_acronym_is_not_split_off_a_person():
    ctx = context("The Norway Digital ICT plan and the Norway Anna Berg file were read.")
    found = [
        mention(ctx, 0, "Norway Digital ICT", "ORG"),
        mention(ctx, 0, "Norway Anna Berg", "ORG"),
    ]
    assert spans(ctx, gazetteer(found, ctx)) == [
        ("Norway Digital ICT", "ORG"),
        ("Norway", "PLACE"),
        ("Anna Berg", "PERSON"),
    ]


def test_a_country_whose_name_holds_and_is_one_place():
    text = "Teams from Trinidad and Tobago met the Antigua and Barbuda Cricket Board."
    ctx = context(text)
    found = [
        mention(ctx, 0, "Trinidad", "PLACE"),
        mention(ctx, 0, "Tobago", "PLACE"),
        mention(ctx, 0, "Antigua and Barbuda Cricket Board", "ORG"),
    ]
    assert spans(ctx, gazetteer(found, ctx)) == [
        ("Trinidad and Tobago", "PLACE"),
        ("Antigua and Barbuda Cricket Board", "ORG"),  # a longer name around it stands
    ]


def test_a_person_named_like_a_town_stays_a_person():
    ctx = context("Tyler met the mayor of Clinton before Kent Brandt spoke.")
    found = [
        mention(ctx, 0, "Tyler", "PERSON"),
        mention(ctx, 0, "Clinton", "PLACE"),
        mention(ctx, 0, "Kent Brandt", "PERSON"),
    ]
    assert spans(ctx, gazetteer(found, ctx)) == [
        ("Tyler", "PERSON"),
        ("Clinton", "PLACE"),
        ("Kent Brandt", "PERSON"),
    ]


def test_schwartz_hearst_long_forms_and_initials():
    assert best_long_form("NRF", "funded by the Nordic Rivers Foundation") == (
        "Nordic Rivers Foundation"
    )
    assert best_long_form("XYZ", "funded by the Nordic Rivers Foundation") is None
    text = "The Arctic Student Council for Science and Culture (ASC-SC) met."
    (d,) = definitions(text)
    assert (d.long, d.short) == ("Arctic Student Council for Science and Culture", "ASC-SC")
    assert text[d.short_start : d.short_end] == "ASC-SC"
    assert matches_initials("ASCSC", "Arctic Student Council for Science and Culture")
    assert not matches_initials("ASC", "Arctic Student Council for Science and Culture")


def test_acronyms_defined_in_one_article_are_found_in_another():
    ctx = context(
        "The Arctic Student Council for Science and Culture (ASC-SC) met in Riga.",
        "Members of ASC-SC and KLM signed it.",
    )
    found = [
        mention(ctx, 0, "Arctic Student Council for Science and Culture", "ORG"),
        mention(ctx, 1, "KLM", "PERSON"),
    ]
    out = acronyms(found, ctx)
    assert spans(ctx, out) == [
        ("Arctic Student Council for Science and Culture", "ORG"),
        ("ASC-SC", "ORG"),
        ("ASC-SC", "ORG"),
        ("KLM", "ORG"),
    ]
    added = [m for m in out if m.doc_id == "d1" and m.method == "acronyms"]
    assert (added[0].doc_start, added[0].doc_end) == (11, 17)


def test_an_acronym_takes_most_of_its_definitions_labels_and_never_a_persons():
    ctx = context(
        "The carmaker Nordvik Motors (NVM) cut jobs. NVM said so.",
        "Nordvik Motors (NVM) and Ostra Motors (OM) agreed. OM will pay.",
        "Nordvik Motors (NVM) rose. Later NVM fell.",
    )
    found = [
        mention(ctx, 0, "Nordvik Motors", "PERSON"),  # the model's one misreading
        mention(ctx, 0, "NVM", "PERSON", nth=1),
        mention(ctx, 1, "Nordvik Motors", "ORG"),
        mention(ctx, 1, "Ostra Motors", "PERSON"),
        mention(ctx, 1, "OM", "ORG", nth=1),
        mention(ctx, 2, "Nordvik Motors", "ORG"),
    ]
    labels = {
        (m.doc_id, ctx.texts[m.doc_id][m.doc_start : m.doc_end]): m.label
        for m in acronyms(found, ctx)
    }
    assert labels[("d0", "NVM")] == "ORG"  # two of its three definitions are organizations
    assert labels[("d2", "NVM")] == "ORG"
    assert labels[("d1", "OM")] == "ORG"  # a long form read as a person lends no label


def test_a_name_in_a_headline_written_in_capitals_is_no_acronym():
    ctx = context(
        "TENNIS - OKAFOR BEATS LINDQVIST IN VARNA .\nOkafor won the final, and KLM flew her home."
    )
    found = [
        mention(ctx, 0, "OKAFOR", "PERSON"),
        mention(ctx, 0, "LINDQVIST", "PERSON"),
        mention(ctx, 0, "KLM", "PERSON"),
    ]
    assert spans(ctx, acronyms(found, ctx)) == [
        ("OKAFOR", "PERSON"),  # the whole line is in capitals: they tell nothing
        ("LINDQVIST", "PERSON"),
        ("KLM", "ORG"),  # capitals in a sentence written in lower case: an acronym
    ]


def test_consistency_votes_propagates_and_drops_common_words():
    ctx = context(
        "Karl Lind spoke. Karl Lind left. Karl Lind came back. Lind smiled.",
        "Later Karl Lind wrote that justice and Justice matter; justice is slow.",
        "Karl Lind and Eva Holm met. Eva Holm and Karl Lind left. Eva Holm came back.",
        "In spring Karl Lind came home.",
    )
    found = [
        mention(ctx, 0, "Karl Lind", "PERSON", 0),
        mention(ctx, 0, "Karl Lind", "PERSON", 1),
        mention(ctx, 0, "Karl Lind", "ORG", 2),
        mention(ctx, 0, "Lind", "PLACE", 3),
        mention(ctx, 1, "Justice", "ORG"),
        mention(ctx, 2, "Eva Holm", "PERSON", 0),
        mention(ctx, 2, "Eva Holm", "PERSON", 1),
    ]
    out = consistency(found, ctx)
    assert spans(ctx, out) == [
        ("Karl Lind", "PERSON"),
        ("Karl Lind", "PERSON"),
        ("Karl Lind", "PERSON"),
        ("Lind", "PERSON"),
        ("Eva Holm", "PERSON"),
        ("Eva Holm", "PERSON"),
        ("Eva Holm", "PERSON"),
    ]
    assert sorted(m.method for m in out)[-1] == "model+consistency"
    # "Karl Lind" was found in one document only: it is not spread to the others; "Eva
    # Holm" is found again in the document where the model found it.
    assert sorted(m.method for m in out if m.doc_id == "d2") == ["consistency", "model", "model"]


def test_an_acronym_that_spells_a_common_word_is_kept_outside_a_capitals_line():
    ctx = context(
        "Tell us what the US plans. Give us time, they told us.",
        "US TROOPS LAND IN VARNA\nLet us see where they go.",
    )
    found = [mention(ctx, 0, "US", "PLACE"), mention(ctx, 1, "US", "PLACE")]
    out = consistency(found, ctx)
    assert [(m.doc_id, m.doc_start, m.label) for m in out] == [("d0", 17, "PLACE")]


def test_a_surname_that_is_a_common_word_is_kept_after_a_formal_title():
    ctx = context("The talks were short. Mr Short said a short word, and Short left.")
    found = [mention(ctx, 0, "Short", "PERSON", 0), mention(ctx, 0, "Short", "PERSON", 1)]
    out = consistency(found, ctx)
    assert [(m.doc_start, m.label) for m in out] == [(25, "PERSON")]


def test_consistency_adds_missed_occurrences_only_in_documents_that_name_it():
    ctx = context(
        "Karl Lind spoke. Karl Lind left.",
        "Karl Lind came back.",
        "Later Karl Lind wrote a letter.",
    )
    found = [mention(ctx, 0, "Karl Lind", "PERSON", 0), mention(ctx, 1, "Karl Lind", "PERSON")]
    out = consistency(found, ctx)
    added = [(m.doc_id, m.doc_start) for m in out if m.method == "consistency"]
    assert added == [("d0", 17)]  # the second "Karl Lind" of d0; d2 is left as it is


def test_consistency_never_spreads_what_cannot_be_a_name():
    ctx = context(
        "Perm 35 - a camp. Mr said a word in 1996, a year of Mr and a.",
        "Then a man and Mr Berg said 1996 was a year.",
    )
    found = [
        mention(ctx, 0, "Perm 35 - a", "PERSON"),
        mention(ctx, 0, "Mr", "PERSON"),
        mention(ctx, 0, "1996", "PERSON"),
    ]
    out = consistency(found, ctx)
    added = [ctx.texts[m.doc_id][m.doc_start : m.doc_end] for m in out if m.method == "consistency"]
    assert added == []


def test_a_word_that_ends_more_places_than_people_is_no_surname():
    text = (
        "Anna Karn opened the dam. Anna Karn said Upper Karn and Lower Karn were safe. "
        "Rain fell on Upper Karn, then on Lower Karn. Karn is dry."
    )
    ctx = context(text, "Olga Vesk spoke. Olga Vesk left. Vesk came back.")
    found = [
        *(mention(ctx, 0, "Anna Karn", "PERSON", k) for k in (0, 1)),
        *(
            mention(ctx, 0, place, "PLACE", k)
            for place in ("Upper Karn", "Lower Karn")
            for k in (0, 1)
        ),
        *(mention(ctx, 1, "Olga Vesk", "PERSON", k) for k in (0, 1)),
    ]
    out = spans(ctx, consistency(found, ctx))
    assert ("Karn", "PERSON") not in out
    assert out.count(("Vesk", "PERSON")) == 1  # a surname after its full name still is one


def test_consistency_cuts_spans_glued_to_a_known_name():
    ctx = context("Anna Berg spoke. Anna Berg left. The Nordvik Bank Anna Berg chairs cut rates.")
    found = [
        mention(ctx, 0, "Anna Berg", "PERSON", 0),
        mention(ctx, 0, "Anna Berg", "PERSON", 1),
        mention(ctx, 0, "Nordvik Bank Anna", "ORG"),
    ]
    assert spans(ctx, consistency(found, ctx)) == [
        ("Anna Berg", "PERSON"),
        ("Anna Berg", "PERSON"),
        ("Nordvik Bank", "ORG"),
        ("Anna Berg", "PERSON"),
    ]


def test_source_lines_are_organizations():
    ctx = context("The bridge opened.\n\nNordPress")
    ctx.articles[0]["source"] = "NordPress"
    assert spans(ctx, sources([], ctx)) == [("NordPress", "ORG")]


def test_long_articles_are_cut_at_paragraph_breaks():
    from itertools import pairwise

    from pipeline.entities.model_pass import chunks

    text = "\n\n".join(f"Paragraph {i} " + "word " * 20 for i in range(10))
    pieces = list(chunks(text, 300))
    assert len(pieces) > 1
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text.rstrip())
    for (_, end), (start, _) in pairwise(pieces):
        assert text[end:start].strip() == ""
    assert all(e - s <= 300 for s, e in pieces)


def test_added_mention_gets_its_own_sentence_as_audit_window():
    text = "Talks ended. Later, Mr. Solvik met them. Then it rained."
    ctx = context(text)
    art = ctx.articles[0]
    start = text.index("Solvik")
    added = new_mention(art, text, start, start + len("Solvik"), "PERSON", "cues")
    assert text[added.sent_start : added.sent_end] == "Later, Mr. Solvik met them."


@given(st.text(alphabet="Mr.J!? a\n", max_size=30), st.data())
def test_last_stop_found_backwards_is_the_last_stop_found_forwards(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    assert _last_stop(text, lo, hi) == ([None, *_stops(text, lo, hi)][-1])


def test_every_layer_run_ends_with_names_only():
    from pipeline.config import NerConfig
    from pipeline.entities.layers import apply_layers

    text = "Mr said a word in 1996 to Anna Berg of Oslo."
    ctx = context(text)
    found = [
        mention(ctx, 0, "Mr", "PERSON"),
        mention(ctx, 0, "a", "PERSON"),
        mention(ctx, 0, "1996", "PERSON"),
        mention(ctx, 0, "Anna Berg", "PERSON"),
        mention(ctx, 0, "Oslo", "PLACE"),
    ]
    out = apply_layers(found, ctx.texts, ctx.articles, NerConfig(layers=()))
    assert spans(ctx, out) == [("Anna Berg", "PERSON"), ("Oslo", "PLACE")]


def test_a_known_place_named_as_a_surname_stays_a_person():
    ctx = context("Senator Ann Clinton spoke in Clinton . Later Clinton left .")
    found = [
        mention(ctx, 0, "Ann Clinton", "PERSON"),
        mention(ctx, 0, "Clinton", "PLACE", 1),
        mention(ctx, 0, "Clinton", "PERSON", 2),
    ]
    assert spans(ctx, gazetteer(found, ctx)) == [
        ("Ann Clinton", "PERSON"),
        ("Clinton", "PLACE"),
        ("Clinton", "PERSON"),
    ]


def test_an_organization_cut_at_a_nationality_word_is_dropped():
    ctx = context("The Union of Estonian teachers of Tartu met the Union of Teachers.")
    found = [
        mention(ctx, 0, "Union of Estonian", "ORG"),
        mention(ctx, 0, "Union of Teachers", "ORG"),
    ]
    assert spans(ctx, cues(found, ctx)) == [("Union of Teachers", "ORG")]


def test_a_single_word_person_after_in_is_a_place_but_an_organization_stays():
    ctx = context("Storms hit farms in Tarnava and in NATO bases near the coast.")
    found = [mention(ctx, 0, "Tarnava", "PERSON"), mention(ctx, 0, "NATO", "ORG")]
    assert spans(ctx, cues(found, ctx)) == [("Tarnava", "PLACE"), ("NATO", "ORG")]


@pytest.mark.parametrize(
    "word",
    [
        "Bhutanese",
        "Costa Rican",
        "South Korean",
        "New Zealanders",
        "Fijian",
        "Surinamese",
        "Burkinabe",
        "Liechtensteiner",
        "Salvadoran-American",
        "Papua New Guinean",
    ],
)
def test_demonyms_of_countries_on_every_continent(word):
    from pipeline.entities.wordlists import is_demonym

    assert is_demonym(word)


def test_a_name_the_model_mostly_reads_as_another_kind_is_dropped():
    base = context("Korvo sold well in Dublin. Sean Walsh said Korvo is new, and Korvo won praise.")
    others = tuple(mention(base, 0, "Korvo", "PRODUCT", k) for k in (0, 2))
    ctx = dataclasses.replace(base, others=others)
    found = [
        mention(ctx, 0, "Korvo", "PERSON", 1),
        mention(ctx, 0, "Dublin", "PLACE"),
        mention(ctx, 0, "Sean Walsh", "PERSON"),
    ]
    assert spans(ctx, consistency(found, ctx)) == [("Dublin", "PLACE"), ("Sean Walsh", "PERSON")]
    assert ("Korvo", "PERSON") in spans(base, consistency(found, base))  # the model alone


def test_the_line_around_a_span():
    from pipeline.core.spans import line_around

    text = "TENNIS - OKAFOR WINS\nOkafor won in Varna.\nShe flew home"
    assert line_around(text, 30, 35) == (21, 41)
    assert text[slice(*line_around(text, 9, 15))] == "TENNIS - OKAFOR WINS"
    assert text[slice(*line_around(text, 45, 49))] == "She flew home"


def test_a_bare_capitalised_body_or_region_after_the_is_a_name():
    ctx = context(
        "Storm at the Club\nLater the Senate voted, the Ministry of culture wrote and the "
        "Court ruled. Rain swept the North, and the North Sea.",
        "A senate is a house of elders; every court has a senate and a court of appeal. "
        "Go north, then north again.",
    )
    found = cues([mention(ctx, 0, "North Sea", "PLACE")], ctx)
    assert sorted((m.doc_start, m.doc_end, m.label) for m in found) == [
        (28, 34, "ORG"),
        (80, 85, "ORG"),
        (108, 113, "PLACE"),
        (123, 132, "PLACE"),
    ]
    # The corpus writes these words in lower case, but a bare name is no common word.
    assert spans(ctx, consistency(found, ctx)) == [
        ("Senate", "ORG"),
        ("Court", "ORG"),
        ("North", "PLACE"),
        ("North Sea", "PLACE"),
    ]
