"""Layer: the forms news text takes around its prose.

- Datelines: a city in capitals before the date or the agency that opens a report
  (``LONDON 1996-08-22``, ``WASHINGTON (Reuters) -``) is a place, the agency an
  organization.
- Headlines in capitals: the model reads ``LEICESTERSHIRE TAKE OVER AT TOP`` as one
  organization or as nothing. Inside a stretch of three or more words in capitals, its
  mentions are set aside; the names the document writes elsewhere in ordinary case are
  found again there with the label they have in the document, and country names are
  places.
- Results lines: in ``Lotte 6 Hyundai 2``, two names each followed by a score, the names
  are teams: organizations, even when named after their city (never re-labelling a
  person).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    is_name,
    mark,
    new_mention,
    per_article,
    surface,
)
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import country_names

_CAPS_WORD = r"[A-Z][A-Z.'&-]*[A-Z.]"
# A dateline: at the start of a line or after a sentence stop, a city in capitals
# (one to four words), then an ISO date or an agency in parentheses.
_DATELINE = re.compile(
    rf"(?:^|(?<=\n)|(?<=[.!?] ))(?P<city>{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}})"
    rf"(?:, [A-Z][A-Za-z.]+)? (?:\d{{4}}-\d\d-\d\d|\( ?(?P<agency>[A-Z][A-Za-z-]+) ?\))"
)
_TOKEN = re.compile(r"\S+")
# A team and its score, twice in a row: "Lotte 6 Hyundai 2", "Real Madrid 3 Betis 1".
_NAME = r"[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,2}"
_RESULT = re.compile(rf"(?<![\w-])(?P<a>{_NAME}) \d{{1,3}} (?P<b>{_NAME}) \d{{1,3}}(?![\w.-])")
_MIN_CAPS_WORDS = 3  # words in capitals in a row that make a headline, not an acronym


def _caps_word(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _caps_stretches(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stretches of ``text[lo:hi]`` with three or more words in capitals in a row
    (tokens without letters, such as dashes and dates, do not break a stretch)."""
    out: list[tuple[int, int]] = []
    start = end = None
    words = 0
    for tok in _TOKEN.finditer(text, lo, hi):
        token = tok.group()
        if not any(c.isalpha() for c in token):
            continue
        if _caps_word(token):
            start = tok.start() if start is None else start
            end, words = tok.end(), words + 1
            continue
        if start is not None and words >= _MIN_CAPS_WORDS:
            out.append((start, end))
        start, words = None, 0
    if start is not None and words >= _MIN_CAPS_WORDS:
        out.append((start, end))
    return out


def _replace(mine: SpanIndex, art: dict, text: str, start: int, end: int, label: str) -> None:
    """Put ``[start, end)`` with ``label`` in place of what overlaps it."""
    for pos in mine.overlapping(start, end):
        m = mine[pos]
        if (m.doc_start, m.doc_end) == (start, end):
            if m.label != label:
                mine.replace(pos, mark(m.with_(label=label), "newsforms"))
            return
        mine.remove(pos)
    mine.add(new_mention(art, text, start, end, label, "newsforms"))


def _document_labels(found: list[Mention], ctx: Context, caps: dict[str, list]) -> dict:
    """Per document, the label each name written in ordinary case has there (its most
    frequent one), from mentions outside headline stretches."""
    votes: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for m in found:
        if any(s <= m.doc_start and m.doc_end <= e for s, e in caps.get(m.article_id, ())):
            continue
        form = surface(m, ctx)
        if is_name(form) and not form.isupper():
            votes[m.doc_id][form][m.label] += 1
    return {
        doc: {form: max(sorted(c), key=c.__getitem__) for form, c in forms.items()}
        for doc, forms in votes.items()
    }


@layer("newsforms", order=65)
def newsforms(found: list[Mention], ctx: Context) -> list[Mention]:
    """Datelines, headlines in capitals and results lines."""
    caps = {
        art["article_id"]: _caps_stretches(text, art["doc_start"], art["doc_end"])
        for art, text in ctx.article_spans()
    }
    labels = _document_labels(found, ctx, caps)
    countries = {name.upper(): name for name in country_names() if is_name(name)}

    def forms(mine: SpanIndex, art: dict, text: str) -> None:
        stretches = caps[art["article_id"]]
        _headlines(mine, art, text, stretches, labels.get(art["doc_id"], {}), countries)
        _datelines(mine, art, text)
        _results(mine, art, text)

    return per_article(found, ctx, forms)


def _headlines(
    mine: SpanIndex,
    art: dict,
    text: str,
    stretches: list[tuple[int, int]],
    labels: dict[str, str],
    countries: dict[str, str],
) -> None:
    if not stretches:
        return
    upper = {form.upper(): label for form, label in labels.items()}
    for name in countries:
        upper.setdefault(name, "PLACE")
    finder = PhraseFinder(upper)
    for lo, hi in stretches:
        for pos in mine.overlapping(lo, hi):
            if lo <= mine[pos].doc_start and mine[pos].doc_end <= hi:
                mine.remove(pos)
        for start, end, form in finder.findall(text, lo, hi):
            _replace(mine, art, text, start, end, upper[form])


def _datelines(mine: SpanIndex, art: dict, text: str) -> None:
    for m in _DATELINE.finditer(text, art["doc_start"], art["doc_end"]):
        _replace(mine, art, text, *m.span("city"), "PLACE")
        if m.group("agency"):
            _replace(mine, art, text, *m.span("agency"), "ORG")


def _results(mine: SpanIndex, art: dict, text: str) -> None:
    at = art["doc_start"]
    while m := _RESULT.search(text, at, art["doc_end"]):
        for group in ("a", "b"):
            start, end = m.span(group)
            held = [mine[pos] for pos in mine.overlapping(start, end)]
            if any(h.label == "PERSON" for h in held) or not is_name(text[start:end]):
                continue
            _replace(mine, art, text, start, end, "ORG")
        at = m.start("b")  # the second team may open the next pair
