"""Layout cues shared by both kinds of document: headline blocks, dates in parentheses,
trailing source lines, and where a title's first character sits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.config import SegmentConfig
from pipeline.core.dateparse import parse_full_date
from pipeline.core.paragraphs import Paragraph, collapse, is_url

_PAREN_DATE_END_RE = re.compile(r"\(([^()]{4,60})\)[\s*_]*$")
_PAREN_DATE_ONLY_RE = re.compile(r"[\s*_]*\(([^()]{4,60})\)[\s*_]*")
_LEAD_MARKUP_RE = re.compile(r"^(?:\s|\*\*|__|#{1,6}\s|[-*+•]\s|\d{1,3}[.)]\s)*")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True)
class Headline:
    """An article's headline: where its text starts, which paragraphs it spans, its date."""

    start: int
    first_para: int
    last_para: int
    title: str
    date: dt.date | None
    date_source: str | None


def text_start(para: Paragraph) -> int:
    """Offset of the paragraph's first character after markup (``**``, ``#``, list marker)."""
    first = para.lines[0]
    return first.start + _LEAD_MARKUP_RE.match(first.text).end()


def title_text(text: str) -> str:
    """A headline as stored: markup gone, whitespace collapsed, stray dashes trimmed."""
    return collapse(text).strip(" -–—*_:")


def headline_at(paras: list[Paragraph], i: int, cfg: SegmentConfig) -> Headline | None:
    """The headline block starting at paragraph ``i``, if it is one.

    A headline block is a short paragraph (a few short lines, wrapped or not) whose last
    line ends with a full date in parentheses, or which is followed by a paragraph that is
    only such a date.
    """
    para = paras[i]
    if len(para.lines) > cfg.headline_max_lines or len(para.clean) > cfg.headline_max_chars:
        return None
    m = _PAREN_DATE_END_RE.search(para.clean)
    if m:
        date = parse_full_date(m.group(1))
        title = title_text(para.clean[: m.start()])
        if date is None or not _title_like(title, cfg):
            return None
        return Headline(text_start(para), i, i, title, date, "headline")
    if i + 1 < len(paras) and not _SENTENCE_END_RE.search(para.clean):
        m = _PAREN_DATE_ONLY_RE.fullmatch(paras[i + 1].raw)
        date = parse_full_date(m.group(1)) if m else None
        title = title_text(para.clean)
        if date is not None and _title_like(title, cfg):
            return Headline(text_start(para), i, i + 1, title, date, "headline")
    return None


def _title_like(title: str, cfg: SegmentConfig) -> bool:
    words = title.split()
    return 1 <= len(words) <= cfg.title_max_words and (title[0].isalnum() or title[0] in "“\"'‘«")


def source_of(para: Paragraph, cfg: SegmentConfig) -> str | None:
    """The attribution a trailing paragraph gives (agency, site, byline), else None.

    A source line is short: a URL or domain, or one to three short lines with no
    sentence-final punctuation ("NTB"; "Name,\\nSpecial correspondent of X\\nCity").
    """
    clean = para.clean
    if is_url(clean):
        return clean.strip("<>().")
    if len(clean) > cfg.source_max_chars or len(para.lines) > cfg.source_max_lines:
        return None
    if any(len(line.text.strip()) > cfg.source_line_max_chars for line in para.lines):
        return None
    if _SENTENCE_END_RE.search(clean) or len(clean.split()) > cfg.source_max_words:
        return None
    return clean if clean[:1].isupper() else None
