"""Stage ``segment``. Reads: ``documents``. Writes: ``articles`` (span, title, own date,
source, layout). Owns: compilations (tables of contents, headline blocks), single-article
pages inside page chrome (text density), headline and source-line cues."""
