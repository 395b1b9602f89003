"""The country of a place name, from the gazetteers, and none where places in different
countries share the name."""

import pytest

from pipeline.core.places import countries_named, country_named_first, country_of


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Lyon", "FR"),
        ("the Netherlands", "NL"),
        ("Texas", "US"),  # a US state
        ("Luxembourg", "LU"),  # a country, though a Belgian province shares its name
        ("Paris", "FR"),  # a region, and the largest city of the name
        ("Birmingham", "GB"),  # a city over five times its American namesake
        ("Georgia", None),  # a country and a US state
        ("Richmond Hill", None),  # cities in Canada and the United States
        ("West", None),  # a compass point, though a Cameroonian region is named so
        ("Qwerty Hills", None),
        ("US", "US"),  # an abbreviation news writes for a country
        ("USA", "US"),
        ("UK", "GB"),
        ("IT", None),  # an ISO code that is also a common abbreviation
        ("GM", None),  # ... or a company
    ],
)
def test_a_place_lies_in_a_country_only_when_its_name_says_which(name, country):
    assert country_of(name) == country


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Lyon Chamber of Commerce", "FR"),
        ("Westminster Parliament", "GB"),
        ("New York Harbour Authority", "US"),  # the longest run of words that is a place
        ("Georgia Power", None),  # an ambiguous place says nothing
        ("Acme Holdings", None),
    ],
)
def test_a_name_that_begins_with_a_place_lies_in_its_country(name, country):
    assert country_named_first(name) == country


@pytest.mark.parametrize(
    ("line", "countries"),
    [
        ("Relay runners cross two US states", {"US"}),
        ("Ferry strike ends in France.", {"FR"}),  # the stop after the name
        ("Bosnia and Herzegovina and New Zealand sign a treaty", {"BA", "NZ"}),
        ("Georgia votes on Sunday", set()),  # a country and a US state
        ("IT firms hire more graduates", set()),
        ("Prices of turkey and chad fall", set()),  # common words in lower case
    ],
)
def test_a_headline_names_countries_in_its_own_words(line, countries):
    assert countries_named(line) == countries


def test_a_subdivision_is_found_by_its_name_and_by_its_other_language_name() -> None:
    # pycountry writes "Wales [Cymru GB-CYM]" and "Girona [Gerona]"
    assert country_of("Wales") == country_of("Cymru") == "GB"
    assert country_of("Gerona") == "ES"
