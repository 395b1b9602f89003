"""Layer: acronyms. Definitions "Long Form (SF)" anywhere in the corpus give the short
form the label most of its long forms have, and every bare use of the short form in any
article becomes a mention (hyphenated forms that spaCy's tokenizer splits included). A
capitalised acronym is no person's name: one the model called a person is an
organization, unless its whole line is written in capitals (a wire headline, "TENNIS -
OKAFOR WINS"), where capitals tell nothing; and a long form read as a person lends it no
label."""

from __future__ import annotations

from collections import Counter, defaultdict

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.abbreviations import definitions, is_short_form
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    by_article,
    capitals_line,
    mark,
    new_mention,
    surface,
)
from pipeline.entities.layers.cues import has_org_head
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention


def _long_form_label(mine: SpanIndex, start: int, end: int, long: str) -> str | None:
    """The long form's label: ORG with a head word, else what the article's mentions
    inside it say; None when nothing in it is an entity (a campaign, a slogan)."""
    labels = [mine[pos].label for pos in mine.overlapping(start, end)]
    if has_org_head(long):
        return "ORG"
    if not labels:
        return None
    return max(sorted(set(labels)), key=labels.count)


def _plural_acronym(text: str) -> bool:
    """ "NGOs": two capitals at least, then a plural "s"."""
    return len(text) >= len("XYs") and text.endswith("s") and text[:-1].isupper()


@layer("acronyms", order=50)
def acronyms(found: list[Mention], ctx: Context) -> list[Mention]:
    """Label defined acronyms after their long forms and add their bare uses."""
    votes: dict[str, Counter[str | None]] = defaultdict(Counter)
    grouped = by_article(found)
    for art, text in ctx.article_spans():
        mine = SpanIndex(grouped.get(art["article_id"], []))
        for d in definitions(text, art["doc_start"], art["doc_end"]):
            long_words = d.long.split()
            if long_words[0][:1].isupper() and long_words[-1][:1].isupper():
                votes[d.short][_long_form_label(mine, d.long_start, d.long_end, d.long)] += 1
    # the most frequent label, ties to the first seen; a person's lends none
    most = {short: counted.most_common(1)[0][0] for short, counted in votes.items()}
    short_label = {short: label for short, label in most.items() if label != "PERSON"}
    out = []
    for m in found:
        text = surface(m, ctx)
        if text in short_label and short_label[text] is None:
            continue  # the acronym of something that is not an entity
        if _plural_acronym(text):
            continue  # "MPs", "IDPs": common nouns
        if text in short_label and m.label != short_label[text]:
            m = mark(m.with_(label=short_label[text]), "acronyms")
        elif (
            m.label == "PERSON"
            and is_short_form(text)
            and text.upper() == text
            and not capitals_line(ctx.texts[m.doc_id], m.doc_start, m.doc_end)
        ):
            m = mark(m.with_(label="ORG"), "acronyms")
        out.append(m)
    labelled = {k: v for k, v in short_label.items() if v}
    if not labelled:
        return out
    finder = PhraseFinder(labelled, hyphen_after=False)
    grouped = by_article(out)
    for art, text in ctx.article_spans():
        mine = SpanIndex(grouped.get(art["article_id"], []))
        for start, end, short in finder.findall(text, art["doc_start"], art["doc_end"]):
            if mine.free(start, end):
                added = new_mention(art, text, start, end, labelled[short], "acronyms")
                mine.add(added)
                out.append(added)
    return out
