"""A static HTML report: every article with its extracted spans highlighted and
colour-coded by label, and an index of entities linking to their mentions."""

from __future__ import annotations

import html
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.documents import texts_by_id

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex}
nav{width:22rem;height:100vh;overflow:auto;position:sticky;top:0;padding:1rem;
background:#f6f6f6;border-right:1px solid #ddd;font-size:13px}
main{padding:1rem 2rem;max-width:60rem}
article{border-bottom:1px solid #ddd;padding-bottom:1rem;margin-bottom:1rem}
.text{white-space:pre-wrap}
mark{border-radius:3px;padding:0 1px}
mark.PERSON{background:#ffd8a8}mark.ORG{background:#a5d8ff}mark.PLACE{background:#b2f2bb}
mark.DATE{background:#eebefa}
.legend mark{margin-right:.5rem}.meta{color:#555;font-size:13px}
nav a{text-decoration:none}nav li{margin:.1rem 0}
"""


def _spans_by_article(table: pa.Table | None, kind: str | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    if table is None or table.num_rows == 0:
        return out
    for row in table.to_pylist():
        row["kind"] = kind or row["label"]
        out[row["article_id"]].append(row)
    return out


def _of_articles(table: pa.Table | None, ids: pa.Array) -> pa.Table | None:
    if table is None:
        return None
    return table.filter(pc.is_in(table.column("article_id"), value_set=ids))


def _render_text(text: str, start: int, end: int, spans: list[dict], names: dict) -> str:
    parts, at = [], start
    for s in sorted(spans, key=lambda r: (r["doc_start"], -r["doc_end"])):
        if s["doc_start"] < at:
            continue  # overlaps a span already drawn
        parts.append(html.escape(text[at : s["doc_start"]]))
        if s["kind"] == "DATE":
            tip = f"DATE {s['value']}" + (f"..{s['end_value']}" if s.get("end_value") else "")
            ident = ""
        else:
            tip = f"{s['kind']}: {names.get(s.get('entity_id'), '')} ({s.get('method', '')})"
            ident = f' id="m-{s["mention_id"]}"'
        parts.append(
            f'<mark class="{s["kind"]}"{ident} title="{html.escape(tip)}" '
            f'data-start="{s["doc_start"]}" data-end="{s["doc_end"]}">'
            f"{html.escape(text[s['doc_start'] : s['doc_end']])}</mark>"
        )
        at = s["doc_end"]
    parts.append(html.escape(text[at:end]))
    return "".join(parts)


def render_report(
    docs: pa.Table,
    arts: pa.Table,
    mentions: pa.Table | None = None,
    entities: pa.Table | None = None,
    dates: pa.Table | None = None,
    max_articles: int = 1000,
) -> str:
    """The report as one HTML page (no external resources)."""
    texts = texts_by_id(docs)
    art_rows = arts.to_pylist()
    shown = pa.array([a["article_id"] for a in art_rows[:max_articles]], pa.string())
    by_article = _spans_by_article(_of_articles(mentions, shown), None)
    for key, rows in _spans_by_article(_of_articles(dates, shown), "DATE").items():
        by_article[key].extend(rows)
    ent_rows = entities.to_pylist() if entities is not None else []
    names = {e["entity_id"]: e["name"] for e in ent_rows}
    first_mention: dict[str, str] = {}
    for rows in by_article.values():
        for r in sorted(rows, key=lambda r: r["doc_start"]):
            if r.get("entity_id"):
                first_mention.setdefault(r["entity_id"], r["mention_id"])

    nav = [
        '<nav><h3>Entities</h3><div class="legend"><mark class="PERSON">person</mark>'
        '<mark class="ORG">organization</mark><mark class="PLACE">place</mark>'
        '<mark class="DATE">date</mark></div>'
    ]
    for label in ("PERSON", "ORG", "PLACE"):
        items = [e for e in ent_rows if e["label"] == label]
        nav.append(f"<h4>{label} ({len(items)})</h4><ul>")
        for e in items:
            anchor = first_mention.get(e["entity_id"])
            link = f'href="#m-{anchor}"' if anchor else ""
            nav.append(
                f'<li><a {link} title="{html.escape(", ".join(e["aliases"]))}">'
                f"{html.escape(e['name'])}</a> ({e['mention_count']})</li>"
            )
        nav.append("</ul>")
    nav.append("</nav>")

    body = ["<main><h1>Extraction report</h1>"]
    if len(art_rows) > max_articles:
        body.append(f"<p>Showing the first {max_articles} of {len(art_rows)} articles.</p>")
    for art in art_rows[:max_articles]:
        text = texts[art["doc_id"]]
        spans = by_article.get(art["article_id"], [])
        title = html.escape(art["title"] or "(untitled)")
        meta = html.escape(
            f"{art['path']} [{art['doc_start']}:{art['doc_end']}] · "
            f"published {art['published'] or 'unknown'} · "
            f"source {art.get('source') or 'unknown'}"
        )
        marked = _render_text(text, art["doc_start"], art["doc_end"], spans, names)
        body.append(
            f'<article id="a-{art["article_id"]}"><h2>{title}</h2><p class="meta">{meta}</p>'
            f'<div class="text">{marked}</div></article>'
        )
    body.append("</main>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Extraction report"
        f"</title><style>{_STYLE}</style></head><body>{''.join(nav)}{''.join(body)}"
        "</body></html>"
    )
