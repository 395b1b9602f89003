"""Layer: context cues. Honorifics and roles ("Mrs.", "Ambassador", "writer") mark a
person and stay out of the span; organization head words ("Foundation", "Ministry",
"University") mark an organization, and a capitalised name built on one
("Arctic Student Council for Science and Culture", "Embassy of X in Y") is
taken whole, replacing the pieces the model saw; a league the model left wholly unread
is a competition and no organization; a head word alone, capitalised after "the" ("the
Senate voted"), is a body and an organization, and a compass word so ("the North") a
region and a place. Site head words ("Palace", "Square")
mark a place; a preposition of place ("in X") outweighs a person label. Names of events,
campaigns and prizes ("Film Festival", "Award") and quoted titles are not entities."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.core.phrases import PhraseFinder
from pipeline.entities.abbreviations import is_short_form
from pipeline.entities.layers.base import (
    Context,
    SpanIndex,
    mark,
    new_mention,
    per_article,
    surface,
    words,
)
from pipeline.entities.layers.cleanup import trim
from pipeline.entities.layers.registry import layer
from pipeline.entities.mention import Mention
from pipeline.entities.wordlists import (
    calendar_words,
    country_names,
    honorifics,
    is_demonym,
    non_entity_heads,
    org_heads,
    place_heads,
    place_names,
)

# How far around a span the layer looks for the word next to it (characters): windows
# that bound a slice, not thresholds.
_AFTER_NAME_CHARS = 40
_ADJACENT_WORD_CHARS = 30
_PLACE_CUE_CHARS = 20

_CAPW = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&-]*|[“\"][^”\"\n]{2,60}[”\"])"
# A capitalised word that is not a weekday or a month ("Council on Friday" ends at
# "Council"): each word before a head word, and the first after a connector.
_NAME_CAPW = rf"(?!(?:{'|'.join(sorted(calendar_words()))})\b){_CAPW}"
_CONNECT = r"(?:(?:of|for|on|de|du|des|del|di)(?:[ \t]+the)?|and)"
_PLACE_LINK = r"(?:in|to)(?:[ \t]+the)?"
_FORMAL = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof)"
_NAME = r"(?:[A-Z]\.[ \t]*|[A-Z][a-z][\w'’-]*)(?:[ \t]+(?:[A-Z]\.|[A-Z][a-z][\w'’-]*)){0,3}"
_FORMAL_RE = re.compile(rf"\b{_FORMAL}\.?[ \t]+({_NAME})")
_FORMAL_BEFORE_RE = re.compile(rf"\b{_FORMAL}\.?[ \t]+$")
_PLACE_NOUN_AFTER_RE = re.compile(
    r"^[ \t]+(?:district|region|province|city|village|town|county|municipality|oblast|"
    r"area|valley|river|mountains|island|peninsula)\b"
)
_PLACE_PREPOSITION_RE = re.compile(r"\b(?:in|near|across|throughout)[ \t]+(?:the[ \t]+)?$")
_EVENT_NOUNS = frozenset(w.lower() for w in non_entity_heads())
_CONNECTOR_END_RE = re.compile(r"(?:[ \t]+(?:of|for|on|and|the|de|in|to))+$")
# Heads that name a body and its competition alike: a name ending in one that the model
# left wholly unread is a competition ("the Northern Premier League"), not an
# organization; one that goes on ("League of X", "League for X") is a body.
_COMPETITION_HEADS = frozenset({"League"})
# Heads after which "in/to Place" still belongs to the name ("Embassy of X in Y").
_SEAT_HEADS = frozenset(
    {
        "Embassy",
        "Consulate",
        "Mission",
        "Representation",
        "Office",
        "Council",
        "Center",
        "Centre",
        "Delegation",
    }
)


# Names made of one capitalised word after a lower-case "the": a body by its head word
# ("the Senate voted", "told the Court."), the guidelines' bare capitalised bodies, and a
# region by its compass word ("the North", "across the Midwest"). The word after it is
# lower case or punctuation on the same line (a title-case headline's "the Club" is
# not), and no connector carries the name on ("the Ministry of health").
_BODY_WORDS = ("Government", "House", "Administration", "Opposition")
_REGION_WORDS = frozenset(
    (
        "North",
        "South",
        "East",
        "West",
        "Northeast",
        "Northwest",
        "Southeast",
        "Southwest",
        "Midwest",
    )
)
_BARE_THE_CHARS = 8  # "the" and the spaces before a bare name
_BARE_HEAD_CHARS = 40  # the longest head word and the character after it


def _alternation(words: Iterable[str]) -> str:
    """``words`` as a regular-expression alternation, longest first (a word is tried
    before any shorter word it begins with)."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _bare_name_re() -> re.Pattern[str]:
    heads = _alternation({*org_heads(), *_BODY_WORDS, *_REGION_WORDS})
    return re.compile(
        rf"\bthe[ \t]+(?P<head>{heads})"
        rf"(?=[ \t]+(?!(?:of|for|on|and|de|in|to)\b)[a-z]|[.,;:!?)'\"’”])"
    )


def _bare_label(head: str) -> str:
    return "PLACE" if head in _REGION_WORDS else "ORG"


def bare_name_label(text: str, start: int) -> str | None:
    """The label of a bare capitalised name ("Senate" in "the Senate voted": ORG; "North"
    in "the North won": PLACE) that starts at ``start`` of ``text``; None if none does."""
    window = _bare_name_re().finditer(
        text, max(0, start - _BARE_THE_CHARS), start + _BARE_HEAD_CHARS
    )
    return next((_bare_label(m["head"]) for m in window if m.start("head") == start), None)


@lru_cache(maxsize=1)
def _org_re() -> re.Pattern[str]:
    heads = _alternation(org_heads())
    # A match opens with a capitalised word, a quote or a head word: saying so up front
    # lets the search skip every other position without trying the heads there.
    firsts = "".join(sorted({re.escape(h[0]) for h in org_heads()}))
    return re.compile(
        rf"(?=[A-Z“\"{firsts}])"
        rf"(?P<prefix>(?:{_NAME_CAPW}[ \t]+){{0,6}})(?P<head>{heads})\b"
        rf"(?P<tail>(?:[ \t]+{_CONNECT}[ \t]+{_NAME_CAPW}(?:[ \t]+{_CAPW})*)*)"
        rf"(?P<seat>[ \t]+{_PLACE_LINK}[ \t]+{_NAME_CAPW}(?:[ \t]+{_CAPW})*)?"
    )


@lru_cache(maxsize=65536)
def has_org_head(text: str) -> bool:
    """True when a word of ``text`` is an organization head word."""
    heads = org_heads()
    return any(w.strip(",.;:’'\"”“") in heads for w in words(text))


@lru_cache(maxsize=1)
def _head_re() -> re.Pattern[str]:
    return re.compile(_alternation(org_heads()))


# How far before its head word a name may open (six capitalised words or quoted titles).
_MAX_PREFIX = 250


def _org_matches(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The organization pattern's matches in ``text[lo:hi]``, as ``finditer`` finds them,
    but tried only from a little before each head word (names never cross a line
    break): the pattern is costly to try at every position."""
    pattern = _org_re()
    at = lo
    for hit in _head_re().finditer(text, lo, hi):
        if hit.start() < at:
            continue
        line_start = max(lo, text.rfind("\n", lo, hit.start()) + 1)
        line_end = text.find("\n", hit.end(), hi)
        window = text.rfind(" ", line_start, max(line_start, hit.start() - _MAX_PREFIX)) + 1
        m = pattern.search(text, max(at, line_start, window), hi if line_end < 0 else line_end)
        if m:
            yield m
            at = m.end()


def _org_spans(
    text: str, lo: int, hi: int, persons: list[int]
) -> list[tuple[int, int, int, int, bool]]:
    """Organization names built on a head word inside ``text[lo:hi]``, each as (start,
    end, start and end of its head word, whether it is an inner organization named in a
    longer run); a name never runs on into a person's name after its head word
    (``persons``: where names start)."""
    out = []
    for m in _org_matches(text, lo, hi):
        start = _name_start(m)
        tail = m.group("tail") or ""
        end = m.end("tail") if tail else m.end("head")
        joined = re.search(r"[ \t]+and[ \t]+", tail)
        if joined and has_org_head(tail[joined.end() :]):  # "X Foundation and Y Union"
            tail = tail[: joined.start()]
            end = m.start("tail") + len(tail) if tail else m.end("head")
        if not tail and start >= m.start("head"):
            continue  # a bare head word ("Office in Paris") is not a name by itself
        whole_tail = tail == (m.group("tail") or "")
        if whole_tail and m.group("seat") and (m.group("head") in _SEAT_HEADS or " of " in tail):
            end = m.end("seat")
        inner = _inner_org(m)
        if inner:  # "Russian Office of the X Foundation": the named body is the inner one
            start = inner
        end = min([end, *(p for p in persons if m.end("head") < p < end)])
        name = _CONNECTOR_END_RE.sub("", text[start:end].rstrip(" ,;:-–"))
        if len(words(name)) >= 2:
            out.append((start, start + len(name), m.start("head"), m.end("head"), bool(inner)))
    return out


def _inner_org(m: re.Match[str]) -> int | None:
    """Start of an organization named in the tail after "of (the)", if the tail has its
    own head word."""
    tail = m.group("tail") or ""
    first = re.match(r"[ \t]+of(?:[ \t]+the)?[ \t]+", tail)
    if first and has_org_head(tail[first.end() :].split(" and ")[0]):
        return m.start("tail") + first.end()
    return None


def after_formal_title(text: str, start: int) -> bool:
    """Whether a formal title ("Mr", "Dr.") stands just before ``start`` in ``text``."""
    return bool(_FORMAL_BEFORE_RE.search(text, max(0, start - _ADJACENT_WORD_CHARS), start))


def _function_word(word: str) -> bool:
    """ "The", "In": a function word, but not an acronym that spells one ("US", "IT")."""
    return word.lower() in STOP_WORDS and not word.isupper()


def _name_start(m: re.Match[str]) -> int:
    """Where the name opens: after the last possessive ("Norway’s Embassy") and
    after leading function words ("The", "In")."""
    toks = list(re.finditer(r"\S+", m.group("prefix")))
    first = 0
    for i, tok in enumerate(toks):
        if tok.group(0).endswith(("’s", "'s")):
            first = i + 1
    while first < len(toks) and _function_word(toks[first].group(0)):
        first += 1
    return m.start("prefix") + toks[first].start() if first < len(toks) else m.start("head")


def _person_names(found: list[Mention], ctx: Context) -> PhraseFinder:
    """Every name of two or more words the model tagged as a person."""
    names = {surface(m, ctx) for m in found if m.label == "PERSON"}
    return PhraseFinder(n for n in names if len(words(n)) >= 2)


def _person_starts(
    names: PhraseFinder, art: dict, text: str, formal: list[re.Match[str]]
) -> list[int]:
    """Where people's names start in the article: formal titles (``formal``: the
    article's matches of the title pattern), and every occurrence of a name the model
    tagged as a person anywhere (not one that heads an organization, "X Y Foundation")."""
    lo, hi = art["doc_start"], art["doc_end"]
    starts = [m.start() for m in formal]
    heads = org_heads()
    for start, end, _ in names.findall(text, lo, hi):
        after = text[end : end + _AFTER_NAME_CHARS].split()
        if not (after and after[0].strip(",.;:") in heads):
            starts.append(start)
    return sorted(starts)


def _model_place(mine: SpanIndex, text: str, start: int, head: int, head_end: int) -> bool:
    """Whether the model read the name up to its head word (at ``head``) as a place whose
    words before the head are not a country ("West Bank" in "West Bank and Gaza",
    "Soviet Union"; not "Norway Embassy", a country's organization): its place stands
    against the head word."""
    before = text[start:head].strip()
    return (
        bool(before)
        and before not in country_names()
        and any(
            mine[pos].label == "PLACE"
            and (mine[pos].doc_start, mine[pos].doc_end) == (start, head_end)
            for pos in mine.overlapping(start, head_end)
        )
    )


# Legal forms that close a company's name ("Acme Tools Inc", "Brand Holdings plc").
_LEGAL_FORMS = frozenset({"Inc", "Ltd", "Corp", "Co", "plc", "PLC", "LLC", "LLP", "AG", "GmbH"})
_LINKED_RE = re.compile(rf"^[ \t]*(?:{_CONNECT}|{_PLACE_LINK})[ \t]")


def _built_as_name(name: str, beyond: str) -> bool:
    """Whether a name the model read past the head word's name (``beyond``: what it adds
    after it) is built as a name: it ends in a head word or a legal form, or what it adds
    opens with a connector ("Organisation for X in Europe"); not "X University John
    Smith", a name running on into the next."""
    last = name.split()[-1].strip(".,;:") if name.split() else ""
    return last in org_heads() or last in _LEGAL_FORMS or bool(_LINKED_RE.match(beyond))


def _unread_competition(mine: SpanIndex, text: str, start: int, end: int, head: int) -> bool:
    """Whether the name ``text[start:end]`` ends in a head of ``_COMPETITION_HEADS``
    (starting at ``head``) and the model read no part of it."""
    return text[head:end] in _COMPETITION_HEADS and mine.free(start, end)


def _apply_org(
    mine: SpanIndex,
    art: dict,
    text: str,
    span: tuple[int, int],
    inner: bool,
    persons: list[int],
) -> None:
    """Put the organization name ``span`` among the article's mentions. Where the model
    read a longer organization or place around it ("X Group Inc", "Y Society in Z"), the
    model's longer name stands when it is built as a name is, unless the name is an
    ``inner`` organization of a longer run or the model's span runs on into a person's
    name (``persons``: where names start)."""
    start, end = span
    for pos in mine.overlapping(start, end):
        m = mine[pos]
        longer = m.doc_start <= start and end <= m.doc_end and m.doc_end - m.doc_start > end - start
        into_person = any(end <= p < m.doc_end for p in persons)
        if (
            longer
            and m.label in ("ORG", "PLACE")
            and not inner
            and not into_person
            and _built_as_name(text[m.doc_start : m.doc_end], text[end : m.doc_end])
        ):
            return
    covered_exact = False
    for pos in mine.overlapping(start, end):
        m = mine[pos]
        if (m.doc_start, m.doc_end) == (start, end):
            covered_exact = True
            if m.label != "ORG":
                mine.replace(pos, mark(m.with_(label="ORG"), "cues"))
        elif start <= m.doc_start and m.doc_end <= end:
            mine.remove(pos)  # a piece of the name
        elif m.doc_start <= start and end <= m.doc_end:
            mine.remove(pos)  # a longer span that is no name of its own: the name replaces it
        elif m.doc_start < start:
            mine.replace(pos, mark(m.with_(doc_end=start), "cues"))
        else:
            mine.replace(pos, mark(m.with_(doc_start=end), "cues"))
    if not covered_exact:
        mine.add(new_mention(art, text, start, end, "ORG", "cues"))


def _cleaned_remainders(found: list[Mention], ctx: Context) -> list[Mention]:
    """Trim what is left of cut spans; drop leftovers with no capitalised word."""
    out = []
    for m in found:
        start, end = trim(ctx.texts[m.doc_id], m.doc_start, m.doc_end)
        if not any(w[:1].isupper() for w in words(ctx.texts[m.doc_id][start:end])):
            continue
        out.append(
            m if (start, end) == (m.doc_start, m.doc_end) else m.with_(doc_start=start, doc_end=end)
        )
    return out


def _honorific_before(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    if not before:
        return False
    last = before.split()[-1].rstrip(".,")
    return last in honorifics()


def _strip_leading_honorific(m: Mention, ctx: Context) -> Mention:
    """ "Ambassador Tariq Lind" -> "Tariq Lind", a person; "Justice for X" is
    left alone (what follows a title must be a name)."""
    text = surface(m, ctx)
    toks = list(re.finditer(r"\S+", text))
    cut = 0
    for tok in toks[:-1]:
        if tok.group(0).rstrip(".,") in honorifics():
            cut = toks[toks.index(tok) + 1].start()
        else:
            break
    rest = words(text[cut:])
    if cut and all(w[:1].isupper() for w in rest) and len(rest) <= ctx.cfg.cues.max_name_words:
        return mark(m.with_(doc_start=m.doc_start + cut, label="PERSON"), "cues")
    return m


_QUOTED_RE = re.compile(r"[“\"«]([A-Z][^”\"»\n]{1,60})[”\"»](?![ \t]+[A-Z])")


def _quoted_titles(ctx: Context) -> set[str]:
    """Capitalised phrases the corpus writes in quotation marks, not followed by a
    capitalised head ("“Silent Harbour”"): titles of films, books, slogans."""
    titles: set[str] = set()
    for art, text in ctx.article_spans():
        for m in _QUOTED_RE.finditer(text, art["doc_start"], art["doc_end"]):
            if all(w[:1].isupper() for w in words(m.group(1))):
                titles.add(m.group(1))
    return titles


def _modifies_event(text: str, doc: str, end: int) -> bool:
    nxt = doc[end : end + _ADJACENT_WORD_CHARS].split()
    return is_short_form(text) and bool(nxt) and nxt[0].strip(",.;:").lower() in _EVENT_NOUNS


def _head(text: str) -> str:
    toks = words(text)
    return toks[-1].strip(",.;:’'\"”“") if toks else ""


_OF_LAST = re.compile(r"\s(?:of|for)\s+(\S+)$")


def _cut_at_nationality(text: str) -> bool:
    """ "Union of Estonian [teachers]": a name does not end in a nationality adjective after
    "of"; the pattern stopped where the name goes on in lower case."""
    last = _OF_LAST.search(text)
    return bool(last) and is_demonym(last.group(1))


def _place_by_preposition(m: Mention, text: str) -> bool:
    """Whether a locative preposition before ``m`` makes it a place: a person's span, or
    an organization's single word that is not an acronym ("in Tartu", not "in NATO")."""
    if m.label == "PERSON":
        return True
    return m.label == "ORG" and len(words(text)) == 1 and not text.isupper()


def _role_phrase(text: str) -> bool:
    """ "Coordinator for Youth Exchange", "Deputy Coordinator of the Forum": the
    words before the first lower-case word are all titles or roles, so the phrase names
    a role, not a person or an organization."""
    toks = words(text)
    head = list(itertools.takewhile(lambda w: not w.islower(), toks))
    return (
        len(toks) >= 2
        and 0 < len(head) < len(toks)
        and all(w in honorifics() or w.lower() in honorifics() for w in head)
    )


_WORD_BEFORE_RE = re.compile(r"(?:^|(?<=[\s(“\"]))([A-Z][a-z]+) $")


def _extend_person(m: Mention, ctx: Context) -> Mention:
    """ "said Ingrid [Solvik]" -> "Ingrid Solvik": a capitalised word just before a
    person's span that is not a title, function word, nationality, place or common word
    is the first name the model left out."""
    doc = ctx.texts[m.doc_id]
    hit = _WORD_BEFORE_RE.search(doc[max(0, m.doc_start - _ADJACENT_WORD_CHARS) : m.doc_start])
    if not hit:
        return m
    word = hit.group(1)
    if (
        word in honorifics()
        or word in calendar_words()
        or word.lower() in STOP_WORDS
        or is_demonym(word)
        or word in place_names()
        or word in org_heads()
        or word.lower() in ctx.common_words
    ):
        return m
    return mark(m.with_(doc_start=m.doc_start - len(word) - 1), "cues")


@layer("cues", order=30, section="cues")
def cues(found: list[Mention], ctx: Context) -> list[Mention]:
    """Apply organization names, then person cues, then head-word relabelling."""
    names = _person_names(found, ctx)

    def names_by_cue(mine: SpanIndex, art: dict, text: str) -> None:
        formal = list(_FORMAL_RE.finditer(text, art["doc_start"], art["doc_end"]))
        persons = _person_starts(names, art, text, formal)
        spans = _org_spans(text, art["doc_start"], art["doc_end"], persons)
        for start, end, head, head_end, inner in spans:
            if _unread_competition(mine, text, start, end, head):
                continue
            if not _model_place(mine, text, start, head, head_end):
                _apply_org(mine, art, text, (start, end), inner, persons)
        for m in formal:
            s, e = m.span(1)
            if mine.free(s, e):
                mine.add(new_mention(art, text, s, e, "PERSON", "cues"))
        for m in _bare_name_re().finditer(text, art["doc_start"], art["doc_end"]):
            s, e = m.span("head")
            if mine.free(s, e):
                mine.add(new_mention(art, text, s, e, _bare_label(m["head"]), "cues"))

    found = _cleaned_remainders(per_article(found, ctx, names_by_cue), ctx)
    titles = _quoted_titles(ctx)
    out = []
    for m in found:
        if not has_org_head(surface(m, ctx)):
            m = _strip_leading_honorific(m, ctx)
        text = surface(m, ctx)
        doc = ctx.texts[m.doc_id]
        if _head(text) in non_entity_heads() or _role_phrase(text):
            continue
        if m.label == "ORG" and _cut_at_nationality(text):
            continue  # "Union of Estonian [teachers]": the name goes on in lower case
        if text in titles and m.label != "PLACE" and not has_org_head(text):
            continue  # seen as a quoted title somewhere: a film, book or slogan
        if _modifies_event(text, doc, m.doc_end):
            continue  # "JFK campaign": the campaign's own acronym
        if _head(text) in place_heads():
            if m.label != "PLACE":
                m = mark(m.with_(label="PLACE"), "cues")
        elif has_org_head(text):
            if m.label == "PERSON":  # a model's place stands: "West Bank", "Soviet Union"
                m = mark(m.with_(label="ORG"), "cues")
        elif m.label != "PLACE" and _PLACE_NOUN_AFTER_RE.match(
            doc[m.doc_end : m.doc_end + _PLACE_CUE_CHARS]
        ):
            m = mark(m.with_(label="PLACE"), "cues")  # "Varno district"
        elif (
            m.label == "PERSON"
            and _place_by_preposition(m, text)
            and _PLACE_PREPOSITION_RE.search(
                doc[max(0, m.doc_start - _PLACE_CUE_CHARS) : m.doc_start]
            )
        ):
            m = mark(m.with_(label="PLACE"), "cues")  # "in Tartu", "across the Alps"
        elif m.label != "PERSON" and _honorific_before(doc, m.doc_start):
            toks = words(text)
            if 1 <= len(toks) <= ctx.cfg.cues.max_name_words and all(t[:1].isupper() for t in toks):
                m = mark(m.with_(label="PERSON"), "cues")
        if m.label == "PERSON" and len(words(text)) == 1:
            m = _extend_person(m, ctx)
        out.append(m)
    return out
