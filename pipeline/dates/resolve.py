"""Normalising one article's date expressions against the article's own date.

Each expression found by :mod:`pipeline.dates.find` is normalised from its own parts with
dateparser (one expression at a time, cached). Year-less dates take the year that puts
them nearest the article's date, unless their sentence names one year; relative
expressions resolve against the article's date ("the same day" against the date before
it); numeric dates follow the order the document itself uses (day first unless a month
above 12 proves otherwise), and are flagged ``ambiguous`` when nothing in the document
settles it. A wrong date is worse than none: expressions that need the article's date
("15 March", "Friday", "last month") in an article that has none come out without a
value and with the reason (table ``unresolved_dates``); strings that are no date at all
("February 30") are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pipeline.core.dateparse import nearest_year, parse_day, parse_full_date, parse_month
from pipeline.core.ids import content_id
from pipeline.dates.find import Candidate, find_dates, number_value, spelled_year
from pipeline.dates.named_days import date_of

_NUMERIC_RE = re.compile(r"\b([0-3]?\d)[./]([0-3]?\d)[./](?:\d\d){1,2}\b")
_MDY_WORDS_RE = re.compile(r"\b[A-Z][a-z]{2,8}\.? [0-3]?\d, (?:19|20)\d\d\b")
_DMY_WORDS_RE = re.compile(r"\b[0-3]?\d [A-Z][a-z]{2,8}\.?,? (?:19|20)\d\d\b")
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n\s*\n")
# A year, not a time ("2000 GMT", "1930 hours") nor an amount ("$1999").
_YEAR_RE = re.compile(
    r"(?<![$£€¥])\b(?:1[89]\d\d|20\d\d)\b"
    r"(?!\s*(?:GMT|UTC|[ECMP][SD]T|BST|CET|hours|hrs|local\s+time|[ap]\.?m\b))"
)


@dataclass(frozen=True)
class Resolved:
    """A normalised date: ISO start, ISO end for a range, grain, and the ambiguity flag;
    or, with no value, the reason it has none."""

    value: str | None
    end_value: str | None
    grain: str | None
    ambiguous: bool = False
    reason: str | None = None


NO_BASE = "needs the article's date, and the article has none"


def numeric_order(text: str) -> tuple[str, bool]:
    """The order of numeric dates in a document ("DMY" or "MDY") and whether it is
    still ambiguous: a first number above 12 proves day-first, a second one month-first;
    otherwise the way the document writes dates in words decides, weakly."""
    firsts, seconds = [], []
    for m in _NUMERIC_RE.finditer(text):
        firsts.append(int(m.group(1)))
        seconds.append(int(m.group(2)))
    if any(n > 12 for n in firsts):
        return "DMY", False
    if any(n > 12 for n in seconds):
        return "MDY", False
    mdy, dmy = len(_MDY_WORDS_RE.findall(text)), len(_DMY_WORDS_RE.findall(text))
    return ("MDY" if mdy > dmy else "DMY"), True


# Words that put what follows them in the future (general English grammar): a weekday
# or a year-less date they govern is the next one, otherwise the last one.
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|going\s+to|(?:is|are)\s+to|plan(?:s|ned|ning)?|scheduled|"
    r"expected\s+to|set\s+to|would|until|as\s+(?:early|soon)\s+as)\b|'ll\b",
    re.IGNORECASE,
)
# Where the clause that holds a date begins: its tense is read between there and the
# date ("said Friday that he would" is a past Friday).
_CLAUSE = re.compile(r"[,;:()\"]|``|''|\b(?:that|who|which|and|but|after|before|since)\b")


# A past auxiliary within a few words after a date ("scheduled for Sunday was called
# off", "Until Tuesday, we had not") puts it in the past whatever came before.
_PAST_AFTER = re.compile(
    r"[\s,]*(?:(?:they|he|she|it|we|I|you)\s+)?(?:was|were|had)\b(?!\s+\w+ing\b)", re.IGNORECASE
)
# Where a clause ends after a date: a future marker there ("The March meeting will")
# tells the tense of a month named before its verb.
_CLAUSE_END = re.compile(_CLAUSE.pattern + r"|[.!?]")


def tense_of(text: str, left: int, start: int, end: int | None = None) -> str:
    """ "future" when a future marker stands between the start of the clause holding
    ``start`` (inside a sentence opening at ``left``) and ``start``, unless a past
    auxiliary follows the date (ending at ``end``) within a few words; else "past"."""
    clause = left
    for m in _CLAUSE.finditer(text, left, start):
        clause = m.end()
    if not _FUTURE.search(text, clause, start):
        return "past"
    if end is not None and _PAST_AFTER.match(text, end, end + 40):
        return "past"
    return "future"


def tense_after(text: str, end: int, right: int) -> str:
    """ "future" when a future marker follows a date (ending at ``end``) before its clause
    ends (at the latest at ``right``, the sentence's end); else "past"."""
    stop = _CLAUSE_END.search(text, end, right)
    return "future" if _FUTURE.search(text, end, stop.start() if stop else right) else "past"


class SentenceYears:
    """The years named in each sentence of ``text[lo:hi]``, found in one pass over the
    article: each look-up is a binary search, so an article with many dates is not
    rescanned for each of them."""

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.lo, self.hi = lo, hi
        stops = list(_SENTENCE_END_RE.finditer(text, lo, hi))
        self._stop_starts = [m.start() for m in stops]
        self._stop_ends = [m.end() for m in stops]
        years = list(_YEAR_RE.finditer(text, lo, hi))
        self._year_starts = [m.start() for m in years]
        self._years = [(m.end(), int(m.group())) for m in years]
        self._known: dict[tuple[int, int], int | None] = {}

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence around ``[start, end)``."""
        before = bisect_right(self._stop_ends, start)
        left = max(self.lo, self._stop_ends[before - 1]) if before else self.lo
        after = bisect_left(self._stop_starts, end)
        right = self._stop_starts[after] if after < len(self._stop_starts) else self.hi
        return left, right

    def year(self, start: int, end: int) -> int | None:
        """The one year named in the sentence around ``[start, end)``, if exactly one."""
        left, right = self.sentence(start, end)
        if (left, right) not in self._known:
            found = set()
            for i in range(bisect_left(self._year_starts, left), len(self._year_starts)):
                if self._year_starts[i] >= right:
                    break
                year_end, year = self._years[i]
                if year_end <= right:
                    found.add(year)
            self._known[(left, right)] = found.pop() if len(found) == 1 else None
        return self._known[(left, right)]


def _iso(value: dt.date, grain: str) -> str:
    return {
        "day": value.isoformat(),
        "month": value.strftime("%Y-%m"),
        "year": f"{value.year:04d}",
    }[grain]


def _relative_year(rel: str, base: dt.date) -> int:
    return base.year + {"last": -1, "this": 0, "next": 1}[rel.lower()]


def _day_value(
    day: str,
    month: str,
    year: str | None,
    rel: str | None,
    base: dt.date | None,
    ctx_year: int | None,
    tense: str | None = None,
) -> dt.date | None:
    if year:
        return parse_day(day, month, int(year))
    if rel and base:
        return parse_day(day, month, _relative_year(rel, base))
    if ctx_year and not _before_future(ctx_year, base, tense):
        return parse_day(day, month, ctx_year)
    if base:
        # A day in the past may still fall just after the article's own date (a digest
        # dated the day before the events it reports), so only the future is strict.
        strict = tense if tense == "future" else None
        return nearest_year(lambda y: parse_day(day, month, y), base, strict)
    return None


def _before_future(ctx_year: int, base: dt.date | None, tense: str | None) -> bool:
    """A year its sentence names that lies before the article's for a date told in the
    future ("which joined in 1997, will join on March 12") is another clause's year."""
    return tense == "future" and base is not None and ctx_year < base.year


def _holiday(
    name: str, rel: str | None, base: dt.date | None, ctx_year: int | None, tense: str | None
) -> dt.date | None:
    """The date of a named day: in the year its sentence names, else "last"/"next" or the
    tense relative to the article's date."""
    if ctx_year and not rel and not _before_future(ctx_year, base, tense):
        return date_of(name, ctx_year)
    if base is None:
        return None
    rel = (rel or "").lower()
    if rel == "last":
        return max(d for y in (base.year - 1, base.year) if (d := date_of(name, y)) and d < base)
    if rel == "next":
        return min(d for y in (base.year, base.year + 1) if (d := date_of(name, y)) and d > base)
    return nearest_year(lambda y: date_of(name, y), base, tense)


def _shift_months(base: dt.date, months: int) -> str:
    total = base.year * 12 + base.month - 1 + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(name: str, rel: str | None, base: dt.date, tense: str | None) -> dt.date:
    """The date of weekday ``name`` for an article of date ``base``: "last" is the one
    before ``base``, "next" the one after; otherwise the tense decides, the one on or
    before ``base`` for the past (news reports what has happened, so also without a
    tense), on or after it for the future."""
    back = (base.weekday() - _WEEKDAYS.index(name.lower())) % 7
    rel = (rel or "").lower()
    if rel == "last":
        return base - dt.timedelta(days=back or 7)
    if rel == "next" or tense == "future":
        ahead = (7 - back) % 7
        return base + dt.timedelta(days=ahead or (7 if rel == "next" else 0))
    return base - dt.timedelta(days=back)


def resolve(
    c: Candidate,
    base: dt.date | None,
    order: tuple[str, bool],
    ctx_year: int | None,
    previous: dt.date | None,
    tense: str | None = None,
    previous_year: int | None = None,
) -> Resolved | None:
    """Normalise one expression from its parts (``tense``: "past" or "future", of its
    sentence; ``previous``: the last day resolved before it, ``previous_year`` the year of
    the last date of any grain); None when it cannot be resolved."""
    p = c.parts
    kind = c.kind
    if kind in ("month_day", "day_month", "day_list", "weekday_date"):
        value = _day_value(p["d1"], p["m1"], p.get("y1"), p.get("rel"), base, ctx_year, tense)
        return Resolved(_iso(value, "day"), None, "day") if value else None
    if kind.startswith("range_"):
        m1, m2 = p.get("m1") or p["m2"], p.get("m2") or p["m1"]
        year = p.get("y1") or p.get("y2")
        start = _day_value(p["d1"], m1, year, None, base, ctx_year)
        if start is None:
            return None
        end_year = int(p["y2"]) if p.get("y2") else start.year
        end = parse_day(p["d2"], m2, end_year)
        if end is not None and end < start and not p.get("y2"):
            end = parse_day(p["d2"], m2, end_year + 1)
        if end is None or end < start:
            return None
        return Resolved(_iso(start, "day"), _iso(end, "day"), "day")
    if kind in ("month_year", "month_part_year"):
        value = parse_month(p["m1"], int(p["y1"]))
        return Resolved(_iso(value, "month"), None, "month") if value else None
    if kind == "year_range":
        end = int(p["y2"]) if len(p["y2"]) == 4 else int(p["y1"][:2] + p["y2"])
        return Resolved(p["y1"], f"{end:04d}", "year") if end > int(p["y1"]) else None
    if kind == "spelled_year":
        year = spelled_year(p["sy"])
        if year is None:
            return None
        if p.get("m1"):
            value = parse_month(p["m1"], year)
            return Resolved(_iso(value, "month"), None, "month") if value else None
        return Resolved(f"{year:04d}", None, "year")
    if kind == "holiday":
        value = _holiday(p["hol"], p.get("rel"), base, ctx_year, tense)
        return Resolved(_iso(value, "day"), None, "day") if value else None
    if kind in ("month", "month_attr"):
        if (p.get("rel") or p.get("this")) and base:  # "May last year", "this September"
            value = parse_month(p["m1"], _relative_year(p.get("rel") or "this", base))
            return Resolved(_iso(value, "month"), None, "month") if value else None
        if ctx_year and not _before_future(ctx_year, base, tense):
            value = parse_month(p["m1"], ctx_year)
        elif base:
            value = nearest_year(lambda y: parse_month(p["m1"], y), base, tense, month=True)
        else:
            return None
        return Resolved(_iso(value, "month"), None, "month") if value else None
    if kind == "iso":
        value = parse_full_date(f"{p['y1']}-{p['mo']}-{p['d1']}", "YMD")
        return Resolved(_iso(value, "day"), None, "day") if value else None
    if kind == "numeric":
        date_order, unsure = order
        value = parse_full_date(f"{p['a']}.{p['b']}.{p['c']}", date_order)
        ambiguous = unsure and int(p["a"]) <= 12 and int(p["b"]) <= 12 and p["a"] != p["b"]
        return Resolved(_iso(value, "day"), None, "day", ambiguous) if value else None
    if kind in ("year", "fiscal_year"):
        return Resolved(p["y1"], None, "year")
    if kind == "that_year" and (previous_year or base):
        year = previous_year or base.year
        shift = {"following": 1, "previous": -1, "preceding": -1}
        year += shift.get(p["rel"].split()[-1].lower(), 0)
        return Resolved(f"{year:04d}", None, "year")
    if base is None:
        return None
    if kind == "relative_day":
        shift = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[p["rel"].lower()]
        return Resolved(_iso(base + dt.timedelta(days=shift), "day"), None, "day")
    if kind == "same_day":
        return Resolved(_iso(previous or base, "day"), None, "day")
    if kind in ("weekday", "weekday_rel"):
        return Resolved(_iso(_weekday(p["wd"], p.get("rel"), base, tense), "day"), None, "day")
    if kind == "weekday_of":  # "Saturday's final": the nearest, before or after
        back = (base.weekday() - _WEEKDAYS.index(p["wd"].lower())) % 7
        shift = -back if back <= 7 - back else 7 - back
        return Resolved(_iso(base + dt.timedelta(days=shift), "day"), None, "day")
    if kind == "next_day":
        rel = (p.get("rel") or p.get("rel2") or "").lower()
        shift = -1 if rel in ("previous", "before") else 1
        return Resolved(_iso((previous or base) + dt.timedelta(days=shift), "day"), None, "day")
    if kind == "relative_month":
        shift = {"last": -1, "this": 0, "next": 1}[p["rel"].lower()]
        return Resolved(_shift_months(base, shift), None, "month")
    if kind == "relative_year":
        return Resolved(f"{_relative_year(p['rel'], base):04d}", None, "year")
    if kind == "fiscal_rel":
        shift = {"last": -1, "previous": -1, "next": 1}.get(p["rel"].lower(), 0)
        return Resolved(f"{base.year + shift:04d}", None, "year")
    if kind == "the_year":
        return Resolved(f"{ctx_year or base.year:04d}", None, "year")
    if kind == "year_earlier":
        return Resolved(f"{base.year - 1:04d}", None, "year")
    if kind == "ago":
        n = 1 if p["n"].lower() in ("a", "an") else number_value(p["n"])
        if not n:
            return None
        unit = p["unit"].lower()
        if unit == "year":
            return Resolved(f"{base.year - n:04d}", None, "year")
        if unit == "month":
            return Resolved(_shift_months(base, -n), None, "month")
        days = n * (7 if unit == "week" else 1)
        return Resolved(_iso(base - dt.timedelta(days=days), "day"), None, "day")
    return None


def article_dates(text: str, art: dict, order: tuple[str, bool]) -> list[dict]:
    """The date expressions of one article: resolved, or (``value`` None) with the
    ``reason`` they could not be."""
    base = art["published"]
    lo, hi = art["doc_start"], art["doc_end"]
    out: list[dict] = []
    previous: dt.date | None = None
    previous_year: int | None = None
    years = SentenceYears(text, lo, hi)
    for c in find_dates(text, lo, hi):
        ctx_year = years.year(c.start, c.end)
        left, right = years.sentence(c.start, c.end)
        tense = tense_of(text, left, c.start, c.end)
        if tense == "past" and c.kind in ("month", "month_attr"):
            tense = tense_after(text, c.end, right)
        found = resolve(c, base, order, ctx_year, previous, tense, previous_year)
        if found is None and base is None:
            found = Resolved(None, None, None, reason=NO_BASE)
        if found is None:
            continue
        if found.value is not None:
            previous_year = int(found.value[:4])
        if found.grain == "day":
            previous = dt.date.fromisoformat(found.value)
        out.append(
            {
                "date_id": content_id(art["article_id"], c.start, c.end),
                "article_id": art["article_id"],
                "doc_id": art["doc_id"],
                "path": art["path"],
                "doc_start": c.start,
                "doc_end": c.end,
                "text": text[c.start : c.end],
                "value": found.value,
                "end_value": found.end_value,
                "grain": found.grain,
                "kind": c.kind,
                "ambiguous": found.ambiguous,
                "base": base,
                "method": "pattern",
                "reason": found.reason,
            }
        )
    return out
