"""Progress bars for long stages: shown on a terminal, silent in logs and CI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

_enabled: bool | None = None


def set_progress(enabled: bool | None) -> None:
    """Force progress bars on (True) or off (False); None shows them only on a terminal."""
    global _enabled
    _enabled = enabled


def progress(items: Iterable[T], desc: str, unit: str, total: int | None = None) -> Iterable[T]:
    """Wrap an iterable in a progress bar named ``desc``."""
    disable = None if _enabled is None else not _enabled
    return tqdm(items, desc=desc, unit=unit, total=total, disable=disable, leave=False)
