"""Input boundaries: what the listing reads and reports, a single file as input for
every command, and fuzzed bytes through ingest and segmentation that never stop the
batch."""

from __future__ import annotations

import os
import socket

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.config import IngestConfig, SegmentConfig
from pipeline.core.engine import LocalEngine
from pipeline.ingest.documents import documents
from pipeline.ingest.files import list_inputs
from pipeline.segment.articles import articles

STORY = "Mayor Anna Berg of Oslo opened the bridge on 2 March 2011.\n"


def _errors(errors) -> dict[str, str]:
    return {e.path: e.code for e in errors}


def test_links_are_followed_only_inside_the_input(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("a system file", encoding="utf-8")
    (raw / "inside-link.txt").symlink_to(raw / "story.txt")
    (raw / "sub" / "up").symlink_to(raw / "sub")  # a loop
    (raw / "outside-link.txt").symlink_to(outside)
    (raw / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    files, errors = list_inputs(raw)
    assert [f.name for f in files] == ["inside-link.txt", "story.txt"]
    assert _errors(errors) == {
        "dangling.txt": "E009",
        "outside-link.txt": "E008",
        "sub/up": "E009",
    }


def test_fifos_sockets_and_folders_named_like_documents_become_error_rows(tmp_path):
    raw = tmp_path / "raw"
    (raw / "x.txt").mkdir(parents=True)
    (raw / "x.txt" / "inner.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(raw / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(raw / "sock"))
    try:
        files, errors = list_inputs(raw)
    finally:
        sock.close()
    assert files == []
    assert _errors(errors) == {"pipe.txt": "E007", "sock": "E007", "x.txt": "E007"}
    assert "a FIFO" in next(e.message for e in errors if e.path == "pipe.txt")


def test_whitespace_only_and_empty_files_say_which(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    _, errors = documents(sorted(raw.iterdir()), raw, IngestConfig())
    assert {e.path: e.message for e in errors} == {
        "blank.txt": "[E011] file holds only whitespace",
        "empty.txt": "[E001] file is empty",
    }


def test_a_single_file_is_an_input_for_run_and_verify(tmp_path, capsys):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(story), "--out", str(out), "-q", "--no-cache"]) == 0
    assert pq.read_table(out / "documents.parquet").column("path").to_pylist() == ["story.txt"]
    assert main(["verify", "--out", str(out), "-q"]) == 0
    assert "verify: 0 problem(s)" in capsys.readouterr().out
    story.write_text(STORY.replace("Oslo", "Oxlo"), encoding="utf-8")
    assert main(["verify", "--out", str(out), "-q"]) == 1


def test_a_failed_file_sets_the_exit_code_and_the_rest_goes_on(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 40)
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--no-cache"]) == 1
    assert "1 article(s), 1 error(s)" in capsys.readouterr().out
    errors = pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()
    assert [(e["path"], e["code"]) for e in errors] == [("binary.txt", "E002")]


_CHUNKS = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),
    st.text(max_size=200).map(lambda s: s.encode("utf-16")),
    st.text(alphabet="abc Ωé\u00a0\n\r\t.(1)", max_size=300).map(
        lambda s: s.encode("cp1252", "replace")
    ),
    st.just(b"\x00"),
    st.integers(1, 5000).map(lambda n: b"x" * n),  # a long line
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.lists(_CHUNKS, max_size=4).map(b"".join), min_size=1, max_size=4))
def test_fuzzed_bytes_never_stop_ingest_or_segmentation(tmp_path_factory, files):
    raw = tmp_path_factory.mktemp("fuzz")
    for n, data in enumerate(files):
        (raw / f"f{n}.txt").write_bytes(data)
    paths, listing = list_inputs(raw)
    docs, errors = documents(paths, raw, IngestConfig())
    assert listing == []
    assert docs.num_rows + len(errors) == len(files)
    assert {e.path for e in errors}.isdisjoint(docs.column("path").to_pylist())
    arts, seg_errors = articles(docs, SegmentConfig(), LocalEngine(1))
    assert seg_errors == []
    texts = dict(
        zip(docs.column("doc_id").to_pylist(), docs.column("text").to_pylist(), strict=True)
    )
    for a in arts.to_pylist():
        assert 0 <= a["doc_start"] < a["doc_end"] <= len(texts[a["doc_id"]])
