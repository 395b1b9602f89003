"""Abbreviation definitions, after Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text": a short form in parentheses
after its long form, "Long Form (SF)", matched right to left character by character.

Also matches an acronym to a name by its initials ("NRFCT" and "Nordic Rivers
Fund for Culture and Trade"), for grouping entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

# A short form: starts with a letter, 2-12 characters, at least two capitals; hyphens
# and digits allowed ("NRF-CT", "G20").
SHORT_FORM = r"[A-Za-z][A-Za-z0-9&.\-]{1,11}"
_PAREN_RE = re.compile(rf"\(\s*({SHORT_FORM})\s*\)")


@dataclass(frozen=True)
class Definition:
    """A long form and its short form, with offsets into the text searched."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int
    long: str
    short: str


def is_short_form(text: str) -> bool:
    """Two or more capitals, no spaces, at most 12 characters: "NATO", "NRF-CT", "DnB"."""
    return (
        2 <= len(text) <= 12
        and " " not in text
        and sum(c.isupper() for c in text) >= 2
        and text[0].isalpha()
    )


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz & Hearst's match: the shortest suffix of ``long`` whose words' characters
    spell ``short`` from right to left, the first character opening a word.

    >>> best_long_form("TNRS", "organised by The Nordic Rivers Society")
    'The Nordic Rivers Society'
    """
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            long[l_idx].lower() != c or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    found = long[start:]
    n_words = len(found.split())
    if n_words < 2 or n_words > min(len(short) + 5, len(short) * 2):
        return None
    return found


def definitions(text: str, lo: int = 0, hi: int | None = None) -> list[Definition]:
    """Every "Long Form (SF)" definition in ``text[lo:hi]``."""
    hi = len(text) if hi is None else hi
    out = []
    for m in _PAREN_RE.finditer(text, lo, hi):
        short = m.group(1).rstrip(".")
        if not is_short_form(short):
            continue
        line_start = max(lo, text.rfind("\n", lo, m.start()) + 1)
        window = text[line_start : m.start()].rstrip()
        window = re.split(r"[.;:!?]\s", window)[-1]
        long = best_long_form(short, window)
        if not long:
            continue
        long_end = line_start + len(text[line_start : m.start()].rstrip())
        out.append(
            Definition(
                long_end - len(long), long_end, m.start(1), m.start(1) + len(short), long, short
            )
        )
    return out


def initials(name: str) -> str:
    """Capital initials of a name's content words: "Nordic Rivers Fund for Culture and
    Trade" gives "NRFCT"."""
    return "".join(
        w[0].upper()
        for w in re.split(r"[\s\-]+", name)
        if w and w.lower() not in STOP_WORDS and w[0].isalpha()
    )


def matches_initials(short: str, name: str) -> bool:
    """True when the acronym's letters are the name's initials (hyphens ignored)."""
    letters = "".join(c for c in short.upper() if c.isalpha())
    return len(letters) >= 2 and letters == initials(name)
