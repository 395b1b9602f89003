"""Bytes to text: BOMs, UTF-8, UTF-16 and legacy single-byte encodings.

The decoded text is kept exactly (no newline translation, no normalisation): every
offset in every table indexes it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, from_bytes

from pipeline.errors import DocumentError, E

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in text (tab, LF, VT, FF, CR and ESC excluded).
_BINARY_BYTES = frozenset(range(0, 9)) | frozenset(range(14, 27)) | frozenset(range(28, 32))
_CONTROL_CHARS = "".join(map(chr, sorted(_BINARY_BYTES)))


def _has_controls(text: str) -> bool:
    return any(ch in _CONTROL_CHARS for ch in text[:65536])


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its text and the encoding that produced it."""

    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows as NUL bytes in every other position."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


# Western European text, the commonest legacy case, decodes under cp1252 to Latin-1 letters
# and typographic punctuation only; charset-normalizer's chaos scores cannot always tell
# cp1252 from its Baltic and Central European cousins on short texts.
_CP1252_PLAUSIBLE = re.compile(
    r"[\x00-\x7f\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac]*"
)


def _best_match(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's least chaotic guess, or cp1252 where it is nearly as good and
    gives only Western European letters."""
    matches = [m for m in from_bytes(data) if m.encoding]
    if not matches:
        return None
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    for m in matches:
        near = m.chaos <= best.chaos + 0.1
        if m.encoding == "cp1252" and near and _CP1252_PLAUSIBLE.fullmatch(str(m)):
            return m
    return best


def decode_bytes(data: bytes) -> Decoded:
    """Decode raw file bytes to text.

    Order: a byte-order mark decides; then BOM-less UTF-16; then strict UTF-8; then the
    encoding charset-normalizer detects. The BOM itself is not part of the text.

    Raises:
        DocumentError: E001 for an empty file, E002 for binary data, E003 when no
            encoding decodes it.
    """
    if not data:
        raise DocumentError(E.E001)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding + "-bom")
            except UnicodeDecodeError as exc:
                raise DocumentError(E.E003, reason=f"{encoding} with BOM: {exc}") from exc
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if text and not _has_controls(text):
            return Decoded(text, utf16)
    sample = data[:65536]
    if 0 in sample:
        raise DocumentError(E.E002, reason="contains NUL bytes")
    controls = len(sample) - len(sample.translate(None, bytes(sorted(_BINARY_BYTES))))
    if controls / len(sample) > 0.01:
        raise DocumentError(E.E002, reason=f"{controls} control bytes in the first {len(sample)}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = _best_match(data)
    if best is None:
        raise DocumentError(E.E003, reason="no encoding fits (charset-normalizer found none)")
    try:
        return Decoded(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocumentError(E.E003, reason=f"{best.encoding}: {exc}") from exc
