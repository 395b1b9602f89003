"""Stages ``annotate``, ``ner`` and ``entities``. Reads: ``documents``, ``articles``,
``paragraphs``. Writes: ``mentions`` (people, organizations, places with exact offsets,
the layers that made them, boilerplate flags) and ``entities`` (canonical entities), and
the model's DATE spans for the dates stage. Owns: the spaCy model and its per-article
pass, the correction layers and their registry, word lists, abbreviations, and grouping
mentions into canonical entities."""
