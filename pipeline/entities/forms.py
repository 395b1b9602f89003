"""Surface forms and their comparison keys, shared by the consistency layer and the
entities stage."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.entities.abbreviations import is_short_form

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "«": '"', "»": '"'})


@lru_cache(maxsize=262144)
def normalise(text: str) -> str:
    """The comparison key of a surface form: case, quotes, hyphens, a leading "the" and a
    possessive do not count; nor do dots and hyphens inside acronyms.

    >>> normalise("the Nagorno-Karabakh’s")
    'nagorno karabakh'
    >>> normalise("ICYF-DC") == normalise("ICYFDC")
    True
    """
    t = text.translate(_QUOTES).strip()
    t = re.sub(r"^(?:the)\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"'s$", "", t)
    if is_short_form(t) and " " not in t:
        return re.sub(r"[.\-]", "", t).lower()
    return " ".join(re.sub(r"[-‐–_]", " ", t).casefold().split())
