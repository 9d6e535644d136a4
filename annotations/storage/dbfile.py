"""Database files: reading one, proving it is ours, and keeping (and restoring) its last good copy.

Why so careful: the database path comes from the command line or a folder, and may
hold anything. A file that is not a factdesk database (or is a damaged one) raises
:class:`~factdesk.annotations.storage.errors.NotAFactdeskDatabase` and is left alone —
never clobbered. The previous good file is copied to ``<db>.bak`` once per session
(:func:`write_backup`) so a person can recover, with :func:`restore_backup`.

Links: the database path a user names may be their own link to the real file
(:func:`database_file` follows it, see :func:`~factdesk.annotations.storage.atomic.resolve_own_link`);
the files derived from it (``.bak``, ``.before-restore``) are never read or written through a link.

Every read also yields the file's *signature* (inode, device, size, mtime, ctime) of
exactly the bytes read: the store compares it with a cheap ``stat`` to notice that
another process has written the file since.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factdesk.annotations.storage.atomic import FileLock, UnsafeLink, atomic_write_bytes, resolve_own_link
from factdesk.annotations.storage.errors import DamagedDatabase, NotAFactdeskDatabase, StoreError
from factdesk.annotations.storage.layout import (
    APP,
    HISTORY_TABLE,
    MARKS_TABLE,
    META_TABLE,
    Lines,
    is_doc_id,
    parse_layout,
)
from factdesk.annotations.storage.migrations import SCHEMA

__all__ = [
    "Signature",
    "backup_path",
    "damaged",
    "database_file",
    "new_database",
    "parse_database",
    "read_existing",
    "reread_database",
    "restore_backup",
    "stat_signature",
    "validate_database",
    "write_backup",
]

BACKUP_SUFFIX = ".bak"

Signature = tuple[int, int, int, int, int]


def backup_path(path: Path) -> Path:
    """Where the last good copy of the database at ``path`` is kept."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def stat_signature(path: Path) -> Signature | None:
    """The signature of the file now (one ``stat``), or ``None`` if it is gone or unreadable."""
    try:
        return _signature(os.stat(path))
    except OSError:
        return None


def database_file(path: Path) -> Path:
    """The file to read and write for the database path a user named.

    ``path`` itself, or — when it is the user's own link to an existing file — that file
    (the link is kept; backup and lock sit beside the file). A dangling link, another
    user's link or a link to something else raises :class:`StoreError`: marks are never
    written through such a link.
    """
    try:
        return resolve_own_link(path)
    except UnsafeLink as exc:
        raise StoreError(str(exc)) from None


def read_existing(path: Path, *, follow_symlinks: bool = True) -> tuple[bytes | None, Signature | None]:
    """The file's bytes and the signature of exactly those bytes (fstat of the same open file).

    ``follow_symlinks=False`` (for the files factdesk derives from a database) refuses a
    link with :class:`StoreError` rather than reading whatever it points to.
    """
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a factdesk database")
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and not follow_symlinks and path.is_symlink():
            raise StoreError(f"{path} is a symbolic link; factdesk does not follow links for its own files") from None
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        with open(fd, "rb") as handle:
            signature = _signature(os.fstat(handle.fileno()))
            return handle.read(), signature
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc


def damaged(path: Path, detail: str) -> DamagedDatabase:
    """The error for a file of ours that cannot be read, naming its backup (or its absence)."""
    bak = backup_path(path)
    hint = f"the last good copy is {bak}" if bak.exists() else f"no backup ({bak.name}) was found"
    return DamagedDatabase(f"{path} looks like a damaged factdesk database ({detail}); left untouched — {hint}")


def _foreign(path: Path, what: str) -> NotAFactdeskDatabase:
    return NotAFactdeskDatabase(f"{path} is not a factdesk database ({what}); refusing to overwrite it")


def _find_meta(data: dict[str, Any]) -> dict[str, Any] | None:
    """Our meta document: a TinyDB table row (as we write it) or, tolerated, a flat object."""
    table = data.get(META_TABLE)
    if not isinstance(table, dict):
        return None
    if table.get("app") == APP:
        # Hand-written ``"meta": {"app": ..., "schema": ...}``: rewrite as a table row.
        data[META_TABLE] = {"1": dict(table)}
        return table
    for doc in table.values():
        if isinstance(doc, dict) and doc.get("app") == APP:
            return doc
    return None


def new_database() -> dict[str, dict[str, Any]]:
    """The content of a database file as factdesk first writes it."""
    return {META_TABLE: {"1": {"app": APP, "schema": SCHEMA}}, MARKS_TABLE: {}, HISTORY_TABLE: {}}


def parse_database(path: Path, raw: bytes) -> tuple[dict[str, dict[str, Any]], int]:
    """Validate a non-empty file as a factdesk database; return its data and schema.

    Raises :class:`NotAFactdeskDatabase` (or :class:`DamagedDatabase`) otherwise.
    """
    return (data := _decode(path, raw)), validate_database(path, data)


def reread_database(
    path: Path, raw: bytes, cached: Mapping[str, Mapping[str, tuple[Any, bytes]]] | None
) -> tuple[dict[str, dict[str, Any]], int, Lines | None]:
    """Validate a non-empty file as a factdesk database; return its data, schema and line cache.

    With ``cached`` (the lines the store already holds), a file in our own layout is
    read line by line by :func:`~factdesk.annotations.storage.layout.parse_layout`,
    re-using every unchanged document; otherwise (or with ``None``) it is parsed whole
    by :func:`parse_database`, and there is no line cache to return.
    """
    layout = None if cached is None else parse_layout(raw, cached)
    if layout is None:
        return (*parse_database(path, raw), None)
    data, lines = layout
    return data, validate_database(path, data, layout_checked=True), lines


def _decode(path: Path, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _foreign(path, "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        head = text.lstrip()[:4096]
        if head.startswith("{") and f'"{APP}"' in head and f'"{META_TABLE}"' in head:
            where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nesting"
            raise damaged(path, f"invalid JSON at {where}") from None
        raise _foreign(path, "not JSON") from None
    return data


def validate_database(path: Path, data: Any, *, layout_checked: bool = False) -> int:
    """Check parsed JSON is a factdesk database (normalising it in place); return its schema.

    ``layout_checked``: the data came from :func:`~factdesk.annotations.storage.layout.parse_layout`,
    whose grammar already guarantees every table is numbered documents, so that scan is skipped.
    """
    if not isinstance(data, dict):
        raise _foreign(path, "JSON without factdesk metadata")
    meta = _find_meta(data)
    if meta is None:
        raise _foreign(path, "JSON without factdesk metadata")
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise damaged(path, f"invalid schema version {schema!r}")
    for name, table in [] if layout_checked else list(data.items()):
        sound = isinstance(table, dict) and all(is_doc_id(key) and isinstance(doc, dict) for key, doc in table.items())
        if not sound:
            if schema <= SCHEMA:
                raise damaged(path, f"table {name!r} is malformed")
            # A newer writer may lay tables out differently; we only read, so skip it.
            del data[name]
    return schema


def write_backup(path: Path, raw: bytes) -> None:
    """Keep ``raw`` (a file just validated as ours) as ``<db>.bak``.

    Best effort: a backup that cannot be written must not stop a reviewer from
    reading; a folder that refuses it will refuse the first save loudly anyway.
    """
    bak = backup_path(path)
    try:
        try:
            kept = os.lstat(bak)
        except FileNotFoundError:
            kept = None
        same_size = kept is not None and stat.S_ISREG(kept.st_mode) and kept.st_size == len(raw)
        if same_size and read_existing(bak, follow_symlinks=False)[0] == raw:
            return
        atomic_write_bytes(bak, raw)  # a link at <db>.bak is replaced, never written through
    except (OSError, StoreError):
        pass


def restore_backup(path: Path | str, *, force: bool = False) -> str:
    """Put ``<db>.bak`` back in place of the database at ``path``; return what was done.

    The backup must itself be a readable factdesk database. The file it replaces is
    never destroyed: it is kept as ``<db>.before-restore`` (timestamped if that name is
    taken — by anything, a link included). A readable database is only replaced with
    ``force`` (it may hold newer marks).
    """
    path = database_file(Path(path).expanduser())
    bak = backup_path(path)
    raw_bak, _ = read_existing(bak, follow_symlinks=False)
    if not raw_bak:
        raise StoreError(f"no backup to restore: {bak} does not exist or is empty")
    parse_database(bak, raw_bak)
    try:
        with FileLock(path):
            return _restore_locked(path, bak, raw_bak, read_existing(path)[0], force=force)
    except OSError as exc:
        raise StoreError(f"could not restore {path}: {exc.strerror or exc}") from exc


def _restore_locked(path: Path, bak: Path, raw_bak: bytes, current: bytes | None, *, force: bool) -> str:
    """The restore itself, under the database's lock."""
    if not current:
        atomic_write_bytes(path, raw_bak)
        return f"restored {path} from {bak.name}"
    try:
        parse_database(path, current)
        readable = True
    except NotAFactdeskDatabase:
        readable = False
    if readable and not force:
        raise StoreError(
            f"{path} is a readable factdesk database: nothing to restore "
            f"(add --force to replace it with {bak.name} anyway)"
        )
    keep = _free_name(path.with_name(path.name + ".before-restore"))
    atomic_write_bytes(keep, current)
    atomic_write_bytes(path, raw_bak)
    return f"restored {path} from {bak.name}; the previous file is kept as {keep}"


def _free_name(wanted: Path) -> Path:
    """``wanted``, or a timestamped variant, that names nothing at all (``lexists``: a dangling
    link counts as taken, so the copy never replaces, let alone follows, anything)."""
    if not os.path.lexists(wanted):
        return wanted
    stamped = wanted.with_name(f"{wanted.name}-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    candidate, n = stamped, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = stamped.with_name(f"{stamped.name}-{n}")
    return candidate
