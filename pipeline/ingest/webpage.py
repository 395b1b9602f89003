"""Web pages: main text, title, published date, author and site from the page's markup
and metadata, by trafilatura (which reads `<title>`, Open Graph, JSON-LD and
`<meta>` tags, and finds the date with htmldate: `article:published_time`, JSON-LD
`datePublished`, `<time>` elements, then the URL and the text)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import htmldate
import lxml.html
import trafilatura

from pipeline.core.documents import PAGE_EXTRACTOR
from pipeline.errors import DocumentError, E

METHOD = f"{PAGE_EXTRACTOR} {trafilatura.__version__}, htmldate {htmldate.__version__}"


@dataclass(frozen=True)
class Page:
    """A web page's extracted text (its title, a blank line, then its paragraphs, each
    separated by a blank line) and the metadata found beside it."""

    text: str
    title: str | None
    published: dt.date | None
    author: str | None
    site: str | None
    found_by: str | None = None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


# What pages put between a headline and their site's name ("Storm hits | Daily Planet").
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|·)\s+|\s*｜\s*")  # ｜: CJK pages


def _key(name: str) -> str:
    """A site's name as compared: lower case, letters and digits only, a host's "www."
    and top-level domain dropped ("www.Daily-Planet.com" -> "dailyplanet")."""
    name = name.lower().strip()
    if " " not in name and "." in name:
        name = re.sub(r"^www\.", "", name).split(".")[0]
    return re.sub(r"\W|_", "", name)


def without_site(title: str | None, site: str | None) -> str | None:
    """The title without a leading or trailing site name: a part cut off by a separator
    that is the page's site name ("Best phones of 2019 | TechSite" -> "Best phones of
    2019"); never words of the headline itself."""
    if not title or not site or len(site_key := _key(site)) < 3:
        return title
    seps = list(_TITLE_SEPARATOR.finditer(title))
    if not seps:
        return title
    ends = (
        (title[seps[-1].end() :], title[: seps[-1].start()]),
        (title[: seps[0].start()], title[seps[0].end() :]),
    )
    for part, rest in ends:
        key = _key(part)
        # the site's name, or a longer or shorter form of it ("ZDNet", "ZDNet.com")
        same = key.startswith(site_key) or (
            site_key.startswith(key) and 2 * len(key) >= len(site_key)
        )
        if len(key) >= 3 and rest.strip() and same:
            return rest.strip()
    return title


# Where pages state their title and published date, in the order they are checked.
_TITLE_PLACES = (
    ("og:title", "//meta[@property='og:title']/@content"),
    ("twitter:title", "//meta[@name='twitter:title']/@content"),
    ("JSON-LD headline", "headline"),
    ("<title>", "//title//text()"),
    ("<h1>", "//h1//text()"),
)
_DATE_PLACES = (
    ("article:published_time", "//meta[@property='article:published_time']/@content"),
    ("JSON-LD datePublished", "datePublished"),
    ("<time datetime>", "//time/@datetime"),
    (
        "<meta> date",
        "//meta[@name='date' or @name='pubdate' or @itemprop='datePublished']/@content",
    ),
)


def _json_ld(tree: lxml.html.HtmlElement, key: str) -> Iterator[str]:
    """Every string value of ``key`` in the page's JSON-LD blocks."""

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key and isinstance(v, str):
                    yield v
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)

    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            yield from walk(json.loads(block))
        except ValueError:
            continue


def _where(
    tree: lxml.html.HtmlElement,
    places: tuple[tuple[str, str], ...],
    matches: Callable[[str], bool],
) -> str | None:
    """The label of the first place in ``places`` holding a value that ``matches``."""
    for label, path in places:
        values = tree.xpath(path) if path.startswith("//") else _json_ld(tree, path)
        if any(matches(str(v)) for v in values):
            return label
    return None


def _found_by(tree: lxml.html.HtmlElement, title: str | None, published: dt.date | None) -> str:
    """Which part of the page each field was read from, e.g. ``title: og:title;
    published: article:published_time; text: trafilatura main content``."""
    parts = []
    if title:
        place = _where(tree, _TITLE_PLACES, lambda v: title in " ".join(v.split()))
        parts.append(f"title: {place or 'trafilatura (page text)'}")
    if published:
        day = published.isoformat()
        place = _where(tree, _DATE_PLACES, lambda v: v.strip()[:10] == day)
        parts.append(f"published: {place or 'htmldate (URL or page text)'}")
    return "; ".join(
        [*parts, "author, site: trafilatura metadata", "text: trafilatura main content"]
    )


def read_page(html: str) -> Page:
    """The main text and metadata of one page; :class:`DocumentError` E005 when no main
    text is found. The page is parsed once (trafilatura works on its own copy)."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise DocumentError(E.E005)
    doc = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    body = [" ".join(line.split()) for line in (doc.text or "").splitlines()] if doc else []
    body = [line for line in body if line]
    if not body:
        raise DocumentError(E.E005)
    title = without_site(_clean(doc.title), _clean(doc.sitename))
    published = _date(doc.date)
    paragraphs = body if title is None or body[0] == title else [title, *body]
    return Page(
        "\n\n".join(paragraphs) + "\n",
        title,
        published,
        _clean(doc.author),
        _clean(doc.sitename),
        _found_by(tree, title, published),
    )
