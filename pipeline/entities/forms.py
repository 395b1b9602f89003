"""Surface forms and their comparison keys, shared by the consistency layer and the
entities stage."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.entities.abbreviations import is_short_form

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})

# Terminal control sequences (ESC [ ... letter; ESC ] ... BEL) and C0/C1 control
# characters: a name printed to a terminal must not move the cursor or set its title.
_CONTROL_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*(?:[@-~]|$)|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]"
)


def display_name(text: str) -> str:
    """A name as the ``entities`` table shows it: control sequences and characters
    removed, whitespace collapsed ("\\x1b[1mTony Blair" -> "Tony Blair"); mentions keep
    the exact text."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())


@lru_cache(maxsize=262144)
def normalise(text: str) -> str:
    """The comparison key of a surface form: case, quotes, hyphens, a leading "the" and a
    possessive do not count; nor do dots and hyphens inside acronyms.

    >>> normalise("the Bosnia-Herzegovina’s")
    'bosnia herzegovina'
    >>> normalise("NRF-CT") == normalise("NRFCT")
    True
    """
    t = text.translate(_QUOTES).strip()
    t = re.sub(r"^(?:the)\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"'s$", "", t)
    if is_short_form(t) and " " not in t:
        return re.sub(r"[.\-]", "", t).lower()
    return " ".join(re.sub(r"[-‐–_]", " ", t).casefold().split())
