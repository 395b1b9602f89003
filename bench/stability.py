"""Label stability: whether a name its own document makes clear keeps its label whatever
else is in the folder. The files of a folder (default ``raw/``) are run together, each
alone, and together with unrelated files (the first ``--others-n`` of another folder,
by default ``bbc``'s); their mentions are compared by file, span and label.

Prints, for each other run, the share of the together run's mentions found there with
the same span and label, and the mentions found there only.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import load_config
from pipeline.core.cache import ResultCache
from pipeline.core.engine import LocalEngine
from pipeline.ingest.files import list_inputs
from pipeline.run import run_pipeline

Mentions = dict[tuple[str, int, int], str]  # (file, start, end) -> label


def mentions(out: Path, under: str = "") -> Mentions:
    """The mentions of an output folder, keyed by their file's path relative to the input
    folder (only those under ``under``, with that prefix cut), start and end."""
    table = pq.read_table(
        out / "mentions.parquet", columns=["path", "doc_start", "doc_end", "label"]
    )
    found: Mentions = {}
    for row in table.to_pylist():
        path = row["path"]
        if path.startswith(under):
            found[path[len(under) :], row["doc_start"], row["doc_end"]] = row["label"]
    return found


def agreement(base: Mentions, other: Mentions) -> tuple[float, int]:
    """The share of ``base``'s mentions that ``other`` has with the same span and label
    (1.0 when ``base`` is empty), and how many of ``other``'s ``base`` does not have."""
    same = sum(other.get(key) == label for key, label in base.items())
    return (same / len(base) if base else 1.0), len(other.keys() - base.keys())


def _copy(files: list[Path], root: Path, dest: Path) -> None:
    """Copy ``files`` (under ``root``) into ``dest``, keeping their relative paths."""
    for f in files:
        target = dest / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)


def run(raw: str, others: str, n: int) -> None:
    """Run the three ways and print the agreement of each with the run together."""
    root, other_root = Path(raw), Path(others)
    files, _ = list_inputs(root)
    extra = list_inputs(other_root)[0][:n] if other_root.is_dir() else []
    cfg = load_config()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        engine = LocalEngine(0, cache=ResultCache(tmp / "cache.sqlite"))

        def mentions_of(folder: Path, name: str, under: str = "") -> Mentions:
            out = tmp / "out" / name
            run_pipeline(folder, out, cfg, engine)
            return mentions(out, under)

        together = mentions_of(root, "together")
        alone: Mentions = {}
        for k, f in enumerate(files):
            single = tmp / "single" / str(k)
            _copy([f], root, single)
            alone |= mentions_of(single, f"single-{k}")
        mixed = tmp / "mixed"
        _copy(files, root, mixed / "own")
        _copy(extra, other_root, mixed / "others")
        with_others = mentions_of(mixed, "mixed", under="own/")
    print(f"{len(together)} mentions in the {len(files)} file(s) of {raw} run together")
    for name, found in (
        ("each file alone", alone),
        (f"with {len(extra)} files of {others}", with_others),
    ):
        share, only = agreement(together, found)
        print(f"  {name:<40} same span and label {100 * share:6.2f} %; {only} found only there")
