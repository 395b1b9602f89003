"""Keys: every table's key is unique, whatever files repeat; identical files are two
documents whose shared content is found as an exact copy; two runs give identical
tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.run import run_pipeline
from pipeline.tables import TABLES

from samples import COMPILATION, SINGLE

TEXTS = [
    COMPILATION,
    SINGLE,
    "Mayor Anna Berg of Oslo opened the bridge on 2 March 2011. Berg thanked the "
    "Nordic Rivers Foundation.\n",
    "The harbour museum in Gdansk reopened on 9 March 2011, director Piotr Nowak said.\n",
]


def _unique_keys(out: Path) -> None:
    for name, spec in TABLES.items():
        rows = pq.read_table(out / spec.file, columns=list(spec.key)).to_pylist()
        keys = Counter(tuple(r.values()) for r in rows)
        assert [k for k, n in keys.items() if n > 1] == [], name


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choice=st.lists(st.integers(0, len(TEXTS) - 1), min_size=1, max_size=6))
def test_every_table_key_is_unique_with_repeated_files(tmp_path_factory, choice):
    root = tmp_path_factory.mktemp("keys")
    raw = root / "raw"
    (raw / "again").mkdir(parents=True)
    for n, i in enumerate(choice):
        folder = raw / "again" if n % 2 else raw
        (folder / f"f{n}.txt").write_text(TEXTS[i], encoding="utf-8")
    result = run_pipeline(raw, root / "out", load_config())
    assert result.tables["documents"].num_rows == len(choice)
    _unique_keys(result.out)


def test_identical_files_are_two_documents_reported_as_exact_copies(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "saved.txt").write_text(TEXTS[2], encoding="utf-8")
    (raw / "saved (1).txt").write_text(TEXTS[2], encoding="utf-8")
    result = run_pipeline(raw, tmp_path / "out", load_config())
    docs = result.tables["documents"].to_pylist()
    assert len({d["doc_id"] for d in docs}) == 2
    assert len({d["content_id"] for d in docs}) == 1
    dups = result.tables["duplicates"].to_pylist()
    assert [d["kind"] for d in dups] == ["exact", "exact"]
    assert len({d["cluster_id"] for d in dups}) == 1
    arts = {a["article_id"]: a["path"] for a in result.tables["articles"].to_pylist()}
    assert sorted(arts[d["article_id"]] for d in dups) == ["saved (1).txt", "saved.txt"]
    mentions = result.tables["mentions"].to_pylist()
    per_file = Counter(m["path"] for m in mentions)
    assert per_file["saved.txt"] == per_file["saved (1).txt"] > 0


def test_two_runs_write_identical_tables(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for n, text in enumerate(TEXTS):
        (raw / f"f{n}.txt").write_text(text, encoding="utf-8")
    a = run_pipeline(raw, tmp_path / "a", load_config()).out
    b = run_pipeline(raw, tmp_path / "b", load_config()).out
    for spec in TABLES.values():
        assert (a / spec.file).read_bytes() == (b / spec.file).read_bytes(), spec.name
