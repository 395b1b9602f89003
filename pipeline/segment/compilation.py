"""Cut a compilation file into its articles.

Cues, all general to compilations: headline blocks (short, possibly bold, possibly wrapped
title lines ending in a date in parentheses, or followed by one) and a table of contents
(a list whose items are titles with dates). Where a table of contents exists it decides
which headlines are articles: each entry is matched to a headline block in order, and an
entry without one (an undated "About" section, say) is recovered by searching the body
for a paragraph with the entry's title.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.config import SegmentConfig
from pipeline.core.dateparse import parse_full_date
from pipeline.core.paragraphs import Paragraph, collapse, lines_of, strip_markup
from pipeline.segment.headlines import Headline, headline_at, text_start, title_text

log = logging.getLogger(__name__)

_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S")
_PAREN_DATE_END_RE = re.compile(r"\(([^()]{4,60})\)[\s*_]*$")


@dataclass(frozen=True)
class TocEntry:
    """One item of a table of contents."""

    title: str
    date: object  # datetime.date | None
    end: int


def _key(title: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", title.lower()).split())


def find_toc(text: str, cfg: SegmentConfig) -> list[TocEntry]:
    """The first table of contents in ``text``: a run of list items (blank lines allowed
    between them) of which at least ``toc_min_items`` end in a full date in parentheses."""
    run: list[tuple[str, object, int]] = []
    for line in lines_of(text):
        if not line.text.strip():
            continue
        if _LIST_ITEM_RE.match(line.text):
            clean = collapse(strip_markup(line.text))
            m = _PAREN_DATE_END_RE.search(clean)
            date = parse_full_date(m.group(1)) if m else None
            title = title_text(clean[: m.start()] if m and date else clean)
            run.append((title, date, line.end))
            continue
        if sum(d is not None for _, d, _ in run) >= cfg.toc_min_items:
            break
        run = []
    if sum(d is not None for _, d, _ in run) < cfg.toc_min_items:
        return []
    return [TocEntry(t, d, e) for t, d, e in run]


def _recover(
    paras: list[Paragraph], entry: TocEntry, lo: int, hi: int, cfg: SegmentConfig
) -> Headline | None:
    """Find a paragraph in ``paras[lo:hi]`` whose text is the entry's title."""
    want = _key(entry.title)
    for i in range(lo, hi):
        para = paras[i]
        if len(para.clean) > 2 * len(entry.title) + cfg.toc_title_slack_chars:
            continue
        own = headline_at(paras, i, cfg)
        title = own.title if own else title_text(para.clean)
        if fuzz.ratio(_key(title), want) >= cfg.toc_match_ratio:
            last = own.last_para if own else i
            date = own.date if own else entry.date
            return Headline(text_start(para), i, last, title, date, "headline" if own else "toc")
    return None


def compilation_headlines(text: str, paras: list[Paragraph], cfg: SegmentConfig) -> list[Headline]:
    """The headlines that open the articles of a compilation, in text order.

    Returns an empty list when the text does not look like a compilation (no table of
    contents and fewer than ``min_headlines`` headline blocks).
    """
    toc = find_toc(text, cfg)
    toc_end = toc[-1].end if toc else -1
    body_from = next((i for i, p in enumerate(paras) if p.start > toc_end), len(paras))
    candidates: list[Headline] = []
    i = body_from
    while i < len(paras):
        head = headline_at(paras, i, cfg)
        if head:
            candidates.append(head)
            i = head.last_para + 1
        else:
            i += 1
    if not toc:
        return candidates if len(candidates) >= cfg.min_headlines else []

    chosen: list[Headline] = []
    lo = body_from
    for n, entry in enumerate(toc):
        want = _key(entry.title)
        match = None
        for h in candidates:
            if h.first_para >= lo and fuzz.ratio(_key(h.title), want) >= cfg.toc_match_ratio:
                match = h
                break
        if match is None:
            hi = _search_limit(toc[n + 1 :], candidates, lo, len(paras), cfg)
            match = _recover(paras, entry, lo, hi, cfg)
        if match is None:
            log.warning("table of contents entry not found in the body: %r", entry.title)
            continue
        if match.date is None and entry.date is not None:
            match = Headline(
                match.start, match.first_para, match.last_para, match.title, entry.date, "toc"
            )
        chosen.append(match)
        lo = match.last_para + 1
    dropped = [h.title for h in candidates if h.first_para not in {c.first_para for c in chosen}]
    if dropped:
        log.info(
            "%d headline-like blocks not in the table of contents kept in their articles: %s",
            len(dropped),
            "; ".join(dropped[:5]),
        )
    return chosen


def _search_limit(
    later: list[TocEntry], candidates: list[Headline], lo: int, default: int, cfg: SegmentConfig
) -> int:
    """Where the search for a missing entry stops: the headline of the next entry found."""
    for entry in later:
        want = _key(entry.title)
        for h in candidates:
            if h.first_para >= lo and fuzz.ratio(_key(h.title), want) >= cfg.toc_match_ratio:
                return h.first_para
    return default
