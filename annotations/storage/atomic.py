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

**Links never redirect a write.** The database often sits in a folder others can write
(a team's corpus folder), so a symbolic link planted at a name factdesk creates or
replaces — the temp file, ``<db>.bak``, ``<db>.lock``, an export — must not turn a save
into a write to the link's target. Temp files are created with ``O_EXCL | O_NOFOLLOW``
under unpredictable names, :func:`atomic_write_bytes` renames over a link (replacing the
link itself), and the lock file is opened with ``O_NOFOLLOW`` (a link there is refused).
The one link followed is one the user made on purpose: :func:`resolve_own_link`.

**Leftovers.** A kill can leave a temp file or a lock file. :func:`remove_stale_temps` and
:func:`remove_stale_lock` delete only what is provably ours and stale: a temp file of our
name pattern, old, whose writer's pid is gone; a lock file nobody holds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
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
    "UnsafeLink",
    "atomic_write_bytes",
    "atomic_write_text",
    "fsync_directory",
    "lock_path",
    "remove_stale_lock",
    "remove_stale_temps",
    "resolve_own_link",
    "temp_prefix",
]

TEMP_SUFFIX = ".tmp"
_RANDOM_BYTES = 8  # 16 hex digits: 64 bits nobody can guess in advance
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_MAX_LINKS = 40  # as the kernel's own limit on a chain of links


class UnsafeLink(OSError):
    """A symbolic link where factdesk would create or replace a file: not followed.

    An ``OSError`` (``ELOOP``) so every caller's existing "could not save" path reports it;
    ``str(e)`` is the one-line message alone.
    """

    def __init__(self, message: str) -> None:
        super().__init__(errno.ELOOP, message)

    def __str__(self) -> str:
        return str(self.strerror)


def resolve_own_link(path: Path | str) -> Path:
    """The file to write for a path the user named, which may be a link they made on purpose.

    ``path`` itself when it is not a link (or does not exist yet). A link is followed only
    when every link of the chain belongs to the user running factdesk and the chain ends
    at an existing regular file; the result is then that file's real path (so the link
    survives the write, and every helper file sits beside the file actually written).
    Anything else raises :class:`UnsafeLink`: a dangling link (factdesk never creates a
    file through a link), another user's link, a link to a folder or a device.
    """
    given = Path(path)
    current = given
    for _ in range(_MAX_LINKS):
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            if current == given:
                return given
            raise UnsafeLink(
                f"{given} is a symbolic link to {current}, which does not exist; factdesk does not "
                "create files through links: remove the link or name the file itself"
            ) from None
        if not stat.S_ISLNK(info.st_mode):
            break
        if info.st_uid != os.geteuid():
            raise UnsafeLink(
                f"{given} is a symbolic link made by another user; factdesk does not follow it: "
                "remove the link or name the file itself"
            )
        current = Path(os.path.join(current.parent, os.readlink(current)))
    else:
        raise UnsafeLink(f"{given} is a chain of more than {_MAX_LINKS} symbolic links; not following it")
    if current == given:
        return given
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeLink(f"{given} is a symbolic link to {current}, which is not a regular file; not following it")
    return Path(os.path.realpath(current))


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
    kept (a new file is private, 0600). A symbolic link at ``path`` is replaced by the
    file, never written through (a caller that means to write through a user's own
    link resolves it first with :func:`resolve_own_link`). On any error the temporary
    file is removed and the old file is left exactly as it was.
    """
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = _create_temp(target)
    try:
        try:
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            with contextlib.suppress(FileNotFoundError):
                previous = os.lstat(target)
                if stat.S_ISREG(previous.st_mode) and hasattr(os, "fchmod"):  # keep a shared file shared
                    os.fchmod(fd, stat.S_IMODE(previous.st_mode))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(folder)


def _create_temp(target: Path) -> tuple[int, str]:
    """A new, private temp file beside ``target``: ``<name>.<pid>.<16 random hex>.tmp``.

    ``O_EXCL | O_NOFOLLOW``: it is a fresh file of ours, never something already there (a
    planted link included). The pid lets :func:`remove_stale_temps` tell a dead writer's
    leftover from a write in progress.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        name = os.path.join(target.parent, f"{temp_prefix(target)}{os.getpid()}.{secrets.token_hex(_RANDOM_BYTES)}")
        name += TEMP_SUFFIX
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, f"no free temporary name beside {target}")


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


# Files derived from a database that are written atomically too: its backup, the copies restore keeps.
_DERIVED = r"(?:\.bak|\.before-restore(?:-\d{8}T\d{6}(?:-\d+)?)?)?"


def remove_stale_temps(path: Path | str, older_than: float = 60.0) -> list[Path]:
    """Delete temporary files a killed writer left beside ``path``; return what was removed.

    Only regular files with names this module produces for ``path`` or its derived files
    (``<name>[.bak|.before-restore…].<pid>.<16 hex>.tmp``; ``<name>….<8 chars>.tmp`` from
    older versions), only ones older than ``older_than`` seconds, and only when the pid
    in the name is not a running process here, so a write in progress is never touched.
    """
    target = Path(path)
    pattern = re.compile(
        rf"^{re.escape(target.name)}{_DERIVED}\.(?:(?P<pid>\d+)\.[0-9a-f]{{{2 * _RANDOM_BYTES}}}|[A-Za-z0-9_]{{8}})"
        rf"{re.escape(TEMP_SUFFIX)}$"
    )
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        found = pattern.match(entry.name)
        if not found:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than:
                continue
            if found["pid"] is not None and _running(int(found["pid"])):
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    """Is ``pid`` a live process on this machine? (Unsure counts as yes.)"""
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill terminates, whatever the signal
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True  # e.g. another user's process (EPERM)
    return True


# --------------------------------------------------------------------------- locking

LOCK_SUFFIX = ".lock"


class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


def lock_path(path: Path | str) -> Path:
    """The lock file guarding ``path``: ``<name>.lock`` in the same folder."""
    target = Path(path)
    return target.with_name(target.name + LOCK_SUFFIX)


def _lock_mode(path: Path) -> int:
    """The lock file's permission bits: the database's read/write bits (0600 for a new one).

    Everyone who may write the database must be able to open its lock, and no one else;
    the owner always may (a read-only database still gets restored under its lock).
    """
    try:
        return stat.S_IMODE(os.stat(path).st_mode) & 0o666 | 0o600
    except OSError:
        return 0o600


def _refuse_lock_link(lock: Path) -> UnsafeLink:
    return UnsafeLink(f"{lock} is a symbolic link, not a factdesk lock file; not following it (remove it to save)")


def remove_stale_lock(path: Path | str) -> bool:
    """Delete the lock file of ``path`` if a killed holder left it; True if it was removed.

    Only a regular file at ``<name>.lock`` that nobody holds: we take the lock ourselves
    (``flock``, no waiting) and remove it while holding it, as :meth:`FileLock.release`
    does, so a process waiting on it sees the inode change and retries on a new file.
    A link, or a lock someone holds, is left alone.
    """
    lock = lock_path(path)
    if fcntl is None:  # pragma: no cover - Windows
        return False
    try:
        fd = os.open(lock, os.O_RDWR | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False  # absent, a link, or not ours to open
    try:
        mine = os.fstat(fd)
        if not stat.S_ISREG(mine.st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # held: not stale
        try:
            on_path = os.lstat(lock)
        except FileNotFoundError:
            return False
        if (on_path.st_dev, on_path.st_ino) != (mine.st_dev, mine.st_ino):
            return False
        os.unlink(lock)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


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
    * **Never through a link.** Opened with ``O_NOFOLLOW``: a link at ``<name>.lock`` is
      refused with :class:`UnsafeLink` (it is not ours to remove). The file gets the
      database's permission bits (0600 for a private database).
    * A killed holder's lock is released by the kernel; :func:`remove_stale_lock` removes
      its leftover file.
    """

    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.target = Path(path)
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
        mode = _lock_mode(self.target)
        flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
        while True:
            try:
                fd = os.open(self.path, flags, mode)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(self.path):
                    raise _refuse_lock_link(self.path) from None
                raise
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
                on_path = os.lstat(self.path)
                mine = os.fstat(fd)
            except FileNotFoundError:
                os.close(fd)  # removed between our open and our lock: try the new one
                continue
            if (on_path.st_dev, on_path.st_ino) != (mine.st_dev, mine.st_ino):
                os.close(fd)
                continue
            if not stat.S_ISREG(mine.st_mode):
                os.close(fd)
                raise OSError(errno.EINVAL, f"{self.path} is not a regular file, so not a factdesk lock file")
            if stat.S_IMODE(mine.st_mode) != mode and mine.st_uid == os.geteuid():
                with contextlib.suppress(OSError):  # the umask narrowed it, or a killed holder's file
                    os.fchmod(fd, mode)
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
