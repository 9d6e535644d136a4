"""Database files: reading one, proving it is ours, and keeping (and restoring) its last good copy.

Why so careful: the database path comes from the command line or a folder, and may
hold anything. A file that is not a factdesk database (or is a damaged one) raises
:class:`~factdesk.annotations.storage.errors.NotAFactdeskDatabase` and is left alone —
never clobbered. The previous good file is copied to ``<db>.bak`` once per session
(:func:`write_backup`) so a person can recover, with :func:`restore_backup`.

Every read also yields the file's *signature* (inode, device, size, mtime, ctime) of
exactly the bytes read: the store compares it with a cheap ``stat`` to notice that
another process has written the file since.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factdesk.annotations.storage.atomic import FileLock, atomic_write_bytes
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


def read_existing(path: Path) -> tuple[bytes | None, Signature | None]:
    """The file's bytes and the signature of exactly those bytes (fstat of the same open file)."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a factdesk database")
    try:
        with open(path, "rb") as handle:
            signature = _signature(os.fstat(handle.fileno()))
            return handle.read(), signature
    except FileNotFoundError:
        return None, None
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
        if bak.is_file() and bak.stat().st_size == len(raw) and bak.read_bytes() == raw:
            return
        atomic_write_bytes(bak, raw)
    except OSError:
        pass


def restore_backup(path: Path | str, *, force: bool = False) -> str:
    """Put ``<db>.bak`` back in place of the database at ``path``; return what was done.

    The backup must itself be a readable factdesk database. The file it replaces is
    never destroyed: it is kept as ``<db>.before-restore`` (timestamped if that exists).
    A readable database is only replaced with ``force`` (it may hold newer marks).
    """
    path = Path(path).expanduser()
    bak = backup_path(path)
    raw_bak, _ = read_existing(bak)
    if not raw_bak:
        raise StoreError(f"no backup to restore: {bak} does not exist or is empty")
    parse_database(bak, raw_bak)
    current, _ = read_existing(path)
    with FileLock(path):
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
        keep = path.with_name(path.name + ".before-restore")
        if keep.exists():
            keep = path.with_name(f"{path.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        try:
            atomic_write_bytes(keep, current)
            atomic_write_bytes(path, raw_bak)
        except OSError as exc:
            raise StoreError(f"could not restore {path}: {exc.strerror or exc}") from exc
    return f"restored {path} from {bak.name}; the previous file is kept as {keep}"
