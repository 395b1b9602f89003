"""Web pages and languages, on pages and articles written for the test, through the whole
pipeline with the real spaCy model."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from pipeline.audit import verify
from pipeline.config import Config
from pipeline.core.engine import LocalEngine
from pipeline.ingest.webpage import without_site
from pipeline.outputs.info import folder_info, mostly_left_out, notices
from pipeline.run import run_pipeline

PARAGRAPHS = [
    "The city council of Tromso approved a new ferry line on Tuesday, linking the harbour "
    "with three island villages that have waited years for a year-round service.",
    "Mayor Ingrid Solberg said the boats would start in June and run every two hours, and "
    "that the fares would match those of the city buses.",
    "Residents of the islands welcomed the decision, although some fishermen worried "
    "about the new quay planned next to the old fish market.",
]
LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Tromso approves ferry line to the islands",
    "datePublished": "2021-03-09T08:15:00+01:00",
    "author": {"@type": "Person", "name": "Kari Nilsen"},
}
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Tromso approves ferry line to the islands | Northern Courier</title>
<meta property="og:title" content="Tromso approves ferry line to the islands">
<meta property="og:site_name" content="Northern Courier">
<meta property="article:published_time" content="2021-03-09T08:15:00+01:00">
<script type="application/ld+json">{json.dumps(LD)}</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Tromso approves ferry line to the islands</h1>
<time datetime="2021-03-09">9 March 2021</time>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<footer>Copyright Northern Courier. All rights reserved.</footer>
</body></html>
"""
GERMAN = (
    "Der Stadtrat von Hamburg hat am Dienstag eine neue Fährlinie beschlossen. Bürgermeisterin "
    "Anna Schmidt sagte, die Boote sollen im Juni starten und alle zwei Stunden fahren. Die "
    "Bewohner der Inseln begrüßten die Entscheidung, doch einige Fischer sorgen sich um den "
    "neuen Kai neben dem alten Fischmarkt in Altona.\n"
)
FRENCH = (
    "Le conseil municipal de Lyon a approuvé mardi une nouvelle ligne de tramway. La maire "
    "Claire Martin a déclaré que les travaux commenceront en juin et dureront deux ans. Les "
    "habitants du quartier ont salué la décision, mais certains commerçants craignent les "
    "travaux devant leurs boutiques près de la place Bellecour.\n"
)
ENGLISH = (
    "The city council of Leeds approved a new tram line on Tuesday. Mayor Claire Hughes said "
    "work would begin in June and last two years. Residents welcomed the decision, but some "
    "shop owners fear the works outside their shops near the market hall.\n"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    (raw / "ferry.html").write_text(PAGE, encoding="utf-8")
    (raw / "faehre.txt").write_text(GERMAN, encoding="utf-8")
    (raw / "tramway.txt").write_text(FRENCH, encoding="utf-8")
    (raw / "tram.txt").write_text(ENGLISH, encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "out"
    return raw, run_pipeline(raw, out, Config(), LocalEngine(1))


def _by_path(result, table):
    return {r["path"]: r for r in result.tables[table].to_pylist()}


def test_a_web_page_gives_its_title_date_site_and_paragraphs(out):
    _, result = out
    doc = _by_path(result, "documents")["ferry.html"]
    art = _by_path(result, "articles")["ferry.html"]
    assert doc["title"] == "Tromso approves ferry line to the islands"
    assert doc["published"] == dt.date(2021, 3, 9)
    assert doc["site"] == "Northern Courier" and doc["author"] == "Kari Nilsen"
    assert doc["method"].startswith("trafilatura ")
    assert doc["found_by"].startswith("title: og:title; published: article:published_time;")
    assert (art["title"], art["published"], art["published_source"]) == (
        "Tromso approves ferry line to the islands",
        dt.date(2021, 3, 9),
        "page_metadata",
    )
    assert "Home | News" not in doc["text"] and "All rights reserved" not in doc["text"]
    paras = [p for p in result.tables["paragraphs"].to_pylist() if p["path"] == "ferry.html"]
    texts = [doc["text"][p["doc_start"] : p["doc_end"]] for p in paras]
    assert texts == ["Tromso approves ferry line to the islands", *PARAGRAPHS]


def test_spans_of_a_web_page_index_its_extracted_text(out):
    raw, result = out
    assert verify(result.out, raw) == []
    mentions = [m for m in result.tables["mentions"].to_pylist() if m["path"] == "ferry.html"]
    assert ("Ingrid Solberg", "PERSON") in {(m["text"], m["label"]) for m in mentions}


def test_other_languages_are_kept_shown_and_given_no_entities(out):
    _, result = out
    docs = _by_path(result, "documents")
    assert {p: docs[p]["language"] for p in docs} == {
        "ferry.html": "en",
        "faehre.txt": "de",
        "tramway.txt": "fr",
        "tram.txt": "en",
    }
    assert docs["faehre.txt"]["skipped"].startswith("language 'de'")
    assert docs["tram.txt"]["skipped"] is None
    assert set(_by_path(result, "articles")) == set(docs)
    mentioned = {m["path"] for m in result.tables["mentions"].to_pylist()}
    assert "faehre.txt" not in mentioned and "tramway.txt" not in mentioned
    assert "tram.txt" in mentioned
    dated = {d["path"] for d in result.tables["unresolved_dates"].to_pylist()}
    assert "faehre.txt" not in dated and "tram.txt" in dated
    assert result.errors == []


def test_skipped_languages_are_said_by_info_and_mentions(out, capsys):
    from pipeline.cli import main

    _, result = out
    assert main(["info", "--out", str(result.out)]) == 0
    said = capsys.readouterr().out
    assert "skipped: 1 document(s), language 'de'" in said
    assert "skipped: 1 document(s), language 'fr'" in said
    assert main(["mentions", "--out", str(result.out), "--article", "faehre.txt"]) == 1
    assert "faehre.txt was skipped: language 'de'" in capsys.readouterr().err
    assert sorted(r[:13] for r in folder_info(result.out)["skipped"]) == [
        "language 'de'",
        "language 'fr'",
    ]


def test_a_document_mostly_left_out_is_noticed():
    docs = pa.table(
        {"path": ["a.txt", "b.txt"], "text": ["x" * 100, "y" * 100], "skipped": [None, None]}
    )
    left = pa.table({"path": ["a.txt", "b.txt"], "text": ["x" * 30, "y" * 5]})
    assert mostly_left_out(docs, left) == {"a.txt": 0.3}
    assert notices(docs, left) == [
        "left out: 1 document(s) kept less than 90% of their text in articles "
        "(most: a.txt, 30% left out; see left_out.parquet)"
    ]


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Best phones of 2019 | Gadget Weekly", "Gadget Weekly", "Best phones of 2019"),
        ("Best phones of 2019 - Gadget Weekly", "www.gadgetweekly.com", "Best phones of 2019"),
        ("Valley News :: Storm hits the coast", "Valley News", "Storm hits the coast"),
        (
            "Storm hits the coast - live updates",
            "Valley News",
            "Storm hits the coast - live updates",
        ),
        ("Man - Machine | Gadget Weekly", "Gadget Weekly", "Man - Machine"),
        ("Storm hits the coast - The", "The Valley Courier", "Storm hits the coast - The"),
        ("Gadget Weekly", "Gadget Weekly", "Gadget Weekly"),
        ("新しい橋が開通（3月2日）｜バレー新聞", "バレー新聞", "新しい橋が開通（3月2日）"),
    ],
)
def test_titles_lose_the_site_name_never_the_headline(title, site, expected):
    assert without_site(title, site) == expected


def test_a_german_or_french_file_gets_its_title_and_date():
    from pipeline.config import SegmentConfig
    from pipeline.segment.articles import document_articles

    for language, body in (("de", GERMAN), ("fr", FRENCH)):
        text = f"Neue Linie beschlossen\n\nDate: 2021-03-09\n\n{body}"
        (row,) = document_articles(text, SegmentConfig(), language)
        assert (row["title"], row["published"]) == ("Neue Linie beschlossen", dt.date(2021, 3, 9))
        assert text[row["doc_start"] : row["doc_end"]].endswith(body.strip())
