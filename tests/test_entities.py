"""Grouping mentions into canonical entities, on mention tables built by hand."""

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import EntitiesConfig, load_config
from pipeline.entities.canonical import entities
from pipeline.entities.forms import normalise
from pipeline.run import run_pipeline
from pipeline.tables import MENTIONS, PARAGRAPHS

TEXTS = {
    "d0": "Anna Berg opened the show. Berg said it was late. The Nordic Rivers "
    "Foundation (NRF) paid. Thomaz Kvalstad spoke.",
    "d1": "Erik Berg came from Oslo. Berg said no. NRF and Thomas Kvalstad agreed. "
    "Harald Solvik and Ivar Solvik were named.",
    "d2": "Ann-Lena-Berg spoke first. Then Berg said yes, and Berg left.",
    "d3": "Karin-Lena-Berg spoke last. Then Berg said no, and Berg stayed.",
    "d4": "Harbour Rowing Club won the race on Sunday.",
    "d5": "Shares in HRC rose after the results.",
    "d6": "Harbour Rowing Club members said HRC would race again.",
}


def _tables(spec: list[tuple[str, str, str]]):
    docs = pa.table(
        {"doc_id": list(TEXTS), "path": [f"{d}.txt" for d in TEXTS], "text": list(TEXTS.values())}
    )
    arts = pa.table(
        {
            "article_id": [f"a{d[1]}" for d in TEXTS],
            "doc_id": list(TEXTS),
            "doc_start": [0] * len(TEXTS),
            "doc_end": [len(t) for t in TEXTS.values()],
        }
    )
    rows, seen = [], {}
    for doc, surface, label in spec:
        at = TEXTS[doc].index(surface, seen.get((doc, surface), -1) + 1)
        seen[(doc, surface)] = at
        rows.append(
            {
                "mention_id": f"m{len(rows)}",
                "article_id": "a" + doc[1],
                "doc_id": doc,
                "path": f"{doc}.txt",
                "doc_start": at,
                "doc_end": at + len(surface),
                "text": surface,
                "label": label,
                "entity_id": None,
                "method": "model",
                "model_label": label,
                "model": "test",
                "sent_start": 0,
                "sent_end": 1,
                "in_boilerplate": False,
            }
        )
    return pa.Table.from_pylist(rows, schema=MENTIONS.schema), docs, arts


def _groups(spec):
    mentions, docs, arts = _tables(spec)
    filled, ents = entities(mentions, docs, arts, PARAGRAPHS.empty(), EntitiesConfig())
    by_id = {e["entity_id"]: e for e in ents.to_pylist()}
    out = {}
    for row in filled.to_pylist():
        out.setdefault(by_id[row["entity_id"]]["name"], []).append((row["article_id"], row["text"]))
    return out, ents


def test_surname_joins_the_full_name_of_its_own_article_not_a_namesake():
    groups, _ = _groups(
        [
            ("d0", "Anna Berg", "PERSON"),
            ("d0", "Berg", "PERSON"),
            ("d1", "Erik Berg", "PERSON"),
            ("d1", "Berg", "PERSON"),
        ]
    )
    assert groups == {
        "Anna Berg": [("a0", "Anna Berg"), ("a0", "Berg")],
        "Erik Berg": [("a1", "Erik Berg"), ("a1", "Berg")],
    }


def test_spelling_variants_merge_but_different_first_names_do_not():
    groups, _ = _groups(
        [
            ("d0", "Thomaz Kvalstad", "PERSON"),
            ("d1", "Thomas Kvalstad", "PERSON"),
            ("d1", "Harald Solvik", "PERSON"),
            ("d1", "Ivar Solvik", "PERSON"),
        ]
    )
    assert sorted(len(v) for v in groups.values()) == [1, 1, 2]
    assert {t for _, t in next(v for v in groups.values() if len(v) == 2)} == {
        "Thomaz Kvalstad",
        "Thomas Kvalstad",
    }


def test_acronym_joins_its_long_form_across_articles():
    groups, ents = _groups(
        [
            ("d0", "Nordic Rivers Foundation", "ORG"),
            ("d0", "NRF", "ORG"),
            ("d1", "NRF", "ORG"),
        ]
    )
    assert groups == {
        "Nordic Rivers Foundation": [
            ("a0", "Nordic Rivers Foundation"),
            ("a0", "NRF"),
            ("a1", "NRF"),
        ]
    }
    (ent,) = ents.to_pylist()
    assert ent["aliases"] == ["NRF", "Nordic Rivers Foundation"]
    assert (ent["mention_count"], ent["article_count"]) == (3, 2)


def test_an_acronym_joins_a_name_by_its_initials_only_where_a_document_names_both():
    apart, _ = _groups([("d4", "Harbour Rowing Club", "ORG"), ("d5", "HRC", "ORG")])
    assert sorted(apart) == ["HRC", "Harbour Rowing Club"]
    together, _ = _groups(
        [
            ("d4", "Harbour Rowing Club", "ORG"),
            ("d5", "HRC", "ORG"),
            ("d6", "Harbour Rowing Club", "ORG"),
            ("d6", "HRC", "ORG"),
        ]
    )
    assert together == {
        "Harbour Rowing Club": [
            ("a4", "Harbour Rowing Club"),
            ("a5", "HRC"),
            ("a6", "Harbour Rowing Club"),
            ("a6", "HRC"),
        ]
    }


def test_normalised_forms():
    assert normalise("the Bosnia-Herzegovina’s") == "bosnia herzegovina"
    assert normalise("NRF-CT") == normalise("NRFCT") == "nrfct"


def test_groups_that_end_with_one_name_keep_distinct_ids():
    _, ents = _groups(
        [
            ("d2", "Ann-Lena-Berg", "PERSON"),
            ("d2", "Berg", "PERSON"),
            ("d2", "Berg", "PERSON"),
            ("d3", "Karin-Lena-Berg", "PERSON"),
            ("d3", "Berg", "PERSON"),
            ("d3", "Berg", "PERSON"),
        ]
    )
    assert ents.column("name").to_pylist() == ["Berg", "Berg"]
    assert len(set(ents.column("entity_id").to_pylist())) == 2


SELDEN_PERSON = (
    "Minister Maria Selden opened the new harbour school on Monday. Selden said the town "
    "would hire twelve teachers, and Selden thanked the parents.\n"
)
SELDEN_TOWN = [
    "Farmers near Selden harvested early this year. The road from Selden to the coast was "
    "closed after floods, and shops in Selden stayed shut.\n",
    "Selden is a quiet town on the river. Visitors to Selden come for the old mill, and the "
    "Selden market opens on Fridays.\n",
    "A storm hit Selden overnight. In Selden, firefighters cleared fallen trees, and the "
    "school in Selden opened late.\n",
]


def _labels(tmp_path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    raw = tmp_path / "raw"
    raw.mkdir(parents=True)
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    run_pipeline(raw, tmp_path / "out", load_config())
    rows = pq.read_table(tmp_path / "out" / "mentions.parquet").to_pylist()
    return sorted((m["path"], m["doc_start"], m["text"], m["label"]) for m in rows)


def test_a_person_named_in_full_stays_a_person_beside_a_town_of_that_name(tmp_path):
    alone = _labels(tmp_path / "alone", {"minister.txt": SELDEN_PERSON})
    assert alone == [
        ("minister.txt", 9, "Maria Selden", "PERSON"),
        ("minister.txt", 63, "Selden", "PERSON"),
        ("minister.txt", 116, "Selden", "PERSON"),
    ]
    towns = {f"town{i}.txt": text for i, text in enumerate(SELDEN_TOWN)}
    together = _labels(tmp_path / "together", {"minister.txt": SELDEN_PERSON, **towns})
    assert [m for m in together if m[0] == "minister.txt"] == alone
    assert {m[3] for m in together if m[0] != "minister.txt"} == {"PLACE"}


def test_a_model_mention_carries_its_own_sentence_for_auditing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (
        "Harbour Works Reopen\n\n"
        "The quay was closed for a year. Later, Dr. Tomas Lindqvist opened it in "
        "Gothenburg. Crowds came.\n"
    )
    (raw / "quay.txt").write_text(text, encoding="utf-8")
    run_pipeline(raw, tmp_path / "out", load_config())
    rows = pq.read_table(tmp_path / "out" / "mentions.parquet").to_pylist()
    windows = {m["text"]: text[m["sent_start"] : m["sent_end"]] for m in rows}
    sentence = "Later, Dr. Tomas Lindqvist opened it in Gothenburg."
    assert windows == {"Tomas Lindqvist": sentence, "Gothenburg": sentence}
