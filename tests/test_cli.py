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
