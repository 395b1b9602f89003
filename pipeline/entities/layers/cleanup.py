"""Layer: span clean-up. Leading articles and lower-case function words, possessives,
stray punctuation and quotes, markup characters and paragraph breaks come out of the
span; the offsets move with it."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.entities.layers.base import Context, mark
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention

_LEAD_THE = re.compile(r"^(?:the|The|THE)\s+")
_LEAD_WORD = re.compile(r"^([a-z]+)\s+(?=\S)")
_LEAD_JUNK = re.compile(r"^[\s*_#•\-–—,.;:!?(\[]+")
_TRAIL_POSSESSIVE = re.compile(r"(?:['’`]s|s['’])$")
_TRAIL_JUNK = re.compile(r"[\s*_#•\-–—,;:!?)\]]+$")
_ABBREV_END = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Inc|Co|Ltd|Jr|Sr|Corp|Bros)\.$")
_BREAK = re.compile(r"[ \t]*\r?\n\s*")
_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'", "(": ")"}


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` until no rule applies."""
    while start < end:
        span = text[start:end]
        brk = _BREAK.search(span) if "\n" in span else None
        if brk:  # a line break: names do not run across lines here; keep the longer side
            left, right = brk.start(), brk.end()
            start, end = (
                (start, start + left) if left >= len(span) - right else (start + right, end)
            )
            continue
        if m := _LEAD_THE.match(span) or _LEAD_JUNK.match(span):
            start += m.end()
            continue
        first = _LEAD_WORD.match(span)
        if first and first.group(1) in STOP_WORDS:  # "of the X": names open capitalised
            start += first.end()
            continue
        if m := _TRAIL_JUNK.search(span):
            end = start + m.start()
            continue
        if span.endswith(".") and not _ABBREV_END.search(span):
            end -= 1
            continue
        if m := _TRAIL_POSSESSIVE.search(span):
            if span.endswith(("s'", "s’")):
                end -= 1
            else:
                end = start + m.start()
            continue
        opener = span[0]
        if opener in _PAIRS and span[-1] == _PAIRS[opener] and len(span) > 2:
            start, end = start + 1, end - 1  # wholly quoted: the quotes are not the name
            continue
        if opener in _PAIRS and _PAIRS[opener] not in span[1:]:
            start += 1
            continue
        closer = span[-1]
        openers = [o for o, c in _PAIRS.items() if c == closer]
        if openers and not any(o in span[:-1] for o in openers):
            end -= 1
            continue
        break
    return start, end


@layer("cleanup", order=10)
def cleanup(found: list[Mention], ctx: Context) -> list[Mention]:
    """Trim every span; drop spans left without a letter."""
    out = []
    for m in found:
        text = ctx.texts[m.doc_id]
        start, end = trim(text, m.doc_start, m.doc_end)
        if not any(ch.isalpha() for ch in text[start:end]):
            continue
        if (start, end) != (m.doc_start, m.doc_end):
            m = mark(m.with_(doc_start=start, doc_end=end), "cleanup")
        out.append(m)
    return out
