"""Stable identifiers: hashes of what identifies a row (a file's path, a span's place),
so the same input gives the same ids on every run."""

from __future__ import annotations

import hashlib


def content_id(*parts: object, length: int = 16) -> str:
    """Hex digest (BLAKE2b) of the parts joined by a separator.

    >>> content_id("doc", 0, 10) == content_id("doc", 0, 10)
    True
    """
    joined = "".join(f"{part}\x1f" for part in parts).encode("utf-8")
    return hashlib.blake2b(joined, digest_size=max(length // 2, 4)).hexdigest()[:length]


def bytes_id(data: bytes, length: int = 16) -> str:
    """Hex digest (BLAKE2b) of raw bytes: a document's content id."""
    return hashlib.blake2b(data, digest_size=max(length // 2, 4)).hexdigest()[:length]


def sha256_hex(data: bytes) -> str:
    """Full SHA-256 of raw bytes, for the manifest's input hashes."""
    return hashlib.sha256(data).hexdigest()
