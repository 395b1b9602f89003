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
    nothing (a ``--full`` run, or caching switched off)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # Stages run in threads; one lock serialises access to the connection.
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )

    def get_many(self, keys: Iterable[str], decode: bool = True) -> dict[str, Any]:
        """The cached values of the keys that have one (``decode=False``: their JSON text)."""
        if self._db is None:
            return {}
        keys = list(dict.fromkeys(keys))
        out: dict[str, Any] = {}
        with self._lock:
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
        if self._db is None or not items:
            return
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in items.items()],
            )

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
