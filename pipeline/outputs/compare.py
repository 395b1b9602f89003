"""Comparing two output folders table by table, row for row: did a change of version
or configuration change what was extracted?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.tables import TABLES


@dataclass(frozen=True)
class TableDiff:
    """How one table differs between two output folders."""

    name: str
    rows_a: int | None
    rows_b: int | None
    only_a: int
    only_b: int
    same_schema: bool

    @property
    def identical(self) -> bool:
        """Both folders hold the table, with the same schema and the same rows in order."""
        return self.same_schema and self.only_a == self.only_b == 0 and self.rows_a is not None


def compare(a: Path, b: Path) -> list[TableDiff]:
    """Each table of :data:`pipeline.tables.TABLES`: its rows in ``a`` and ``b``, and
    how many rows of each are missing from the other (rows compared whole; order too,
    when both hold the same rows)."""
    out = []
    for name, spec in TABLES.items():
        pa_, pb_ = Path(a) / spec.file, Path(b) / spec.file
        if not pa_.exists() or not pb_.exists():
            ra = pq.read_metadata(pa_).num_rows if pa_.exists() else None
            rb = pq.read_metadata(pb_).num_rows if pb_.exists() else None
            out.append(TableDiff(name, ra, rb, ra or 0, rb or 0, False))
            continue
        ta, tb = pq.read_table(pa_), pq.read_table(pb_)
        rows_a, rows_b = ta.to_pylist(), tb.to_pylist()
        keys_a = [repr(sorted(r.items())) for r in rows_a]
        keys_b = [repr(sorted(r.items())) for r in rows_b]
        only_a = len(set(keys_a) - set(keys_b))
        only_b = len(set(keys_b) - set(keys_a))
        if not only_a and not only_b and keys_a != keys_b:
            only_a = only_b = sum(x != y for x, y in zip(keys_a, keys_b, strict=False)) or 1
        out.append(
            TableDiff(name, len(rows_a), len(rows_b), only_a, only_b, ta.schema == tb.schema)
        )
    return out
