"""A synthetic corpus from real text: sentences of the example corpus recombined into
distinct articles, and planted copies of some of them (exact, near and contained), so
precision and recall of repeat detection can be measured on known answers."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def sentence_pool(raw: Path) -> list[str]:
    """Distinct sentences of 8 words or more from every text file under ``raw``."""
    seen: set[str] = set()
    pool = []
    for path in sorted(Path(raw).rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for para in re.split(r"\n\s*\n", text):
            for sent in _SENTENCE_RE.split(" ".join(para.split())):
                if len(sent.split()) >= 8 and sent not in seen:
                    seen.add(sent)
                    pool.append(sent)
    return pool


@dataclass(frozen=True)
class Synthetic:
    """Texts, and the planted pairs (index of original, index of copy, how made)."""

    texts: list[str]
    planted: list[tuple[int, int, str]]


def _perturb(text: str, rng: random.Random) -> str:
    words = text.split()
    words = [w for w in words if rng.random() > 0.03]  # word drops
    for _ in range(max(1, len(words) // 40)):  # swaps
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    lines, line = [], []
    for w in words:  # re-wrapped paragraphs
        line.append(w)
        if len(line) >= rng.randint(8, 14):
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "BREAKING NEWS from our correspondent today\n" + "\n".join(lines)


def _recombine(pool: list[str], rng: random.Random) -> str:
    """An original: 8-15 random sentences, each with a few words dropped, so two
    originals that happen to share a sentence still differ in it."""
    out = []
    for sent in rng.sample(pool, rng.randint(8, 15)):
        words = sent.split()
        out.append(" ".join(w for w in words if rng.random() > 0.15) or words[0])
    return " ".join(out)


def build(pool: list[str], n: int, copy_share: float = 0.1, seed: int = 7) -> Synthetic:
    """``n`` texts: originals of 8-15 random sentences, and copies of ``copy_share`` of
    them made as exact copies (case, spacing), near copies (drops, swaps, re-wrapping,
    a new first line) or containments (embedded in a longer text)."""
    rng = random.Random(seed)
    n_copies = int(n * copy_share)
    texts = [_recombine(pool, rng) for _ in range(n - n_copies)]
    planted = []
    sources = rng.sample(range(len(texts)), n_copies)  # each original copied at most once
    for k, src in enumerate(sources):
        how = ("exact", "near", "contained")[k % 3]
        if how == "exact":
            copy = "  ".join(texts[src].upper().split(" "))
        elif how == "near":
            copy = _perturb(texts[src], rng)
        else:
            extra = " ".join(rng.sample(pool, 3))
            copy = texts[src] + "\n\n" + extra
        planted.append((src, len(texts), how))
        texts.append(copy)
    return Synthetic(texts, planted)
