"""Stages ``fingerprint``, ``boilerplate`` and ``dedup``. Reads: ``documents``,
``articles``, ``mentions``. Writes: ``paragraphs`` (with boilerplate groups) and
``duplicates`` (exact copies, near copies and the same event told twice). Owns: word
shingles and MinHash fingerprints, LSH candidates and their confirmation, same-event
links."""
