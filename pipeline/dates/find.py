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

from pipeline.dates.named_days import HOLIDAY_NAMES, HOLIDAY_NAMES_LIST, is_short_form

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
# A year spelled out as broadcast transcripts write it: a century word and a number
# below a hundred ("nineteen ninety-six", "nineteen oh five", "eighteen hundred"), or
# "two thousand (and) X". :func:`spelled_year` reads it by the same grammar.
_UNITS = "|".join(_NUM_WORDS[:9])
_BELOW_100 = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:{_UNITS}))?|"
    + "|".join(_NUM_WORDS[9:19])
    + r")"
)
_SPELLED_YEAR = (
    rf"(?:(?:eighteen|nineteen|twenty)[\s-]+(?:{_BELOW_100}|hundred|oh[\s-]+(?:{_UNITS}))|"
    rf"two\s+thousand(?:(?:\s+and)?[\s-]+(?:{_BELOW_100}|{_UNITS}))?)(?![\s-]+(?:{_UNITS}))"
)
# Nouns that make the number before them a count or a measure ("the 2000 people", "a
# 1500 metres race"), not a year.
_COUNTED = (
    r"(?:people|persons|men|women|children|troops|soldiers|police|officers|workers|jobs|"
    r"votes|voters|shares|members|units|cars|homes|houses|points|runs|yards|metres|meters|"
    r"kilometres|kilometers|km|miles|feet|tons|tonnes|pounds|dollars|euros|yen|barrels|"
    r"acres|hectares|calories|words|pages|copies|hours|minutes|seconds|GMT|UTC|BST|CET)"
)
# Determiners and possessives before a year used as a modifier ("the 1976 statute").
_DETERMINER = r"(?:the|a|an|its|his|her|their|our|this|that|[’']s)"

_PATTERNS: dict[str, str] = {
    "range_md_md": rf"(?P<m1>{_M})\s+(?P<d1>{_D})(?:,?\s+(?P<y1>{_Y}))?{_RANGE}(?:the\s+)?"
    rf"(?P<m2>{_M})\s+(?P<d2>{_D})\b(?:,?\s+(?P<y2>{_Y}))?",
    "range_dm_dm": rf"(?P<d1>{_D})\s+(?P<m1>{_M})(?:\s+(?P<y1>{_Y}))?{_RANGE}"
    rf"(?P<d2>{_D})\s+(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?",
    "range_md_d": rf"(?P<m1>{_M})\s+(?P<d1>{_D}){_RANGE}(?P<d2>{_D})\b(?:,?\s+(?P<y2>{_Y}))?",
    "range_d_dm": rf"(?:the\s+)?(?P<d1>{_D}){_RANGE}(?:the\s+)?(?P<d2>{_D})(?:\s+of)?\s+"
    rf"(?P<m2>{_M})(?:,?\s+(?P<y2>{_Y}))?",
    "day_list": rf"(?P<list>{_D}(?:,\s*{_D})+)\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?",
    # "June 11 and 12" (d2) is two dates, split by :func:`_day_and`
    "month_day": rf"(?P<m1>{_M})\s+(?P<d1>{_D})\b(?:\s+(?:and|&)\s+(?P<d2>{_D})\b"
    rf"(?!\s*(?:%|percent|per\s+cent|{_COUNTED}\b)))?(?:,?\s+(?P<y1>{_Y}))?"
    r"(?:\s+(?P<rel>last|this|next)\s+year)?",
    "day_month": rf"(?P<d1>{_D})(?:\s+of)?\s+(?P<m1>{_M})(?:,?\s+(?P<y1>{_Y}))?"
    r"(?:\s+(?P<rel>last|this|next)\s+year)?",
    "month_year": rf"(?P<m1>{_M})(?:,|\s+of)?\s+(?P<y1>{_Y})",
    # "one June evening in 2003", "a cold March morning of 2011": one expression, month grain
    "month_part_year": rf"(?P<m1>{_M})\s+(?:{_DAY_PARTS})\s+(?:in|of)\s+(?P<y1>{_Y})\b",
    "month": rf"\b(?:in|of|since|until|till|from|during|early|late|mid|last|next|(?P<this>this)|"
    rf"by|before|after|through|throughout|between)[\s-]+(?P<m1>{_M})\b(?!\s+{_D}\b)"
    r"(?:\s+(?P<rel>last|this|next)\s+year\b)?",
    # "the October slaying": a month that modifies a noun ("May" is too often a name)
    "month_attr": r"\bthe\s+(?P<m1>January|February|March|April|June|July|August|September|"
    r"October|November|December)\s+(?=[a-z])",
    "iso": rf"(?P<y1>{_Y})-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)",
    "numeric": r"(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<c>(?:19|20)?\d\d)",
    "year_range": rf"(?P<y1>{_Y})\s*(?:-|–|—)\s*(?P<y2>{_Y}|\d\d)\b(?!\s*[-–/.]\s*\d)",
    "fiscal_year": rf"\bfiscal(?:\s+year)?\s+(?P<y1>{_Y})\b",
    "fiscal_rel": r"\b(?:the\s+)?(?P<rel>current|last|next|previous|this)\s+fiscal\s+year\b",
    "spelled_year": rf"\b(?:(?:the\s+)?year\s+|(?P<m1>{_M})\s+)?(?P<sy>{_SPELLED_YEAR})\b"
    rf"(?!\s+{_COUNTED}\b)",
    # a year after a preposition or a season, or as a modifier after a determiner ("the
    # 1976 statute": a word must follow, and not one that makes it a count)
    "year": rf"(?:\b(?:in|since|from|until|till|of|by|to|and|between|during|year|early|late|mid|"
    rf"before|after|spring|summer|autumn|winter|fall)\s+|[(–-]|(?P<det>(?:\b|(?<=[’']s))"
    rf"{_DETERMINER}\s+))(?P<y1>{_Y})\b(?(det)(?=\s+[A-Za-z]))(?!\s+{_COUNTED}\b)"
    rf"(?!\s*(?:-|–)\s*\d|\s*[./]\d|\s*(?:GMT|UTC|[ECMP][SD]T|BST|CET|hours|hrs|local\s+time)\b)",
    "holiday": rf"\b(?P<hol>{HOLIDAY_NAMES})(?![\w’'])",
    "weekday_date": rf"(?P<wd>{_WD}),?\s+(?P<m1>{_M})\s+(?P<d1>{_D})\b(?:,?\s+(?P<y1>{_Y}))?",
    "weekday_rel": rf"\b(?P<rel>last|this|next)\s+(?P<wd>{_WD})\b",
    "weekday_of": rf"\b(?P<wd>{_WD})(?=[’']s\b)",
    "weekday": rf"\b(?P<wd>{_WD})\b",
    "relative_month": r"\b(?P<rel>last|this|next)\s+month\b",
    "next_day": r"\b(?:the\s+)?(?P<rel>next|following|previous)\s+day\b|"
    r"\bthe\s+day\s+(?P<rel2>before|after)\b(?!\s+(?:yesterday|today|tomorrow|[A-Z]))",
    "relative_day": r"\b(?P<rel>today|yesterday|tomorrow|tonight)\b",
    "same_day": r"\b(?P<rel>(?:the\s+)?same\s+day|that\s+day)\b",
    "relative_year": r"(?<!the\s)\b(?P<rel>last|this|next)\s+year\b",
    # "later that year", "the following year": the year of the narrative (the last date
    # before them); "the end of the year", "year-end": the year of the sentence or article
    "that_year": r"\b(?:(?:earlier|later)\s+(?:in\s+)?)?(?P<rel>that|the\s+following|"
    r"the\s+previous|the\s+preceding)\s+year\b(?!\s+(?:old|olds)\b)",
    "the_year": r"\b(?:(?:earlier|later)\s+in\s+the\s+year|the\s+(?:end|start|beginning|"
    r"middle|rest|first\s+half|second\s+half)\s+of\s+the\s+year|the\s+(?:full|current)\s+"
    r"year|year[-\s]end)\b",
    "ago": rf"\b(?P<n>{_NUMBER}|a|an)\s+(?P<unit>year|month|week|day)s?\s+ago\b",
    "year_earlier": r"\b(?:a|one)\s+year\s+(?:earlier|before)\b",
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
    "weekday_of": "[MTWFSmtwfs]",
    "the_year": "[ELTYelty]",
    "that_year": "[ELTelt]",
    "year_earlier": "[AOao]",
    "month_attr": "[Tt]",
    "relative_year": "[LTNltn]",
    "relative_month": "[LTNltn]",
    "relative_day": "[TYty]",
    "same_day": "[TSts]",
    "weekday_rel": "[LTNltn]",
    "spelled_year": "[JFMASONDETYjfmasondety]",
    "holiday": "["
    + "".join(sorted({c for n in HOLIDAY_NAMES_LIST for c in (n[0], n[0].lower())}))
    + "]",
}
# Words a pattern cannot match without: it runs only on texts that hold one of them.
_NEEDS = {
    "ago": ("ago",),
    "spelled_year": ("eighteen", "nineteen", "twenty", "thousand"),
    "fiscal_year": ("fiscal",),
    "fiscal_rel": ("fiscal",),
    "that_year": ("year",),
    "the_year": ("year",),
    "year_earlier": ("year",),
}
# Before a named day: "last"/"this"/"next" (part of the date), or a preposition.
_HOLIDAY_REL = re.compile(r"\b(last|this|next)\s+$", re.IGNORECASE)
_HOLIDAY_PREP = re.compile(
    r"\b(?:in|on|at|before|after|since|until|till|by|over|around|during|from|through)\s+$",
    re.IGNORECASE,
)
_COMPILED = {
    k: re.compile(f"(?={_OPENS_WITH[k]}){v}" if k in _OPENS_WITH else v, re.IGNORECASE)
    for k, v in _PATTERNS.items()
}
# Every date expression holds one of these: a digit, a month or weekday name, or a word
# of the relative forms. Patterns run only near them.
_TRIGGER = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"today|yesterday|tomorrow|tonight|day|year|month|ago|eighteen|nineteen|twenty|thousand|"
    r"thanksgiving|christmas|easter|new\s+year|good\s+friday|fiscal)",
    re.IGNORECASE,
)
_REACH = 80  # characters a date expression may run before or after its trigger
_PART_ONLY = {"month": "m1", "month_attr": "m1", "year": "y1"}
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


def _day_and(m: re.Match[str]) -> list[Candidate]:
    """ "June 11 and 12": two dates, the second day with the first's month."""
    year = {"y1": m.group("y1")} if m.group("y1") else {}
    first = Candidate(
        m.start(), m.end("d1"), "month_day", {"d1": m.group("d1"), "m1": m.group("m1")} | year
    )
    second = Candidate(
        m.start("d2"), m.end(), "month_day", {"d1": m.group("d2"), "m1": m.group("m1")} | year
    )
    return [first, second]


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
    lower = text[lo:hi].lower()
    for kind, pattern in _COMPILED.items():
        if kind in _NEEDS and not any(word in lower for word in _NEEDS[kind]):
            continue
        for m in _matches(pattern, text, windows):
            if not _month_ok(m):
                continue
            before = text[max(lo, m.start() - _COUNT_WINDOW) : m.start()]
            if kind == "year" and _COUNT_BEFORE.search(before):
                continue
            if kind == "day_list":
                found.extend(_day_list(m))
                continue
            if kind == "month_day" and m.group("d2"):
                found.extend(_day_and(m))
                continue
            parts = {k: v for k, v in m.groupdict().items() if v}
            start, end = m.span()
            if kind == "holiday":
                # "Christmas" alone is a date after a preposition or "last"/"next", not
                # in "a Christmas card"
                before = text[max(lo, start - 12) : start]
                if rel := _HOLIDAY_REL.search(before):
                    parts["rel"] = rel.group(1)
                    start -= len(before) - rel.start()
                elif is_short_form(parts["hol"]) and not _HOLIDAY_PREP.search(before):
                    continue
            if kind in _PART_ONLY:  # the preposition before is context, not the date
                start, end = m.span(_PART_ONLY[kind])
                end = m.end() if parts.get("rel") else end  # "October this year"
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


def spelled_year(text: str) -> int | None:
    """ "nineteen ninety-six" -> 1996, "nineteen oh five" -> 1905, "eighteen hundred" ->
    1800, "two thousand and one" -> 2001: a century and a number below a hundred, or two
    thousand and one."""
    words = re.split(r"[\s-]+", text.strip().lower())
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return 2000 + (number_value(" ".join(rest)) or 0 if rest else 0)
    century = number_value(words[0])
    if century is None or len(words) < 2:
        return None
    if words[1:] == ["hundred"]:
        return century * 100
    rest = words[2:] if words[1] == "oh" else words[1:]
    below = number_value(" ".join(rest))
    return century * 100 + below if below is not None and below < 100 else None
