"""Layer: consistency. A name gets one label in a document: the label model's
(:mod:`pipeline.entities.labelmodel`: from all its mentions there, what the NER model
called each, their contexts and the name's shape) where it is sure, else a weighted vote
of what the model and the cue layers said across the corpus (a cue counts triple; the
model's names of other kinds, nationalities, products, works, events, vote for "no
entity", and a name so labelled is dropped). A mention a cue labelled keeps its label:
its context differs. So adding or removing unrelated files never flips a name its own
document makes clear. Surnames of people take the person label in the documents that
name them in full, unless the word ends more of the document's names of other kinds
than of its people ("Upper Karn", "Lower Karn" against one "Anna Karn"). Then unlabelled
occurrences of names the corpus labels with confidence (enough weight, a clear
majority) become mentions in the documents where the model or a cue layer found them
(a surname where its full name was found), cutting spans the model glued to them
("Oslo Anna" before "Berg"); never in other documents, where a frequent name's label
would spread, and never where the model read a name of another kind. Only whole words
that can be
names are propagated (:func:`~pipeline.entities.layers.base.is_name`), never "a", "Mr"
or "1996". Single words the corpus itself mostly writes in lower case ("Justice",
"Assembly") are common nouns, not names, and are dropped; a surname after a formal
title ("Mr Short") is kept, and so is an acronym that spells one ("US", "WHO"), except on
a line written in capitals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.forms import normalise
from pipeline.entities.labelmodel import (
    Seen,
    document_surnames,
    joined_labels,
    load_label_model,
    name_features,
)
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    by_article,
    capitals_line,
    is_name,
    mark,
    new_mention,
    per_article,
    surface,
    words,
)
from pipeline.entities.layers.cleanup import trim
from pipeline.entities.layers.cues import after_formal_title, bare_name_label
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import place_names

_EVIDENCE = ("cues", "acronyms", "gazetteer", "sources")
# The vote for "a name of another kind" (a nationality, a product, a work, an event...):
# the model's NORP, PRODUCT, WORK_OF_ART, EVENT, LAW and LANGUAGE spans cast it.
NONE = "-"


def _weight(m: Mention, evidence_weight: float) -> float:
    return evidence_weight if any(layer in m.method for layer in _EVIDENCE) else 1.0


Tally = dict[str, float]


def _votes(found: list[Mention], ctx: Context) -> tuple[dict[str, Tally], dict[tuple, Tally]]:
    """Label weights per normalised form (so spelling variants vote together), in the
    corpus and per document."""
    votes: dict[str, Tally] = defaultdict(lambda: defaultdict(float))
    in_doc: dict[tuple, Tally] = defaultdict(lambda: defaultdict(float))
    evidence = ctx.cfg.consistency.evidence_weight
    for m in found:
        key, weight = normalise(surface(m, ctx)), _weight(m, evidence)
        votes[key][m.label] += weight
        in_doc[m.doc_id, key][m.label] += weight
    for m in ctx.others:  # the model read these as names of another kind
        key = normalise(surface(m, ctx))
        votes[key][NONE] += 1.0
        in_doc[m.doc_id, key][NONE] += 1.0
    return votes, in_doc


def _decided(
    found: list[Mention], ctx: Context, in_doc: dict[tuple, Tally]
) -> dict[tuple[str, str], tuple[str, float, float]]:
    """Each name's label in each document, by the label model
    (:mod:`pipeline.entities.labelmodel`) from all its mentions there (on validation
    names it beats the majority of the NER model's labels: ``docs/models/labels.md``),
    or none where the NER model read most of them as names of another kind: (label, the
    mentions' weight, its probability)."""
    named = [(m, surface(m, ctx)) for m in [*found, *ctx.others]]
    seen: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m, form in named:
        seen[m.doc_id, normalise(form)].append(m)
    surnames = document_surnames((m.doc_id, form, m.label) for m, form in named)
    joined = joined_labels(
        ctx.texts, ((m.doc_id, Seen(m.doc_start, m.doc_end, m.label)) for m, _ in named)
    )
    model = load_label_model()
    out = {}
    for (doc_id, key), members in seen.items():
        if not any(m.label in ("PERSON", "ORG", "PLACE") for m in members):
            continue
        form = Counter(surface(m, ctx) for m in members).most_common(1)[0][0]
        spans = [Seen(m.doc_start, m.doc_end, m.label) for m in members]
        feats = name_features(
            form, ctx.texts[doc_id], spans, surnames.get(doc_id, frozenset()), joined[doc_id]
        )
        p = model.probabilities(feats)
        label = max(p, key=lambda k: p[k])
        if feats.get("model=OTHER", 0.0) > 0.5:  # mostly read as another kind of name
            label = "NONE"
        weight = sum(w for lab, w in in_doc[doc_id, key].items() if lab != NONE)
        out[doc_id, key] = (NONE if label == "NONE" else label, weight, p[label])
    return out


def _winner(tally: dict[str, float]) -> tuple[str, float, float]:
    label = max(sorted(tally), key=lambda k: tally[k])
    total = sum(tally.values())
    return label, tally[label], tally[label] / total


def _common_word(m: Mention, ctx: Context, common: frozenset[str]) -> bool:
    """Whether ``m`` is a single word the corpus mostly writes in lower case ("Justice"),
    not a surname after a formal title ("Mr Short") nor an acronym that spells one ("US",
    "WHO") outside a line in capitals."""
    form = surface(m, ctx)
    if len(words(form)) != 1 or form.lower() not in common:
        return False
    if after_formal_title(ctx.texts[m.doc_id], m.doc_start):
        return False
    if bare_name_label(ctx.texts[m.doc_id], m.doc_start):
        return False
    acronym = len(form) > 1 and form.isupper()
    return not acronym or capitals_line(ctx.texts[m.doc_id], m.doc_start, m.doc_end)


Winner = Callable[[str, str], tuple[str, float, float]]


def _surnames(
    found: list[Mention], ctx: Context, winner: Winner
) -> tuple[set[str], dict[str, set[str]]]:
    """The corpus's confident surnames, and the documents where each word is a surname.

    The last word of a full name a document calls a person (``winner``: a form's label,
    weight and share in a document) is a person there, unless the word ends more of the
    document's names of other kinds than of its people ("Upper Karn", "Lower Karn" and
    one "Anna Karn"). Elsewhere its own document decides (the label model reads whether
    it follows a person's full name): one "Little Britain" read as a person makes no
    "Britain" in other documents a person. Confident surnames are still propagated
    where their full name is found.
    """
    # Each mention of a name of two or more words: its document, last word and decision.
    full = []
    for m in found:
        form = surface(m, ctx)
        parts = words(form)
        if len(parts) >= 2:
            full.append((m.doc_id, parts[-1], winner(form, m.doc_id)))
    endings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for doc_id, last, (label, _, _) in full:
        endings[doc_id, last][label] += 1
    cfg = ctx.cfg.consistency
    surnames: set[str] = set()
    surname_docs: dict[str, set[str]] = defaultdict(set)
    for doc_id, last, (label, weight, share) in full:
        if label != "PERSON":
            continue
        ending = endings[doc_id, last]
        if 2 * ending["PERSON"] <= ending.total() or share < cfg.surname_min_share:
            continue
        surname_docs[last].add(doc_id)
        if weight >= cfg.min_weight:
            surnames.add(last)
    return surnames, surname_docs


@layer("consistency", order=70, section="consistency")
def consistency(found: list[Mention], ctx: Context) -> list[Mention]:
    """Vote labels per surface form, label surnames, propagate confident names."""
    common = ctx.common_words
    found = [m for m in found if not _common_word(m, ctx, common)]
    cfg = ctx.cfg.consistency
    votes, in_doc = _votes(found, ctx)
    by_key = {key: _winner(tally) for key, tally in votes.items()}
    forms = {surface(m, ctx) for m in found}
    winners = {form: by_key[normalise(form)] for form in forms}
    own = _decided(found, ctx, in_doc)

    def winner(form: str, doc_id: str) -> tuple[str, float, float]:
        return own.get((doc_id, normalise(form)), winners[form])

    places = place_names()
    surnames, surname_docs = _surnames(found, ctx, winner)
    relabelled = []
    for m in found:
        form = surface(m, ctx)
        label = winner(form, m.doc_id)[0]
        if m.doc_id in surname_docs.get(form, ()) and form not in places:
            label = "PERSON"
        if label != m.label and not any(layer in m.method for layer in _EVIDENCE):
            if label == NONE:
                continue  # mostly read as another kind of name: "Irish", "Oscars"
            m = mark(m.with_(label=label), "consistency")
        relabelled.append(m)

    weights = {form: sum(votes[normalise(form)].values()) for form in forms}
    docs_of: dict[str, set[str]] = defaultdict(set)
    for m in relabelled:
        docs_of[surface(m, ctx)].add(m.doc_id)
    # Confident names: enough weight and a clear majority for one label. They go into
    # the documents where the model or a cue layer found them; a surname where its full
    # name was found.
    names = {
        form
        for form in forms
        if is_name(form)
        and len(form) >= cfg.min_chars
        and winners[form][0] != NONE
        and winners[form][1] >= cfg.min_weight
        and winners[form][2] >= cfg.min_share
    }
    label_of = {form: winners[form][0] for form in names}
    full_names: dict[str, set[str]] = defaultdict(set)
    for form in names:
        if label_of[form] == "PERSON" and len(words(form)) >= 2:
            full_names[words(form)[-1]].add(form)
    for name in surnames - places:
        if is_name(name) and name.lower() not in common and name not in label_of:
            label_of[name] = "PERSON"
    allowed = _Allowed(docs_of, full_names, surname_docs)
    return _propagate(relabelled, ctx, label_of, allowed, weights, own)


class _Allowed:
    """Where a name may be added: in the documents where it was found; a surname also
    where its full name was found and the document makes it a surname
    (``surname_docs``)."""

    def __init__(
        self,
        docs_of: dict[str, set[str]],
        full_names: dict[str, set[str]],
        surname_docs: dict[str, set[str]],
    ) -> None:
        self.docs_of, self.full_names, self.surname_docs = docs_of, full_names, surname_docs

    def __call__(self, form: str, doc_id: str) -> bool:
        if doc_id in self.docs_of.get(form, ()):
            return True
        return doc_id in self.surname_docs.get(form, ()) and any(
            doc_id in self.docs_of[full] for full in self.full_names.get(form, ())
        )


def _propagate(
    found: list[Mention],
    ctx: Context,
    label_of: dict[str, str],
    allowed: _Allowed,
    weights: dict[str, float],
    own: dict[tuple[str, str], tuple[str, float, float]],
) -> list[Mention]:
    """Add the unlabelled occurrences of ``label_of``'s names where ``allowed``, with the
    label of their document's own clear vote, else the corpus's; never where the model
    read a name of another kind."""
    if not label_of:
        return found
    finder = PhraseFinder(label_of)

    other = by_article(list(ctx.others))

    def add_names(mine: SpanIndex, art: dict, text: str) -> None:
        elsewhere = SpanIndex(other.get(art["article_id"], []))
        for s, e, form in finder.findall(text, art["doc_start"], art["doc_end"]):
            if allowed(form, art["doc_id"]) and elsewhere.free(s, e):
                label = own.get((art["doc_id"], normalise(form)), (label_of[form],))[0]
                if label != NONE:
                    _place(mine, art, text, s, e, label, weights)

    return per_article(found, ctx, add_names)


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
