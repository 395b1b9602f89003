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
    print(f"title found      {titled}/{n} = {titled / n:.3f}")
    print(f"date exact       {exact}/{stated} = {exact / stated:.3f} (pages that state one)")
    print(f"2+ paragraphs    {paragraphs}/{len(docs)} = {paragraphs / max(1, len(docs)):.3f}")
    print("languages        " + ", ".join(f"{k} {v}" for k, v in languages.most_common(8)))
    for part, count in sources.most_common():
        print(f"  {count:>4}  {part}")
