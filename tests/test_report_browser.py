"""The HTML report in a real headless Chromium (Debian's chromium and chromedriver,
driven by selenium): search, filters, paging, an article's highlighted spans checked
against ``documents.text``, entity links, the errors table, and markup shown as text.
It fails, never skips, when the browser cannot run (``.ci/run`` installs it)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from pipeline.config import load_config
from pipeline.run import run_pipeline

from samples import COMPILATION

PAYLOAD = '<img src=x onerror="window.pwned=1">'
STORIES = {
    "bridge.txt": "Bridge reopens in Oslo\n\nMayor Anna Berg of Oslo opened the bridge on "
    "2 March 2011. Berg thanked the Nordic Rivers Foundation and the engineers who worked "
    "through the winter on the steel cables.\n",
    "ferry.txt": f"Ferry line {PAYLOAD} approved\n\nThe council of Bergen approved a ferry line "
    "to the islands on 9 March 2011. Councillor Lars Dahl said the boats would run every "
    "two hours from June, and that fares would match the city buses.\n",
    "empty.txt": "",
}
for i in range(60):  # enough articles for two pages
    STORIES[f"notes/note{i:02d}.txt"] = (
        f"Weather note {i}\n\nRain fell on the coast of Tromso on {1 + i % 28} April 2011, and "
        "the harbour office said the ferries kept their timetable through the day.\n"
    )


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _browser() -> webdriver.Chrome:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:  # one line, not a driver's traceback
        pytest.fail(
            f"the browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} "
            "missing): apt-get install chromium chromium-driver, or run .ci/run, which does",
            pytrace=False,
        )
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # every request
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    (raw / "digest.txt").write_text(COMPILATION, encoding="utf-8")
    for name, text in STORIES.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_text(text, encoding="utf-8")
    out = run_pipeline(raw, tmp_path_factory.mktemp("out") / "out", load_config()).out
    driver = _browser()
    driver.get((out / "report.html").as_uri())
    yield driver, out
    driver.quit()


def _wait_count(driver, text: str) -> None:
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "count").text == text)


def _titles(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results a.title")]


def _home(driver, out) -> None:
    driver.get((out / "report.html").as_uri())
    driver.find_element(By.ID, "reset").click()


def test_index_pages_searches_and_filters(report):
    driver, out = report
    n = pq.ParquetFile(out / "articles.parquet").metadata.num_rows
    _home(driver, out)
    _wait_count(driver, f"{n} of {n} articles")
    assert driver.find_element(By.ID, "page").text == "page 1 of 2" and len(_titles(driver)) == 50
    driver.find_element(By.ID, "next").click()
    assert driver.find_element(By.ID, "page").text == "page 2 of 2"
    assert len(_titles(driver)) == n - 50

    driver.find_element(By.ID, "q").send_keys("bridge reopens")
    _wait_count(driver, f"1 of {n} articles")
    assert _titles(driver) == ["Bridge reopens in Oslo"]
    driver.find_element(By.ID, "q").clear()
    driver.find_element(By.ID, "q").send_keys("Lars Dahl")  # an entity's name
    _wait_count(driver, f"1 of {n} articles")

    driver.find_element(By.ID, "reset").click()
    Select(driver.find_element(By.ID, "label")).select_by_visible_text("PERSON")
    arts = {
        a["article_id"]: a["title"] for a in pq.read_table(out / "articles.parquet").to_pylist()
    }
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    with_people = {arts[m["article_id"]] for m in mentions if m["label"] == "PERSON"}
    _wait_count(driver, f"{len(with_people)} of {n} articles")
    assert set(_titles(driver)) == with_people and "Bridge reopens in Oslo" in with_people
    driver.find_element(By.ID, "reset").click()
    driver.find_element(By.ID, "from").send_keys("04/10/2011")
    driver.find_element(By.ID, "to").send_keys("04/12/2011")
    WebDriverWait(driver, 10).until(
        lambda d: not d.find_element(By.ID, "count").text.startswith(str(n))
    )
    assert set(_titles(driver)) <= {f"Weather note {i}" for i in range(60)}


def test_an_article_shows_its_spans_exactly_and_links_them_to_their_entity(report):
    driver, out = report
    _home(driver, out)
    driver.find_element(By.ID, "q").send_keys("bridge reopens")
    driver.find_element(By.CSS_SELECTOR, "#results a.title").click()
    marks = WebDriverWait(driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#article-text .m")
    )
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    text = next(d["text"] for d in docs if d["path"] == "bridge.txt")
    shown = [
        (m.text, int(m.get_attribute("data-start")), int(m.get_attribute("data-end")))
        for m in marks
    ]
    assert all(text[s:e] == t for t, s, e in shown), shown
    assert ("Anna Berg", text.index("Anna Berg"), text.index("Anna Berg") + 9) in shown
    assert ("2 March 2011", text.index("2 March"), text.index("2 March") + 12) in shown
    berg = next(m for m in marks if m.text == "Anna Berg")
    assert "PERSON" in berg.get_attribute("class")
    berg.click()  # to the index, filtered by that entity
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.ID, "entity").get_attribute("value") == "Anna Berg"
    )
    assert set(_titles(driver)) == {"Bridge reopens in Oslo"}


def test_errors_are_listed_and_markup_stays_text(report):
    driver, out = report
    _home(driver, out)
    rows = driver.find_elements(By.CSS_SELECTOR, "#errors tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[0].text for r in rows] == ["empty.txt"]
    driver.find_element(By.ID, "q").send_keys("ferry line")
    WebDriverWait(driver, 10).until(lambda d: len(_titles(d)) == 1)
    assert _titles(driver) == [f"Ferry line {PAYLOAD} approved"]
    driver.find_element(By.CSS_SELECTOR, "#results a.title").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#article-text .m"))
    assert PAYLOAD in driver.find_element(By.ID, "article-text").text
    assert driver.find_elements(By.CSS_SELECTOR, "img") == []
    assert driver.execute_script("return window.pwned") is None


def test_the_overview_matches_the_tables_and_filters_the_list(report):
    driver, out = report
    _home(driver, out)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#top-PLACE a"))
    ents = pq.read_table(out / "entities.parquet").to_pandas()
    for label in ("PERSON", "ORG", "PLACE"):
        expected = (
            ents[ents.label == label]
            .sort_values(["article_count", "mention_count", "name"], ascending=[False, False, True])
            .head(10)
        )
        shown = driver.find_elements(By.CSS_SELECTOR, f"#top-{label} li")
        assert [li.text for li in shown] == [
            f"{r.name} ({r.article_count} articles)" for r in expected.itertuples()
        ]
    # clicking the most named place filters the list to the articles that name it
    first = driver.find_element(By.CSS_SELECTOR, "#top-PLACE a")
    entity_id = first.get_attribute("data-entity")
    mentions = pq.read_table(out / "mentions.parquet").to_pandas()
    holding = mentions[mentions.entity_id == entity_id].article_id.nunique()
    n = pq.ParquetFile(out / "articles.parquet").metadata.num_rows
    first.click()
    _wait_count(driver, f"{holding} of {n} articles")
    # the timeline counts every article with a published date, as bars and as text
    arts = pq.read_table(out / "articles.parquet").to_pandas()
    dated = int(arts.published.notna().sum())
    bars = driver.find_elements(By.CSS_SELECTOR, "#timeline rect[data-count]")
    assert sum(int(b.get_attribute("data-count")) for b in bars) == dated > 0
    cells = driver.find_elements(By.CSS_SELECTOR, "#timeline-table tbody tr td:nth-child(2)")
    assert sum(int(c.get_attribute("textContent")) for c in cells) == dated
    assert driver.find_element(By.ID, "run-counts").text.startswith(
        f"{pq.ParquetFile(out / 'documents.parquet').metadata.num_rows} documents"
    )
    # no request left the machine: every one the browser sent was for a file
    driver.get_log("performance")  # drop what earlier tests loaded
    _home(driver, out)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#top-PLACE a"))
    sent = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    urls = [
        m["params"]["request"]["url"] for m in sent if m["method"] == "Network.requestWillBeSent"
    ]
    assert any(u.endswith("report/index.js") for u in urls)
    assert all(u.startswith(("file://", "data:")) for u in urls), urls  # data: the date inputs


def test_the_list_shows_the_lead_without_the_title(report):
    driver, out = report
    _home(driver, out)
    driver.find_element(By.ID, "q").send_keys("bridge reopens")
    WebDriverWait(driver, 10).until(lambda d: len(_titles(d)) == 1)
    lead = driver.find_element(By.CSS_SELECTOR, "#results .lead").text
    assert lead.startswith("Mayor Anna Berg of Oslo opened the bridge")
