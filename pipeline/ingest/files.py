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
    r"""``path`` as stored in the tables: relative to the input folder, ``/``-separated;
    a single-file input is stored under its own name. Bytes of a name that are not
    UTF-8 are written as ``\xNN`` escapes ("caf\xe9.txt"), so the name is text and its
    bytes are recoverable."""
    root = Path(root)
    name = path.name if root.is_file() else path.relative_to(root).as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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

    # Folders are walked from a stack, not by recursion: a tree of any depth is read.
    stack: list[tuple[Path, frozenset[Path]]] = [(root, frozenset({real_root}))]
    while stack:
        folder, seen = stack.pop()
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            error(folder, E.E012, reason=exc.strerror or str(exc))
            continue
        later: list[tuple[Path, frozenset[Path]]] = []
        for entry in entries:
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
            try:
                mode = target.stat().st_mode
            except OSError as exc:
                error(entry, E.E006, reason=exc.strerror or str(exc))
                continue
            if stat.S_ISDIR(mode):
                if entry.suffix.lower() in _DOCUMENT_SUFFIXES:
                    error(entry, E.E007, kind="a folder named like a document")
                elif target.resolve() in seen:
                    error(entry, E.E009, reason="a loop of links")
                else:
                    later.append((entry, seen | {target.resolve()}))
            elif stat.S_ISREG(mode):
                files.append(entry)
            else:
                error(entry, E.E007, kind=_kind(mode))
        stack.extend(later)
    files.sort(key=lambda p: p.relative_to(root).parts)
    errors.sort(key=lambda e: e.path)
    return files, errors
