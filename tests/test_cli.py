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
