"""Text fingerprints for finding repeats: normalised words, exact keys, word shingles,
and MinHash signatures (datasketch) with their set sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

from pipeline.core.ids import content_id

_WORD_RE = re.compile(r"\w+")
SCHEME = "affine32"  # datasketch's permutation scheme, pinned so signatures stay comparable


def norm_words(text: str) -> list[str]:
    """Lower-cased words: whitespace, case and punctuation do not count."""
    return _WORD_RE.findall(text.casefold())


def exact_key(text: str) -> str:
    """A hash of the text with whitespace, case and punctuation normalised away."""
    return content_id(" ".join(norm_words(text)), length=32)


def shingles(words: list[str], k: int) -> set[bytes]:
    """The set of k-word shingles (a text shorter than k gives one shingle of itself)."""
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


@dataclass(frozen=True)
class Signature:
    """A MinHash signature and the size of the shingle set it summarises: all the
    corpus-level steps need of a text (no text travels)."""

    minhash: LeanMinHash
    size: int


def signature(text: str, k: int, num_perm: int, seed: int) -> Signature:
    """The MinHash signature of ``text``'s k-word shingles."""
    grams = shingles(norm_words(text), k)
    m = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)
    m.update_batch(sorted(grams))
    return Signature(LeanMinHash(m), len(grams))


def from_hashvalues(hashvalues: list[int], size: int, seed: int) -> Signature:
    """A signature rebuilt from the hash values a worker returned."""
    return Signature(LeanMinHash(seed=seed, hashvalues=hashvalues, scheme=SCHEME), size)


def containment(size_a: np.ndarray, size_b: np.ndarray, jaccard: np.ndarray) -> np.ndarray:
    """Estimated share of the smaller set inside the larger, from the Jaccard estimate
    and the set sizes (all non-zero): |A∩B| = J(|A|+|B|)/(1+J)."""
    small = np.minimum(size_a, size_b)
    return np.minimum(1.0, jaccard * (size_a + size_b) / ((1 + jaccard) * small))
