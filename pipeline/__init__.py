"""newsextract: raw news documents in, auditable Parquet tables out.

The stages are plain functions over Arrow tables, wired in :mod:`pipeline.run`.
"""

__version__ = "0.5.16"
