"""Listing the input: every regular file under the input folder, in a stable order.

Hidden files and folders are skipped. Symbolic links are followed only when they lead
inside the input folder; a link that leads outside it, a broken link, a loop of links,
a FIFO, socket or device, and a folder named like a document (``x.txt``) each become an
error row rather than being read or skipped in silence.
"""

from __future__ import annotations

import stat
from pathlib import Path

from pipeline.errors import E, ErrorRecord

STAGE = "ingest"
# Folders named like a document are reported, not searched (a saved page's folder of
# images is named ``page_files``, not ``page.html``).
_DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml")


def relative(path: Path, root: Path) -> str:
    """``path`` as stored in the tables: relative to the input folder, ``/``-separated;
    a single-file input is stored under its own name."""
    root = Path(root)
    if root.is_file():
        return path.name
    return path.relative_to(root).as_posix()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def list_inputs(root: Path) -> tuple[list[Path], list[ErrorRecord]]:
    """The files to read under ``root`` (or ``root`` itself, a file), sorted, and an
    error row for every entry that cannot be read as a document."""
    root = Path(root)
    if not root.is_dir():
        return [root], []
    real_root = root.resolve()
    files: list[Path] = []
    errors: list[ErrorRecord] = []

    def error(path: Path, code: E, **kwargs: object) -> None:
        errors.append(ErrorRecord(relative(path, root), STAGE, code.name, code.format(**kwargs)))

    def walk(folder: Path, seen: frozenset[Path]) -> None:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.startswith("."):
                continue
            target = entry
            if entry.is_symlink():
                try:
                    target = entry.resolve(strict=True)
                except FileNotFoundError:
                    error(entry, E.E009, reason="a broken link: its target does not exist")
                    continue
                except RuntimeError:
                    error(entry, E.E009, reason="a loop of links")
                    continue
                if not target.is_relative_to(real_root):
                    error(entry, E.E008)
                    continue
            mode = target.stat().st_mode
            if stat.S_ISDIR(mode):
                if entry.suffix.lower() in _DOCUMENT_SUFFIXES:
                    error(entry, E.E007, kind="a folder named like a document")
                elif target.resolve() in seen:
                    error(entry, E.E009, reason="a loop of links")
                else:
                    walk(entry, seen | {target.resolve()})
            elif stat.S_ISREG(mode):
                files.append(entry)
            else:
                error(entry, E.E007, kind=_kind(mode))

    walk(root, frozenset({real_root}))
    return files, errors
