"""The shipped example corpus, end to end with the real model (about ten seconds)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.audit import verify
from pipeline.config import load_config
from pipeline.run import run_pipeline

RAW = Path(__file__).parents[1] / "raw"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return run_pipeline(RAW, tmp_path_factory.mktemp("example") / "out", load_config()).out


def test_every_offset_checks_out(out):
    assert verify(out, RAW) == []


def test_the_two_reports_of_one_event_in_different_files_are_grouped(out):
    arts = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    dups = pq.read_table(out / "duplicates.parquet").to_pylist()
    by_cluster: dict[str, set[str]] = {}
    for d in dups:
        by_cluster.setdefault(d["cluster_id"], set()).add(arts[d["article_id"]]["path"])
    assert {"000_f88584b007f20959.txt", "001_be1754463115522b.txt"} in by_cluster.values()


def test_recurring_paragraphs_are_boilerplate_and_flag_their_mentions(out):
    paras = pq.read_table(out / "paragraphs.parquet").to_pylist()
    groups = {p["boilerplate_group"] for p in paras if p["boilerplate_group"]}
    assert groups
    assert all(p["group_articles"] >= 3 for p in paras if p["boilerplate_group"])
    flags = pq.read_table(out / "mentions.parquet", columns=["in_boilerplate"]).column(0)
    assert 0 < sum(flags.to_pylist()) < len(flags)


def test_no_nationality_word_is_an_entity(out):
    from pipeline.entities.wordlists import is_demonym

    names = [e["name"] for e in pq.read_table(out / "entities.parquet").to_pylist()]
    assert not [n for n in names if is_demonym(n)]
