"""What every layer shares: its context, provenance marking, and span utilities."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from pipeline.config import NerConfig
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import honorifics

_WORD_RE = re.compile(r"[^\s]+")
_STOP_RE = re.compile(r"[.!?](?=\s|$)")
# A word that is not the first of its sentence or line.
_MID_WORD_RE = re.compile(r"(?<=[\w,;:)”\"'’] )([A-Za-z][a-z]+)\b")


@dataclass(frozen=True)
class Context:
    """What layers may read: document texts, the article spans, and the settings."""

    texts: dict[str, str]
    articles: list[dict]
    cfg: NerConfig

    @cached_property
    def common_words(self) -> frozenset[str]:
        """Lower-cased words the corpus itself writes in lower case at least half as often
        as capitalised mid-sentence: common nouns ("justice", "assembly"), not names."""
        seen: Counter[str] = Counter()
        for art, text in self.article_spans():
            seen.update(_MID_WORD_RE.findall(text, art["doc_start"], art["doc_end"]))
        lower: Counter[str] = Counter()
        upper: Counter[str] = Counter()
        for word, n in seen.items():
            (upper if word[0].isupper() else lower)[word.lower()] += n
        return frozenset(w for w, n in lower.items() if n >= max(1, upper[w] / 2))

    def article_spans(self) -> Iterator[tuple[dict, str]]:
        """Each article with its document's text."""
        for art in self.articles:
            yield art, self.texts[art["doc_id"]]


def mark(m: Mention, layer: str) -> Mention:
    """Record that ``layer`` produced or changed ``m`` (methods chain: ``model+cleanup``)."""
    if m.method.split("+")[-1] == layer:
        return m
    return m.with_(method=f"{m.method}+{layer}")


def surface(m: Mention, ctx: Context) -> str:
    """The mention's text."""
    return ctx.texts[m.doc_id][m.doc_start : m.doc_end]


def words(text: str) -> list[str]:
    """Whitespace-separated tokens."""
    return _WORD_RE.findall(text)


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
    """A sentence-ish window around ``[start, end)`` inside the article, for added spans."""
    lo = max(art["doc_start"], text.rfind("\n", art["doc_start"], start) + 1)
    lo = _last_stop(text, lo, start) or lo
    while lo < start and text[lo].isspace():
        lo += 1
    hi_nl = text.find("\n", end, art["doc_end"])
    hi = art["doc_end"] if hi_nl < 0 else hi_nl
    return lo, next(_stops(text, end, hi), hi)


def new_mention(art: dict, text: str, start: int, end: int, label: str, layer: str) -> Mention:
    """A mention a layer adds (no model label), with a sentence window for auditing."""
    s_lo, s_hi = sentence_of(text, art, start, end)
    return Mention(
        doc_id=art["doc_id"],
        article_id=art["article_id"],
        doc_start=start,
        doc_end=end,
        label=label,
        method=layer,
        model_label=None,
        sent_start=s_lo,
        sent_end=s_hi,
    )


def free_of(found: list[Mention], doc_id: str, start: int, end: int) -> bool:
    """True when no mention in ``found`` overlaps ``[start, end)`` of ``doc_id``."""
    return not any(m.doc_id == doc_id and m.doc_start < end and start < m.doc_end for m in found)


def by_article(found: list[Mention]) -> dict[str, list[Mention]]:
    """Mentions grouped by article, in their order."""
    out: dict[str, list[Mention]] = {}
    for m in found:
        out.setdefault(m.article_id, []).append(m)
    return out
