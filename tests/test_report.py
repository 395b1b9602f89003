"""The HTML report keeps whatever the documents hold as data: markup in titles, bodies
and entity names never becomes elements of the page (the browser test checks that the
page shows it as text)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from pipeline.config import load_config
from pipeline.run import run_pipeline

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PAGE = f"""\
**Flood {PAYLOAD} hits the valley
(March 3, 2011)**

Mayor Anna <b>Berg</b> of Oslo said the {PAYLOAD} water rose overnight in the town.
The Nordic Rivers Foundation sent boats to help the people of the valley that day.

**Bridge reopens in Oslo
(March 4, 2011)**

Mayor Anna Berg opened the bridge again after the flood, the city said on Friday.
"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]

    def handle_data(self, data):
        self.text.append(data)


def test_markup_in_documents_stays_data(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "digest.txt").write_text(PAGE, encoding="utf-8")
    out = run_pipeline(raw, tmp_path / "out", load_config()).out
    page = _Elements()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    assert "img" not in page.tags and "b" not in page.tags
    assert page.tags.count("script") == 1  # the page's own code; the data load as JSON
    assert "onerror" not in page.attrs and PAYLOAD not in "".join(page.text)
    data = [f.read_text(encoding="utf-8") for f in (out / "report").rglob("*.js")]
    assert all("</script" not in d for d in data)
    assert any(json.dumps(PAYLOAD)[1:-1].replace("</", "<\\/") in d for d in data)
