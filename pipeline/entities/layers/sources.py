"""Layer: source lines. The attribution line that closes an article ("NTB",
"Reuters") names a news organization; where it is a name (not a URL or a byline) it
becomes an ORG mention, and the consistency layer then finds its other uses."""

from __future__ import annotations

from pipeline.core.paragraphs import is_url
from pipeline.entities.layers.base import Context, SpanIndex, by_article, new_mention
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention


@layer("sources", order=60, section="sources")
def sources(found: list[Mention], ctx: Context) -> list[Mention]:
    """Add the source line of each article as an organization."""
    out = list(found)
    grouped = by_article(found)
    for art, text in ctx.article_spans():
        name = art.get("source")
        if (
            not name
            or is_url(name)
            or len(name.split()) > ctx.cfg.sources.max_words
            or "\n" in name
        ):
            continue
        at = text.rfind(name, art["doc_start"], art["doc_end"])
        if at < 0 or not SpanIndex(grouped.get(art["article_id"], [])).free(at, at + len(name)):
            continue
        out.append(new_mention(art, text, at, at + len(name), "ORG", "sources"))
    return out
