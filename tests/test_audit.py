"""The audit tools on a real run: verify, mentions in context, the HTML report."""

from __future__ import annotations

import json
import re
import shutil

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from pipeline.audit import find_entities, mentions_in_context, verify
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.run import run_pipeline

from samples import SINGLE

TEXT = (
    "Mayor Anna Berg of Oslo opened the bridge on Monday. Berg thanked the Nordic "
    "Rivers Foundation and the people of Bergen.\n"
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    raw = root / "raw"
    raw.mkdir()
    (raw / "bridge.txt").write_text(TEXT, encoding="utf-8")
    (raw / "page.txt").write_text(SINGLE, encoding="utf-8")
    result = run_pipeline(raw, root / "out", load_config())
    return raw, result.out


def test_verify_passes_on_a_fresh_run(run):
    raw, out = run
    assert verify(out, raw) == []
    assert main(["verify", "--out", str(out)]) == 0


def test_verify_fails_on_a_tampered_table(run, tmp_path):
    raw, out = run
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    table = pq.read_table(out / "mentions.parquet")
    starts = pc.add(table.column("doc_start"), 1)
    pq.write_table(
        table.set_column(table.schema.get_field_index("doc_start"), "doc_start", starts),
        bad / "mentions.parquet",
    )
    problems = verify(bad, raw)
    assert problems and all("mentions row" in p for p in problems)
    assert main(["verify", "--out", str(bad), "--raw", str(raw)]) == 1


def test_verify_fails_when_the_source_changed(run, tmp_path):
    _, out = run
    changed = tmp_path / "raw"
    changed.mkdir()
    (changed / "bridge.txt").write_text(TEXT.replace("Monday", "Friday"), encoding="utf-8")
    (changed / "page.txt").write_text(SINGLE, encoding="utf-8")
    assert verify(out, changed) == ["bridge.txt: documents.text differs from the file as read now"]


def test_real_model_finds_people_and_places_at_exact_offsets(run):
    _, out = run
    rows = pq.read_table(out / "mentions.parquet").to_pylist()
    got = {(r["text"], r["label"], r["doc_start"]) for r in rows if r["path"] == "bridge.txt"}
    assert ("Anna Berg", "PERSON", 6) in got
    assert ("Oslo", "PLACE", 19) in got
    assert ("Nordic Rivers Foundation", "ORG", TEXT.index("Nordic")) in got


def test_mentions_in_context_highlights_each_mention(run, capsys):
    _, out = run
    (berg,) = [e for e in find_entities(out, "berg") if e["label"] == "PERSON"]
    found = list(mentions_in_context(out, berg["entity_id"], width=10))
    assert [(m.span, m.doc_start) for m in found] == [("Anna Berg", 6), ("Berg", 53)]
    assert found[0].left == "Mayor " and found[0].right.startswith(" of Oslo")
    assert main(["mentions", "Anna Berg", "--out", str(out), "--plain"]) == 0
    shown = capsys.readouterr().out
    assert "…Mayor [[Anna Berg]] of Oslo" in shown
    assert main(["mentions", "Bergen", "--out", str(out), "--plain"]) == 0
    assert "people of [[Bergen]]." in capsys.readouterr().out  # no space before the stop


def test_report_data_hold_each_article_and_its_spans_exactly(run):
    _, out = run
    docs = {d["path"]: d["text"] for d in pq.read_table(out / "documents.parquet").to_pylist()}
    arts = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    shown = {}
    for f in (out / "report" / "articles").glob("*.js"):
        call = f.read_text(encoding="utf-8")
        assert call.startswith("window.NEWSEXTRACT.shard(") and call.endswith(");\n")
        shown |= json.loads(call[len("window.NEWSEXTRACT.shard(") : -3])[1]
    assert shown.keys() == arts.keys()
    labels = set()
    for aid, art in shown.items():
        text = docs[arts[aid]["path"]]
        assert art["text"] == text[arts[aid]["doc_start"] : arts[aid]["doc_end"]]
        for start, end, label, _, _ in art["spans"]:
            rel = slice(start - art["start"], end - art["start"])
            assert art["text"][rel] == text[start:end] and end > start
            labels.add(label)
    assert labels == {"PERSON", "ORG", "PLACE", "DATE"}


def test_mentions_filters_by_label_and_article_and_prints_json(run, capsys):
    import json

    _, out = run
    capsys.readouterr()
    args = ["mentions", "--out", str(out), "--label", "PLACE", "--article", "bridge.txt"]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["span"], r["doc_start"], r["doc_end"], r["path"]) for r in rows] == [
        ("Oslo", 19, 23, "bridge.txt"),
        ("Bergen", 113, 119, "bridge.txt"),
    ]
    assert main([*args[:3], "--label", "ORG", "--article", "bridge.txt", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["span"] == "Nordic Rivers Foundation"
    assert {(r["label"], r["path"]) for r in rows} == {("ORG", "bridge.txt")}
    assert all(TEXT[r["doc_start"] : r["doc_end"]] == r["span"] for r in rows)


def test_mentions_of_one_entity_as_csv_with_a_limit(run, capsys):
    import csv
    import io

    _, out = run
    capsys.readouterr()
    assert main(["mentions", "--out", str(out), "--entity", "Anna Berg", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["span"], r["name"]) for r in rows] == [
        ("Anna Berg", "Anna Berg"),
        ("Berg", "Anna Berg"),
    ]
    assert main(["mentions", "Berg", "--out", str(out), "--format", "csv", "--limit", "1"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 1
    assert main(["mentions", "--out", str(out), "--label", "ORG", "--article", "none.txt"]) == 1


def test_info_summarises_the_folder(run, capsys):
    import json

    raw, out = run
    capsys.readouterr()
    assert main(["info", "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert f"input: {raw.resolve()} (2 file(s))" in shown
    assert "settings: defaults" in shown
    assert re.search(r"documents +2 rows", shown) and re.search(r"errors +0 rows", shown)
    assert main(["info", "--out", str(out), "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["rows"]["documents"] == 2 and info["errors"] == []
    assert info["rows"]["mentions"] == pq.ParquetFile(out / "mentions.parquet").metadata.num_rows


def test_a_bad_config_stops_every_command_with_one_line(run, tmp_path, capsys):
    _, out = run
    bad = tmp_path / "bad.toml"
    bad.write_text("[dedup]\nevent_distanse = 0.7\n", encoding="utf-8")
    for command in (["info"], ["mentions", "Berg"], ["verify"]):
        capsys.readouterr()
        assert main([*command, "--out", str(out), "--config", str(bad)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "event_distanse" in err and "Traceback" not in err
