"""End to end: the real pipeline on a small corpus written for the test."""

from __future__ import annotations

import gc
import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import run
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.core.engine import LocalEngine
from pipeline.outputs import write
from pipeline.run import Stage, few_collections, run_pipeline, run_stages

from samples import COMPILATION, SINGLE

LATIN1 = (
    "Le maire de Montréal a inauguré le théâtre rénové jeudi. Les élèves des écoles "
    "voisines ont présenté une pièce célèbre, à côté du musée où l'été dernier on "
    "jouait déjà des concerts très réussis.\n"
)
CRLF = SINGLE.replace("\n", "\r\n")


@pytest.fixture
def corpus(write_corpus) -> Path:
    return write_corpus(
        {
            "digest.txt": COMPILATION,
            "pages/bridge.txt": SINGLE,
            "pages/bridge_crlf.txt": CRLF,
            "latin1.txt": LATIN1.encode("latin-1"),
            "empty.txt": b"",
            "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00",
            "page.html": "<html><head><title>T</title></head><body><nav>Home | News</nav>"
            "<article><h1>Dam opens</h1><p>The new dam on the river opened on "
            "Monday after four years of work, the water board said in a long "
            "statement to the press.</p><p>Officials expect the dam to supply "
            "power to thousands of homes in the region from next spring.</p>"
            "</article></body></html>",
        }
    )


@pytest.fixture
def result(corpus, tmp_path):
    return run_pipeline(corpus, tmp_path / "out", load_config())


def _tables(out: Path) -> dict[str, list[dict]]:
    return {p.stem: pq.read_table(p).to_pylist() for p in out.glob("*.parquet")}


def test_bad_files_go_to_errors_and_the_rest_is_processed(result):
    tables = _tables(result.out)
    errors = {e["path"]: e for e in tables["errors"]}
    assert set(errors) == {"empty.txt", "image.png"}
    assert errors["empty.txt"]["code"] == "E001"
    assert errors["image.png"]["code"] == "E002"
    assert errors["image.png"]["stage"] == "ingest"
    paths = {d["path"] for d in tables["documents"]}
    assert paths == {
        "digest.txt",
        "pages/bridge.txt",
        "pages/bridge_crlf.txt",
        "latin1.txt",
        "page.html",
    }


def test_latin1_and_html_are_decoded(result):
    docs = {d["path"]: d for d in _tables(result.out)["documents"]}
    assert docs["latin1.txt"]["text"] == LATIN1
    assert docs["page.html"]["method"].startswith("trafilatura")
    assert "The new dam on the river opened on Monday" in docs["page.html"]["text"]
    assert "Home | News" not in docs["page.html"]["text"]


def test_every_span_indexes_the_document_text(result):
    tables = _tables(result.out)
    texts = {d["doc_id"]: d["text"] for d in tables["documents"]}
    by_path = {d["path"]: d["doc_id"] for d in tables["documents"]}
    checked = 0
    for name, rows in tables.items():
        for row in rows:
            if "doc_start" not in row:
                continue
            text = texts[row.get("doc_id") or by_path[row["path"]]]
            assert 0 <= row["doc_start"] < row["doc_end"] <= len(text), (name, row)
            if "text" in row:
                assert text[row["doc_start"] : row["doc_end"]] == row["text"], (name, row)
            checked += 1
    assert checked >= 8


def test_crlf_file_keeps_its_text_and_offsets(result):
    tables = _tables(result.out)
    docs = {d["path"]: d for d in tables["documents"]}
    assert docs["pages/bridge_crlf.txt"]["text"] == CRLF
    arts = {a["path"]: a for a in tables["articles"]}
    lf, crlf = arts["pages/bridge.txt"], arts["pages/bridge_crlf.txt"]
    lf_span = SINGLE[lf["doc_start"] : lf["doc_end"]]
    crlf_span = CRLF[crlf["doc_start"] : crlf["doc_end"]]
    assert crlf_span == lf_span.replace("\n", "\r\n")
    assert crlf["doc_start"] == CRLF.index("Bridge repairs")


def test_ids_are_stable_across_runs(corpus, tmp_path, result):
    again = run_pipeline(corpus, tmp_path / "out2", load_config())
    first = [a["article_id"] for a in _tables(result.out)["articles"]]
    second = [a["article_id"] for a in _tables(again.out)["articles"]]
    assert first == second and len(set(first)) == len(first)


def test_manifest_records_inputs_versions_and_rows(result):
    manifest = json.loads((result.out / "manifest.json").read_text())
    assert manifest["rows"]["articles"] == len(_tables(result.out)["articles"])
    assert manifest["versions"]["spacy"].startswith("3.8")
    assert {i["path"] for i in manifest["inputs"]} >= {"digest.txt", "latin1.txt"}
    assert set(manifest["seconds"]) >= {"ingest", "segment"}


def test_failed_write_leaves_old_tables_whole(result, monkeypatch, corpus):
    before = {p: p.read_bytes() for p in result.out.rglob("*") if p.is_file()}
    real = write.pq.write_table
    calls = []

    def failing(table, where, **kw):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(table, where, **kw)

    monkeypatch.setattr(write.pq, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        run_pipeline(corpus, result.out, load_config())
    assert {p: p.read_bytes() for p in result.out.rglob("*") if p.is_file()} == before
    assert [p.name for p in result.out.parent.iterdir() if p.name.startswith(".")] == []


def test_cli_exits_nonzero_when_nothing_is_processed(write_corpus, tmp_path, capsys):
    root = write_corpus({"a.txt": b"", "b.bin": b"\x00\x01\x02\x03"})
    assert main(["run", str(root), "--out", str(tmp_path / "o")]) == 1
    out = capsys.readouterr().out
    assert "0 article(s), 2 error(s)" in out


def test_cli_reports_a_missing_input_folder(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def _key(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.lower()).split())


def test_example_compilation_yields_its_table_of_contents():
    """The shipped example corpus: one article per table-of-contents entry."""
    from pipeline.segment.articles import document_articles
    from pipeline.segment.compilation import find_toc

    raw = Path(__file__).parents[1] / "raw"
    cfg = load_config().segment
    for path in sorted(raw.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        toc = find_toc(text, cfg)
        rows = document_articles(text, cfg)
        if toc:
            assert [_key(r["title"]) for r in rows] == [_key(e.title) for e in toc], path.name
            assert all(r["published"] == e.date for r, e in zip(rows, toc, strict=True) if e.date)
        else:
            assert len(rows) == 1, path.name


def test_collector_thresholds_are_raised_for_a_run_and_restored_even_on_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_collections(12_345):
        assert gc.get_threshold() == (12_345, *before[1:])
        raise RuntimeError("stage failed")
    assert gc.get_threshold() == before


def _where(tables, cfg, rt):
    return {"pid": pa.table({"pid": [os.getpid()]})}, []


def test_isolated_stage_runs_in_a_child_process_only_on_large_input():
    docs = pa.table({"doc_id": ["d"], "text": ["x" * 100]})
    stage = Stage("where", ("documents",), ("pid",), _where, isolated=True)
    cfg = load_config()
    small, _, _ = run_stages(
        {"documents": docs}, cfg, LocalEngine(), (stage,), isolate_min_chars=101
    )
    large, _, _ = run_stages(
        {"documents": docs}, cfg, LocalEngine(), (stage,), isolate_min_chars=100
    )
    assert small["pid"].column("pid").to_pylist() == [os.getpid()]
    assert large["pid"].column("pid").to_pylist() != [os.getpid()]


def test_isolated_stages_give_the_same_tables(corpus, tmp_path, result, monkeypatch):
    monkeypatch.setattr(run, "ISOLATE_MIN_CHARS", 0)
    isolated = run_pipeline(corpus, tmp_path / "isolated", load_config())
    assert _tables(isolated.out) == _tables(result.out)
