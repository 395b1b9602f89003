import pytest

from pipeline.config import load_config


def test_user_file_overrides_part_of_the_defaults(tmp_path):
    path = tmp_path / "cfg.toml"
    path.write_text("[segment]\ntoc_min_items = 5\n")
    cfg = load_config(path)
    assert cfg.segment.toc_min_items == 5
    assert cfg.segment.min_headlines == 2


def test_unknown_key_names_the_key_and_the_choices(tmp_path):
    path = tmp_path / "cfg.toml"
    path.write_text("[segment]\ntoc_items = 5\n")
    with pytest.raises(ValueError, match=r"unknown config key 'segment.toc_items'.*toc_min_items"):
        load_config(path)


def test_wrong_type_is_rejected():
    with pytest.raises(ValueError, match="must be int"):
        load_config(overrides={"segment": {"toc_min_items": "five"}})
