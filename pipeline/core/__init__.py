"""What every stage shares: stable ids, paragraphs and spans of text, calendar dates,
phrase matching, union-find, progress bars, the per-article result cache, and the engine
(``engine.map(task, items)``) that runs per-article work in this process, on worker
processes or on Ray. Imports no stage package."""
