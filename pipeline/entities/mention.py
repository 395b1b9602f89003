"""The mention record the NER layers pass along, and helpers over lists of them."""

from __future__ import annotations

from typing import NamedTuple

# spaCy's OntoNotes labels kept, and what they become.
LABEL_MAP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


class Mention(NamedTuple):
    """A labelled span of ``documents.text`` with its provenance (a named tuple: the
    layers make and copy hundreds of thousands of them).

    ``method`` names the layer that produced or last changed it (``model``, ``cleanup``,
    ``cues``, ``gazetteer``, ``acronym``, ``consistency``); ``model_label`` is what spaCy
    said (None when a layer added the span).
    """

    doc_id: str
    article_id: str
    doc_start: int
    doc_end: int
    label: str
    method: str
    model_label: str | None
    sent_start: int
    sent_end: int

    def with_(self, **changes: object) -> Mention:
        """A copy with some fields changed."""
        return self._replace(**changes)


def overlaps(a: Mention, start: int, end: int) -> bool:
    """True when ``a`` shares a character with ``[start, end)``."""
    return a.doc_start < end and start < a.doc_end


def sort_key(m: Mention) -> tuple[str, int, int]:
    """Document order."""
    return (m.doc_id, m.doc_start, m.doc_end)
