import pytest

from pipeline.cli import build_parser


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_and_examples():
    for name, sub in _subcommands().items():
        assert sub.description, name
        assert "example" in (sub.epilog or ""), name


def test_help_exits_cleanly(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["run", "--help"])
    assert exc.value.code == 0
    assert "--out" in capsys.readouterr().out


def test_compare_finds_identical_runs_and_a_changed_row(tmp_path, capsys):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from pipeline.cli import main
    from pipeline.outputs.compare import compare

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text(
        "Mayor Anna Berg of Oslo opened the bridge on 2 March 2011.\n", encoding="utf-8"
    )
    assert main(["run", str(raw), "--out", str(tmp_path / "a"), "-q", "--no-cache"]) == 0
    assert main(["run", str(raw), "--out", str(tmp_path / "b"), "-q", "--no-cache"]) == 0
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "hold the same tables" in capsys.readouterr().out

    path = tmp_path / "b" / "mentions.parquet"
    table = pq.read_table(path)
    col = table.schema.get_field_index("label")
    pq.write_table(table.set_column(col, "label", pc.utf8_lower(table.column("label"))), path)
    diffs = {d.name: d for d in compare(tmp_path / "a", tmp_path / "b")}
    assert not diffs["mentions"].identical
    assert diffs["mentions"].only_a == diffs["mentions"].only_b == table.num_rows > 0
    assert diffs["articles"].identical
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 1


def test_every_command_takes_quiet_and_verbose():
    for name, sub in _subcommands().items():
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"-q", "-v"} <= options, name


def test_mentions_escapes_control_characters_from_the_source(tmp_path, capsys):
    from pipeline.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text(
        "Mayor Anna Berg of Oslo\x1b]0;pwned\x1b\\ opened the bridge.\x1b[2J Berg spoke.\n",
        encoding="utf-8",
    )
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "-q", "--no-cache"]) == 0
    capsys.readouterr()
    assert main(["mentions", "Berg", "--out", str(tmp_path / "out"), "--plain"]) == 0
    shown = capsys.readouterr().out
    assert "Anna Berg" in shown
    assert "\x1b" not in shown
    assert "\\x1b" in shown


@pytest.mark.parametrize("command", [["mentions", "Berg"], ["verify"]])
def test_commands_on_missing_or_older_outputs_say_what_to_run(tmp_path, capsys, command):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.cli import main

    missing = tmp_path / "nothing"
    assert main([*command, "--out", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "newsextract run RAW --out" in err

    older = tmp_path / "older"
    older.mkdir()
    for name in ("documents", "mentions", "entities"):
        pq.write_table(pa.table({"path": ["a.txt"]}), older / f"{name}.parquet")
    assert main([*command, "--out", str(older)]) == 2
    err = capsys.readouterr().err
    assert "was written by another version" in err and err.count("\n") == 1


def test_an_unexpected_error_is_one_line_and_its_traceback_shows_with_verbose(
    tmp_path, capsys, monkeypatch
):
    from pipeline import run
    from pipeline.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text("Anna Berg of Oslo spoke.\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(run, "write_outputs", broken)
    args = ["run", str(raw), "--out", str(tmp_path / "out"), "--no-cache"]
    assert main([*args, "-q"]) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "error: unexpected KeyError: 'boom' (run with -v for the traceback)"
    ]
    assert main([*args, "-v"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A run whose mentions fill more than a pipe's buffer when printed."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("crowded")
    raw = root / "raw"
    raw.mkdir()
    lines = [f"Mayor Anna Berg of Oslo met Lars Holm in Bergen on day {i}." for i in range(400)]
    (raw / "diary.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    assert main(["run", str(raw), "--out", str(root / "out"), "-q", "--no-cache"]) == 0
    return raw, root / "out"


def test_a_reader_that_stops_early_ends_the_command_quietly(crowded):
    import subprocess
    import sys

    _, out = crowded
    cmd = [sys.executable, "-m", "pipeline", "mentions", "--out", str(out), "--limit", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()  # like `| head -1`: one line, then the pipe closes
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert err.decode() == ""


def test_quiet_prints_nothing_when_all_went_well(crowded, tmp_path, capsys):
    from pipeline.cli import main

    raw, _ = crowded
    assert main(["run", str(raw), "--out", str(tmp_path / "o"), "-q", "--no-cache"]) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "argv", [["run", "--workers", "-3"], ["run", "--workers", "0"], ["mentions", "--limit", "-1"]]
)
def test_numbers_are_checked(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
    assert "is less than" in capsys.readouterr().err


def test_labels_take_any_case_and_help_shows_defaults(crowded, capsys):
    from pipeline.cli import main

    _, out = crowded
    assert main(["mentions", "--out", str(out), "--label", "place", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(",PLACE," in r for r in rows)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["mentions", "--help"])
    shown = capsys.readouterr().out
    assert "(default: 100)" in shown and "(default: 60)" in shown


def test_verify_reports_a_file_added_since_the_run(tmp_path, capsys):
    from pipeline.cli import main

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Anna Berg opened the bridge in Oslo.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "-q", "--no-cache"]) == 0
    assert main(["verify", "--out", str(out)]) == 0
    (raw / "b.txt").write_text("Lars Holm visited Bergen.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", "--out", str(out)]) == 1
    assert "b.txt: input file added since the run" in capsys.readouterr().out
