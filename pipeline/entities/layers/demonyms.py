"""Layer: nationality words are not names. Spans that are demonyms ("Norwegian",
"Danes", "Norwegian-Americans") are dropped; a person's span that starts with one
("Lithuanian Karl Vaitkus") loses it (a place keeps it: "Western Europe")."""

from __future__ import annotations

import re

from pipeline.entities.layers.base import Context, mark, surface
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import is_demonym

_FIRST_WORD = re.compile(r"^(\S+)\s+(?=\S)")


@layer("demonyms", order=20)
def demonyms(found: list[Mention], ctx: Context) -> list[Mention]:
    """Drop demonym spans; strip a leading demonym from person spans."""
    out = []
    for m in found:
        text = surface(m, ctx)
        if is_demonym(text):
            continue
        first = _FIRST_WORD.match(text)
        if first and m.label == "PERSON" and is_demonym(first.group(1)):
            m = mark(m.with_(doc_start=m.doc_start + first.end()), "demonyms")
        out.append(m)
    return out
