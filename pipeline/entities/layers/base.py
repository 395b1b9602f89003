"""What every layer shares: its context, provenance marking, and span utilities."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.config import NerConfig
from pipeline.core.spans import line_around
from pipeline.entities.mention import Mention
from pipeline.entities.sentences import sentence_of
from pipeline.entities.wordlists import honorifics

_WORD_RE = re.compile(r"[^\s]+")
# A word that is not the first of its sentence or line.
_MID_WORD_RE = re.compile(r"(?<=[\w,;:)”\"'’] )([A-Za-z][a-z]+)\b")


@dataclass(frozen=True)
class Context:
    """What layers may read: document texts, the article spans, and the settings."""

    texts: dict[str, str]
    articles: list[dict]
    cfg: NerConfig
    # The model's names of kinds that are no entity here (NORP, PRODUCT, EVENT...).
    others: tuple[Mention, ...] = ()

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


# Articles, conjunctions and prepositions written in capitals ("THE", "AND"): words, not
# acronyms (general English grammar). Other capitalised short words may be acronyms.
_CAPITAL_FUNCTION_WORDS = frozenset(
    [
        "A",
        "AN",
        "THE",
        "AND",
        "OR",
        "BUT",
        "NOR",
        "OF",
        "IN",
        "ON",
        "AT",
        "TO",
        "FOR",
        "BY",
        "WITH",
        "FROM",
        "AS",
        "INTO",
        "ONTO",
        "UPON",
    ]
)


def is_name(text: str) -> bool:
    """Whether a span can be a name at all: it has a capital letter and more than one
    character, and is not an honorific or role word alone ("Mr", "Ambassador"), nor a
    function word or pronoun alone ("He", "The"); "eBay" and "de Gaulle" are names,
    "a", "said", "1996", "7-6" and "Mr" are not.

    >>> [is_name(t) for t in ("eBay", "de Gaulle", "a", "1996", "Mr", "He", "US")]
    [True, True, False, False, False, False, True]
    """
    t = text.strip()
    bare = t.rstrip(".")
    if len(bare) <= 1 or not any(c.isupper() for c in t) or not any(c.isalpha() for c in t):
        return False
    if bare in honorifics() or bare.capitalize() in honorifics():
        return False
    if " " in bare:
        return True
    if bare.isupper():
        return bare not in _CAPITAL_FUNCTION_WORDS
    return bare.lower() not in STOP_WORDS


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


class SpanIndex:
    """One article's mentions in the order they were added, with an index of their
    starts: finding the mentions that overlap a span costs a binary search and the
    mentions near it, not a scan of the article's mentions, so layers stay linear in
    the article however many hits they place.

    >>> index = SpanIndex([])
    >>> index.free(0, 4)
    True
    """

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self._log: list[Mention | None] = []
        self._starts: list[tuple[int, int]] = []  # (doc_start, position in the log)
        self._longest = 0
        for m in mentions:
            self.add(m)

    def _index(self, m: Mention, pos: int) -> None:
        insort(self._starts, (m.doc_start, pos))
        self._longest = max(self._longest, m.doc_end - m.doc_start)

    def add(self, m: Mention) -> None:
        """Add ``m`` after every mention there is."""
        self._log.append(m)
        self._index(m, len(self._log) - 1)

    def replace(self, pos: int, m: Mention) -> None:
        """Put ``m`` in the place of the mention at ``pos``."""
        self._log[pos] = m
        self._index(m, pos)

    def remove(self, pos: int) -> None:
        """Take out the mention at ``pos``."""
        self._log[pos] = None

    def __getitem__(self, pos: int) -> Mention:
        found = self._log[pos]
        assert found is not None, f"no mention at {pos}"
        return found

    def overlapping(self, start: int, end: int) -> list[int]:
        """Positions of the mentions that share a character with ``[start, end)``, in
        the order they were added."""
        lo = bisect_left(self._starts, (start - self._longest, -1))
        hi = bisect_left(self._starts, (end, -1))
        found = set()
        for at, pos in self._starts[lo:hi]:
            m = self._log[pos]
            if m is not None and m.doc_start == at and start < m.doc_end and m.doc_start < end:
                found.add(pos)
        return sorted(found)

    def free(self, start: int, end: int) -> bool:
        """True when no mention overlaps ``[start, end)``."""
        return not self.overlapping(start, end)

    def mentions(self) -> list[Mention]:
        """The mentions, in the order they were added."""
        return [m for m in self._log if m is not None]


def per_article(
    found: list[Mention], ctx: Context, change: Callable[[SpanIndex, dict, str], None]
) -> list[Mention]:
    """Let ``change(index, article, text)`` edit each article's mentions through a
    :class:`SpanIndex`; the result keeps article order, and mentions of articles not in
    the context stay as they were."""
    grouped = by_article(found)
    out: list[Mention] = []
    for art, text in ctx.article_spans():
        mine = SpanIndex(grouped.pop(art["article_id"], []))
        change(mine, art, text)
        out.extend(mine.mentions())
    for rest in grouped.values():
        out.extend(rest)
    return out


def by_article(found: list[Mention]) -> dict[str, list[Mention]]:
    """Mentions grouped by article, in their order."""
    out: dict[str, list[Mention]] = {}
    for m in found:
        out.setdefault(m.article_id, []).append(m)
    return out


_CAPITALS_LINE = 0.8  # share of a line's letters in upper case: the line is in capitals


def capitals_line(text: str, start: int, end: int) -> bool:
    """Whether the line holding ``[start, end)`` is written in capitals, apart from the
    span itself (a headline in capitals: there a word in capitals need be no acronym)."""
    line_start, line_end = line_around(text, start, end)
    letters = [c for c in text[line_start:start] + text[end:line_end] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= _CAPITALS_LINE * len(letters)
