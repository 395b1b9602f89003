"""The label model's features and the shipped weights, on sentences written for the test."""

from __future__ import annotations

import pytest

from pipeline.entities.labelmodel import (
    LABELS,
    Seen,
    document_surnames,
    joined_labels,
    load_label_model,
    name_features,
)
from pipeline.entities.wordlists import given_names, place_names


def _seen(text: str, name: str, label: str) -> list[Seen]:
    """Every occurrence of ``name`` in ``text``, as the NER model labelled it."""
    out, start = [], text.find(name)
    while start >= 0:
        out.append(Seen(start, start + len(name), label))
        start = text.find(name, start + 1)
    return out


def test_given_names_come_from_the_census_lists() -> None:
    names = given_names()
    assert {"Mary", "James", "Linda", "Robert"} <= names
    assert "London" not in names and "Limited" not in names


@pytest.mark.parametrize(
    ("form", "feature", "absent"),
    [
        ("Linda", "given_name", "given_name_first"),
        ("Linda Okonkwo-Barre", "given_name_first", "given_name"),
    ],
)
def test_a_name_that_is_or_opens_with_a_given_name_is_marked(
    form: str, feature: str, absent: str
) -> None:
    text = f"Yesterday {form} opened the bakery on the corner."
    feats = name_features(form, text, _seen(text, form, "PERSON"))
    assert feats[feature] == 1.0
    assert absent not in feats
    assert feats["model=PERSON"] == pytest.approx(1.0)
    assert feats["L1=yesterday"] == pytest.approx(1.0)
    assert feats["R1=opened"] == pytest.approx(1.0)


def test_a_company_name_carries_no_given_name_feature() -> None:
    text = "Shares in Brackwater Group fell after Brackwater Group cut its forecast."
    feats = name_features("Brackwater Group", text, _seen(text, "Brackwater Group", "ORG"))
    assert "given_name" not in feats and "given_name_first" not in feats
    assert feats["org_head"] == 1.0
    assert feats["mentions"] == pytest.approx(1.0986, abs=1e-4)  # log(1 + 2 mentions)


def test_the_shipped_model_gives_a_distribution_over_its_labels() -> None:
    text = "Shares in Brackwater Group fell after Brackwater Group cut its forecast."
    seen = _seen(text, "Brackwater Group", "ORG")
    p = load_label_model().probabilities(name_features("Brackwater Group", text, seen))
    assert set(p) == set(LABELS)
    assert sum(p.values()) == pytest.approx(1.0)
    assert max(p, key=p.get) == "ORG"


def _surnames(names: dict[str, str] | None) -> frozenset[str]:
    """The surnames of a document holding each of ``names`` once, with its label."""
    triples = [("d0", form, label) for form, label in (names or {}).items()]
    return document_surnames(triples).get("d0", frozenset())


@pytest.mark.parametrize(
    ("word", "longer", "surname"),
    [
        ("Okafor", {"Grace Okafor": "PERSON", "Port Harcourt": "PLACE"}, True),
        ("Harcourt", {"Grace Okafor": "PERSON", "Port Harcourt": "PLACE"}, False),
        ("Grace", {"Grace Okafor": "PERSON"}, False),
        ("Okafor", {"Okafor Holdings": "ORG"}, False),
        ("Okafor", None, False),
    ],
)
def test_a_single_word_is_a_surname_after_a_person_named_in_full(
    word: str, longer: dict[str, str] | None, surname: bool
) -> None:
    text = f"On Monday {word} said the ferry would sail."
    feats = name_features(word, text, _seen(text, word, "PERSON"), _surnames(longer))
    assert ("surname" in feats) is surname


def test_a_full_name_is_no_surname() -> None:
    text = "On Monday Grace Okafor said the ferry would sail."
    surnames = _surnames({"Grace Okafor": "PERSON", "Tunde Grace Okafor": "PERSON"})
    feats = name_features("Grace Okafor", text, _seen(text, "Grace Okafor", "PERSON"), surnames)
    assert "surname" not in feats


def test_document_surnames_follow_the_most_frequent_label() -> None:
    triples = [("d0", "Grace Okafor", label) for label in ("PERSON", "PERSON", "PERSON", "ORG")]
    triples += [("d0", "Ada Harcourt", "ORG"), ("d0", "Ada Harcourt", "PLACE")]
    triples += [("d1", "Okafor", "PERSON"), ("d1", "Tunde Bello", "PERSON")]
    assert document_surnames(triples) == {"d0": {"Okafor"}, "d1": {"Bello"}}


def test_names_joined_by_and_or_a_contest_see_each_others_labels() -> None:
    text = (
        "Kendra beat Eastvale Rovers 2-1 on Saturday.\n"
        "Harbour City and Kendra were seeded, with Lakeside second."
    )
    seen = [
        *_seen(text, "Kendra", "PERSON"),
        *_seen(text, "Eastvale Rovers", "ORG"),
        *_seen(text, "Harbour City", "ORG"),
        *_seen(text, "Lakeside", "PLACE"),
    ]
    joined = joined_labels({"d": text}, (("d", s) for s in seen))["d"]
    first, second = _seen(text, "Kendra", "PERSON")
    assert joined[first.start, first.end] == ("ORG",)  # "Kendra beat Eastvale Rovers"
    assert joined[second.start, second.end] == ("ORG",)  # "Harbour City and Kendra"
    lakeside = text.find("Lakeside")
    assert (lakeside, lakeside + len("Lakeside")) not in joined  # ", with Lakeside"
    feats = name_features("Kendra", text, [first, second], joined=joined)
    assert feats["joined=ORG"] == pytest.approx(1.0)
    assert "joined=PERSON" not in feats


def test_names_on_different_lines_are_not_joined() -> None:
    text = "Eastvale Rovers,\nKendra Lund"  # a comma ends the line: a list, not a join
    seen = [*_seen(text, "Eastvale Rovers", "ORG"), *_seen(text, "Kendra Lund", "PERSON")]
    assert joined_labels({"d": text}, (("d", s) for s in seen)) == {"d": {}}


@pytest.mark.parametrize("nation", ["Wales", "Scotland", "England"])
def test_a_nation_inside_a_country_is_a_country_and_its_team_a_place(nation: str) -> None:
    # pycountry lists them as subdivisions of the United Kingdom ("Wales [Cymru GB-CYM]");
    # written for its national team, a country is a PLACE (the annotation guidelines).
    text = f"The visitors lost 24-18 to {nation} on a wet afternoon."
    feats = name_features(nation, text, _seen(text, nation, "ORG"))
    assert feats["country"] == 1.0
    p = load_label_model().probabilities(feats)
    assert max(p, key=p.__getitem__) == "PLACE"


def test_subdivision_names_drop_the_bracketed_code_and_keep_the_other_language() -> None:
    names = place_names()
    assert {"Wales", "Cymru", "Girona", "Gerona"} <= names
    assert not any("[" in name for name in names)
    assert "SE-03" not in names and "city" not in names  # a code or a kind is no name
