"""Every output table, declared once: its columns with their Arrow types and meanings,
its key, what one row is, and which stage writes it.

The stages build their tables with these schemas, the writer and the readers use them,
and ``docs/tables.md`` is generated from them (``python -m pipeline.tables``; a test
fails when the two disagree). The tables are a superset of the output contract
(``SCHEMA.md``, shared with the scorer): columns may be added, never renamed or dropped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    """One column: name, Arrow type, whether it may be null, and what it holds."""

    name: str
    type: pa.DataType
    meaning: str
    nullable: bool = False

    @property
    def field(self) -> pa.Field:
        """The Arrow field."""
        return pa.field(self.name, self.type, nullable=self.nullable)


@dataclass(frozen=True)
class Table:
    """One output table, written as ``NAME.parquet``."""

    name: str
    row: str
    stage: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema the table is written with."""
        return pa.schema([c.field for c in self.columns])

    @property
    def file(self) -> str:
        """Its file name in the output folder."""
        return f"{self.name}.parquet"

    def empty(self) -> pa.Table:
        """A table with this schema and no rows."""
        return self.schema.empty_table()


def _str(name: str, meaning: str, nullable: bool = False) -> Column:
    return Column(name, pa.string(), meaning, nullable)


def _int(name: str, meaning: str) -> Column:
    return Column(name, pa.int64(), meaning)


_PATH = _str("path", "the document's path relative to the input folder, `/`-separated")
_DOC_ID = _str("doc_id", "the document it lies in")
_ARTICLE_ID = _str("article_id", "the article it lies in")


def _span(what: str) -> tuple[Column, Column]:
    return (
        _int("doc_start", f"start of {what} in `documents.text` (Python `str` index)"),
        _int("doc_end", f"end of {what} in `documents.text` (half-open)"),
    )


_TEXT = _str("text", "exactly `documents.text[doc_start:doc_end]`")

DOCUMENTS = Table(
    "documents",
    row="input file",
    stage="ingest",
    key=("doc_id",),
    columns=(
        _str("doc_id", "id of the file: a hash of its path, unique per row"),
        _PATH,
        Column("text", pa.large_string(), "the decoded text that every offset indexes"),
        _str("encoding", "the encoding the bytes were decoded from (detected)"),
        _str(
            "method",
            "how the text was obtained: `plain`, `markdown`, `trafilatura X, htmldate Y` (HTML)",
        ),
        _int("n_bytes", "size of the file in bytes"),
        _str("sha256", "SHA-256 of the file's bytes"),
        _str("content_id", "a hash of the file's bytes: identical files share it"),
        _str("language", "ISO 639-1 code (py3langid), null when the detector is unsure", True),
        Column("language_score", pa.float64(), "the detector's probability for it"),
        _str(
            "skipped",
            "why entities and dates were not extracted (a language not configured), else null",
            True,
        ),
        _str("title", "a web page's title from its metadata (trafilatura), else null", True),
        Column(
            "published",
            pa.date32(),
            "a web page's published date from its metadata (htmldate), else null",
            True,
        ),
        _str("author", "a web page's author from its metadata, else null", True),
        _str("site", "a web page's site name from its metadata, else null", True),
        _str(
            "found_by",
            "a web page's fields and where each was read (`title: og:title; published: "
            "article:published_time; ...`), else null",
            True,
        ),
    ),
)

ARTICLES = Table(
    "articles",
    row="article",
    stage="segment",
    key=("article_id",),
    columns=(
        _str("article_id", "id of the article"),
        _DOC_ID,
        _PATH,
        *_span("the article, title included, page chrome excluded"),
        _str("title", "headline, markup removed, whitespace collapsed; null if none", True),
        Column("published", pa.date32(), "the article's own date; null if unknown", True),
        _str(
            "published_source",
            "where `published` came from: `headline`, `toc`, `date_label`, `header`, "
            "`dateline`, `page_metadata` (a web page's metadata)",
            True,
        ),
        _str("source", "source attribution (agency, site, byline line); null if none", True),
        _str("layout", "`compilation`, `single` (one article in page chrome) or `fragment`"),
    ),
)

LEFT_OUT = Table(
    "left_out",
    row="stretch of a document's text that no article holds (page chrome, a compilation's "
    "front matter)",
    stage="segment",
    key=("doc_id", "doc_start"),
    columns=(
        _DOC_ID,
        _PATH,
        *_span("the stretch, trimmed of surrounding whitespace"),
        _TEXT,
        _str(
            "reason", "`before the first article`, `between articles` or `after the last article`"
        ),
    ),
)

MENTIONS = Table(
    "mentions",
    row="mention of a person, organization or place",
    stage="entities (stories adds `in_boilerplate`)",
    key=("mention_id",),
    columns=(
        _str("mention_id", "id of the mention"),
        _ARTICLE_ID,
        _DOC_ID,
        _PATH,
        *_span("the mention"),
        _TEXT,
        _str("label", "`PERSON`, `ORG` or `PLACE`"),
        _str("entity_id", "the canonical entity it refers to (see `entities`)", True),
        _str("method", "the layers that produced or changed it, e.g. `model+cleanup+cues`"),
        _str("model_label", "spaCy's own label; null if a layer added the span", True),
        _str("model", "the spaCy model that ran"),
        _int("sent_start", "start of its sentence in `documents.text`"),
        _int("sent_end", "end of its sentence in `documents.text`"),
        Column("in_boilerplate", pa.bool_(), "inside a boilerplate paragraph of its article"),
    ),
)

ENTITIES = Table(
    "entities",
    row="canonical entity",
    stage="entities",
    key=("entity_id",),
    columns=(
        _str("entity_id", "id of the entity"),
        _str("label", "`PERSON`, `ORG` or `PLACE`"),
        _str("name", "canonical name: its most frequent full form"),
        Column("aliases", pa.list_(pa.string()), "every surface form seen"),
        _int("mention_count", "number of mentions"),
        _int("article_count", "number of articles that mention it"),
    ),
)

# Where a date expression stands: shared by dates and unresolved_dates.
_DATE_EXPRESSION = (
    _str("date_id", "id of the date expression"),
    _ARTICLE_ID,
    _DOC_ID,
    _PATH,
    *_span("the expression"),
    _TEXT,
)

DATES = Table(
    "dates",
    row="date expression",
    stage="dates",
    key=("date_id",),
    columns=(
        *_DATE_EXPRESSION,
        _str("value", "ISO value at its grain: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (range start)"),
        _str("end_value", "ISO end of a range at its grain, else null", True),
        _str("grain", "`day`, `month` or `year`"),
        _str("kind", "the form matched (`day_month`, `relative_day`, `numeric`...)"),
        Column("ambiguous", pa.bool_(), "numeric date whose day and month could swap"),
        Column("base", pa.date32(), "the article date it was resolved against", True),
        _str("method", "`pattern`, or `pattern+model` where spaCy also saw a DATE"),
    ),
)

UNRESOLVED_DATES = Table(
    "unresolved_dates",
    row="date expression found but left without a value",
    stage="dates",
    key=("date_id",),
    columns=(
        *_DATE_EXPRESSION,
        _str("kind", "the form matched (`day_month`, `weekday`, `relative_day`...)"),
        _str("reason", "why it has no value (an article without a date of its own)"),
    ),
)

DUPLICATES = Table(
    "duplicates",
    row="article in a group of repeated reports (groups of one left out)",
    stage="stories",
    key=("article_id",),
    columns=(
        _str("article_id", "the article"),
        _str("cluster_id", "the group"),
        _str("kind", "its strongest link: `exact`, `near` (largely copied) or `event`"),
        Column("similarity", pa.float64(), "similarity of its strongest link"),
        _str("representative_id", "the group's earliest article (the longest on a tie)"),
        Column("is_representative", pa.bool_(), "whether it is the representative"),
    ),
)

STORIES = Table(
    "stories",
    row="article: its story (one happening: the article, its copies and other reports of "
    "that happening; a story of one when nothing repeats it) and its thread (the stories "
    "of one developing subject)",
    stage="dedup",
    key=("article_id",),
    columns=(
        _str(
            "story_id",
            "the story, one happening: the same as `duplicates.cluster_id` for groups of two "
            "or more; count events with it",
        ),
        _ARTICLE_ID,
        _str("joined_by", "its strongest link: `exact`, `near` or `event`; null when alone", True),
        Column(
            "score",
            pa.float64(),
            "that link's score: similarity of a copy, or for `event` its mean probability "
            "of reporting one happening with each of the story's other articles (for two "
            "undated articles, lowered to their corpus's odds); null when alone",
            True,
        ),
        _int("size", "number of articles in the story"),
        _str("representative_id", "the story's earliest article (longest on a tie)"),
        Column("is_representative", pa.bool_(), "whether it is the representative"),
        _str(
            "copy_of",
            "for an article in a group of exact or near copies, the group's earliest article "
            "(longest on a tie): the one copy that counts; null when nothing copies it",
            True,
        ),
        _str(
            "thread_id",
            "its thread: the developing story its story belongs to (the same subject and "
            "participants over days or weeks; a thread of its own story when none)",
        ),
        _int("thread_size", "number of articles in the thread"),
    ),
)

PARAGRAPHS = Table(
    "paragraphs",
    row="paragraph of an article",
    stage="stories",
    key=("paragraph_id",),
    columns=(
        _str("paragraph_id", "id of the paragraph"),
        _ARTICLE_ID,
        _DOC_ID,
        _PATH,
        *_span("the paragraph"),
        _str(
            "boilerplate_group", "its group of recurring paragraphs; null unless boilerplate", True
        ),
        _int("group_articles", "number of articles its group occurs in (1 if none)"),
    ),
)

ERRORS = Table(
    "errors",
    row="file that failed a stage",
    stage="any",
    key=("path", "stage"),
    columns=(
        _PATH,
        _str("stage", "the stage that failed"),
        _str("code", "error code (see `pipeline/errors.py`)"),
        _str("message", "what went wrong and what to do"),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        DOCUMENTS,
        ARTICLES,
        LEFT_OUT,
        MENTIONS,
        ENTITIES,
        DATES,
        UNRESOLVED_DATES,
        DUPLICATES,
        STORIES,
        PARAGRAPHS,
        ERRORS,
    )
}


def markdown() -> str:
    """The documentation of every table (``docs/tables.md``)."""
    lines = [
        "# Output tables",
        "",
        "Generated from `pipeline/tables.py` by `python -m pipeline.tables > docs/tables.md`;",
        "a test fails when this file and the code disagree. Every table is one Parquet file",
        "(zstd) in the output folder. Offsets are half-open Python `str` indices into",
        "`documents.text`, so `documents.text[doc_start:doc_end] == text` on every row that",
        "has a `text` column.",
    ]
    for t in TABLES.values():
        lines += [
            "",
            f"## {t.name}",
            "",
            f"One row per {t.row}. Written by: {t.stage}. Key: `{', '.join(t.key)}`.",
            "",
            "| column | type | null | meaning |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.meaning} |"
            for c in t.columns
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
