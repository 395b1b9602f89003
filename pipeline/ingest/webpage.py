"""Web pages: main text, title, published date, author and site from the page's markup
and metadata, by trafilatura (which reads `<title>`, Open Graph, JSON-LD and
`<meta>` tags, and finds the date with htmldate: `article:published_time`, JSON-LD
`datePublished`, `<time>` elements, then the URL and the text)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import htmldate
import trafilatura

from pipeline.errors import DocumentError, E

METHOD = f"trafilatura {trafilatura.__version__}, htmldate {htmldate.__version__}"


@dataclass(frozen=True)
class Page:
    """A web page's extracted text (its title, a blank line, then its paragraphs, each
    separated by a blank line) and the metadata found beside it."""

    text: str
    title: str | None
    published: dt.date | None
    author: str | None
    site: str | None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def read_page(html: str) -> Page:
    """The main text and metadata of one page; :class:`DocumentError` E005 when no main
    text is found."""
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    body = [" ".join(line.split()) for line in (doc.text or "").splitlines()] if doc else []
    body = [line for line in body if line]
    if not body:
        raise DocumentError(E.E005)
    title = _clean(doc.title)
    paragraphs = body if title is None or body[0] == title else [title, *body]
    return Page(
        "\n\n".join(paragraphs) + "\n",
        title,
        _date(doc.date),
        _clean(doc.author),
        _clean(doc.sitename),
    )
