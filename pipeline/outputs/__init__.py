"""Writing and reading the output folder. Reads: every table. Writes: the Parquet files
(swapped in whole), ``manifest.json`` and ``report.html``. Owns: the writer, the manifest,
the HTML report and the analysis helpers that notebooks use."""
