"""Canonical entities: group the mentions that name the same person,
organization or place across the corpus.

- Surface forms are compared after normalisation (case, quotes, hyphens, a leading
  "the", a possessive).
- Spelling variants of multi-word names merge when rapidfuzz finds them close and, for
  people, every word starts with the same letter ("Thomaz Kvalstad" / "Thomas Kvalstad"; never
  "Harald Solvik" / "Ivar Solvik").
- Acronyms join their long forms: "Long Form (SF)" definitions anywhere in the corpus,
  else a unique long name whose initials spell the acronym and that some document names
  beside it (initials alone join too much across a corpus: "GM" and a motor show);
  hyphens and dots in acronyms are ignored ("NRF-CT" = "NRFCT").
- A surname alone joins the full name it abbreviates: the one in the same article if
  there is one, else the only one in the corpus; otherwise it stays on its own, so two
  people who share a surname in different articles are never merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz

from pipeline.config import EntitiesConfig
from pipeline.core.documents import texts_by_id
from pipeline.core.ids import content_id
from pipeline.core.spans import within
from pipeline.core.unionfind import UnionFind
from pipeline.entities.abbreviations import definitions, initials, matches_initials
from pipeline.entities.forms import display_name, normalise
from pipeline.tables import ENTITIES

STAGE = "entities"
REQUIRES = ("mention_id", "article_id", "doc_id", "text", "label")


def _same_person(a: str, b: str, min_ratio: float, surname_slack: float) -> bool:
    """Same person spelt two ways: middle initials aside, the same number of words, each
    starting with the same letter, and close spellings overall and in the surname."""
    ta = [t for t in a.split() if len(t.rstrip(".")) > 1]
    tb = [t for t in b.split() if len(t.rstrip(".")) > 1]
    if len(ta) != len(tb) or any(x[0] != y[0] for x, y in zip(ta, tb, strict=True)):
        return False
    whole = fuzz.ratio(" ".join(ta), " ".join(tb))
    return whole >= min_ratio and fuzz.ratio(ta[-1], tb[-1]) >= min_ratio - surname_slack


def _variants(keys: list[str], label: str, uf: UnionFind[str], cfg: EntitiesConfig) -> None:
    """Union spelling variants, comparing only keys that share a block (sub-quadratic)."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        toks = key.split()
        if len(toks) < 2 or len(key) < cfg.fuzzy_min_chars:
            continue
        anchor = toks[-1] if label == "PERSON" else toks[0]
        blocks[anchor[: cfg.block_prefix_chars]].append(key)
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                same = (
                    _same_person(a, b, cfg.fuzzy_min_ratio, cfg.surname_ratio_slack)
                    if label == "PERSON"
                    else fuzz.ratio(a, b) >= cfg.fuzzy_min_ratio
                )
                if same:
                    uf.union(f"{label}|{a}", f"{label}|{b}")


def _acronyms(
    keys: dict[str, set[str]],
    defined: dict[str, str],
    uf: UnionFind[str],
    max_chars: int,
    in_docs: dict[str, set[str]],
) -> None:
    """Union acronyms with their long forms, in every label where both occur
    (``in_docs``: the documents each ``label|key`` occurs in)."""
    for label, forms in keys.items():
        shorts = [k for k in forms if " " not in k and len(k) <= max_chars]
        by_initials: dict[str, list[str]] = defaultdict(list)
        for k in forms:
            if " " in k:
                by_initials[initials(k)].append(k)
        for short in shorts:
            long = defined.get(short)
            if long and long in forms:
                uf.union(f"{label}|{short}", f"{label}|{long}")
                continue
            hits = by_initials.get("".join(c for c in short.upper() if c.isalpha()), [])
            if (
                len(hits) == 1
                and label == "ORG"
                and matches_initials(short, hits[0])
                and in_docs[f"{label}|{short}"] & in_docs[f"{label}|{hits[0]}"]
            ):
                uf.union(f"{label}|{short}", f"{label}|{hits[0]}")


def _corpus_definitions(docs: pa.Table, arts: pa.Table) -> dict[str, str]:
    texts = texts_by_id(docs)
    out: dict[str, str] = {}
    for art in arts.select(["doc_id", "doc_start", "doc_end"]).to_pylist():
        for d in definitions(texts[art["doc_id"]], art["doc_start"], art["doc_end"]):
            out.setdefault(normalise(d.short), normalise(d.long))
    return out


def _canonical_name(forms: Counter[str]) -> str:
    """The most frequent full (several-word) form, else the most frequent form."""
    full = [f for f in forms if " " in f.strip()] or list(forms)
    return max(full, key=lambda f: (forms[f], len(f), f))


def entities(
    mentions: pa.Table,
    docs: pa.Table,
    arts: pa.Table,
    paragraphs: pa.Table,
    cfg: EntitiesConfig,
) -> tuple[pa.Table, pa.Table]:
    """Group mentions into canonical entities, and flag the mentions that lie inside
    boilerplate paragraphs (``paragraphs`` with a ``boilerplate_group``).

    Returns:
        ``mentions`` with ``entity_id`` and ``in_boilerplate`` filled, and the
        ``entities`` table.
    """
    rows = mentions.select(list(REQUIRES)).to_pylist()
    keys: dict[str, set[str]] = defaultdict(set)
    in_docs: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        r["key"] = normalise(r["text"])
        keys[r["label"]].add(r["key"])
        in_docs[f"{r['label']}|{r['key']}"].add(r["doc_id"])
    uf = UnionFind[str]()
    for label, forms in keys.items():
        for k in forms:
            uf.find(f"{label}|{k}")
        _variants(sorted(forms), label, uf, cfg)
    _acronyms(keys, _corpus_definitions(docs, arts), uf, cfg.acronym_max_chars, in_docs)

    # Surnames: a one-word person form that ends some longer person form.
    full_by_last: dict[str, set[str]] = defaultdict(set)
    for k in keys.get("PERSON", ()):
        if len(k.split()) >= 2:
            full_by_last[k.split()[-1]].add(uf.find(f"PERSON|{k}"))
    in_article: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r["label"] == "PERSON" and len(r["key"].split()) >= 2:
            root = uf.find(f"PERSON|{r['key']}")
            in_article[(r["article_id"], r["key"].split()[-1])][root] += 1

    group_of: list[str] = []
    for r in rows:
        node = f"{r['label']}|{r['key']}"
        if r["label"] == "PERSON" and " " not in r["key"] and r["key"] in full_by_last:
            local = in_article.get((r["article_id"], r["key"]))
            candidates = full_by_last[r["key"]]
            if local:
                node = local.most_common(1)[0][0]
            elif len(candidates) == 1:
                node = next(iter(candidates))
        group_of.append(uf.find(node))

    members: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(group_of):
        members[g].append(i)
    named = {
        group: _canonical_name(Counter(rows[i]["text"] for i in idx))
        for group, idx in members.items()
    }
    # An entity's id comes from its label and name, so it is the same on every run; two
    # groups that end with one name (a surname that joined two full names) take theirs
    # from the group itself instead, so ids stay unique.
    by_name = Counter((g.split("|", 1)[0], normalise(name)) for g, name in named.items())
    entity_rows, entity_of_group = [], {}
    for group, idx in members.items():
        label, name = group.split("|", 1)[0], named[group]
        shared = by_name[(label, normalise(name))] > 1
        entity_id = (
            content_id("entity", group) if shared else content_id("entity", label, normalise(name))
        )
        entity_of_group[group] = entity_id
        entity_rows.append(
            {
                "entity_id": entity_id,
                "label": label,
                "name": display_name(name) or name,
                "aliases": sorted({rows[i]["text"] for i in idx}),
                "mention_count": len(idx),
                "article_count": len({rows[i]["article_id"] for i in idx}),
            }
        )
    entity_rows.sort(key=lambda e: (-e["mention_count"], e["label"], e["name"]))
    ids = pa.array([entity_of_group[g] for g in group_of], pa.string())
    col = mentions.schema.get_field_index("entity_id")
    filled = mentions.set_column(col, mentions.schema.field("entity_id"), ids)
    assert pc.all(pc.is_valid(filled.column("entity_id"))).as_py() or filled.num_rows == 0
    boilerplate = paragraphs.filter(pc.is_valid(paragraphs.column("boilerplate_group")))
    flags = pa.array(within(filled, boilerplate, arts), pa.bool_())
    col = filled.schema.get_field_index("in_boilerplate")
    filled = filled.set_column(col, filled.schema.field("in_boilerplate"), flags)
    return filled, pa.Table.from_pylist(entity_rows, schema=ENTITIES.schema)
