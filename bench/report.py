"""The HTML report at corpus scale: the tables of a run on the example folder, repeated
under new article ids up to 10k and 100k articles, and the report built from them; prints
the seconds to build it (and its overview alone) and the bytes it takes, to show both grow
linearly, and, where Chromium is installed, the seconds the page takes to show its
overview in headless Chromium."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import load_config
from pipeline.outputs.overview import overview
from pipeline.outputs.report import report_files
from pipeline.run import run_pipeline


def _repeat(table: pa.Table, copies: int, keep: int | None = None) -> pa.Table:
    """``table`` repeated ``copies`` times, ``article_id`` made unique per copy; the
    first ``keep`` rows only."""
    parts = []
    for k in range(copies):
        ids = pc.binary_join_element_wise(table.column("article_id"), pa.scalar(f"{k:x}"), "-")
        parts.append(
            table.set_column(table.schema.get_field_index("article_id"), "article_id", ids)
        )
    out = pa.concat_tables(parts)
    return out.slice(0, keep) if keep is not None else out


def run(raw: str, sizes: list[int]) -> None:
    """Build the report for each size and print seconds, megabytes and files."""
    with tempfile.TemporaryDirectory() as tmp:
        result = run_pipeline(Path(raw), Path(tmp) / "out", load_config())
    t = result.tables
    n_arts = t["articles"].num_rows
    for size in sizes:
        copies = -(-size // n_arts)
        tables = {name: _repeat(t[name], copies) for name in ("mentions", "dates", "stories")} | {
            "entities": t["entities"],
            "errors": t["errors"],
        }
        arts = _repeat(t["articles"], copies, size)
        t0 = time.perf_counter()
        files = report_files(t["documents"], arts, tables)
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        overview(t["documents"], arts, tables)
        overview_seconds = time.perf_counter() - t0
        megabytes = sum(len(text.encode("utf-8")) for text in files.values()) / 1e6
        print(
            f"{size:>8} articles: {seconds:6.1f} s (overview {overview_seconds:.2f} s), "
            f"{megabytes:7.1f} MB in {len(files)} files "
            f"(index {len(files['report/index.js'].encode('utf-8')) / 1e6:.1f} MB)" + _shown(files)
        )


def _shown(files: dict[str, str]) -> str:
    """ ", page shows its overview in X s" in headless Chromium, or "" without one."""
    if not Path(CHROMIUM).exists():
        return ""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        opts.add_argument(arg)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        try:
            t0 = time.perf_counter()
            driver.get((Path(tmp) / "report.html").as_uri())
            WebDriverWait(driver, 60).until(
                lambda d: d.execute_script(
                    "return document.querySelectorAll('#top-PLACE li').length > 0"
                )
            )
            return f", overview shown in {time.perf_counter() - t0:.1f} s in headless Chromium"
        finally:
            driver.quit()


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
