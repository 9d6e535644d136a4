"""Crash-safe file replacement: a reader sees the old file or the new one, never half of either.

Writing in place (``open(path, "w")``) truncates first and fills in later, so a crash,
a full disk or a kill in between leaves a torn file. Instead we write a temporary
file *in the same folder* (so the final rename never crosses a file system), flush
and fsync it, ``os.replace`` it over the target (atomic on POSIX and Windows), then
fsync the folder so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_directory",
    "remove_stale_temps",
    "temp_prefix",
]

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """The name prefix of the temporary files written next to ``path``.

    Named after the target so a stray temp file left by a kill is recognisable (and
    covered by the same ignore rules as the database), never mistaken for user data.
    """
    return f"{path.name}."


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably, creating parent folders.

    The previous file's permission bits are kept (``mkstemp`` would otherwise make a
    shared database private). A symlink is written through to its target, so the
    link survives. On any error the temporary file is removed and the old file is
    left exactly as it was.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):  # a new file keeps mkstemp's private mode
            os.chmod(tmp_name, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(folder)


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Text flavour of :func:`atomic_write_bytes` (UTF-8 by default, no BOM)."""
    atomic_write_bytes(path, text.encode(encoding))


def fsync_directory(folder: Path | str) -> None:
    """Make a rename in ``folder`` durable. A no-op where folders cannot be opened (Windows)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        # Some file systems refuse fsync on a directory; the data itself is synced.
        pass
    finally:
        os.close(fd)


def remove_stale_temps(path: Path | str, older_than: float = 60.0) -> list[Path]:
    """Delete temporary files a killed writer left beside ``path``; return what was removed.

    Only names this module itself produces (``<name>.<8 random chars>.tmp``, or the
    same for ``<name>.bak``) and only ones older than ``older_than`` seconds, so a
    write in progress in another process is never touched.
    """
    target = Path(path)
    pattern = re.compile(rf"^{re.escape(target.name)}\.(?:bak\.)?[A-Za-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed
