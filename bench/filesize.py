"""Large files: one long article and one compilation of growing size, each run as a
whole pipeline in a fresh process; prints seconds per MB and the cores it kept busy
(CPU seconds of the run over its wall-clock seconds)."""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import sentence_pool

MB = 1_000_000


def _paragraph(pool: list[str], rng: random.Random) -> str:
    return " ".join(rng.sample(pool, rng.randint(3, 6)))


def long_article(pool: list[str], size: int, seed: int = 5) -> str:
    """One article of about ``size`` characters: a headline and paragraphs."""
    rng = random.Random(seed)
    parts = ["A long report on the events of the year", ""]
    total = 0
    while total < size:
        para = _paragraph(pool, rng)
        parts += [para, ""]
        total += len(para) + 2
    return "\n".join(parts)


def compilation(pool: list[str], size: int, seed: int = 5) -> str:
    """A compilation of about ``size`` characters: headline blocks ending in a date in
    parentheses, each followed by a few paragraphs."""
    rng = random.Random(seed)
    parts: list[str] = []
    total, n = 0, 0
    while total < size:
        n += 1
        day = 1 + n % 28
        head = f"Report number {n} of the series on regional affairs (March {day}, 2011)"
        body = [_paragraph(pool, rng) for _ in range(rng.randint(3, 6))]
        block = "\n\n".join([head, *body])
        parts.append(block)
        total += len(block) + 2
    return "\n\n".join(parts)


def _run(folder: Path, out: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one pipeline run on ``folder``, in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "run",
            str(folder),
            "--out",
            str(out),
            "-q",
            "--no-cache",
            "--no-progress",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run(raw: str, sizes: list[float], kinds: list[str]) -> None:
    """Print seconds per MB and cores used per kind of file and size."""
    pool = sentence_pool(Path(raw))
    print(f"{'file':<12} {'MB':>5} {'seconds':>9} {'s/MB':>7} {'cores used':>11}")
    makers = {"article": long_article, "compilation": compilation}
    for kind, make in ((k, makers[k]) for k in kinds):
        per_mb: dict[float, float] = {}
        for mb in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "raw"
                folder.mkdir()
                text = make(pool, int(mb * MB))
                (folder / f"{kind}.txt").write_text(text, encoding="utf-8")
                wall, cpu = _run(folder, Path(tmp) / "out")
            real_mb = len(text.encode("utf-8")) / MB
            per_mb[mb] = wall / real_mb
            print(f"{kind:<12} {real_mb:5.2f} {wall:9.1f} {per_mb[mb]:7.1f} {cpu / wall:11.2f}")
        first, last = sizes[0], sizes[-1]
        print(
            f"{kind}: seconds per MB at {last:g} MB / at {first:g} MB = "
            f"{per_mb[last] / per_mb[first]:.2f}"
        )
