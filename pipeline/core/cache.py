"""A small persistent cache of per-article results (SQLite, stdlib): keyed by a hash of
the article's text and everything that shapes the result (model, version, settings), so
an unchanged article is never annotated twice and a changed setting never reuses a
stale answer."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class ResultCache:
    """Key to JSON value, in one SQLite file; ``None`` path gives a cache that keeps
    nothing (caching switched off). The file is opened at the first look-up, that is
    once the run holds its output folder: a run refused before that creates no cache
    and, with ``fresh`` (``--full``), empties none."""

    def __init__(self, path: Path | None, fresh: bool = False) -> None:
        self.path = path
        self.fresh = fresh
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _open(self) -> sqlite3.Connection | None:
        """The database, opened (and emptied, if ``fresh``) on first use."""
        if self._db is None and self.path is not None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            # Stages run in threads; one lock serialises access to the connection.
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            if self.fresh:  # a fresh run starts a fresh cache
                with self._db:
                    self._db.execute("DELETE FROM results")
        return self._db

    def get_many(self, keys: Iterable[str], decode: bool = True) -> dict[str, Any]:
        """The cached values of the keys that have one (``decode=False``: their JSON text)."""
        keys = list(dict.fromkeys(keys))
        out: dict[str, Any] = {}
        with self._lock:
            if self._open() is None:
                return {}
            for i in range(0, len(keys), 500):
                out |= self._fetch(keys[i : i + 500], decode)
        return out

    def _fetch(self, chunk: list[str], decode: bool) -> dict[str, Any]:
        assert self._db is not None
        marks = ",".join("?" * len(chunk))
        rows = self._db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk)
        return {key: json.loads(value) if decode else value for key, value in rows}

    def put_many(self, items: dict[str, Any]) -> None:
        """Store values (one transaction: all or nothing)."""
        if self.path is None or not items:
            return
        with self._lock, self._open() as db:
            db.executemany(
                "INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in items.items()],
            )

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
