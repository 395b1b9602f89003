"""Date finding and normalisation, on sentences written for the test."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pipeline.config import DatesConfig
from pipeline.core.dateparse import nearest_year, parse_day, parse_full_date, parse_month
from pipeline.core.engine import LocalEngine
from pipeline.dates.extract import confirm, dates
from pipeline.dates.find import find_dates, number_value
from pipeline.dates.resolve import NO_BASE, article_dates, numeric_order
from pipeline.tables import DATES

BASE = dt.date(2009, 2, 28)


def _dates(text: str, base: dt.date | None = BASE, order=("DMY", False)):
    art = {
        "article_id": "a",
        "doc_id": "d",
        "path": "p",
        "doc_start": 0,
        "doc_end": len(text),
        "published": base,
    }
    return [
        (r["text"], r["value"], r["end_value"], r["grain"]) for r in article_dates(text, art, order)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It opened on February 26, 2015 in Oslo.",
            ("February 26, 2015", "2015-02-26", None, "day"),
        ),
        ("It opened on 8 May 2008 in Oslo.", ("8 May 2008", "2008-05-08", None, "day")),
        ("It happened on 14th March, 1987.", ("14th March, 1987", "1987-03-14", None, "day")),
        ("Tromso, Norway, Feb. 26", ("Feb. 26", "2009-02-26", None, "day")),
        ("Bergen, February 25. A market opened.", ("February 25", "2009-02-25", None, "day")),
        (
            "Held February 19-23, 2009 in Egypt.",
            ("February 19-23, 2009", "2009-02-19", "2009-02-23", "day"),
        ),
        (
            "Held 25-26 February 2009 in Oslo.",
            ("25-26 February 2009", "2009-02-25", "2009-02-26", "day"),
        ),
        ("Held Feb. 25-26 2009 in Oslo.", ("Feb. 25-26 2009", "2009-02-25", "2009-02-26", "day")),
        (
            "on the weekend of March 14 to 15, 1987 it snowed",
            ("March 14 to 15, 1987", "1987-03-14", "1987-03-15", "day"),
        ),
        (
            "from the 19th to 20th of November 2009 there",
            ("the 19th to 20th of November 2009", "2009-11-19", "2009-11-20", "day"),
        ),
        (
            "Fair, 11 February – 3 March 2009 – books",
            ("11 February – 3 March 2009", "2009-02-11", "2009-03-03", "day"),
        ),
        (
            "from February 11 up to March 3 during the fair",
            ("February 11 up to March 3", "2009-02-11", "2009-03-03", "day"),
        ),
        ("Since February 1992 nothing changed.", ("February 1992", "1992-02", None, "month")),
        ("It began in 2008, they said.", ("2008", "2008", None, "year")),
        ("Date: 13.02.17, 17:58", ("13.02.17", "2017-02-13", None, "day")),
        ("filed 26/02/2015 and", ("26/02/2015", "2015-02-26", None, "day")),
        ("filed 2015-02-26 and", ("2015-02-26", "2015-02-26", None, "day")),
        ("Today we remember them.", ("Today", "2009-02-28", None, "day")),
        ("Yesterday it rained.", ("Yesterday", "2009-02-27", None, "day")),
        ("That was last year.", ("last year", "2008", None, "year")),
        ("It happened 17 years ago.", ("17 years ago", "1992", None, "year")),
        ("Thirty two years ago it opened.", ("Thirty two years ago", "1977", None, "year")),
        (
            "They met one June evening in 2003 by the lake.",
            ("June evening in 2003", "2003-06", None, "month"),
        ),
        ("It opened on July 1 last year.", ("July 1 last year", "2008-07-01", None, "day")),
    ],
)
def test_each_form_normalises(text, expected):
    assert _dates(text) == [expected]


def test_day_lists_are_separate_dates():
    assert _dates("Los Angeles, 20, 23 February - a conference") == [
        ("20", "2009-02-20", None, "day"),
        ("23 February", "2009-02-23", None, "day"),
    ]


def test_same_day_takes_the_date_before_it():
    assert _dates("On March 3, 1987 the ferry sank. On that day many waited.") == [
        ("March 3, 1987", "1987-03-03", None, "day"),
        ("that day", "1987-03-03", None, "day"),
    ]


def test_yearless_date_in_early_january_belongs_to_previous_december():
    assert _dates("The concert on December 28 was full.", base=dt.date(2010, 1, 5)) == [
        ("December 28", "2009-12-28", None, "day")
    ]


def test_yearless_date_takes_the_year_its_sentence_names():
    assert _dates("In 1987, on the weekend of March 14 to 15 the river froze.")[1] == (
        "March 14 to 15",
        "1987-03-14",
        "1987-03-15",
        "day",
    )


def test_dates_that_need_the_article_date_have_no_value_without_one():
    text = "Today we remember. On Feb. 26 they met. They parted in 2004."
    assert _dates(text, base=None) == [
        ("Today", None, None, None),
        ("Feb. 26", None, None, None),
        ("2004", "2004", None, "year"),
    ]
    art = {"article_id": "a", "doc_id": "d", "path": "p", "doc_start": 0, "doc_end": len(text)}
    reasons = [r["reason"] for r in article_dates(text, art | {"published": None}, ("DMY", 0))]
    assert reasons == [NO_BASE, NO_BASE, None]


def test_undated_articles_put_their_yearless_dates_in_unresolved_dates():
    text = "Rail fares rise\n\nFares will rise on 15 March. They last rose in 2004.\n"
    docs = pa.Table.from_pylist([{"doc_id": "d", "text": text}])
    arts = pa.Table.from_pylist(
        [
            {
                "article_id": "a",
                "doc_id": "d",
                "path": "fares.txt",
                "doc_start": 0,
                "doc_end": len(text),
                "published": None,
            }
        ],
        schema=pa.schema(
            [(k, pa.string()) for k in ("article_id", "doc_id", "path")]
            + [("doc_start", pa.int64()), ("doc_end", pa.int64()), ("published", pa.date32())]
        ),
    )
    found, unresolved, errors = dates(docs, arts, DatesConfig(), LocalEngine(1))
    assert errors == []
    assert found.column("text").to_pylist() == ["2004"]
    assert unresolved.select(["doc_start", "doc_end", "text", "kind"]).to_pylist() == [
        {"doc_start": 36, "doc_end": 44, "text": "15 March", "kind": "day_month"}
    ]


@pytest.mark.parametrize(
    "text",
    [
        "more than two decades have elapsed",
        "the 23rd anniversary of the tragedy",
        "a boy aged 12 and 30,000 lives",
        "at 17:41 the meeting began",
        "more than 2000 people came",
        "it may 20 times be said",
        "went to 25 places in the 20th century",
    ],
)
def test_non_dates_are_not_extracted(text):
    assert find_dates(text) == []


def test_numeric_order_is_detected_per_document():
    assert numeric_order("Filed 26.02.2015 and 05.03.2015.") == ("DMY", False)
    assert numeric_order("Filed 02/26/2015 and 05/03/2015.") == ("MDY", False)
    assert numeric_order("Filed 05.03.2015, on February 4, 2015.") == ("MDY", True)
    mdy = _dates("Filed 05/03/2015.", order=("MDY", False))
    dmy = _dates("Filed 05/03/2015.", order=("DMY", False))
    assert mdy[0][1] == "2015-05-03" and dmy[0][1] == "2015-03-05"


def test_ambiguous_numeric_dates_are_flagged():
    art = {
        "article_id": "a",
        "doc_id": "d",
        "path": "p",
        "doc_start": 0,
        "doc_end": 20,
        "published": BASE,
    }
    (row,) = article_dates("Filed 05.03.2015 ok", art, ("DMY", True))
    assert row["ambiguous"] is True
    (row,) = article_dates("Filed 25.03.2015 ok", art, ("DMY", True))
    assert row["ambiguous"] is False


# dateparser pitfalls (from its issue tracker), each pinned:
def test_missing_day_is_the_first_not_today():
    assert parse_month("July", 2015) == dt.date(2015, 7, 1)


def test_yearless_resolution_ignores_the_current_date():
    got = nearest_year(lambda y: parse_day("28", "December", y), dt.date(2010, 1, 5))
    assert got == dt.date(2009, 12, 28)


def test_parses_do_not_depend_on_order_or_other_locales():
    first = parse_full_date("13.02.17")
    assert parse_full_date("1 février 2017") is None  # English only
    assert parse_full_date("13.02.17") == first == dt.date(2017, 2, 13)


def test_number_words():
    assert number_value("Twenty one") == 21
    assert number_value("twenty-five") == 25
    assert number_value("17") == 17


def test_model_date_spans_confirm_pattern_dates():
    art = {
        "article_id": "a",
        "doc_id": "d",
        "path": "p",
        "doc_start": 0,
        "doc_end": 40,
        "published": BASE,
    }
    rows = article_dates("On 8 May 2008 and in 2009 it grew.", art, ("DMY", False))
    for r in rows:
        r |= {"date_id": "x", "base": BASE}
    found = pa.Table.from_pylist(rows, schema=DATES.schema)
    model = pa.table({"article_id": ["a"], "doc_start": [3], "doc_end": [13]})
    assert confirm(found, model).column("method").to_pylist() == ["pattern+model", "pattern"]


FRIDAY = dt.date(2011, 3, 4)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor spoke on Tuesday about the bridge.", ("Tuesday", "2011-03-01")),
        ("The mayor will speak on Tuesday about the bridge.", ("Tuesday", "2011-03-08")),
        ("The council met Friday in the town hall.", ("Friday", "2011-03-04")),
        ("The council met last Friday in the town hall.", ("last Friday", "2011-02-25")),
        ("The council meets next Monday in the town hall.", ("next Monday", "2011-03-07")),
        ("The mayor said Monday that she would resign.", ("Monday", "2011-02-28")),
        ("Workers planned to strike on Wednesday at the port.", ("Wednesday", "2011-03-09")),
        (
            "The report came out on Tuesday, March 1, 2011 at noon.",
            ("Tuesday, March 1, 2011", "2011-03-01"),
        ),
    ],
)
def test_weekdays_resolve_by_tense(text, expected):
    found = _dates(text, FRIDAY)
    assert [(t, v) for t, v, _, _ in found] == [expected]


def test_months_without_a_year_resolve_by_tense():
    base = dt.date(1998, 10, 15)
    assert _dates("In January the plant closed.", base) == [("January", "1998-01", None, "month")]
    assert _dates("The plant will reopen in January.", base) == [
        ("January", "1999-01", None, "month")
    ]


def test_relative_months_and_the_next_day():
    base = dt.date(1998, 10, 15)
    assert _dates("Prices rose last month and will fall next month.", base) == [
        ("last month", "1998-09", None, "month"),
        ("next month", "1998-11", None, "month"),
    ]
    assert _dates("The ship sank on 3 May 1998. The next day divers arrived.", base) == [
        ("3 May 1998", "1998-05-03", None, "day"),
        ("The next day", "1998-05-04", None, "day"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The talks resumed in spring.",  # a season
        "Sales grew in the third quarter.",  # a quarter
        "Music changed in the 1990s.",  # a decade
        "The strike lasted three days.",  # a duration
        "The ferry leaves at 2000 GMT on weekdays.",  # a time, not a year
    ],
)
def test_other_grains_are_never_a_day(text):
    assert all(grain != "day" for _, _, _, grain in _dates(text, FRIDAY))
    assert not any(v.startswith("2000") for _, v, _, _ in _dates(text, FRIDAY))


def test_a_time_is_not_the_year_of_a_yearless_date():
    found = _dates("The ferry left at 2000 GMT on 3 March, the port said.", dt.date(2011, 3, 4))
    assert found == [("3 March", "2011-03-03", None, "day")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # relative years and periods (article of 2009-02-28)
        ("Profit rose from 4.1m a year earlier.", [("a year earlier", "2008", None, "year")]),
        ("The mill shut a year ago.", [("a year ago", "2008", None, "year")]),
        ("The shop opened a month ago.", [("a month ago", "2009-01", None, "month")]),
        ("The rule came in five months ago.", [("five months ago", "2008-09", None, "month")]),
        ("The ferry sank two weeks ago.", [("two weeks ago", "2009-02-14", None, "day")]),
        ("The ferry sank 10 days ago.", [("10 days ago", "2009-02-18", None, "day")]),
        (
            "Sales will recover by the end of the year.",
            [("the end of the year", "2009", None, "year")],
        ),
        ("Sales fell earlier in the year.", [("earlier in the year", "2009", None, "year")]),
        ("Growth for the full year was slow.", [("the full year", "2009", None, "year")]),
        ("The year-end figures were poor.", [("year-end", "2009", None, "year")]),
        (
            "She left in June 2004 and came back later that year.",
            [("June 2004", "2004-06", None, "month"), ("later that year", "2004", None, "year")],
        ),
        (
            "The mine opened in 1987 and closed the following year.",
            [("1987", "1987", None, "year"), ("the following year", "1988", None, "year")],
        ),
        # fiscal years and periods
        ("Earnings in fiscal 1989 were flat.", [("fiscal 1989", "1989", None, "year")]),
        (
            "Sales in the current fiscal year rose.",
            [("the current fiscal year", "2009", None, "year")],
        ),
        ("Costs were lower than in the 1988 period.", [("1988", "1988", None, "year")]),
        # bare years in a sentence
        ("A 1976 statute on fishing rights was repealed.", [("1976", "1976", None, "year")]),
        (
            "Rents doubled between 1983 and 1989, the agency said.",
            [("1983", "1983", None, "year"), ("1989", "1989", None, "year")],
        ),
        ("The city's 1961 plan was revived.", [("1961", "1961", None, "year")]),
        # month names alone
        ("The talks broke down in August.", [("August", "2008-08", None, "month")]),
        ("The vote is due this September.", [("September", "2009-09", None, "month")]),
        ("Snow fell in mid-January across the north.", [("January", "2009-01", None, "month")]),
        ("The October vote was close.", [("October", "2008-10", None, "month")]),
        ("The fair opened in May last year.", [("May last year", "2008-05", None, "month")]),
        # spelled-out years of broadcast transcripts
        ("It was built in nineteen ninety-six.", [("nineteen ninety-six", "1996", None, "year")]),
        (
            "Since January nineteen ninety-seven it has grown.",
            [("January nineteen ninety-seven", "1997-01", None, "month")],
        ),
        (
            "By the year two thousand it had doubled.",
            [("the year two thousand", "2000", None, "year")],
        ),
        # year ranges stay ranges
        ("The survey covered 2002-2008 in full.", [("2002-2008", "2002", "2008", "year")]),
        ("Its 1998-99 season was its best.", [("1998-99", "1998", "1999", "year")]),
        # named days
        (
            "The bakery reopened on Thanksgiving Day.",
            [("Thanksgiving Day", "2008-11-27", None, "day")],
        ),
        ("Prices rose before Christmas.", [("Christmas", "2008-12-25", None, "day")]),
        ("They met last Christmas at home.", [("last Christmas", "2008-12-25", None, "day")]),
        # a month and day joined by "and"
        (
            "The craft fair runs on June 11 and 12, 2004.",
            [("June 11", "2004-06-11", None, "day"), ("12, 2004", "2004-06-12", None, "day")],
        ),
    ],
)
def test_relative_fiscal_spelled_and_range_forms(text, expected):
    assert _dates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "She sent him a Christmas card.",  # a modifier, not the day
        "The 2000 people in the square waited.",  # a count
        "In the next year we will know more.",  # a stretch of time, not a year
    ],
)
def test_forms_that_are_not_these_dates(text):
    assert _dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The concert scheduled for Sunday was called off.", ("Sunday", "2011-02-27")),
        ("Until Tuesday, we had not heard from the mill.", ("Tuesday", "2011-03-01")),
        ("Farmers planned a sale on Monday and were loading carts.", ("Monday", "2011-03-07")),
        ("Lawyers said they would appeal Tuesday's verdict.", ("Tuesday", "2011-03-01")),
        ("Fans queue for Saturday's final at the stadium.", ("Saturday", "2011-03-05")),
    ],
)
def test_weekday_direction_reads_the_verb_after_the_date(text, expected):
    found = _dates(text, FRIDAY)
    assert [(t, v) for t, v, _, _ in found] == [expected]


def test_a_future_date_ignores_a_past_year_of_another_clause():
    # the article is of 20 March 2004; 1990 belongs to the participle clause
    found = _dates(
        "The school, founded in May 1990, will reopen on April 3 after repairs.",
        dt.date(2004, 3, 20),
    )
    assert found == [
        ("May 1990", "1990-05", None, "month"),
        ("April 3", "2004-04-03", None, "day"),
    ]


def test_a_month_before_a_future_verb_is_the_next_one():
    base = dt.date(2004, 9, 10)
    assert _dates("The October census will count every farm.", base) == [
        ("October", "2004-10", None, "month")
    ]
