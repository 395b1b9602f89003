"""Stage ``ingest``. Reads: the input folder. Writes: ``documents`` (one row per file,
the decoded text exactly as it is) and error rows for files that cannot be read. Owns:
listing inputs, decoding bytes (BOMs, UTF-8, UTF-16, legacy encodings), HTML text
extraction."""
