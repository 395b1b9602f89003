"""The language of a document, by py3langid (langid.py's model, shipped inside the
package): the language when the model is confident, else None."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(
    text: str, sample_chars: int, min_confidence: float
) -> tuple[str | None, float]:
    """The ISO 639-1 code of ``text``'s language (judged on its first ``sample_chars``
    characters) and the model's probability; the code is None below ``min_confidence``."""
    code, prob = _identifier().classify(text[:sample_chars])
    return (code if prob >= min_confidence else None), round(float(prob), 4)
