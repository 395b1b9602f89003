"""Every error the pipeline reports has one home here, with a code and a message.

Bad input never stops a batch: a file that cannot be read or fails a stage becomes a
row of the ``errors`` table (and a log line) and every other file goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

from pipeline.tables import ERRORS


class E(StrEnum):
    """Error codes and their message templates."""

    E001 = "file is empty"
    E011 = "file holds only whitespace"
    E002 = "file looks binary ({reason}); not a text document"
    E003 = "cannot decode text: {reason}"
    E004 = "file is larger than the limit of {limit} bytes; raise ingest.max_bytes to read it"
    E005 = "no text could be extracted from the HTML page"
    E006 = "cannot read file: {reason}"
    E007 = "{kind}, not a document file; skipped"
    E008 = "symbolic link to a file outside the input folder; not followed"
    E009 = "symbolic link not followed: {reason}"
    E010 = "stage failed: {reason}"
    E012 = "cannot read folder: {reason}; its files were not read"

    def format(self, **kwargs: object) -> str:
        """The message with its code, e.g. ``[E001] file is empty``."""
        return f"[{self.name}] {self.value.format(**kwargs)}"


class OutputFolderError(Exception):
    """The output folder may not or cannot be written; the message says why and what to
    do. Raised before any work starts."""


class DocumentError(Exception):
    """A problem with one input file; the batch goes on without it."""

    def __init__(self, code: E, **kwargs: object) -> None:
        self.code = code
        super().__init__(code.format(**kwargs))


@dataclass(frozen=True)
class ErrorRecord:
    """One row of the ``errors`` table."""

    path: str
    stage: str
    code: str
    message: str


def describe(exc: BaseException) -> tuple[str, str]:
    """The error code and message of an exception raised while handling one item."""
    if isinstance(exc, DocumentError):
        return exc.code.name, str(exc)
    return E.E010.name, E.E010.format(reason=f"{type(exc).__name__}: {exc}")


def error_record(path: str, stage: str, exc: BaseException) -> ErrorRecord:
    """Turn an exception raised while handling ``path`` in ``stage`` into an error row."""
    return ErrorRecord(path, stage, *describe(exc))


def errors_table(records: list[ErrorRecord]) -> pa.Table:
    """The ``errors`` table from its rows."""
    return pa.Table.from_pylist([r.__dict__ for r in records], schema=ERRORS.schema)
