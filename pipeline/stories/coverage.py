"""Whether an article covers many happenings, and so is one of none: a table (results,
standings, prices), a results list ("A beat B 6-3 6-4, C beat D 7-5 6-2"; "A 92 B 81")
or a digest (a roundup, a newsletter). Event grouping joins such an article to no event;
its copies stay copies.
"""

from __future__ import annotations

import itertools
import re

from pipeline.config import DedupConfig
from pipeline.core.paragraphs import Paragraph, paragraphs, stopwords
from pipeline.core.places import country_of

# A table row: a line of at most this many words holding two or more numbers.
_ROW_MAX_WORDS = 20
_NUMBER_TOKEN_RE = re.compile(r"\(?[-+]?\d[\d.,:/-]*\)?")
_DIGEST_WORDS = 8  # a paragraph of a digest has at least this many words
# A roundup's item opens with its place: a capitalised name of up to four words, then a
# stop, a colon or a dash ("Kenya. ", "New Delhi: ", "Lyon - ").
_ITEM_HEAD_RE = re.compile(r"([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})\s?[.:–—-]\s")
# A contest's result: two sides, each a capitalised name of up to four words with an
# optional bracket ("Ana Ruiz (Spain)", "( U.S. )"), either "A beat B 6-3" (a seeding
# number may open a side: "1 - A beat 4 - B") or a row "A 92 B 81".
_SIDE = r"[A-Z][\w.'’&-]*(?: [A-Z][\w.'’&-]*){0,3}(?: ?\( ?[A-Z][^()\n]{0,30}?\))?"
_SEED = r"(?:\d{1,2} ?- ?)?"
_SCORE = r"\d{1,3} ?[-–] ?\d{1,3}\b"
_RESULT_RE = re.compile(
    rf"({_SIDE}) (?:beat|beats|bt|defeated|def\.) {_SEED}({_SIDE}),? {_SCORE}"
    rf"|({_SIDE}) \d{{1,3}} ({_SIDE}) \d{{1,3}}\b(?![.,]\d)"
)
_SENTENCE_RE = re.compile(r"[^.!?\n]+")
_PROSE_WORDS = 8  # a sentence of prose has at least this many words and states no result


def is_table(text: str, cfg: DedupConfig) -> bool:
    """Whether the text is a table of results, standings or prices rather than a report:
    at least ``table_min_lines`` lines, ``table_min_share`` of them table rows (short lines
    holding two or more numbers)."""
    lines = [line.split() for line in text.split("\n") if line.strip()]
    rows = sum(
        len(words) <= _ROW_MAX_WORDS
        and sum(bool(_NUMBER_TOKEN_RE.fullmatch(w)) for w in words) >= 2
        for words in lines
    )
    return len(lines) >= cfg.table_min_lines and rows >= cfg.table_min_share * len(lines)


def contests(text: str) -> set[frozenset[str]]:
    """The contests whose results the text states, each as the pair of its sides."""
    found = set()
    for m in _RESULT_RE.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.add(frozenset((a.strip(), b.strip())))
    return found


def is_results_list(text: str) -> bool:
    """Whether the text lists the results of two or more contests with fewer sentences
    of prose (``_PROSE_WORDS`` words or more, no result in them) than results: a report
    of one match that mentions another result elsewhere is not one."""
    found = contests(text)
    if len(found) < 2:
        return False
    prose = sum(
        len(s.split()) >= _PROSE_WORDS and not _RESULT_RE.search(s)
        for s in _SENTENCE_RE.findall(text)
    )
    return prose < len(found)


def _place_items(text: str, paras: list[Paragraph]) -> int:
    """How many different places head a paragraph (``paras``, of ``text``), as a roundup
    heads its items ("Kenya. The embassy held...", "Lyon: ..."): a name the gazetteers
    place in a country (:func:`~pipeline.core.places.country_of`), then a stop, colon or
    dash."""
    found = set()
    for p in paras:
        m = _ITEM_HEAD_RE.match(text, p.start)
        if m and country_of(m.group(1)):
            found.add(m.group(1).lower())
    return len(found)


def is_digest(text: str, cfg: DedupConfig) -> bool:
    """Whether the text is a roundup, a newsletter or a digest: at least
    ``digest_min_places`` paragraphs headed by different places (:func:`_place_items`),
    or at least ``digest_min_paragraphs`` paragraphs
    (:func:`~pipeline.core.paragraphs.paragraphs`, of ``_DIGEST_WORDS`` words or more) of
    which ``digest_min_disjoint`` of the pairs share no content word (three letters or
    more, not a stopword): they tell different stories."""
    paras = paragraphs(text)
    if _place_items(text, paras) >= cfg.digest_min_places:
        return True
    found = [p for p in paras if len(p.words) >= _DIGEST_WORDS]
    if len(found) < cfg.digest_min_paragraphs:
        return False
    stops = stopwords()
    words = [{w.lower() for w in p.words if len(w) >= 3} - stops for p in found]
    pairs = list(itertools.combinations(words, 2))
    return sum(not (x & y) for x, y in pairs) >= cfg.digest_min_disjoint * len(pairs)
