"""The overview at the top of ``report.html``: who is named most, when the articles were
published, the largest stories and the run's counts, computed from the tables in one
pass each (the page draws the figures from these numbers and shows them as text)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pyarrow as pa

from pipeline.outputs.info import letters, skipped_documents

TOP = 10  # entities per label, events and threads listed
LABELS = ("PERSON", "ORG", "PLACE")
_DAYS_BY_DAY = 62  # a timeline over at most this many days counts days, then months
_YEARS_BY_MONTH = 5  # ... over at most this many years months, then years


def top_entities(entities: pa.Table | None) -> dict[str, list[list]]:
    """Per label, the ``TOP`` entities named in the most articles (then most mentions,
    then name): ``[entity_id, name, article_count]`` each."""
    out: dict[str, list[list]] = {label: [] for label in LABELS}
    if entities is None:
        return out
    rows = entities.select(["entity_id", "name", "label", "article_count", "mention_count"])
    for r in sorted(
        rows.to_pylist(), key=lambda r: (-r["article_count"], -r["mention_count"], r["name"])
    ):
        if r["label"] in out and len(out[r["label"]]) < TOP:
            out[r["label"]].append([r["entity_id"], r["name"], r["article_count"]])
    return out


def _bucket(day: dt.date, grain: str) -> str:
    return {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "year": str(day.year)}[grain]


def _grain(days: list[dt.date]) -> str:
    if not days:
        return "month"
    span = (max(days) - min(days)).days
    if span <= _DAYS_BY_DAY:
        return "day"
    return "month" if span <= 366 * _YEARS_BY_MONTH else "year"


def timeline(arts: pa.Table, dates: pa.Table | None) -> dict:
    """Articles by published date; articles with none by the date they mention most
    (its first occurrence breaks ties), kept apart and labelled as such."""
    published = [d for d in arts.column("published").to_pylist() if d]
    undated = {
        a
        for a, d in zip(
            arts.column("article_id").to_pylist(), arts.column("published").to_pylist(), strict=True
        )
        if not d
    }
    mentioned: dict[str, Counter] = {}
    if dates is not None and undated:
        for a, value in zip(
            dates.column("article_id").to_pylist(), dates.column("value").to_pylist(), strict=True
        ):
            if a in undated and len(value) == 10:
                mentioned.setdefault(a, Counter())[value] += 1
    by_mention = [dt.date.fromisoformat(c.most_common(1)[0][0]) for c in mentioned.values()]
    grain = _grain(published or by_mention)
    counts = Counter(_bucket(d, grain) for d in published)
    by_date = Counter(_bucket(d, grain) for d in by_mention)
    return {
        "grain": grain,
        "published": [[b, counts[b]] for b in _buckets(published + by_mention, grain)],
        "mentioned": sorted(by_date.items()),
        "undated": len(undated),
    }


def _buckets(days: list[dt.date], grain: str) -> list[str]:
    """Every period from the first day's to the last day's, empty ones included, so the
    timeline's axis is time."""
    if not days:
        return []
    first, last = min(days), max(days)
    if grain == "day":
        return [_bucket(first + dt.timedelta(n), grain) for n in range((last - first).days + 1)]
    if grain == "year":
        return [str(y) for y in range(first.year, last.year + 1)]
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]


def largest_stories(stories: pa.Table | None, titles: dict[str, str]) -> dict[str, list[list]]:
    """The ``TOP`` largest events and threads: ``[id, size, first title]`` each (the
    first article in the table's order with a title)."""
    out: dict[str, list[list]] = {"events": [], "threads": []}
    if stories is None:
        return out
    rows = stories.select(
        ["story_id", "article_id", "size", "thread_id", "thread_size"]
    ).to_pylist()
    for kind, key, size in (
        ("events", "story_id", "size"),
        ("threads", "thread_id", "thread_size"),
    ):
        groups: dict[str, list] = {}
        for r in rows:
            if r[size] > 1:
                g = groups.setdefault(r[key], [r[key], r[size], ""])
                g[2] = g[2] or titles.get(r["article_id"], "")
        out[kind] = sorted(groups.values(), key=lambda g: (-g[1], g[0]))[:TOP]
    return out


def run_counts(
    docs: pa.Table, arts: pa.Table, tables: dict[str, pa.Table]
) -> dict[str, int | float]:
    """Documents, articles, documents skipped (language), files with errors, and the
    share of the documents' letters left out of every article."""
    total = sum(letters(t) for t in docs.column("text").to_pylist() if t)
    left_out = tables.get("left_out")
    left = (
        sum(letters(t) for t in left_out.column("text").to_pylist()) if left_out is not None else 0
    )
    errors = tables.get("errors")
    return {
        "documents": docs.num_rows,
        "articles": arts.num_rows,
        "skipped": sum(skipped_documents(docs).values()),
        "errors": len(set(errors.column("path").to_pylist())) if errors is not None else 0,
        "left_out_percent": round(100 * left / total, 1) if total else 0.0,
    }


def overview(docs: pa.Table, arts: pa.Table, tables: dict[str, pa.Table]) -> dict:
    """Everything the report's overview shows, as plain data."""
    titles = dict(
        zip(
            arts.column("article_id").to_pylist(),
            (t or "" for t in arts.column("title").to_pylist()),
            strict=True,
        )
    )
    return {
        "counts": run_counts(docs, arts, tables),
        "top": top_entities(tables.get("entities")),
        "timeline": timeline(arts, tables.get("dates")),
        "stories": largest_stories(tables.get("stories"), titles),
    }
