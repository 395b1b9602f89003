"""Named days that fix a calendar date ("Thanksgiving Day", "Christmas", "Good Friday"),
taken from the maintained ``holidays`` package for the countries in :data:`COUNTRIES`.

A name that two of these countries give different dates in one year (Canada's and the
United States' Thanksgiving, were Canada listed) is left out: a wrong date is worse than
none. Easter Sunday comes from dateutil's Easter computation, which the ``holidays``
package lists only where it is a public holiday.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import holidays
from dateutil.easter import easter

# The two largest English-language news markets; their public holidays are the named
# days English news writes without a date.
COUNTRIES = ("US", "GB")
_SAMPLE_YEARS = range(2001, 2005)
# Short forms news writes for a holiday's full name (general usage).
_SHORT_FORMS = {
    "Christmas": "Christmas Day",
    "Thanksgiving": "Thanksgiving Day",
    "New Year": "New Year's Day",
    "Easter": "Easter Sunday",
}
_FIXED = {"Christmas Eve": (12, 24), "New Year's Eve": (12, 31)}
_SUFFIX = re.compile(r"\s*\(.*?\)$")  # "(observed)", "(estimated)"


@cache
def _calendar(country: str, year: int) -> dict[str, dt.date]:
    """The named public holidays of ``country`` in ``year``, by name."""
    out: dict[str, dt.date] = {}
    for day, names in sorted(holidays.country_holidays(country, years=year).items()):
        for name in names.split("; "):
            if not _SUFFIX.search(name):  # the actual day, not the day off in lieu
                out.setdefault(name, day)
    return out


def _agreed_names() -> list[str]:
    """Holiday names held every year (no one-off jubilee) whose date every listed country
    that has them agrees on."""
    seen: dict[str, dict[int, set[dt.date]]] = {}
    for country in COUNTRIES:
        for year in _SAMPLE_YEARS:
            for name, day in _calendar(country, year).items():
                seen.setdefault(name, {}).setdefault(year, set()).add(day)
    return sorted(
        name
        for name, years in seen.items()
        if len(years) == len(_SAMPLE_YEARS) and all(len(d) == 1 for d in years.values())
    )


_NAMES = _agreed_names()


def date_of(name: str, year: int) -> dt.date | None:
    """The date of the named day ``name`` (as written, any apostrophe) in ``year``."""
    name = _SHORT_FORMS.get(name.replace("’", "'"), name.replace("’", "'"))
    if name == "Easter Sunday":
        return easter(year)
    if name in _FIXED:
        return dt.date(year, *_FIXED[name])
    for country in COUNTRIES:
        if name in _NAMES and name in (cal := _calendar(country, year)):
            return cal[name]
    return None


def is_short_form(name: str) -> bool:
    """Whether ``name`` is a short form ("Christmas"), a date only in some contexts."""
    return name.replace("’", "'") in _SHORT_FORMS


# Every name a named day is written with, longest first, and them as one alternation.
HOLIDAY_NAMES_LIST = sorted(
    set(_NAMES) | set(_SHORT_FORMS) | set(_SHORT_FORMS.values()) | set(_FIXED),
    key=lambda name: (-len(name), name),
)
HOLIDAY_NAMES = (
    "(?:" + "|".join(re.escape(n).replace("'", "['’]") for n in HOLIDAY_NAMES_LIST) + ")"
)
