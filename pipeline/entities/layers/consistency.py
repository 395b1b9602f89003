"""Layer: corpus-level consistency. One surface form gets one label across the corpus
by a weighted vote of what the model and the cue layers said (a cue counts triple, and
a mention a cue labelled keeps its label against the vote: its context differs).
Surnames of people take the person label. Then every unlabelled occurrence of a name
labelled with confidence becomes a mention, cutting spans the model glued to it
("Khojaly Leyla" before "Aliyeva"). Single words the corpus itself mostly writes in lower
case ("Justice", "Assembly") are common nouns, not names, and are dropped."""

from __future__ import annotations

from collections import defaultdict

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.forms import normalise
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    by_article,
    mark,
    new_mention,
    surface,
    words,
)
from pipeline.entities.layers.cleanup import trim
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import place_names

_EVIDENCE = ("cues", "acronyms", "gazetteer", "sources")


def _weight(m: Mention, evidence_weight: float) -> float:
    return evidence_weight if any(layer in m.method for layer in _EVIDENCE) else 1.0


def _votes(found: list[Mention], ctx: Context) -> dict[str, dict[str, float]]:
    """Label weights per normalised form, so spelling variants vote together."""
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    evidence = ctx.cfg.consistency.evidence_weight
    for m in found:
        votes[normalise(surface(m, ctx))][m.label] += _weight(m, evidence)
    return votes


def _winner(tally: dict[str, float]) -> tuple[str, float, float]:
    label = max(sorted(tally), key=lambda k: tally[k])
    total = sum(tally.values())
    return label, tally[label], tally[label] / total


@layer("consistency", order=70, section="consistency")
def consistency(found: list[Mention], ctx: Context) -> list[Mention]:
    """Vote labels per surface form, label surnames, propagate confident names."""
    common = ctx.common_words
    found = [
        m
        for m in found
        if not (len(words(surface(m, ctx))) == 1 and surface(m, ctx).lower() in common)
    ]
    votes = _votes(found, ctx)
    by_key = {key: _winner(tally) for key, tally in votes.items()}
    forms = {surface(m, ctx) for m in found}
    winners = {form: by_key[normalise(form)] for form in forms}
    places = place_names()
    surnames = {
        words(form)[-1]
        for form, (label, _, share) in winners.items()
        if label == "PERSON"
        and len(words(form)) >= 2
        and share >= ctx.cfg.consistency.surname_min_share
    }
    relabelled = []
    for m in found:
        form = surface(m, ctx)
        label = winners[form][0]
        if form in surnames and form not in places:
            label = "PERSON"
        if label != m.label and not any(layer in m.method for layer in _EVIDENCE):
            m = mark(m.with_(label=label), "consistency")
        relabelled.append(m)

    cfg = ctx.cfg
    weights = {form: sum(votes[normalise(form)].values()) for form in forms}
    confident = {
        form: label
        for form, (label, weight, share) in winners.items()
        if weight >= cfg.consistency.min_weight
        and share >= cfg.consistency.min_share
        and len(form) >= cfg.consistency.min_chars
        and any(c.isupper() for c in form)
    }
    for name in surnames - places:
        if name.lower() not in common:
            confident.setdefault(name, "PERSON")
    return _propagate(relabelled, ctx, confident, weights)


def _propagate(
    found: list[Mention], ctx: Context, confident: dict[str, str], weights: dict[str, float]
) -> list[Mention]:
    if not confident:
        return found
    finder = PhraseFinder(confident)
    grouped = by_article(found)
    out: list[Mention] = []
    for art, text in ctx.article_spans():
        mine = SpanIndex(grouped.pop(art["article_id"], []))
        for s, e, form in finder.findall(text, art["doc_start"], art["doc_end"]):
            _place(mine, art, text, s, e, confident[form], weights)
        out.extend(mine.mentions())
    for rest in grouped.values():
        out.extend(rest)
    return out


def _place(
    mine: SpanIndex,
    art: dict,
    text: str,
    s: int,
    e: int,
    label: str,
    weights: dict[str, float],
) -> None:
    """Add the occurrence ``[s, e)``: it replaces spans inside it, and cuts spans that
    straddle it unless their own form has more votes."""
    overlapping = mine.overlapping(s, e)
    own = weights.get(text[s:e], 0.0)
    for pos in overlapping:
        m = mine[pos]
        if m.doc_start <= s and e <= m.doc_end:
            return  # the same span, or part of a longer name
        inner = s <= m.doc_start and m.doc_end <= e
        if not inner and weights.get(text[m.doc_start : m.doc_end], 0.0) >= own:
            return
    cut = []
    for pos in overlapping:
        m = mine[pos]
        mine.remove(pos)
        if s <= m.doc_start and m.doc_end <= e:
            continue  # the occurrence replaces a piece of itself
        lo, hi = trim(text, m.doc_start, s) if m.doc_start < s else trim(text, e, m.doc_end)
        if lo < hi and any(w[:1].isupper() for w in words(text[lo:hi])):
            cut.append(mark(m.with_(doc_start=lo, doc_end=hi), "consistency"))
    for m in cut:
        mine.add(m)
    mine.add(new_mention(art, text, s, e, label, "consistency"))
