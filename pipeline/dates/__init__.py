"""Stages ``dates`` and ``confirm_dates``. Reads: ``documents``, ``articles`` (their
``published`` date is the reference), the model's DATE spans. Writes: ``dates`` (each
expression's span and its ISO value at its grain). Owns: finding date expressions and
resolving them against the article's date."""
