"""Find the article in a single-article document: body, headline, date, source.

The body is found by text density, after jusText (Pomikálek 2011) adapted to plain
text: paragraphs of prose (long, rich in stopwords, made of sentences) are *good*;
link lists, menus, counters and widgets (few stopwords, few letters, no sentences) are
*bad*; the rest are *short* and belong to whichever side surrounds them. The article
is the run of paragraphs, unbroken by bad ones, holding the most good text. No list of
phrases is involved, so it carries over to sites it has never seen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from pipeline.config import SegmentConfig
from pipeline.core.dateparse import first_full_date
from pipeline.core.paragraphs import Paragraph
from pipeline.segment.headlines import source_of, text_start, title_text

# "Read : 981", "Font size : - / +", "Views: 12": a widget's label and value.
_WIDGET_RE = re.compile(r"^[^\W\d_][\w ]{0,24}\s?:\s?[^\s:]{0,12}(?:\s[^\s:]{1,3}){0,3}$")
_SENTENCE_RE = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")
_DATE_LABEL_RE = re.compile(r"^\s*(?:date|published|posted|updated|dated)\b\s*:?\s*", re.IGNORECASE)
# The place that opens a dateline: capitalised words, then a comma or a point.
_DATELINE_PLACE_RE = re.compile(r"\s*[A-Z][\w'’.-]*(?:[ ,]+[A-Z][\w'’.-]*){0,3}[,.]?\s+")
# A paragraph that is a dateline and nothing else: "OSLO (AP) --", "BERGEN, Norway (AP) _",
# "BERGEN, March 3 (NTB)".
_DATELINE_ALONE_RE = re.compile(
    r"^[A-Z][\w'’.-]*(?:[ ,]+[A-Z][\w'’.-]*){0,4}"
    r"(?:,?\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,}\.?\s+\d{1,2})(?:,?\s+\d{4})?)?"
    r",?\s*\([A-Z][\w.\- ]{0,30}\)\s*[-_—–]*$"
)
_DATE_LINE_MAX_WORDS = 6  # label, weekday, month, "at", "am", zone
_DATELINE_CHARS = 80  # how far into the body's first paragraph a dateline's date may end
_DATELINE_TOP_LINES = 3  # a dateline on a line of its own stands among the first lines
# "City. 26 February. AGENCY/" or "City, Feb. 26 (AGENCY)": a dateline naming its agency.
_DATELINE_AGENCY_RE = re.compile(
    r"^(?:\s*date\s+\S+)?\s*[A-Z][\w'’-]*(?:[ ,]+[A-Z][\w'’-]*){0,3}[.,]\s+"
    r"(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]{2,}\.?\s+\d{1,2})\.?\s+"
    r"(?:([A-Z][A-Za-z0-9.\-]{1,30})\s*/|\(([A-Z][A-Za-z0-9.\- ]{1,30})\))"
)


class Kind(Enum):
    """jusText's paragraph classes."""

    GOOD = "good"
    SHORT = "short"
    BAD = "bad"


def classify(para: Paragraph, cfg: SegmentConfig) -> Kind:
    """Good prose, a bad boilerplate block, or a short paragraph that could be either."""
    n_words = len(para.words)
    sentences = len(_SENTENCE_RE.findall(para.clean))
    if para.letter_ratio < cfg.prose_min_letter_ratio or _WIDGET_RE.match(para.clean):
        return Kind.BAD
    if (
        n_words >= cfg.boilerplate_min_words
        and para.stopword_density < cfg.boilerplate_max_stopword_density
    ):
        return Kind.BAD
    if n_words >= cfg.link_list_min_words and (
        not sentences or n_words / sentences > cfg.link_list_words_per_sentence
    ):
        return Kind.BAD  # a long run of words with no sentences: a list of links
    if (
        len(para.clean) >= cfg.good_min_chars
        and para.stopword_density >= cfg.good_min_stopword_density
        and sentences
    ):
        return Kind.GOOD
    return Kind.SHORT


@dataclass(frozen=True)
class Body:
    """The paragraphs of the main text: indices ``first..last`` inclusive; ``plain``
    when the document has no page chrome, so that the article starts at its top."""

    first: int
    last: int
    plain: bool = False


def main_body(paras: list[Paragraph], cfg: SegmentConfig) -> Body | None:
    """The run of paragraphs with the most good text, trimmed to good paragraphs, then
    widened to what belongs to it (:func:`_widened`). A document with no mark of page
    chrome at all (no widget, separator, copyright sign or address) is a plain article
    file: its body runs on to its end, and its article starts at its top.

    Runs are broken by a bad paragraph or by more than ``cfg.max_short_run`` short ones
    in a row (a block of menu entries).
    """
    max_short_run = cfg.max_short_run
    kinds = [classify(p, cfg) for p in paras]
    best: tuple[int, Body] | None = None
    first = last = None
    score = shorts = 0

    def close() -> None:
        nonlocal best
        if first is not None and (best is None or score > best[0]):
            best = (score, Body(first, last))

    for i, kind in enumerate(kinds):
        if kind is Kind.BAD or (kind is Kind.SHORT and shorts >= max_short_run):
            close()
            first = last = None
            score = shorts = 0
            continue
        if kind is Kind.SHORT:
            shorts += 1
            continue
        shorts = 0
        if first is None:
            first = i
        last = i
        score += len(paras[i].clean)
    close()
    if best is None:
        return None
    # A plain article file (all of it): no chrome marks outside its prose (an address
    # inside a sentence, "the group's site www.example.org says", is no page chrome).
    if not any(_chrome_marked(p) for p, k in zip(paras, kinds, strict=True) if k is not Kind.GOOD):
        return Body(best[1].first, len(paras) - 1, plain=True)
    return _widened(paras, kinds, best[1], cfg)


# Marks of navigation, footers and share bars: separators, copyright, addresses.
_CHROME_RE = re.compile(r"[|»›•©]|https?://|www\.|\S+@\S+\.\w")


def _date_line(para: Paragraph) -> bool:
    """A line that only states a date under a label ("Date: 1999-02-06", "Posted: Monday,
    12 March 2015, 10:15 GMT"), no prose after it."""
    return (
        len(para.lines) == 1
        and len(para.words) <= _DATE_LINE_MAX_WORDS
        and bool(_DATE_LABEL_RE.match(para.clean))
    )


def _chrome_marked(para: Paragraph) -> bool:
    """A paragraph only pages carry: a widget with its value ("Views: 12"; a sentence
    such as "Result: a draw." is none, nor a heading "Playing colours:") or separators,
    copyright signs and addresses of menus, footers and share bars."""
    widget = (
        _WIDGET_RE.match(para.clean)
        and not para.clean.endswith((".", ":"))
        and not _date_line(para)  # where publishers put the date
    )
    return bool(widget or _CHROME_RE.search(para.raw))


def _chrome_like(para: Paragraph, cfg: SegmentConfig) -> bool:
    """Page chrome (:func:`_chrome_marked`), or a menu written as several short lines of
    bare names ("Home", "World news": no stopwords; a list of phrases inside an article,
    "- spend a year on probation", has them)."""
    lines = [line.text.strip() for line in para.lines]
    short = len(lines) >= 3 and sum(map(len, lines)) / len(lines) < cfg.chrome_line_chars
    menu = short and para.stopword_density <= cfg.boilerplate_max_stopword_density
    return menu or _chrome_marked(para)


def _content_list(para: Paragraph, kind: Kind, cfg: SegmentConfig) -> bool:
    """A long block with no sentences that is no page chrome: a list of names or figures
    inside an article, not a menu (short lines, separators) or a widget."""
    return (
        kind is Kind.BAD
        and len(para.words) >= cfg.link_list_min_words
        and not _chrome_like(para, cfg)
    )


def _widened(paras: list[Paragraph], kinds: list[Kind], body: Body, cfg: SegmentConfig) -> Body:
    """The body with what belongs to it beyond its run: more prose after a gap of lists,
    tables or short lines of any length that hold no page chrome (leaving text out takes
    evidence: separators, addresses, widgets, a menu of bare names), and lists that
    close the document right after it."""
    last, n = body.last, len(paras)
    while last + 1 < n:
        gap = last + 1
        while gap < n and kinds[gap] is not Kind.GOOD and not _chrome_like(paras[gap], cfg):
            gap += 1
        if gap < n and kinds[gap] is Kind.GOOD:
            last = gap
        elif all(_content_list(paras[j], kinds[j], cfg) for j in range(last + 1, n)):
            last = n - 1  # the document closes with a list (a squad, a table of results)
            break
        else:
            break
    return Body(body.first, last)


def _headline_like(para: Paragraph, cfg: SegmentConfig) -> bool:
    words = para.clean.split()
    fewest, most = cfg.single_headline_words
    return (
        len(para.lines) <= cfg.single_headline_max_lines
        and fewest <= len(words) <= most
        and para.letter_ratio >= cfg.single_headline_min_letter_ratio
        and not _DATE_LABEL_RE.match(para.clean)
        and not _DATELINE_ALONE_RE.match(para.clean)
        and not para.clean.endswith((".", ":", ";", ","))
    )


@dataclass(frozen=True)
class Single:
    """The article found in a single-article document."""

    start: int
    end: int
    title: str | None
    published: dt.date | None
    published_source: str | None
    source: str | None


def _published(paras: list[Paragraph], body: Body) -> tuple[dt.date | None, str | None]:
    """The article's own date, only from where publishers put it: a "Date:" label line,
    a full date in the page header above the body, or a dateline opening the body
    ("OSLO, March 3, 2011 -"). A date inside the body is one the article talks about,
    not when it appeared: it is never taken, and a wrong date is worse than none.
    """
    for para in paras[: body.first + 1]:
        for line in para.lines:
            label = _DATE_LABEL_RE.match(line.text)
            if label:
                found = first_full_date(line.text[label.end() :])
                if found:
                    return found[0], "date_label"
    for para in paras[: body.first]:
        found = first_full_date(para.raw)
        if found:
            return found[0], "header"
    opening = paras[body.first].raw[:_DATELINE_CHARS]
    found = first_full_date(opening)
    if found and _DATELINE_PLACE_RE.fullmatch(opening[: found[1]]):
        return found[0], "dateline"
    day = dateline_line(paras[: body.first + 1])
    return (day, "dateline") if day else (None, None)


def dateline_line(paras: list[Paragraph]) -> dt.date | None:
    """The date of a dateline standing on a line of its own among the first
    ``_DATELINE_TOP_LINES`` lines of ``paras`` (a place, a full date, a dash at most:
    "GENEVA 2001-05-14", "Lyon, 3 March 2011 --"), else None."""
    lines = [line.text for para in paras for line in para.lines][:_DATELINE_TOP_LINES]
    for text in lines:
        found = first_full_date(text)
        if (
            found
            and _DATELINE_PLACE_RE.fullmatch(text[: found[1]])
            and not text[found[2] :].strip(" \t-–—:")
        ):
            return found[0]
    return None


def single_article(paras: list[Paragraph], cfg: SegmentConfig) -> Single | None:
    """The article of a one-article document, page chrome left out; None if no prose."""
    body = main_body(paras, cfg)
    if body is None:
        return None
    title_para = next((i for i in range(body.first) if _headline_like(paras[i], cfg)), None)
    if title_para is not None:
        start_para = title_para
    elif body.plain:  # from the top, its "Date:" lines (read into published) left out
        start_para = next(i for i, p in enumerate(paras) if not _date_line(p))
    else:
        start_para = body.first
    last = body.last
    source = None
    for j in range(body.last + 1, min(body.last + 1 + cfg.source_max_paragraphs, len(paras))):
        found = source_of(paras[j], cfg) if classify(paras[j], cfg) is not Kind.BAD else None
        if not found:
            break
        source, last = found, j
    if source is None:
        m = _DATELINE_AGENCY_RE.match(paras[body.first].raw)
        if m:
            source = m.group(1) or m.group(2)
    published, published_source = _published(paras, body)
    return Single(
        start=text_start(paras[start_para]),
        end=paras[last].end,
        title=title_text(paras[title_para].clean) if title_para is not None else None,
        published=published,
        published_source=published_source,
        source=source,
    )
