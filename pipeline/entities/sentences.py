"""The sentence around a mention, for auditing: found in the text by its stops and line
breaks, the same way for the model's mentions and the ones layers add."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.entities.wordlists import honorifics

_STOP_RE = re.compile(r"[.!?](?=\s|$)")


def _initial_or_title(text: str, lo: int, point: int) -> bool:
    """Whether the point at ``point`` closes an initial ("J.") or a title ("Mr.", "Dr.")
    rather than a sentence (the word before it read no further back than ``lo``)."""
    at = point
    while at > lo and text[at - 1].isalpha():
        at -= 1
    word = text[at:point]
    return (len(word) == 1 and word.isupper()) or word in honorifics()


def _stops(text: str, lo: int, hi: int) -> Iterator[int]:
    """Ends of sentences inside ``text[lo:hi]``: a stop before a space, not the point of
    an initial or a title."""
    for m in _STOP_RE.finditer(text, lo, hi):
        if m.group() != "." or not _initial_or_title(text, lo, m.start()):
            yield m.end()


def _last_stop(text: str, lo: int, hi: int) -> int | None:
    """The last of :func:`_stops` inside ``text[lo:hi]``, found backwards: a long line
    holds many stops and only the last matters."""
    at = {c: text.rfind(c, lo, hi) for c in ".!?"}
    while (p := max(at.values())) >= 0:
        at[text[p]] = text.rfind(text[p], lo, p)
        if p + 1 < hi and not text[p + 1].isspace():
            continue
        if text[p] != "." or not _initial_or_title(text, lo, p):
            return p + 1
    return None


def sentence_of(text: str, art: dict, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)`` inside the article ``art`` (its ``doc_start`` and
    ``doc_end`` in ``text``): from the last stop or line break before the span to the next
    one after it, a stop after an initial or a title ("J.", "Mr.") not counted."""
    lo = max(art["doc_start"], text.rfind("\n", art["doc_start"], start) + 1)
    lo = _last_stop(text, lo, start) or lo
    while lo < start and text[lo].isspace():
        lo += 1
    hi_nl = text.find("\n", end, art["doc_end"])
    hi = art["doc_end"] if hi_nl < 0 else hi_nl
    return lo, next(_stops(text, end, hi), hi)
