"""Build layer inputs by hand: one article per text, mentions from (surface, label)."""

from __future__ import annotations

from pipeline.config import NerConfig
from pipeline.entities.layers.base import Context
from pipeline.entities.mention import Mention


def context(*texts: str, cfg: NerConfig | None = None) -> Context:
    """A context with one document and one whole-text article per text."""
    docs = {f"d{i}": t for i, t in enumerate(texts)}
    arts = [
        {
            "article_id": f"a{i}",
            "doc_id": f"d{i}",
            "path": f"d{i}.txt",
            "doc_start": 0,
            "doc_end": len(t),
            "source": None,
        }
        for i, t in enumerate(texts)
    ]
    return Context(docs, arts, cfg or NerConfig())


def mention(
    ctx: Context, doc: int, surface: str, label: str, nth: int = 0, method: str = "model"
) -> Mention:
    """The ``nth`` occurrence of ``surface`` in text ``doc`` as a mention."""
    text = ctx.texts[f"d{doc}"]
    at = -1
    for _ in range(nth + 1):
        at = text.index(surface, at + 1)
    return Mention(f"d{doc}", f"a{doc}", at, at + len(surface), label, method, label, 0, len(text))


def spans(ctx: Context, found: list[Mention]) -> list[tuple[str, str]]:
    """(surface, label) of each mention, in document order."""
    ordered = sorted(found, key=lambda m: (m.doc_id, m.doc_start))
    return [(ctx.texts[m.doc_id][m.doc_start : m.doc_end], m.label) for m in ordered]
