"""Crash-safe file replacement and a cross-process lock for read-modify-write.

Writing in place (``open(path, "w")``) truncates first and fills in later, so a crash,
a full disk or a kill in between leaves a torn file. Instead we write a temporary
file *in the same folder* (so the final rename never crosses a file system), flush
and fsync it, ``os.replace`` it over the target (atomic on POSIX and Windows), then
fsync the folder so the rename itself survives a power cut.

Atomic replacement protects readers, not writers: two processes that each read,
change and rewrite the file would silently drop one another's change. :class:`FileLock`
(``fcntl.flock`` on ``<file>.lock``) serialises those read-modify-write cycles; it is
held for milliseconds, so a short polling timeout beats a lock that can hang forever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

try:  # POSIX; elsewhere the lock degrades to a no-op (single-process use only)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # mypy types the name as the module, which is missing here

__all__ = [
    "FileLock",
    "LockTimeout",
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_directory",
    "lock_path",
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


def atomic_write_bytes(path: Path | str, data: bytes | Sequence[bytes]) -> None:
    """Replace ``path`` with ``data`` atomically and durably, creating parent folders.

    ``data`` may be a sequence of chunks, written in order (saves joining megabytes
    into one buffer only to write it out). The previous file's permission bits are
    kept (``mkstemp`` would otherwise make a shared database private). A symlink is
    written through to its target, so the link survives. On any error the temporary file is removed and the old file is
    left exactly as it was.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                view = memoryview(chunk)
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


# --------------------------------------------------------------------------- locking

LOCK_SUFFIX = ".lock"


class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


def lock_path(path: Path | str) -> Path:
    """The lock file guarding ``path``: ``<name>.lock`` in the same folder."""
    target = Path(path)
    return target.with_name(target.name + LOCK_SUFFIX)


class FileLock:
    """An exclusive ``flock`` on ``<path>.lock``, re-entrant within one instance.

    * **Polling, not blocking.** ``flock`` without ``LOCK_NB`` cannot time out, and a
      stopped process (ctrl+z) holding the lock would freeze the other session's UI.
      We retry with a short back-off and give up after ``timeout`` seconds.
    * **The lock file exists only while the lock is held** (it is created on acquire and
      removed, still locked, on release), so a reader never leaves files behind and a
      folder holding a foreign file is never touched.
    * **Race-free removal.** After locking we check the path still names the inode we
      locked; a process that waited on a file since removed retries on the new one.
    * A killed holder's lock is released by the kernel; its leftover file is harmless.
    """

    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = lock_path(path)
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            self._depth += 1
            return
        if fcntl is None:  # pragma: no cover - Windows
            self._fd, self._depth = -1, 1
            return
        deadline = time.monotonic() + self.timeout
        pause = 0.0002
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        errno.ETIMEDOUT, f"{self.path} is held by another process (waited {self.timeout:g} s)"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.004)
                continue
            try:
                on_path = os.stat(self.path)
                mine = os.fstat(fd)
            except FileNotFoundError:
                os.close(fd)  # removed between our open and our lock: try the new one
                continue
            if (on_path.st_dev, on_path.st_ino) != (mine.st_dev, mine.st_ino):
                os.close(fd)
                continue
            self._fd, self._depth = fd, 1
            return

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        if fd < 0:  # pragma: no cover - Windows
            return
        try:
            os.unlink(self.path)  # while still locked: see the inode check in acquire()
        except OSError:
            pass
        os.close(fd)  # closing the last descriptor releases the flock

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.release()
