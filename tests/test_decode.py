import codecs

import pytest

from pipeline.errors import DocumentError
from pipeline.ingest.decode import decode_bytes

TEXT = "Zürich, São Paulo and Kraków — a café’s résumé.\r\nSecond line.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-bom"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le-bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be-bom"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_latin1_is_detected():
    text = (
        "Le café de la gare a fermé. Les élèves ont préparé une fête très réussie, "
        "à côté du théâtre où l'été dernier on jouait des pièces célèbres.\n"
    ) * 3
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded.text == text


def test_empty_file_is_an_error():
    with pytest.raises(DocumentError, match=r"\[E001\] file is empty"):
        decode_bytes(b"")


def test_binary_file_is_an_error():
    with pytest.raises(DocumentError, match=r"\[E002\].*binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
