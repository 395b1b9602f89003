"""Paragraphs with offsets, markup-free views of them, and text-density features.

A paragraph is a maximal run of non-blank lines. Every paragraph and line keeps its
offsets into the document text; cleaning only ever produces copies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import justext
import pycountry

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_MARKUP_RE = re.compile(r"\*\*|__|^#{1,6}\s+|^\s*(?:[-*+•]|\d{1,3}[.)])\s+", re.MULTILINE)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=64)
def stopwords(language: str | None = "en") -> frozenset[str]:
    """The stopwords of ``language`` (ISO 639-1) from jusText's lists (the
    boilerplate-removal standard, 100 languages); English for a language it lacks or an
    unknown one."""
    return frozenset(w.lower() for w in justext.get_stoplist(_stoplist_name(language)))


def _stoplist_name(language: str | None) -> str:
    """jusText's name for the stoplist of ISO 639-1 ``language`` ("de" -> "German")."""
    found = pycountry.languages.get(alpha_2=language) if language else None
    if found is None:
        return "English"
    name = unicodedata.normalize("NFKD", found.name).encode("ascii", "ignore").decode()
    name = name.replace(" ", "_")
    return name if name in justext.get_stoplists() else "English"


@dataclass(frozen=True)
class Line:
    """One line of text: ``text`` is ``doc[start:end]`` without its line break."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A run of non-blank lines; ``start``/``end`` index the document text."""

    lines: tuple[Line, ...]
    language: str | None = "en"  # of the document: its stopwords tell prose from chrome

    @property
    def start(self) -> int:
        """Offset of the first non-space character."""
        first = self.lines[0]
        return first.start + (len(first.text) - len(first.text.lstrip()))

    @property
    def end(self) -> int:
        """Offset just past the last non-space character."""
        last = self.lines[-1]
        return last.start + len(last.text.rstrip())

    @cached_property
    def raw(self) -> str:
        """The paragraph's lines joined by single newlines (no markup removed)."""
        return "\n".join(line.text.strip() for line in self.lines)

    @cached_property
    def clean(self) -> str:
        """Markup removed (bold, headings, list markers), whitespace collapsed."""
        return collapse(strip_markup(self.raw))

    @cached_property
    def words(self) -> list[str]:
        """The alphabetic words of the paragraph."""
        return _WORD_RE.findall(self.clean)

    @property
    def stopword_density(self) -> float:
        """Share of words that are stopwords; prose is high, menus and lists are low."""
        if not self.words:
            return 0.0
        stops = stopwords(self.language)
        return sum(w.lower() in stops for w in self.words) / len(self.words)

    @property
    def letter_ratio(self) -> float:
        """Share of non-space characters that are letters."""
        chars = [c for c in self.clean if not c.isspace()]
        return sum(c.isalpha() for c in chars) / len(chars) if chars else 0.0


def collapse(text: str) -> str:
    """Whitespace runs to single spaces, ends stripped."""
    return " ".join(text.split())


def strip_markup(text: str) -> str:
    """Remove lightweight markup: ``**bold**``, ``__``, heading hashes, list markers."""
    return _MARKUP_RE.sub("", text)


def is_url(text: str) -> bool:
    """True when the whole text is one URL or bare domain."""
    t = text.strip().strip("<>()").rstrip(".")
    return bool(re.fullmatch(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)+(?:/\S*)?", t))


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The lines of ``text[start:end]`` with their offsets, line breaks excluded."""
    end = len(text) if end is None else end
    out: list[Line] = []
    for m in _LINE_RE.finditer(text, start, end):
        if m.start() == m.end():
            break
        body = m.group(0).rstrip("\r\n")
        out.append(Line(m.start(), m.start() + len(body), body))
    return out


def paragraphs(
    text: str, start: int = 0, end: int | None = None, language: str | None = "en"
) -> list[Paragraph]:
    """Split ``text[start:end]`` into paragraphs at blank lines (of a document in
    ``language``, whose stopwords their density is counted with)."""
    out: list[Paragraph] = []
    run: list[Line] = []
    for line in lines_of(text, start, end):
        if line.text.strip():
            run.append(line)
        elif run:
            out.append(Paragraph(tuple(run), language))
            run = []
    if run:
        out.append(Paragraph(tuple(run), language))
    return out
