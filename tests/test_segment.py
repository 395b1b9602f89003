import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import SegmentConfig
from pipeline.core.paragraphs import paragraphs
from pipeline.segment.articles import document_articles, left_out
from pipeline.segment.compilation import find_toc
from pipeline.segment.single import Kind, classify

from samples import COMPILATION, SINGLE

CFG = SegmentConfig()


def _span(text: str, row: dict) -> str:
    return text[row["doc_start"] : row["doc_end"]]


def test_table_of_contents_is_found_with_undated_entry():
    toc = find_toc(COMPILATION, CFG)
    assert [e.title for e in toc] == [
        "About the Digest",
        "River festival opens in Lisbon",
        "Harbour museum reopens in Gdansk",
        "Choir from Tallinn wins award",
    ]
    assert toc[0].date is None
    assert toc[1].date == dt.date(2011, 3, 3)


def test_compilation_yields_one_article_per_toc_entry():
    rows = document_articles(COMPILATION, CFG)
    assert [r["title"] for r in rows] == [
        "About the Digest",
        "River festival opens in Lisbon",
        "Harbour museum reopens in Gdansk",
        "Choir from Tallinn wins award",
    ]
    assert [r["published"] for r in rows] == [
        None,
        dt.date(2011, 3, 3),
        dt.date(2011, 3, 9),
        dt.date(2011, 4, 2),
    ]
    assert {r["layout"] for r in rows} == {"compilation"}


def test_compilation_spans_start_at_title_and_include_source_line():
    rows = document_articles(COMPILATION, CFG)
    lisbon = _span(COMPILATION, rows[1])
    assert lisbon.startswith("River festival opens in Lisbon\n(March 3, 2011)**")
    assert lisbon.endswith("RiverNews")
    assert rows[1]["source"] == "RiverNews"
    gdansk = _span(COMPILATION, rows[2])
    assert gdansk.startswith("Harbour museum reopens in Gdansk**\n\n(March 9, 2011)")
    assert rows[2]["source"] == "www.example.org"
    assert _span(COMPILATION, rows[3]).endswith("had practised for a year.")
    assert rows[0]["doc_start"] == COMPILATION.index("About the Digest\n\nThis digest")


def test_compilation_without_toc_uses_headline_blocks():
    text = COMPILATION[COMPILATION.index("**River festival opens in Lisbon\n") :]
    rows = document_articles(text, CFG)
    assert [r["title"] for r in rows] == [
        "River festival opens in Lisbon",
        "Harbour museum reopens in Gdansk",
        "Choir from Tallinn wins award",
    ]
    assert rows[0]["doc_start"] == 2


def test_single_article_drops_page_chrome():
    rows = document_articles(SINGLE, CFG)
    assert len(rows) == 1
    row = rows[0]
    span = _span(SINGLE, row)
    assert row["title"] == "Bridge repairs finish ahead of schedule in Oslo"
    assert span.startswith("Bridge repairs finish")
    assert span.endswith("the people who live nearby.")
    assert row["published"] == dt.date(2014, 3, 3)
    assert row["published_source"] == "date_label"
    assert "Read : 120" not in span and "Other news" not in span


def test_link_list_and_widgets_are_bad_paragraphs():
    paras = {p.clean[:12]: classify(p, SegmentConfig()) for p in paragraphs(SINGLE)}
    assert paras["Read : 120"] is Kind.BAD
    assert paras["Font size : "] is Kind.BAD
    assert paras["Ferry timeta"] is Kind.BAD
    assert paras["Repairs to t"] is Kind.GOOD


def test_single_article_dateline_gives_source():
    text = (
        "Tartu, 12 May. NEWSWIRE/ The city council of Tartu approved the budget for the "
        "next year on Tuesday, after a long debate about the new school.\n"
    )
    row = document_articles(text, CFG)[0]
    assert row["source"] == "NEWSWIRE"
    assert row["title"] is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(COMPILATION.split("\n\n") + SINGLE.split("\n\n")), max_size=12))
def test_articles_are_ordered_disjoint_spans_inside_the_text(blocks):
    text = "\n\n".join(blocks)
    rows = document_articles(text, CFG)
    last_end = 0
    for row in rows:
        assert last_end <= row["doc_start"] < row["doc_end"] <= len(text)
        span = _span(text, row)
        assert span == span.strip()
        last_end = row["doc_end"]


PROSE = (
    "The new bridge over the river opened to traffic after two years of work, and the "
    "people of the town walked across it in the morning with their families and friends."
)


@pytest.mark.parametrize(
    ("head", "published", "source"),
    [
        ("Bridge opens in Oslo\n\n", None, None),  # no date where publishers put one
        ("Bridge opens in Oslo\n\nDate: 4 March 2011\n\n", "2011-03-04", "date_label"),
        ("Bridge opens in Oslo\n\nOSLO, March 3, 2011 - ", "2011-03-03", "dateline"),
        # a wire layout: headline, dateline and sentences on lines of their own
        ("Bridge opens in Oslo .\nOSLO 2011-03-05\n", "2011-03-05", "dateline"),
        ("Bridge opens in Oslo\nOslo, 6 March 2011 --\n", "2011-03-06", "dateline"),
        # a date line that says more than a place and a date is the article's text
        ("Bridge opens in Oslo\nOslo said on 7 March 2011 it would pay\n", None, None),
    ],
)
def test_published_date_only_from_where_publishers_put_it(head, published, source):
    body = f"{PROSE} The old one had closed on 2 February 2009, the city said.\n\n{PROSE}\n"
    (art,) = document_articles(head + body, CFG)
    assert (str(art["published"]) if art["published"] else None) == published
    assert art["published_source"] == source


def test_a_results_table_takes_its_date_from_its_dateline():
    rows = "\n".join(f"{i} - Team{i} 15-{i} 15-{i + 1}" for i in range(9))
    (art,) = document_articles(f"SQUASH RESULTS .\nBERGEN 2011-04-02\n{rows}\n", CFG)
    assert art["layout"] == "fragment"
    assert (str(art["published"]), art["published_source"]) == ("2011-04-02", "dateline")


def test_text_outside_the_article_is_recorded_with_its_span_and_reason():
    docs = pa.table({"doc_id": ["d"], "path": ["page.txt"], "text": [SINGLE]})
    (row,) = document_articles(SINGLE, CFG)
    arts = pa.Table.from_pylist([{"doc_id": "d"} | row])
    rows = left_out(docs, arts).to_pylist()
    assert [r["reason"] for r in rows] == ["before the first article", "after the last article"]
    assert rows[0]["text"] == "MARCH 4, 2014 12°C Oslo 9°C Bergen 7°C Tromsø 3°C"
    assert rows[1]["text"].startswith("Read : 120") and rows[1]["text"].endswith(
        "Theatre season opens"
    )
    assert all(SINGLE[r["doc_start"] : r["doc_end"]] == r["text"] for r in rows)
    kept = SINGLE[row["doc_start"] : row["doc_end"]] + "".join(r["text"] for r in rows)
    assert len("".join(kept.split())) == len("".join(SINGLE.split()))


def test_a_plain_article_file_keeps_its_closing_list_and_a_list_inside():
    lines = ", ".join(f"Player{i} (Club{i})" for i in range(12))
    text = (
        "Squad named for the spring tour\n\n"
        f"{PROSE}\n\nForwards: {lines}\n\n{PROSE}\n\nBacks: {lines}\n"
    )
    (row,) = document_articles(text, CFG)
    assert (row["doc_start"], row["doc_end"]) == (0, len(text.rstrip()))
    assert row["title"] == "Squad named for the spring tour"


WIRE_FILE = (
    "Date: 2021-05-04\n\n\n\n"
    "BERGEN, May 4 (NTB) --\n\n"
    "The city council of Bergen voted on Tuesday to close the old fish market hall for "
    "repairs, and traders will move to tents on the quay until the work is done.\n\n"
    "The council's plans, posted on its site www.bergen-council.example, say the hall "
    "will reopen next spring with a new roof and a cold store for the traders.\n"
)


def test_a_wire_file_starts_at_its_dateline_under_its_date_line():
    # A "Date:" line and an address inside a sentence are no page chrome; a dateline
    # alone on its line is no title.
    (row,) = document_articles(WIRE_FILE, CFG)
    assert row["doc_start"] == WIRE_FILE.index("BERGEN, May 4")
    assert _span(WIRE_FILE, row).endswith("cold store for the traders.")
    assert row["title"] is None
    assert (row["published"], row["published_source"]) == (dt.date(2021, 5, 4), "date_label")


LIST_ARTICLE = (
    "Awards night crowns a small studio\n\n"
    "The small studio behind a puppet series won four prizes on Saturday night, beating "
    "the big networks in the categories that the viewers themselves had voted for.\n\n"
    "The winners were:\n\n"
    + "\n\n".join(
        f"Best {kind} - The Lantern Keepers ({n} votes)"
        for n, kind in enumerate(
            ["drama", "comedy", "animation", "children's show", "score", "design", "script"]
        )
    )
    + "\n\nOne juror said the studio had shown that a team of eleven could still make "
    "television that a whole country talked about on the morning after.\n\n"
    "The sentences she was given:\n"
    "- spend a year on probation\n- repay the money to the fund\n- work in a shelter\n\n"
    "Her lawyer said she would not appeal against the ruling, which the court had "
    "announced after a hearing of more than three hours on the same afternoon.\n"
)


def test_lists_inside_a_plain_article_stay_in_it():
    (row,) = document_articles(LIST_ARTICLE, CFG)
    assert row["title"] == "Awards night crowns a small studio"
    assert LIST_ARTICLE[row["doc_start"] : row["doc_end"]].endswith("on the same afternoon.")


def test_a_pages_extracted_text_is_one_article_whole():
    text = "Meal plan for the week\n\n" + "\n\n".join(
        f"Day {d}: oats, soup, rice and beans" for d in range(1, 8)
    )
    (row,) = document_articles(text + "\n", CFG, extracted=True)
    assert (row["doc_start"], row["doc_end"]) == (0, len(text))


def test_a_ten_megabyte_article_of_prose_keeps_all_its_text():
    paragraphs = [
        f"Report {n}: the council of the valley met on a wet morning and agreed, after a "
        f"long debate about the bridge and the school, to spend {n} thousand on repairs."
        for n in range(40)
    ]
    # every so often a link inside a sentence, a heading with a colon, a list of short
    # items, as news bodies have them
    items = "\n\n".join(f"Ward {k} (North Valley, {k} seats)" for k in range(1, 7))
    body = "\n\n".join(
        paragraphs[n % 40]
        + (" See www.example.org for the plan." if n % 97 == 0 else "")
        + (f"\n\nThe seats by ward:\n\n{items}" if n % 500 == 499 else "")
        for n in range(64_000)
    )
    text = f"A year of council meetings\n\n{body}\n"
    assert len(text) > 10_000_000
    (row,) = document_articles(text, CFG)
    assert (row["doc_start"], row["doc_end"]) == (0, len(text) - 1)
