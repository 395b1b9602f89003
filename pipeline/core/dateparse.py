"""One place that turns a single date expression into a calendar date, with dateparser.

dateparser is fed one expression at a time (never a whole text), through one reused
parser restricted to English, and every answer is cached: the same expression and
settings always give the same date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from dateparser.date import DateDataParser

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# A full date (day, month and year) written in one of the common ways.
FULL_DATE_RE = re.compile(
    rf"\b(?:{_YEAR}-[01]\d-[0-3]\d"
    rf"|[0-3]?\d[./][01]?\d[./](?:\d\d)?\d\d"
    rf"|{_DAY}\s+{MONTHS},?\s+{_YEAR}"
    rf"|{MONTHS}\s+{_DAY},?\s+{_YEAR})\b",
    re.IGNORECASE,
)
# "19-23" inside a day range: the range's first day stands for the whole.
_DAY_RANGE_RE = re.compile(r"(?<![\d./-])([0-3]?\d)\s*[-–]\s*[0-3]?\d(?![\d./-])")


@lru_cache(maxsize=4)
def _parser(date_order: str) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        try_previous_locales=False,
        settings={
            "STRICT_PARSING": True,
            "DATE_ORDER": date_order,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": False,
        },
    )


@lru_cache(maxsize=65536)
def parse_full_date(expr: str, date_order: str = "DMY") -> dt.date | None:
    """The calendar date of an expression that names day, month and year, else None.

    A day range ("February 19-23, 2009") gives its first day.

    >>> parse_full_date("February 19-23, 2009")
    datetime.date(2009, 2, 19)
    """
    cleaned = _DAY_RANGE_RE.sub(r"\1", expr.strip().strip("()*").strip())
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    data = _parser(date_order).get_date_data(cleaned)
    if data.date_obj is None:
        return None
    return data.date_obj.date()


@lru_cache(maxsize=65536)
def parse_day(day: str, month: str, year: int) -> dt.date | None:
    """The date named by a day ("25th"), a month name ("Feb.") and a year, via dateparser."""
    number = int(re.sub(r"\D", "", day))
    return parse_full_date(f"{number} {month} {year}")


@lru_cache(maxsize=4096)
def parse_month(month: str, year: int) -> dt.date | None:
    """The first day of a named month in a year, via dateparser."""
    data = _parser("DMY").get_date_data(f"1 {month} {year}")
    return data.date_obj.date() if data.date_obj else None


def nearest_year(
    make: Callable[[int], dt.date | None],
    base: dt.date,
    tense: str | None = None,
    month: bool = False,
) -> dt.date | None:
    """The year-less date ``make(year)`` (the year before, the same or the next) for an
    article of date ``base``: with ``tense`` "past" the latest on or before ``base``, with
    "future" the earliest on or after it (a ``month`` counts as on ``base`` when it holds
    it); without a tense the nearest, a date after ``base`` counting double (news reports
    what has happened; a wrong year is worse than none)."""
    values = [v for v in (make(y) for y in (base.year - 1, base.year, base.year + 1)) if v]
    floor = base.replace(day=1) if month else base
    if tense == "past" and (before := [v for v in values if v <= base]):
        return max(before)
    if tense == "future" and (after := [v for v in values if v >= floor]):
        return min(after)
    best: tuple[int, dt.date] | None = None
    for value in values:
        delta = (value - base).days
        cost = 2 * delta if delta > 0 else -delta
        if best is None or cost < best[0]:
            best = (cost, value)
    return best[1] if best else None


def first_full_date(text: str, date_order: str = "DMY") -> tuple[dt.date, int, int] | None:
    """The first full date written in ``text`` with its (start, end) offsets, else None."""
    for m in FULL_DATE_RE.finditer(text):
        value = parse_full_date(m.group(0), date_order)
        if value is not None:
            return value, m.start(), m.end()
    return None
