"""Correction layers over spaCy's mentions, each registered in
:mod:`pipeline.entities.layers.registry` and selected by ``[ner] layers``.

Each layer is a plain function ``(mentions, context) -> mentions`` that records what it
did in ``Mention.method``. They run in their registered order.
"""

from __future__ import annotations

import logging
import time

from pipeline.config import NerConfig
from pipeline.entities.layers import (  # noqa: F401  (importing a layer registers it)
    acronyms,
    cleanup,
    consistency,
    cues,
    demonyms,
    gazetteer,
    sources,
)
from pipeline.entities.layers.base import Context, is_name
from pipeline.entities.layers.registry import selected
from pipeline.entities.mention import Mention

log = logging.getLogger(__name__)


def apply_layers(
    found: list[Mention],
    texts: dict[str, str],
    articles: list[dict],
    cfg: NerConfig,
    others: list[Mention] | None = None,
) -> list[Mention]:
    """Run the selected layers in order (``others``: the model's names of other kinds,
    for them to read), then keep only spans that can be names
    (:func:`~pipeline.entities.layers.base.is_name`): whatever the model or a layer
    proposed, "a", "1996" or "Mr" alone is never a mention. Unknown layer names raise
    ValueError."""
    ctx = Context(texts, articles, cfg, tuple(others or ()))
    for layer in selected(cfg.layers):
        before, t0 = len(found), time.perf_counter()
        found = layer.fn(found, ctx)
        log.info(
            "ner layer %s: %d -> %d mentions in %.2fs",
            layer.name,
            before,
            len(found),
            time.perf_counter() - t0,
        )
    return [m for m in found if is_name(texts[m.doc_id][m.doc_start : m.doc_end])]
