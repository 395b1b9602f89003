"""Configuration: one frozen dataclass tree, built once at the CLI edge.

Stages receive the part they need and never read files or environment variables.
A user file (TOML) overrides any subset of the defaults::

    [ner]
    batch_size = 64
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IngestConfig:
    """How input files are found and decoded."""

    max_bytes: int = 50_000_000
    html_suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")
    min_text_chars: int = 1
    # Entities and dates run on documents in these languages, or whose language the
    # detector is not sure of (below the confidence, on its first sample_chars).
    languages: tuple[str, ...] = ("en",)
    language_min_confidence: float = 0.9
    language_sample_chars: int = 2000


@dataclass(frozen=True)
class SegmentConfig:
    """How documents are cut into articles.

    Compilations: headline blocks and tables of contents. Single-article pages: each
    paragraph is classed as prose, boilerplate or short by text density (after
    jusText: letters, stopwords, sentences), and the article is the run with the most
    prose. Source lines: short trailing lines with no sentence punctuation.
    """

    min_headlines: int = 2
    headline_max_lines: int = 4
    headline_max_chars: int = 300
    title_max_words: int = 40
    toc_min_items: int = 3
    toc_match_ratio: float = 88.0
    toc_title_slack_chars: int = 40
    source_max_chars: int = 80
    source_max_lines: int = 3
    source_line_max_chars: int = 50
    source_max_words: int = 8
    source_max_paragraphs: int = 2
    # Paragraph classes of single-article pages.
    prose_min_letter_ratio: float = 0.5
    boilerplate_max_stopword_density: float = 0.1
    boilerplate_min_words: int = 3
    link_list_min_words: int = 30
    link_list_words_per_sentence: int = 80
    good_min_chars: int = 100
    good_min_stopword_density: float = 0.3
    max_short_run: int = 3
    # The line length under which several lines of bare names in a row are a menu.
    chrome_line_chars: int = 40
    single_headline_max_lines: int = 2
    single_headline_words: tuple[int, int] = (3, 30)
    single_headline_min_letter_ratio: float = 0.75


@dataclass(frozen=True)
class GazetteerConfig:
    """``[ner.gazetteer]``: the gazetteer layer."""

    min_population: int = 200_000


@dataclass(frozen=True)
class ConsistencyConfig:
    """``[ner.consistency]``: the consistency layer. Where the label model does not
    decide, a mention that a cue layer labelled votes with ``evidence_weight`` (the
    model's with 1); a form is confident
    with ``min_weight`` votes, ``min_share`` of them for one label, and ``min_chars``
    characters; a surname is a person's when ``surname_min_share`` of its full names'
    votes say so."""

    min_weight: float = 2.0
    min_share: float = 0.6
    min_chars: int = 3
    evidence_weight: float = 3.0
    surname_min_share: float = 0.5


@dataclass(frozen=True)
class CuesConfig:
    """``[ner.cues]``: the context-cues layer."""

    max_name_words: int = 4


@dataclass(frozen=True)
class SourcesConfig:
    """``[ner.sources]``: the source-line layer."""

    max_words: int = 3


@dataclass(frozen=True)
class NerConfig:
    """Named-entity recognition: the model, and the correction layers with their
    sections. ``layers`` names the layers to run (None: those on by default; see
    :mod:`pipeline.entities.layers.registry`)."""

    model: str = "newsextract-ner"  # the bundled model (docs/models/ner.md); or any spaCy pipeline
    batch_size: int = 32
    max_chunk_chars: int = 20_000
    layers: tuple[str, ...] | None = None
    cues: CuesConfig = field(default_factory=CuesConfig)
    gazetteer: GazetteerConfig = field(default_factory=GazetteerConfig)
    sources: SourcesConfig = field(default_factory=SourcesConfig)
    consistency: ConsistencyConfig = field(default_factory=ConsistencyConfig)


@dataclass(frozen=True)
class EntitiesConfig:
    """Grouping mentions into canonical entities."""

    fuzzy_min_ratio: float = 88.0
    fuzzy_min_chars: int = 6
    # A person's surname may be this much less alike than the whole name.
    surname_ratio_slack: float = 15.0
    # Spelling variants are compared within blocks sharing this many leading characters.
    block_prefix_chars: int = 3
    acronym_max_chars: int = 12


@dataclass(frozen=True)
class DatesConfig:
    """Date normalisation."""

    detect_order: bool = True
    date_order: str = "DMY"


@dataclass(frozen=True)
class DedupConfig:
    """Repeated reports and boilerplate paragraphs."""

    shingle_words: int = 3
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.5
    near_jaccard: float = 0.6
    near_containment: float = 0.8
    # Same-event grouping (pipeline/stories/events.py, eventgroups.py): the pair model's
    # file (empty: the one shipped, pipeline/stories/data/event_model.json, whose
    # threshold was chosen on held-out documents: docs/models/events.md), the entities'
    # weight in the body vectors, the most days apart two dated reports of one happening
    # lie, and candidate blocking.
    event_model: str = ""
    event_entity_weight: float = 0.5
    event_max_days: int = 1
    # A table (results, standings, prices) joins no event: this many lines at least,
    # this share of them rows holding two or more numbers.
    table_min_lines: int = 6
    table_min_share: float = 0.4
    # A digest (a roundup, a newsletter) joins no event: this many paragraphs headed by
    # different places ("Kenya. The embassy..."), or this many paragraphs at least, this
    # share of their pairs with no content word in common (events.py).
    digest_min_places: int = 3
    digest_min_paragraphs: int = 4
    digest_min_disjoint: float = 0.8
    event_top_terms: int = 20
    event_max_posting: int = 200
    event_max_component: int = 500
    # A candidate pair less alike than this (0.7 x body + 0.3 x lead cosine) is no event
    # and no thread link: on ecb and conll no same-event pair lies below it, and the
    # model's probability there never exceeds 0.18.
    event_min_similarity: float = 0.05
    # Threads (one developing story): the similarity of bodies and leads a pair must
    # reach on average, the lead's share of it, and the most days apart when both dated.
    thread_similarity: float = 0.15
    thread_lead_weight: float = 0.3
    thread_max_days: int = 30
    lead_words: int = 60
    paragraph_min_words: int = 15
    paragraph_lsh_threshold: float = 0.3
    paragraph_jaccard: float = 0.5
    paragraph_containment: float = 0.6
    boilerplate_min_articles: int = 3


@dataclass(frozen=True)
class Config:
    """The whole configuration tree."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    ner: NerConfig = field(default_factory=NerConfig)
    entities: EntitiesConfig = field(default_factory=EntitiesConfig)
    dates: DatesConfig = field(default_factory=DatesConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)


def _merge(obj: Any, overrides: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in known:
            raise ValueError(
                f"unknown config key '{where}{key}'; known keys: {', '.join(sorted(known))}"
            )
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ValueError(f"config key '{where}{key}' must be a table")
            changes[key] = _merge(current, value, f"{where}{key}.")
        elif isinstance(current, tuple) or isinstance(value, list):
            changes[key] = tuple(value)
        else:
            widening = isinstance(current, float) and isinstance(value, int)
            if current is not None and not isinstance(value, type(current)) and not widening:
                raise ValueError(
                    f"config key '{where}{key}' must be {type(current).__name__}, got {value!r}"
                )
            changes[key] = value
    return dataclasses.replace(obj, **changes)


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the configuration from the defaults, an optional TOML file and overrides."""
    cfg = Config()
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"cannot read config file {path}: {exc}") from exc
        cfg = _merge(cfg, data, "")
    if overrides:
        cfg = _merge(cfg, overrides, "")
    return cfg


def config_dict(cfg: Config) -> dict[str, Any]:
    """The configuration as plain data, for the manifest and cache keys."""
    return dataclasses.asdict(cfg)
