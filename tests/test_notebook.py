"""The analysis notebook, executed end to end on the outputs of a real run."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.config import load_config
from pipeline.run import run_pipeline

from samples import COMPILATION, SINGLE

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "explore.ipynb"
STORY = (
    "Mayor Anna Berg of Oslo opened the bridge on March 2, 2011. Berg thanked the "
    "Friends of Rivers Association and the people of Bergen and Lisbon.\n"
)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = tmp_path_factory.mktemp("nb")
    raw = root / "raw"
    raw.mkdir()
    (raw / "digest.txt").write_text(COMPILATION, encoding="utf-8")
    (raw / "page.txt").write_text(SINGLE, encoding="utf-8")
    (raw / "story.txt").write_text(STORY, encoding="utf-8")
    (raw / "story (saved twice).txt").write_text(STORY, encoding="utf-8")  # repeated files
    out = run_pipeline(raw, root / "out", load_config()).out
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (params,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    params.source = f"OUTPUTS = {str(out)!r}"
    NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    return nb


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_every_plot_cell_draws_an_image(executed):
    plot_cells = [c for c in executed.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert len(plot_cells) == 4
    for cell in plot_cells:
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source[:60]


def test_tables_are_shown_and_not_empty(executed):
    table_cells = [
        c
        for c in executed.cells
        if c.cell_type == "code" and any("text/html" in o.get("data", {}) for o in c.outputs)
    ]
    assert len(table_cells) == 3
    for cell in table_cells:
        html = next(
            o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})
        )
        assert html.count("<tr>") >= 2, cell.source[:60]


def test_no_cell_raised(executed):
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
    ]
    assert errors == []
