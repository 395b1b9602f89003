"""The HTML report: ``report.html``, a page that needs no server (open it from disk), with
an overview (the most named people, organizations and places, articles over time, the
largest stories and the run's counts: :mod:`pipeline.outputs.overview`), an index of
articles to search, filter and page through, each article's text with its
people, organizations, places and dates highlighted and linked to their entity, and the
``errors`` table.

The data sit beside it as scripts (``report/index.js``; ``report/articles/NNNNN.js``,
``shard_size`` articles each, loaded when one of them is opened), since browsers do not
let a page read JSON files from disk. Every value is JSON data, shown by the page as text
(never parsed as markup). Building it is one pass over each table: time and size grow
linearly with the corpus."""

from __future__ import annotations

import json
from collections import defaultdict
from importlib.resources import files

import pyarrow as pa

from pipeline.core.documents import texts_by_id
from pipeline.outputs.overview import overview

_LEAD_CHARS = 300  # of each article's text, searched from the index


def _script(call: str, data: object) -> str:
    """``window.NEWSEXTRACT.call(data)`` with ``data`` as JSON that no HTML parser can
    end early (``</`` escaped)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.NEWSEXTRACT.{call}({payload});\n"


def _lead(text: str, title: str | None) -> str:
    """The first words of an article for the list, without its title when the text opens
    with it (the list shows the title above)."""
    body = text.lstrip()
    if title and body.startswith(title):
        body = body[len(title) :]
    return " ".join(body[:_LEAD_CHARS].split())


def _by_article(table: pa.Table | None, columns: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    if table is not None:
        for row in table.select(columns).to_pylist():
            out[row["article_id"]].append(row)
    return out


def report_files(
    docs: pa.Table,
    arts: pa.Table,
    tables: dict[str, pa.Table],
    shard_size: int = 500,
) -> dict[str, str]:
    """The report's files (name to text): ``report.html`` and its data scripts.

    Args:
        docs: ``documents``.
        arts: ``articles``.
        tables: the other tables by name; ``mentions``, ``entities``, ``dates``,
            ``stories`` and ``errors`` are used where present.
        shard_size: articles per data script.
    """
    texts = texts_by_id(docs)
    entities = tables.get("entities")
    ent_rows = (
        entities.select(["entity_id", "name", "label", "mention_count"]).to_pylist()
        if entities is not None
        else []
    )
    ent_index = {e["entity_id"]: i for i, e in enumerate(ent_rows)}
    mentions = _by_article(
        tables.get("mentions"),
        ["article_id", "doc_start", "doc_end", "label", "entity_id", "method"],
    )
    dates = _by_article(
        tables.get("dates"), ["article_id", "doc_start", "doc_end", "value", "end_value"]
    )
    story_of = {
        r["article_id"]: (r["story_id"], r["size"], r["thread_id"], r["thread_size"])
        for r in (
            tables["stories"]
            .select(["article_id", "story_id", "size", "thread_id", "thread_size"])
            .to_pylist()
            if "stories" in tables
            else []
        )
    }
    index_rows, shards = [], defaultdict(dict)
    for n, art in enumerate(arts.to_pylist()):
        aid, lo, hi = art["article_id"], art["doc_start"], art["doc_end"]
        text = texts[art["doc_id"]][lo:hi]
        spans = [
            [
                m["doc_start"],
                m["doc_end"],
                m["label"],
                ent_index.get(m["entity_id"], -1),
                m["method"],
            ]
            for m in mentions.get(aid, ())
        ] + [
            [
                d["doc_start"],
                d["doc_end"],
                "DATE",
                -1,
                d["value"] + (f"..{d['end_value']}" if d["end_value"] else ""),
            ]
            for d in dates.get(aid, ())
        ]
        story, size, thread, thread_size = story_of.get(aid, (None, 1, None, 1))
        shard = n // shard_size
        index_rows.append(
            [
                aid,
                art["title"] or "",
                art["path"],
                str(art["published"]) if art["published"] else "",
                art["source"] or "",
                story if size > 1 else "",
                sorted({s[3] for s in spans if s[3] >= 0}),
                _lead(text, art["title"]),
                shard,
                sorted({s[2] for s in spans if s[2] != "DATE"}),
                thread if thread_size > 1 else "",
            ]
        )
        shards[shard][aid] = {"start": lo, "text": text, "spans": sorted(spans)}
    errors = tables.get("errors")
    index = {
        "articles": index_rows,
        "entities": [[e["entity_id"], e["name"], e["label"], e["mention_count"]] for e in ent_rows],
        "errors": errors.to_pylist() if errors is not None else [],
        "overview": overview(docs, arts, tables),
    }
    out = {
        "report.html": files("pipeline.outputs").joinpath("report.html").read_text("utf-8"),
        "report/index.js": _script("index", index),
    }
    for shard, data in shards.items():
        out[f"report/articles/{shard:05d}.js"] = _script("shard", [shard, data])
    return out
