"""Web pages: title, published date and paragraphs on real news pages.

The pages and their expected dates come from htmldate's own evaluation set
(`tests/test_set/*.html` with `tests/eval_mediacloud_2020.json`: 200 news pages from many
sites and languages, each with the date a person read off it), taken from a snapshot of
the htmldate repository (a git dir, as `fetch` brings it). The set is written to the
temp folder, never to the repository."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from pipeline.config import Config
from pipeline.core.engine import LocalEngine
from pipeline.ingest.documents import documents
from pipeline.outputs.info import letters
from pipeline.segment.articles import articles

_EXPECTED = "tests/eval_mediacloud_2020.json"
_PAGES = "tests/test_set"


def _git(gitdir: str, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", gitdir, *args], check=True, capture_output=True
    ).stdout


def build(gitdir: str, dest: Path) -> dict[str, str | None]:
    """Write the pages to ``dest/raw`` and return each file's expected date."""
    expected = json.loads(_git(gitdir, "show", f"HEAD:{_EXPECTED}"))
    raw = dest / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    dates: dict[str, str | None] = {}
    for item in expected.values():
        name = item["file"]
        (raw / name).write_bytes(_git(gitdir, "show", f"HEAD:{_PAGES}/{name}"))
        dates[name] = item["date"] if isinstance(item.get("date"), str) else None
    (dest / "expected_dates.json").write_text(json.dumps(dates, indent=1))
    return dates


def run(gitdir: str) -> None:
    """Build the set, read every page, and print how often the title, the date and
    more than one paragraph are found."""
    dest = Path(tempfile.gettempdir()) / "devsets" / "webpages"
    expected = build(gitdir, dest)
    cfg = Config()
    paths = sorted((dest / "raw").iterdir())
    docs, errors = documents(paths, dest / "raw", cfg.ingest)
    arts, _ = articles(docs, cfg.segment, LocalEngine(1))
    by_doc = {}
    for a in arts.to_pylist():
        by_doc.setdefault(a["doc_id"], []).append(a)
    stated = titled = exact = paragraphs = 0
    languages: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for d in docs.to_pylist():
        first = by_doc.get(d["doc_id"], [{}])[0]
        titled += bool(first.get("title"))
        paragraphs += d["text"].count("\n\n") >= 2
        languages[d["language"] or "?"] += 1
        sources.update(
            p
            for p in (d["found_by"] or "").split("; ")[:2]
            if p.startswith(("title:", "published:"))
        )
        want = expected.get(Path(d["path"]).name)
        if want:
            stated += 1
            exact += str(first.get("published")) == want
    n = len(paths)
    print(f"{n} pages, {len(errors)} unread ({', '.join(sorted({e.code for e in errors}))})")
    _print_bodies("htmldate pages", docs, arts)
    print(f"title found      {titled}/{n} = {titled / n:.3f}")
    print(f"date exact       {exact}/{stated} = {exact / stated:.3f} (pages that state one)")
    print(f"2+ paragraphs    {paragraphs}/{len(docs)} = {paragraphs / max(1, len(docs)):.3f}")
    print("languages        " + ", ".join(f"{k} {v}" for k, v in languages.most_common(8)))
    for part, count in sources.most_common():
        print(f"  {count:>4}  {part}")
    with tempfile.TemporaryDirectory() as tmp:
        heavy = Path(tmp)
        for name, html in _list_heavy_pages().items():
            (heavy / name).write_text(html, encoding="utf-8")
        docs, _ = documents(sorted(heavy.iterdir()), heavy, cfg.ingest)
        arts, _ = articles(docs, cfg.segment, LocalEngine(1))
        _print_bodies("list- and table-heavy pages", docs, arts)


def _print_bodies(what: str, docs, arts) -> None:
    """The share of the extracted text that the pages' articles hold, the pages under
    98 %, and the titles that still end or start with the site's name."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for a in arts.to_pylist():
        spans.setdefault(a["doc_id"], []).append((a["doc_start"], a["doc_end"]))
    total = kept = under = suffixed = 0
    for d in docs.to_pylist():
        text = d["text"]
        held = sum(letters(text[lo:hi]) for lo, hi in spans.get(d["doc_id"], []))
        total += letters(text)
        kept += held
        under += held < 0.98 * letters(text)
        title, site = (d["title"] or "").lower(), (d["site"] or "").lower()
        suffixed += (
            bool(site) and title != site and (title.endswith(site) or title.startswith(site))
        )
    print(
        f"{what}: articles hold {kept / max(1, total):.3f} of the extracted text; "
        f"{under} of {docs.num_rows} pages under 98 %; {suffixed} titles with the site's name"
    )


def _list_heavy_pages() -> dict[str, str]:
    """Pages written for the bench whose articles are mostly lists and tables."""

    def page(title: str, site: str, body: str) -> str:
        return (
            f"<html><head><title>{title} | {site}</title>"
            f'<meta property="og:site_name" content="{site}"></head><body>'
            f"<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>{title}</h1>"
            f"{body}</article><footer>(c) {site}</footer></body></html>"
        )

    intro = (
        "<p>The plan below was drawn up by the clinic's dietitian for the first week of "
        "the study.</p>"
    )
    meals = "".join(
        f"<h2>Day {d}</h2><ul><li>Breakfast: oats with milk</li><li>Lunch: lentil soup</li>"
        f"<li>Dinner: rice, beans and greens</li></ul>"
        for d in range(1, 8)
    )
    gadgets = "".join(
        f"<h3>{k}. The Model {k} speaker</h3><p>Price: {20 + k} pounds.</p>" for k in range(1, 16)
    )
    rows = "".join(
        f"<tr><td>Player {k}</td><td>{k * 3}</td><td>{k}%</td></tr>" for k in range(1, 30)
    )
    table = f"<table><tr><th>Player</th><th>Snaps</th><th>Share</th></tr>{rows}</table>"
    return {
        "meals.html": page("A week of meals for the study", "Clinic Weekly", intro + meals),
        "gadgets.html": page("Fifteen speakers for the kitchen", "Gadget Weekly", intro + gadgets),
        "snaps.html": page("Snap counts from Sunday's game", "Field Notes", intro + table),
    }
