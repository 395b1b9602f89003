"""Writing and reading the output folder. Reads: every table. Writes: the Parquet files
(swapped in whole), ``manifest.json`` and ``report.html``. Owns: which folders may be
written and the lock on one while a run writes it, the writer, the manifest, the HTML
report, comparing two output folders, and the analysis helpers that notebooks use."""
