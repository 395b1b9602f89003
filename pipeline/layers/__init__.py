"""Correction layers over spaCy's mentions, each switchable in ``[ner] layers``.

Each layer is a plain function ``(mentions, context) -> mentions`` that records what it
did in ``Mention.method``. They run in the configured order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from pipeline.config import NerConfig
from pipeline.layers.acronyms import acronyms
from pipeline.layers.base import Context
from pipeline.layers.cleanup import cleanup
from pipeline.layers.consistency import consistency
from pipeline.layers.cues import cues
from pipeline.layers.demonyms import demonyms
from pipeline.layers.gazetteer import gazetteer
from pipeline.layers.sources import sources
from pipeline.spans import Mention

log = logging.getLogger(__name__)

Layer = Callable[[list[Mention], Context], list[Mention]]


def _registry() -> dict[str, Layer]:
    return {
        "cleanup": cleanup,
        "demonyms": demonyms,
        "cues": cues,
        "gazetteer": gazetteer,
        "acronyms": acronyms,
        "sources": sources,
        "consistency": consistency,
    }


def apply_layers(
    found: list[Mention], texts: dict[str, str], articles: list[dict], cfg: NerConfig
) -> list[Mention]:
    """Run the configured layers in order; unknown layer names raise ValueError."""
    registry = _registry()
    unknown = [name for name in cfg.layers if name not in registry]
    if unknown:
        raise ValueError(f"unknown NER layer(s) {unknown}; choose from {sorted(registry)}")
    ctx = Context(texts, articles, cfg)
    for name in cfg.layers:
        before, t0 = len(found), time.perf_counter()
        found = registry[name](found, ctx)
        log.info(
            "ner layer %s: %d -> %d mentions in %.2fs",
            name,
            before,
            len(found),
            time.perf_counter() - t0,
        )
    return found
