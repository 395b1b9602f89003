"""Find date expressions: patterns for the forms news text uses, with named parts, so
each expression is later normalised from its own parts (never by searching a whole text).

Forms: full and year-less dates in both orders ("February 26, 2015", "26 February",
"25th February, 1992"), day lists ("20, 23 February"), ranges ("February 19-23, 2009",
"25-26 February 2009", "Feb. 25 to Feb. 26, 1992", "from the 19th to 20th of November
2009", "19 February – 4 March 2009", "February 19 up to March 4"), month and year,
months after a preposition, a month with a part of the day and a year ("one June evening
in 2003"), numeric dates ("13.02.17", "26/02/2015", "2015-02-26"),
bare years in date context, weekdays ("Friday", "last Friday", "Friday, Oct. 23"), and
relative expressions ("today", "the same day", "the next day", "last month", "last
year", "17 years ago").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

# Full month names, then abbreviations, which alone may carry a dot ("Feb. 26"; the full
# stop after "26 March." ends the sentence, not the date).
_M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_D = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?:1[89]\d\d|20\d\d)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY_PARTS = r"night|morning|afternoon|evening|day|weekend"
_RANGE = r"\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b|\bthrough\b|\bup\s+to\b)\s*"
_NUM_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
]
_NUMBER = (
    r"(?:\d{1,3}|(?:" + "|".join(_NUM_WORDS) + r")(?:[\s-]+(?:" + "|".join(_NUM_WORDS) + r"))*)"
)

_PATTERNS: dict[str, str] = {
    "range_md_md": rf"(?P<m1>{_M})\s+(?P<d1>{_D})(?:,?\s+(?P<y1>{_Y}))?{_RANGE}(?:the\s+)?"
    rf"(?P<m2>{_M})\s+(?P<d2>{_D})\b(?:,?\s+(?P<y2>{_Y}))?",
    "range_dm_dm": rf"(?P<d1>{_D})\s+(?P<m1>{_M})(?:\s+(?P<y1>{_Y}))?{_RANGE}"
    rf"(?P<d2>{_D})\s+(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?",
    "range_md_d": rf"(?P<m1>{_M})\s+(?P<d1>{_D}){_RANGE}(?P<d2>{_D})\b(?:,?\s+(?P<y2>{_Y}))?",
    "range_d_dm": rf"(?:the\s+)?(?P<d1>{_D}){_RANGE}(?:the\s+)?(?P<d2>{_D})(?:\s+of)?\s+"
    rf"(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?",
    "day_list": rf"(?P<list>{_D}(?:,\s*{_D})+)\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?",
    "month_day": rf"(?P<m1>{_M})\s+(?P<d1>{_D})\b(?:,?\s+(?P<y1>{_Y}))?"
    r"(?:\s+(?P<rel>last|this|next)\s+year)?",
    "day_month": rf"(?P<d1>{_D})(?:\s+of)?\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?"
    r"(?:\s+(?P<rel>last|this|next)\s+year)?",
    "month_year": rf"(?P<m1>{_M})(?:,|\s+of)?\s+(?P<y1>{_Y})",
    # "one June evening in 2003", "a cold March morning of 2011": one expression, month grain
    "month_part_year": rf"(?P<m1>{_M})\s+(?:{_DAY_PARTS})\s+(?:in|of)\s+(?P<y1>{_Y})\b",
    "month": rf"\b(?:in|of|since|until|from|during|early|late|mid|last|next)\s+(?P<m1>{_M})\b"
    rf"(?!\s+{_D}\b)",
    "iso": rf"(?P<y1>{_Y})-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)",
    "numeric": r"(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<c>(?:19|20)?\d\d)",
    "year": rf"(?:\b(?:in|since|from|until|till|of|by|to|and|during|year|early|late|mid|"
    rf"before|after|spring|summer|autumn|winter|fall)\s+|[(–-])(?P<y1>{_Y})\b"
    rf"(?!\s*(?:-|–)\s*\d|\s*[./]\d|\s*(?:GMT|UTC|[ECMP][SD]T|BST|CET|hours|hrs|local\s+time)\b)",
    "weekday_date": rf"(?P<wd>{_WD}),?\s+(?P<m1>{_M})\s+(?P<d1>{_D})\b(?:,?\s+(?P<y1>{_Y}))?",
    "weekday_rel": rf"\b(?P<rel>last|this|next)\s+(?P<wd>{_WD})\b",
    "weekday": rf"\b(?P<wd>{_WD})\b",
    "relative_month": r"\b(?P<rel>last|this|next)\s+month\b",
    "next_day": r"\b(?:the\s+)?(?P<rel>next|following|previous)\s+day\b|"
    r"\bthe\s+day\s+(?P<rel2>before|after)\b(?!\s+(?:yesterday|today|tomorrow|[A-Z]))",
    "relative_day": r"\b(?P<rel>today|yesterday|tomorrow|tonight)\b",
    "same_day": r"\b(?P<rel>(?:the\s+)?same\s+day|that\s+day)\b",
    "relative_year": r"\b(?P<rel>last|this|next)\s+year\b",
    "years_ago": rf"\b(?P<n>{_NUMBER})\s+years?\s+ago\b",
}
# Patterns that open with a month or a weekday name skip every other position at once.
_OPENS_WITH = {
    "range_md_md": "[JFMASONDjfmasond]",
    "range_md_d": "[JFMASONDjfmasond]",
    "month_day": "[JFMASONDjfmasond]",
    "month_year": "[JFMASONDjfmasond]",
    "month_part_year": "[JFMASONDjfmasond]",
    "weekday_date": "[MTWFSmtwfs]",
    "weekday": "[MTWFSmtwfs]",
}
_COMPILED = {
    k: re.compile(f"(?={_OPENS_WITH[k]}){v}" if k in _OPENS_WITH else v, re.IGNORECASE)
    for k, v in _PATTERNS.items()
}
# Every date expression holds one of these: a digit, a month or weekday name, or a word
# of the relative forms. Patterns run only near them.
_TRIGGER = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"today|yesterday|tomorrow|tonight|day|year|month|ago)",
    re.IGNORECASE,
)
_REACH = 80  # characters a date expression may run before or after its trigger
_PART_ONLY = {"month": "m1", "year": "y1"}
# Where a bare year is a count ("more than 2000 people"), not a date.
_COUNT_BEFORE = re.compile(r"(?:more\s+than|over|about|nearly|some|around|than)\s+$", re.I)
_COUNT_WINDOW = 15  # characters before a year searched for such a word


@dataclass(frozen=True)
class Candidate:
    """One date expression found by a pattern: its span (offsets into the text searched),
    the pattern's name, and the named parts it matched."""

    start: int
    end: int
    kind: str
    parts: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def _month_ok(m: re.Match[str]) -> bool:
    """Month and weekday names must be capitalised ("May 20", never "may 20")."""
    return all(m.group(g)[0].isupper() for g in ("m1", "m2", "wd") if m.groupdict().get(g))


def _day_list(m: re.Match[str]) -> list[Candidate]:
    """ "20, 23 February": two dates, each day with the month that follows the list."""
    out = []
    for day in re.finditer(_D, m.group("list")):
        start = m.start("list") + day.start()
        end = m.end() if day.end() == len(m.group("list")) else m.start("list") + day.end()
        parts = {"d1": day.group(0), "m1": m.group("m1")}
        if m.group("y1"):
            parts["y1"] = m.group("y1")
        out.append(Candidate(start, end, "day_list", parts))
    return out


def _windows(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The stretches of ``text[lo:hi]`` within reach of a trigger, merged."""
    out: list[tuple[int, int]] = []
    for m in _TRIGGER.finditer(text, lo, hi):
        start, end = max(lo, m.start() - _REACH), min(hi, m.end() + _REACH)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _matches(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]):
    """The pattern's matches inside the windows, as a scan of the whole stretch would
    find them (a match never runs past its window: windows reach beyond every trigger)."""
    last = -1
    for start, end in windows:
        for m in pattern.finditer(text, max(start, last), end):
            last = m.end()
            yield m


def find_dates(text: str, lo: int = 0, hi: int | None = None) -> list[Candidate]:
    """Every date expression in ``text[lo:hi]``, longest first where they overlap."""
    hi = len(text) if hi is None else hi
    found: list[Candidate] = []
    windows = _windows(text, lo, hi)
    for kind, pattern in _COMPILED.items():
        for m in _matches(pattern, text, windows):
            if not _month_ok(m):
                continue
            before = text[max(lo, m.start() - _COUNT_WINDOW) : m.start()]
            if kind == "year" and _COUNT_BEFORE.search(before):
                continue
            if kind == "day_list":
                found.extend(_day_list(m))
                continue
            parts = {k: v for k, v in m.groupdict().items() if v}
            start, end = m.span()
            if kind in _PART_ONLY:  # the preposition before is context, not the date
                start, end = m.span(_PART_ONLY[kind])
            found.append(Candidate(start, end, kind, parts))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    # The kept spans never overlap, so their ends rise with their starts: a candidate
    # overlaps one of them only if it overlaps the last one starting before its end.
    kept: list[Candidate] = []
    starts: list[int] = []
    ends: list[int] = []
    for c in found:
        at = bisect_left(starts, c.end)
        if at and ends[at - 1] > c.start:
            continue
        kept.append(c)
        starts.insert(at, c.start)
        ends.insert(at, c.end)
    return sorted(kept, key=lambda c: c.start)


def number_value(text: str) -> int | None:
    """ "17" -> 17, "Twenty one" -> 21, "twenty-five" -> 25."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    values = {w: i + 1 for i, w in enumerate(_NUM_WORDS[:19])}
    values |= {w: 20 + 10 * i for i, w in enumerate(_NUM_WORDS[19:27])}
    total = 0
    for word in re.split(r"[\s-]+", text):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in values:
            total += values[word]
        else:
            return None
    return total or None
