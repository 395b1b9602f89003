"""Exact shingle overlap of many pairs of texts at once.

The texts the pairs name become rows of a sparse text × shingle incidence matrix
(scipy); the size of a pair's intersection is the sum of the product of its two rows, so
hundreds of thousands of candidate pairs cost a few sparse operations instead of a set
intersection each (and each text is split into shingles once, however many pairs it is
in)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
from scipy import sparse

from pipeline.stories.shingles import norm_words

_CHUNK = 50_000  # pairs per sparse product, which bounds its memory


def incidence(texts: Sequence[str], k: int) -> sparse.csr_array:
    """Binary text × shingle matrix of each text's k-word shingles over normalised words
    (as :func:`pipeline.stories.shingles.shingles`: a text shorter than ``k`` words is one
    shingle of itself, a text without words has none); columns are distinct shingles."""
    vocab: dict[str, int] = {}  # word ids start at 1: 0 pads a short text
    rows = []
    for words in map(norm_words, texts):
        ids = [vocab.setdefault(w, len(vocab) + 1) for w in words]
        rows.append(ids + [0] * (k - len(ids)) if 0 < len(ids) < k else ids)
    lens = np.array([len(ids) for ids in rows], dtype=np.int64)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lens.sum()))
    per_text = np.maximum(lens - k + 1, 0)
    text_of = np.repeat(np.arange(len(texts)), per_text)
    first = np.cumsum(per_text) - per_text
    starts = np.repeat(np.cumsum(lens) - lens - first, per_text) + np.arange(len(text_of))
    # A shingle's code is its word ids in base len(vocab)+1, renumbered densely whenever
    # the next word would overflow int64; the final renumbering gives the columns.
    base, column, span = len(vocab) + 1, np.zeros(len(starts), dtype=np.int64), 1
    for t in range(k):
        if span * base >= 2**63:
            _, column = np.unique(column, return_inverse=True)
            span = len(starts)
        column = column * base + flat[starts + t]
        span *= base
    _, column = np.unique(column, return_inverse=True)
    width = int(column.max()) + 1 if len(column) else 0
    matrix = sparse.csr_array(
        (np.ones(len(column), dtype=np.int32), (text_of, column)), shape=(len(texts), width)
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1  # a shingle repeated inside one text counts once
    return matrix


def overlaps(texts: Sequence[str], pairs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard similarity and containment (share of the smaller set inside the
    larger) of the k-word shingle sets of each pair of ``texts``; ``pairs`` holds one
    pair of indices per row. Only the texts the pairs name are read. A pair with an
    empty set scores 0 on both."""
    if len(pairs) == 0:
        return np.zeros(0), np.zeros(0)
    used, local = np.unique(pairs, return_inverse=True)
    local = local.reshape(pairs.shape)
    matrix = incidence([texts[i] for i in used], k)
    sizes = np.diff(matrix.indptr)
    shared = np.zeros(len(pairs))
    for lo in range(0, len(pairs), _CHUNK):
        a, b = local[lo : lo + _CHUNK].T
        shared[lo : lo + _CHUNK] = matrix[a].multiply(matrix[b]).sum(axis=1)
    size_a, size_b = sizes[local[:, 0]], sizes[local[:, 1]]
    found = shared > 0
    jaccard = np.zeros(len(pairs))
    share = np.zeros(len(pairs))
    jaccard[found] = shared[found] / (size_a + size_b - shared)[found]
    share[found] = shared[found] / np.minimum(size_a, size_b)[found]
    return jaccard, share
