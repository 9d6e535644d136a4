"""The mark store: reviewers' verdicts and notes, their history, and reader state, in one JSON file.

Why it looks the way it does:

* **One JSON file, rewritten atomically.** Writing in place would tear the file on a
  kill; :class:`AtomicJSONStorage` writes a temporary file beside it and renames it over
  the old one (see :mod:`factdesk.annotations.storage.atomic`): a crash leaves the old file or the new one.
  The layout is TinyDB's (tables of numbered documents), so TinyDB can still read it.
* **Every change is saved at once, as one transaction.** A reviewer's verdict is the
  product: each call takes the lock file, re-reads the database *if another process
  changed it* (stat signature: inode, size, mtime, ctime), applies the change to that
  fresh copy, appends it to the ``history`` table and writes — so two sessions on one
  database never lose each other's updates, and the later change wins.
* **Fast enough at 10,000 marks.** Each saved document's encoded line is cached, so a
  save re-encodes only the documents that changed; a file re-read from disk seeds the
  cache from its own lines.
* **Never clobber someone else's file.** A path that holds anything but a factdesk
  database (or a damaged one) raises :class:`NotAFactdeskDatabase` and is left alone.
  The previous good file is copied to ``<db>.bak`` once per session for recovery.
* **Forward and backward compatible.** A file with a newer schema opens read-only;
  unknown fields of a mark are carried in ``Mark.extra`` and written back untouched; an
  older schema is upgraded by :mod:`factdesk.annotations.storage.migrations` after the ``.bak`` copy.

A mark is identified by ``(article_id, anchor.quote, anchor.start, reviewer)``: each
reviewer has their own verdict on a claim. A mark with neither verdict nor note does not
exist on disk. Besides the model's fields a stored mark may carry ``path`` (the article
file it was made on, to find it again after the file is edited) and ``created``; both
travel in ``Mark.extra`` (see :func:`mark_path`, :func:`mark_created`).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from tinydb.storages import Storage

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.storage.atomic import FileLock, LockTimeout, atomic_write_bytes, remove_stale_temps
from factdesk.annotations.storage.history import (
    HistoryEntry,
    Identity,
    entry_key,
    entry_to_record,
    identity_of,
    record_to_entry,
)
from factdesk.annotations.storage.migrations import SCHEMA, MigrationError, migrate

__all__ = [
    "APP",
    "SCHEMA",
    "AddResult",
    "AtomicJSONStorage",
    "DamagedDatabase",
    "NotAFactdeskDatabase",
    "ReadOnlyStore",
    "Store",
    "StoreError",
    "backup_path",
    "mark_created",
    "mark_path",
    "mark_to_record",
    "record_to_mark",
    "restore_backup",
]

APP = "factdesk"
META_TABLE = "meta"
MARKS_TABLE = "marks"
STATE_TABLE = "state"
HISTORY_TABLE = "history"
BACKUP_SUFFIX = ".bak"
PATH_FIELD = "path"
CREATED_FIELD = "created"
_TABLE_ORDER = {META_TABLE: 0, MARKS_TABLE: 1, STATE_TABLE: 2, HISTORY_TABLE: 3}

_T = TypeVar("_T")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

Signature = tuple[int, int, int, int, int]
Lines = dict[str, dict[str, tuple[Any, bytes]]]  # table -> doc key -> (document, its encoded line)
_STALE: Any = ("stale",)  # a signature no file has: forces a re-read


class StoreError(Exception):
    """Anything the store refuses or fails to do. ``str(e)`` is a one-line message for a person."""


class NotAFactdeskDatabase(StoreError):
    """The path holds something that is not (or no longer provably is) a factdesk database."""


class DamagedDatabase(NotAFactdeskDatabase):
    """The file looks like ours but cannot be read (e.g. truncated); recovery is a human's call."""


class ReadOnlyStore(StoreError):
    """A write was attempted on a store opened read-only (a newer schema, or on request)."""


def backup_path(path: Path) -> Path:
    """Where the last good copy of the database at ``path`` is kept."""
    return path.with_name(path.name + BACKUP_SUFFIX)


# --------------------------------------------------------------------------- storage


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces its JSON file atomically on every write.

    The parsed data is kept in memory (re-parsing megabytes before every operation
    would dominate). If a write fails the cached copy is dropped and the next read goes
    back to the file on disk, which is the truth.

    The file is laid out one document per line, meta table first: readable and
    diffable by a person, and a truncated file still shows whose it was. Each
    document's encoded line is cached, and each table's joined lines too, so a save
    that changed one mark and appended one history entry encodes two documents and
    joins one table, not the whole database.
    """

    def __init__(self, path: Path | str, initial: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = initial
        # table -> doc key -> (the document object last encoded, its encoded line)
        self._lines: dict[str, dict[str, tuple[Any, bytes]]] = {}
        # table -> its keys in file order, in blocks of pre-joined lines
        self._blocks: dict[str, _Blocks] = {}
        # Documents about to be changed in place, whose cached line must not be reused.
        self._dirty: set[tuple[str, str]] = set()

    def will_change(self, table: str, doc_id: int | str) -> None:
        """Declare that the next write changes this document *in place*.

        Unchanged documents are recognised by identity (re-checking 10,000 of them by
        value costs as much as the rest of a save), which is only sound if in-place
        edits are announced. TinyDB's ``update`` edits in place, so call this first;
        inserts, removals and documents replaced by a new object need no announcement.
        """
        self._dirty.add((table, str(doc_id)))

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            self._data = self._load()
        return self._data

    def write(self, data: dict[str, dict[str, Any]], changes: Mapping[str, Iterable[str]] | None = None) -> None:
        """Write ``data``. ``changes`` (table → keys inserted, replaced or removed) lets every
        other document reuse its cached bytes without a look; without it each document is
        checked (by identity), as TinyDB's own writes require."""
        try:
            atomic_write_bytes(self.path, self._chunks(data, changes))
        except BaseException:
            self._data = None
            self._blocks.clear()
            raise
        finally:
            self._dirty.clear()
        self._data = data

    def close(self) -> None:
        self._data = None
        self._lines.clear()
        self._blocks.clear()

    def adopt(self, data: dict[str, dict[str, Any]], lines: Lines | None = None) -> None:
        """Take ``data`` as the current content; ``lines`` (from :func:`parse_layout`) seeds the cache."""
        self._data = data
        self._lines = lines if lines is not None else {}
        self._blocks = {}
        self._dirty.clear()

    @property
    def cached_lines(self) -> Mapping[str, Mapping[str, tuple[Any, bytes]]]:
        return self._lines

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        if not raw:
            return {}
        data = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(data, dict):
            raise ValueError("the database is not a JSON object")
        return data

    def _serialize(self, data: Mapping[str, Mapping[str, Any]]) -> bytes:
        return b"".join(self._chunks(data, None))

    def _chunks(self, data: Mapping[str, Any], changes: Mapping[str, Iterable[str]] | None) -> list[bytes]:
        parts: list[bytes] = [b"{\n"]
        for stale in set(self._blocks) - set(data):
            del self._blocks[stale]
        dirty_tables = {table for table, _ in self._dirty}
        for number, name in enumerate(sorted(data, key=lambda n: (_TABLE_ORDER.get(n, 9), n))):
            table = data[name]
            blocks = self._blocks.get(name)
            if (
                changes is None
                or blocks is None
                or name in dirty_tables
                or (name in changes and not self._patch(name, table, blocks, changes[name]))
            ):
                blocks = self._rebuild(name, table)
            if number:
                parts.append(b",\n")
            parts.append(f"{_encode(name)}: {{".encode())
            body = blocks.joined(self._lines[name])
            if body:
                parts.append(b"\n")
                for index, block in enumerate(body):
                    if index:
                        parts.append(b",\n")
                    parts.append(block)
                parts.append(b"\n}")
            else:
                parts.append(b"}")
        parts.append(b"\n}\n")
        return parts

    def _rebuild(self, name: str, table: Mapping[str, Any]) -> _Blocks:
        """Re-check every document of the table (by identity) and lay out its blocks anew."""
        cache = self._lines.setdefault(name, {})
        for table_name, key in self._dirty:
            if table_name == name:
                cache.pop(key, None)
        get = cache.get
        for key, doc in [(key, doc) for key, doc in table.items() if (hit := get(key)) is None or hit[0] is not doc]:
            cache[key] = (doc, _doc_line(key, doc))
        if len(cache) != len(table):  # documents were removed
            self._lines[name] = {key: cache[key] for key in table}
        blocks = self._blocks[name] = _Blocks(list(table))
        return blocks

    def _patch(self, name: str, table: Mapping[str, Any], blocks: _Blocks, keys: Iterable[str]) -> bool:
        """Re-encode only ``keys``; False if the table's order cannot be patched (then rebuild)."""
        cache = self._lines.setdefault(name, {})
        added: list[str] = []
        for key in dict.fromkeys(str(k) for k in keys):
            doc = table.get(key)
            if doc is None:
                cache.pop(key, None)
                blocks.remove(key)
                continue
            cache[key] = (doc, _doc_line(key, doc))
            if not blocks.replace(key):
                added.append(key)
        if added:
            tail = list(islice(reversed(table), len(added)))[::-1]
            if set(tail) != set(added):
                return False
            for key in tail:
                blocks.append(key)
        return len(blocks) == len(table)


_BLOCK = 256  # documents per pre-joined block: a change re-joins ~256 lines, not 10,000


class _Blocks:
    """A table's document keys in file order, in blocks whose joined lines are cached."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = [keys[i : i + _BLOCK] for i in range(0, len(keys), _BLOCK)]
        self.where = {key: number for number, block in enumerate(self.keys) for key in block}
        self.cache: list[bytes | None] = [None] * len(self.keys)

    def __len__(self) -> int:
        return len(self.where)

    def replace(self, key: str) -> bool:
        number = self.where.get(key)
        if number is None:
            return False
        self.cache[number] = None
        return True

    def remove(self, key: str) -> None:
        number = self.where.pop(key, None)
        if number is not None:
            self.keys[number].remove(key)
            self.cache[number] = None

    def append(self, key: str) -> None:
        if not self.keys or len(self.keys[-1]) >= _BLOCK:
            self.keys.append([])
            self.cache.append(None)
        self.keys[-1].append(key)
        self.where[key] = len(self.keys) - 1
        self.cache[-1] = None

    def joined(self, lines: Mapping[str, tuple[Any, bytes]]) -> list[bytes]:
        out = []
        for number, block in enumerate(self.keys):
            if not block:
                continue
            text = self.cache[number]
            if text is None:
                text = self.cache[number] = b",\n".join([lines[key][1] for key in block])
            out.append(text)
        return out


def _doc_line(key: str, doc: Any) -> bytes:
    return f"  {_encode(str(key))}: {_encode(doc)}".encode()


_HEADER = re.compile(rb'"([A-Za-z0-9_]+)": \{(\}?)(,?)')


def parse_layout(
    raw: bytes, previous: Mapping[str, Mapping[str, tuple[Any, bytes]]], parsed: Mapping[str, Any] | None = None
) -> tuple[dict[str, dict[str, Any]], Lines] | None:
    """Read a file in our own one-document-per-line layout, line by line.

    Why: after another session saved, almost every line is byte-identical to one we
    already hold, so its parsed document (and encoded line) is reused and only the
    changed lines are parsed — a re-read of a 10,000-mark database costs milliseconds,
    not a full JSON parse. With ``parsed`` (the file already went through ``json.loads``)
    the documents are taken from it and only the line cache is built.

    The grammar is strict (headers, commas, closing braces exactly as we write them),
    so whatever it accepts is valid JSON with the same content ``json.loads`` would
    give. Anything else returns ``None``: the caller falls back to ``json.loads``.
    """
    if not raw.startswith(b"{\n") or not raw.endswith(b"\n}\n"):
        return None
    data: dict[str, dict[str, Any]] = {}
    lines: Lines = {}
    table: dict[str, Any] | None = None
    cache: dict[str, tuple[Any, bytes]] = {}
    known: dict[bytes, tuple[str, Any]] = {}  # a line we hold -> (its key, its document)
    source: Mapping[str, Any] = {}
    comma = True  # did the previous table (or document) end with a comma?
    count = 0
    for line in raw[2:-3].split(b"\n"):
        if table is None:
            header = _HEADER.fullmatch(line)
            if header is None or not comma:
                return None
            name = header.group(1).decode("ascii")
            if name in data:
                return None
            if parsed is not None:
                source = parsed.get(name)  # type: ignore[assignment]
                if not isinstance(source, dict):
                    return None
            data[name], lines[name] = {}, {}
            comma = bool(header.group(3))
            if header.group(2):  # an empty table, closed on the same line
                continue
            if comma:
                return None
            table, cache, count = data[name], lines[name], 0
            known = {body: (key, doc) for key, (doc, body) in previous.get(name, {}).items()}
            continue
        if line in (b"}", b"},"):
            if count and comma:
                return None
            table, comma = None, line == b"},"
            continue
        if count and not comma:
            return None
        comma = line.endswith(b",")
        body = line[:-1] if comma else line
        hit = known.get(body) if parsed is None else None
        if hit is not None:
            key, doc = hit  # byte-identical to a line we already hold (and once validated)
        else:
            if not line.startswith(b'  "'):
                return None
            split = body.find(b'": ', 3)
            key_bytes = body[3:split]
            if split < 0 or not key_bytes.isdigit():
                return None
            key = key_bytes.decode("ascii")
            if parsed is not None:
                doc = source.get(key)
            else:
                try:
                    doc = json.loads(body[split + 3 :])
                except (ValueError, RecursionError):
                    return None
            if not isinstance(doc, dict):
                return None
        if key in table:
            return None
        table[key] = doc
        cache[key] = (doc, body)
        count += 1
    if table is not None or comma:
        return None
    if parsed is not None and (set(parsed) != set(data) or any(len(parsed[n]) != len(data[n]) for n in data)):
        return None
    return data, lines


# --------------------------------------------------------------------------- records

_MARK_FIELDS = frozenset({"article_id", "anchor", "status", "note", "reviewer", "updated"})


def mark_to_record(mark: Mark) -> dict[str, Any]:
    """The JSON document stored for ``mark``; fields in ``mark.extra`` are written back as-is."""
    anchor = mark.anchor
    record: dict[str, Any] = {
        "article_id": mark.article_id,
        "anchor": {
            "quote": anchor.quote,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
            "start": anchor.start,
            "end": anchor.end,
        },
        "status": Status(mark.status).value,
        "note": mark.note,
        "reviewer": mark.reviewer,
        "updated": mark.updated,
    }
    for key, value in mark.extra.items():
        if key not in _MARK_FIELDS:
            record[key] = _json_copy(value)
    return record


def record_to_mark(record: Any) -> Mark | None:
    """The :class:`Mark` a stored document describes, or ``None`` if it is malformed.

    Malformed records (hand edits, a newer writer) are skipped rather than fatal, and
    since nothing rewrites them they stay in the file for a person to look at.
    """
    try:
        raw_anchor = record["anchor"]
        anchor = Anchor(
            quote=_checked(raw_anchor["quote"], str),
            prefix=_checked(raw_anchor.get("prefix", ""), str),
            suffix=_checked(raw_anchor.get("suffix", ""), str),
            start=_checked(raw_anchor["start"], int),
            end=_checked(raw_anchor["end"], int),
        )
        return Mark(
            article_id=_checked(record["article_id"], str),
            anchor=anchor,
            status=Status(record.get("status", Status.UNREVIEWED.value)),
            note=_checked(record.get("note", ""), str),
            reviewer=_checked(record.get("reviewer", ""), str),
            updated=_checked(record.get("updated", ""), str),
            extra={k: v for k, v in record.items() if k not in _MARK_FIELDS},
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def mark_path(mark: Mark) -> str:
    """The article file the mark was made on ("" when unknown, e.g. a schema-1 mark)."""
    value = mark.extra.get(PATH_FIELD, "")
    return value if isinstance(value, str) else ""


def mark_created(mark: Mark) -> str:
    """When the mark was first made (its ``updated`` time when not recorded)."""
    value = mark.extra.get(CREATED_FIELD, "")
    return value if isinstance(value, str) and value else mark.updated


def _checked(value: Any, kind: type[_T]) -> _T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _json_copy(value: _T) -> _T:
    """A deep copy that also proves ``value`` is JSON (raises TypeError/ValueError otherwise)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _state_of(mark: Mark | None) -> tuple[Status, str]:
    return (Status(mark.status), mark.note) if mark is not None else (Status.UNREVIEWED, "")


# --------------------------------------------------------------------------- opening


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _stat_signature(path: Path) -> Signature | None:
    try:
        return _signature(os.stat(path))
    except OSError:
        return None


def _read_existing(path: Path) -> tuple[bytes | None, Signature | None]:
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


def _damaged(path: Path, detail: str) -> DamagedDatabase:
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


def _is_doc_id(key: str) -> bool:
    return key.isascii() and key.isdigit()


def _next_id(table: Mapping[str, Any]) -> int:
    try:
        return max(map(int, table), default=0) + 1
    except ValueError:
        return max((int(k) for k in table if _is_doc_id(k)), default=0) + 1


def parse_database(path: Path, raw: bytes) -> tuple[dict[str, dict[str, Any]], int]:
    """Validate a non-empty file as a factdesk database; return its data and schema.

    Raises :class:`NotAFactdeskDatabase` (or :class:`DamagedDatabase`) otherwise.
    """
    return (data := _decode(path, raw)), validate_database(path, data)


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
            raise _damaged(path, f"invalid JSON at {where}") from None
        raise _foreign(path, "not JSON") from None
    return data


def validate_database(path: Path, data: Any, *, layout_checked: bool = False) -> int:
    """Check parsed JSON is a factdesk database (normalising it in place); return its schema.

    ``layout_checked``: the data came from :func:`parse_layout`, whose grammar already
    guarantees every table is numbered documents, so that scan is skipped.
    """
    if not isinstance(data, dict):
        raise _foreign(path, "JSON without factdesk metadata")
    meta = _find_meta(data)
    if meta is None:
        raise _foreign(path, "JSON without factdesk metadata")
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise _damaged(path, f"invalid schema version {schema!r}")
    for name, table in [] if layout_checked else list(data.items()):
        sound = isinstance(table, dict) and all(_is_doc_id(key) and isinstance(doc, dict) for key, doc in table.items())
        if not sound:
            if schema <= SCHEMA:
                raise _damaged(path, f"table {name!r} is malformed")
            # A newer writer may lay tables out differently; we only read, so skip it.
            del data[name]
    return schema


_parse_database = parse_database  # the name older callers used


def _write_backup(path: Path, raw: bytes) -> None:
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
    raw_bak, _ = _read_existing(bak)
    if not raw_bak:
        raise StoreError(f"no backup to restore: {bak} does not exist or is empty")
    parse_database(bak, raw_bak)
    current, _ = _read_existing(path)
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
            keep = path.with_name(f"{path.name}.before-restore-{_utc_now():%Y%m%dT%H%M%S}")
        try:
            atomic_write_bytes(keep, current)
            atomic_write_bytes(path, raw_bak)
        except OSError as exc:
            raise StoreError(f"could not restore {path}: {exc.strerror or exc}") from exc
    return f"restored {path} from {bak.name}; the previous file is kept as {keep}"


# --------------------------------------------------------------------------- transactions

_Key = tuple[str, int, str]  # (anchor.quote, anchor.start, reviewer) within one article


@dataclass
class _Batch:
    """What one transaction changes, applied to the file first and to memory after."""

    puts: list[tuple[int | None, Mark, Mark | None]] = field(default_factory=list)  # (doc id, new, replaced)
    deletes: list[tuple[int, Mark]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    states: list[tuple[int | None, str, dict[str, Any]]] = field(default_factory=list)
    history_rewrite: list[dict[str, Any]] | None = None  # replace the whole log (merge only)

    @property
    def empty(self) -> bool:
        return not (self.puts or self.deletes or self.history or self.states or self.history_rewrite is not None)


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add_marks` did with each incoming mark."""

    added: int = 0
    replaced: int = 0  # an older mark of the same reviewer on the same claim
    unchanged: int = 0
    kept: int = 0  # ours was newer: kept, and the incoming state logged in the history
    history_added: int = 0


# --------------------------------------------------------------------------- store


class Store:
    """Reviewers' marks, their history and reader state. Open with :meth:`Store.open`.

    Reads are served from an in-memory index; every change is written to disk before
    the call returns, inside a cross-process lock, on top of the latest file (the
    index is only updated once the write has succeeded, so after a failed save the
    store still shows what is on disk). Thread-safe.

    For a UI that shares the database with other sessions: poll
    :meth:`changed_on_disk` (a ``stat``) and call :meth:`reload` when it says so;
    :attr:`generation` increases whenever the content was re-read from disk.
    """

    path: Path
    read_only: bool

    def __init__(
        self,
        path: Path,
        data: dict[str, dict[str, Any]],
        *,
        schema: int,
        is_new: bool,
        raw: bytes | None = None,
        signature: Signature | None = None,
        read_only: bool = False,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Internal: use :meth:`Store.open`, which validates the file first."""
        self.path = path
        self.schema = schema
        self.requested_read_only = read_only
        self.read_only = read_only or schema > SCHEMA
        self.notice: str | None = self._newer_notice(schema) if schema > SCHEMA else None
        self.migrated_from: int | None = None
        self.session = secrets.token_hex(6)
        self.generation = 0
        self._is_new = is_new
        self._clock = clock
        self._closed = False
        self._writing = False
        self._close_requested = False
        self._lock = threading.RLock()
        self._file_lock = FileLock(path)
        self._storage = AtomicJSONStorage(path)
        self._sig: Signature | None = signature
        self._index: dict[str, dict[_Key, tuple[int, Mark]]] = {}
        self._by_doc: dict[str, tuple[Any, Mark]] = {}  # doc key -> (its record object, its Mark)
        self._history_docs: dict[int, tuple[Any, HistoryEntry]] = {}
        self._state_index: dict[str, tuple[int, dict[str, Any]]] = {}
        self._next_id: dict[str, int] = {}
        self._history: list[HistoryEntry] | None = None
        self._adopt(data, raw)
        self.generation = 0

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Store:
        """Open (or prepare to create) the database at ``path``.

        A missing or empty file is a new database, created on the first write. Anything
        else must be a factdesk database: otherwise :class:`NotAFactdeskDatabase` (or its
        subclass :class:`DamagedDatabase`) is raised and the file is not touched.

        An older schema is upgraded (after the ``.bak`` copy) and saved at once; if that
        save fails the upgraded copy is used from memory and :attr:`notice` says why.
        ``read_only=True`` touches nothing on disk (no backup, no upgrade, no writes):
        for ``merge`` inputs, ``stats`` and the like.
        """
        path = Path(path).expanduser()
        raw, signature = _read_existing(path)
        if not raw:
            return cls(path, {}, schema=SCHEMA, is_new=True, signature=signature, read_only=read_only)
        data, schema = parse_database(path, raw)
        locked = not read_only and schema <= SCHEMA and not os.access(path, os.W_OK)
        if read_only or locked or schema > SCHEMA:
            if schema < SCHEMA:
                data, raw = migrate(data, schema), None
            store = cls(path, data, schema=schema, is_new=False, raw=raw, signature=signature, read_only=True)
            if locked:
                store.notice = f"{path} is read-only (file permissions): opened read-only, marks will not be saved"
            return store
        _write_backup(path, raw)
        remove_stale_temps(path)
        if schema == SCHEMA:
            return cls(path, data, schema=schema, is_new=False, raw=raw, signature=signature)
        store = cls(path, migrate(data, schema), schema=SCHEMA, is_new=False, signature=signature)
        store.migrated_from = schema
        try:
            store._transaction(lambda: (_Batch(), None), force=True)
        except StoreError as error:
            store.notice = f"upgraded {path.name} from schema {schema} in memory only: {error}"
        return store

    # ----------------------------------------------------------------- reading

    def marks(self, article_id: str | None = None, *, reviewer: str | None = None) -> list[Mark]:
        """All marks (every reviewer's), or those of one article, ordered by article then position."""
        with self._lock:
            self._check_open()
            if article_id is not None:
                found = [mark for _, mark in self._index.get(article_id, {}).values()]
            else:
                found = list(self._iter_marks())
        if reviewer is not None:
            found = [mark for mark in found if mark.reviewer == reviewer]
        return sorted(found, key=lambda m: (m.article_id, m.anchor.start, m.anchor.quote, m.reviewer))

    def mark(self, article_id: str, anchor: Anchor, reviewer: str) -> Mark | None:
        """``reviewer``'s mark on this anchor, if any."""
        with self._lock:
            self._check_open()
            found = self._index.get(article_id, {}).get((anchor.quote, anchor.start, reviewer))
            return found[1] if found else None

    def article_ids(self) -> list[str]:
        """Every article id that has at least one mark."""
        with self._lock:
            self._check_open()
            return sorted(self._index)

    def reviewers(self) -> list[str]:
        """Everyone who has a mark in the database, sorted."""
        with self._lock:
            self._check_open()
            names = {mark.reviewer for mark in self._iter_marks()}
        return sorted(name for name in names if name)

    def history(self, article_id: str | None = None) -> list[HistoryEntry]:
        """The change log (oldest first), or the entries naming one article id."""
        with self._lock:
            self._check_open()
            if self._history is None:
                self._history = self._parse_history()
            entries = self._history
        if article_id is None:
            return list(entries)
        return [e for e in entries if e.article_id == article_id or (e.previous and e.previous[0] == article_id)]

    def get_state(self, key: str) -> dict | None:
        """The reader state saved under ``key`` (a copy: mutate it freely), or ``None``."""
        with self._lock:
            self._check_open()
            found = self._state_index.get(key)
            return None if found is None else _json_copy(found[1])

    def states(self) -> dict[str, dict]:
        """Every saved reader state (copies)."""
        with self._lock:
            self._check_open()
            return {key: _json_copy(state) for key, (_, state) in self._state_index.items()}

    # ----------------------------------------------------------------- sharing the file

    def changed_on_disk(self) -> bool:
        """Has another process written the database since we last read or wrote it?

        One ``stat``: cheap enough for a UI timer. A vanished file is not a change to
        load (our next save writes it again from memory).
        """
        with self._lock:
            if self._closed:
                return False
            signature = _stat_signature(self.path)
            return signature is not None and signature != self._sig

    def reload(self) -> bool:
        """Re-read the database if it changed on disk; True if the content was replaced.

        Raises :class:`StoreError` if the file is no longer a readable factdesk database
        (the in-memory marks are kept, and no save will overwrite that file).
        """
        with self._lock:
            self._check_open()
            if not self.changed_on_disk():
                return False
            return self._refresh()

    def ensure_saved(self) -> None:
        """Create the file now if it does not exist yet (a new database is otherwise
        written on its first change): e.g. a merge of empty inputs still leaves a file."""
        with self._lock:
            if self._is_new:
                self._transaction(lambda: (_Batch(), None), force=True)

    def flush(self) -> None:
        """Nothing to do, by design: every acknowledged change is already on disk.

        Takes no lock and touches no file, so it is safe from a signal handler; it
        exists so shutdown code can say what it means.
        """

    # ----------------------------------------------------------------- writing

    def set_status(
        self, article_id: str, anchor: Anchor, status: Status, reviewer: str, *, path: str | None = None
    ) -> Mark:
        """Record ``reviewer``'s verdict on a claim, keeping their note already there."""
        return self._change(article_id, anchor, reviewer, status=Status(status), path=path)

    def set_note(self, article_id: str, anchor: Anchor, note: str, reviewer: str, *, path: str | None = None) -> Mark:
        """Record ``reviewer``'s note on a claim, keeping their verdict. Blank = no note."""
        if not isinstance(note, str):
            raise TypeError("note must be a string")
        return self._change(article_id, anchor, reviewer, note=note if note.strip() else "", path=path)

    def put(
        self,
        article_id: str,
        anchor: Anchor,
        reviewer: str,
        *,
        status: Status,
        note: str,
        action: str = "set",
        path: str | None = None,
    ) -> Mark | None:
        """Set verdict and note at once (undo/redo); ``None`` when that leaves no mark."""
        note = note if note.strip() else ""
        mark = self._change(article_id, anchor, reviewer, status=Status(status), note=note, action=action, path=path)
        return None if mark.status is Status.UNREVIEWED and not mark.note else mark

    def clear(self, article_id: str, anchor: Anchor, reviewer: str) -> Mark | None:
        """Withdraw ``reviewer``'s verdict. Their note stays (and the mark with it); otherwise the record goes."""
        self._check_identity(article_id, anchor, reviewer)
        if self.mark(article_id, anchor, reviewer) is None and not self.changed_on_disk():
            self._check_writable()
            return None
        mark = self._change(article_id, anchor, reviewer, status=Status.UNREVIEWED)
        return None if not mark.note else mark

    def move(self, mark: Mark, article_id: str, anchor: Anchor, *, path: str | None = None) -> Mark | None:
        """Re-key ``mark`` to a claim of an edited article (re-anchoring), logged as ``reanchor``.

        Returns the moved mark, or ``None`` if it is gone or the reviewer already has a
        mark at the destination (then nothing changes: the caller keeps it as an orphan).
        """
        self._check_identity(article_id, anchor, mark.reviewer)

        def build() -> tuple[_Batch, Mark | None]:
            batch = _Batch()
            found = self._find(mark.article_id, mark.anchor.quote, mark.anchor.start, mark.reviewer)
            target = self._find(article_id, anchor.quote, anchor.start, mark.reviewer)
            if found is None or (target is not None and target[0] != found[0]):
                return batch, None
            doc_id, old = found
            extra = dict(old.extra)
            if path:
                extra[PATH_FIELD] = path
            moved = replace(old, article_id=article_id, anchor=anchor, extra=extra)
            batch.puts.append((doc_id, moved, old))
            batch.history.append(
                entry_to_record(
                    at=self._timestamp(),
                    reviewer=old.reviewer,
                    action="reanchor",
                    article_id=article_id,
                    anchor=anchor,
                    old=_state_of(old),
                    new=_state_of(old),
                    session=self.session,
                    path=path or "",
                    previous=(old.article_id, old.anchor.quote, old.anchor.start),
                )
            )
            return batch, moved

        return self._transaction(build)

    def add_marks(self, marks: Iterable[Mark], *, action: str = "import", log_new: bool = True) -> AddResult:
        """Bring in marks made elsewhere (import, merge), in one transaction.

        Per (claim, reviewer) the later ``updated`` wins; the loser's state is logged in
        the history, so a disagreement between two copies is never resolved silently.
        The incoming marks keep their own times and reviewers. ``log_new=False`` logs
        only those conflicts, not plain additions (a merge copies their history anyway).
        """
        incoming: dict[Identity, Mark] = {}
        for mark in marks:
            if not isinstance(mark.article_id, str) or not mark.article_id or not isinstance(mark.anchor, Anchor):
                raise StoreError("an imported mark needs an article id and an anchor")
            key = identity_of(mark)
            if key not in incoming or mark.updated >= incoming[key].updated:
                incoming[key] = mark

        def build() -> tuple[_Batch, AddResult]:
            batch = _Batch()
            counts = {"added": 0, "replaced": 0, "unchanged": 0, "kept": 0}
            for mark in incoming.values():
                if mark.status is Status.UNREVIEWED and not mark.note:
                    continue
                found = self._find(mark.article_id, mark.anchor.quote, mark.anchor.start, mark.reviewer)
                old = found[1] if found else None
                if old is not None and _state_of(old) == _state_of(mark) and old.updated == mark.updated:
                    counts["unchanged"] += 1
                    continue
                if old is not None and old.updated > mark.updated:
                    counts["kept"] += 1
                    loser, winner = mark, old
                else:
                    counts["replaced" if old is not None else "added"] += 1
                    batch.puts.append((found[0] if found else None, mark, old))
                    loser, winner = old, mark
                if old is None and not log_new:
                    continue
                batch.history.append(
                    entry_to_record(
                        at=winner.updated or self._timestamp(),
                        reviewer=mark.reviewer,
                        action=action,
                        article_id=mark.article_id,
                        anchor=mark.anchor,
                        old=_state_of(loser),
                        new=_state_of(winner),
                        session=self.session,
                    )
                )
            return batch, AddResult(**counts, history_added=len(batch.history))

        return self._transaction(build)

    def absorb(self, other: Store) -> AddResult:
        """Merge another database into this one: its marks (see :meth:`add_marks`), its
        whole history (de-duplicated, ordered by time) and the reader states we lack."""
        theirs = other.marks()
        their_history = other.history_records()
        their_states = other.states()
        result = self.add_marks(theirs, action="merge", log_new=False)

        def build() -> tuple[_Batch, int]:
            batch = _Batch()
            ours = self.history_records()
            seen = {entry_key(record) for record in ours}
            fresh = [r for r in their_history if entry_key(r) not in seen]
            if fresh:
                combined = list(enumerate([*ours, *fresh]))
                combined.sort(key=lambda pair: (str(pair[1].get("at", "")), pair[0]))
                batch.history_rewrite = [record for _, record in combined]
            for key, state in their_states.items():
                if key not in self._state_index:
                    batch.states.append((None, key, state))
            return batch, len(fresh)

        copied = self._transaction(build)
        return replace(result, history_added=result.history_added + copied)

    def history_records(self) -> list[dict[str, Any]]:
        """The raw history documents in log order (copies), for merging."""
        with self._lock:
            self._check_open()
            table = self._storage.read().get(HISTORY_TABLE, {})
            return [_json_copy(table[key]) for key in sorted((k for k in table if _is_doc_id(k)), key=int)]

    def set_state(self, key: str, state: dict) -> None:
        """Save reader state (panes, cursor…) under ``key``; unchanged state is not rewritten."""
        if not isinstance(key, str) or not isinstance(state, Mapping):
            raise TypeError("set_state takes a string key and a dict")
        snapshot = _json_copy(dict(state))

        def build() -> tuple[_Batch, None]:
            batch = _Batch()
            found = self._state_index.get(key)
            if found is None or found[1] != snapshot:
                batch.states.append((found[0] if found else None, key, snapshot))
            return batch, None

        with self._lock:
            self._check_writable()
            found = self._state_index.get(key)
            if found is not None and found[1] == snapshot and not self.changed_on_disk():
                return
            self._transaction(build)

    def close(self) -> None:
        """Release the store. Everything is already on disk; later calls raise StoreError.

        Safe to call from a signal handler: if a save is under way in this very thread
        (the handler interrupted it), the close waits for that save to finish.
        """
        if self._writing:
            self._close_requested = True
            return
        with self._lock:
            if not self._closed:
                self._closed = True
                self._storage.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<Store {str(self.path)!r} {mode}{' closed' if self._closed else ''}>"

    # ----------------------------------------------------------------- internals

    def _change(
        self,
        article_id: str,
        anchor: Anchor,
        reviewer: str,
        *,
        status: Status | None = None,
        note: str | None = None,
        action: str = "set",
        path: str | None = None,
    ) -> Mark:
        self._check_identity(article_id, anchor, reviewer)

        def build() -> tuple[_Batch, Mark]:
            batch = _Batch()
            found = self._find(article_id, anchor.quote, anchor.start, reviewer)
            old = found[1] if found else None
            before = _state_of(old)
            after = (status if status is not None else before[0], note if note is not None else before[1])
            if old is not None and before == after:
                if not path or mark_path(old) == path:
                    return batch, old
                located = replace(old, extra={**old.extra, PATH_FIELD: path})  # learn the file; same verdict
                batch.puts.append((found[0], located, old))  # type: ignore[index]
                return batch, located
            now = self._timestamp()
            extra = dict(old.extra) if old else {}
            extra.setdefault(CREATED_FIELD, now)
            if path:
                extra[PATH_FIELD] = path
            mark = Mark(
                article_id=article_id,
                anchor=anchor,
                status=after[0],
                note=after[1],
                reviewer=reviewer,
                updated=now,
                extra=extra,
            )
            if before == after and old is None:
                return batch, mark  # nothing, and nothing to record
            if after[0] is Status.UNREVIEWED and not after[1]:
                batch.deletes.append((found[0], old))  # type: ignore[index]
            else:
                batch.puts.append((found[0] if found else None, mark, old))
            if before != after:
                batch.history.append(
                    entry_to_record(
                        at=now,
                        reviewer=reviewer,
                        action=action,
                        article_id=article_id,
                        anchor=anchor,
                        old=before,
                        new=after,
                        session=self.session,
                    )
                )
            return batch, mark

        return self._transaction(build)

    def _transaction(self, build: Callable[[], tuple[_Batch, _T]], *, force: bool = False) -> _T:
        """Lock the file, catch up with other writers, build the change, write it, update memory."""
        with self._lock:
            self._check_writable()
            self._writing = True
            try:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file_lock.acquire()
                except LockTimeout:
                    raise StoreError(
                        f"could not save {self.path}: another factdesk session kept it locked; try again"
                    ) from None
                except OSError as exc:
                    raise StoreError(f"could not save {self.path}: {exc.strerror or exc}") from exc
                try:
                    self._refresh()
                    self._check_writable()
                    batch, result = build()
                    if not batch.empty or force:
                        self._commit(batch)
                    return result
                finally:
                    self._file_lock.release()
            finally:
                self._writing = False
                if self._close_requested:
                    self._close_requested = False
                    self.close()

    def _commit(self, batch: _Batch) -> None:
        data = self._storage.read()
        changes: dict[str, set[str]] | None = {MARKS_TABLE: set(), HISTORY_TABLE: set(), STATE_TABLE: set()}
        try:
            if self._is_new:
                data = {META_TABLE: {"1": {"app": APP, "schema": SCHEMA}}, MARKS_TABLE: {}, HISTORY_TABLE: {}}
                self._storage.adopt(data)
            marks = data.setdefault(MARKS_TABLE, {})
            for doc_id, _ in batch.deletes:
                marks.pop(str(doc_id), None)
                changes[MARKS_TABLE].add(str(doc_id))  # type: ignore[index]
            puts = []
            for doc_id, mark, old in batch.puts:
                number = doc_id if doc_id is not None else self._take_id(MARKS_TABLE)
                record = mark_to_record(mark)
                marks[str(number)] = record  # a new object: no will_change needed
                changes[MARKS_TABLE].add(str(number))  # type: ignore[index]
                puts.append((number, mark, old, record))
            history = data.setdefault(HISTORY_TABLE, {})
            if batch.history_rewrite is not None:
                history = data[HISTORY_TABLE] = {str(n): r for n, r in enumerate(batch.history_rewrite, 1)}
                self._next_id[HISTORY_TABLE] = len(history) + 1
                changes = None
            appended = []
            for record in batch.history:
                number = self._take_id(HISTORY_TABLE)
                history[str(number)] = record
                appended.append((number, record))
                if changes is not None:
                    changes[HISTORY_TABLE].add(str(number))
            states = data.setdefault(STATE_TABLE, {})
            saved_states = []
            for doc_id, key, snapshot in batch.states:
                number = doc_id if doc_id is not None else self._take_id(STATE_TABLE)
                states[str(number)] = {"key": key, "state": snapshot}
                saved_states.append((number, key, snapshot))
                if changes is not None:
                    changes[STATE_TABLE].add(str(number))
            self._storage.write(data, changes)
        except (OSError, ValueError, TypeError) as exc:
            self._sig = _STALE  # memory may be ahead of the file: re-read before the next change
            self._storage.close()
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"could not save {self.path}: {detail}") from exc
        self._is_new = False
        self._sig = _stat_signature(self.path)
        for doc_id, mark in batch.deletes:
            self._forget(mark)
            self._by_doc.pop(str(doc_id), None)
        for number, mark, old, record in puts:
            if old is not None:
                self._forget(old)
            self._remember(number, mark, record)
        for number, key, snapshot in saved_states:
            self._state_index[key] = (number, snapshot)
        if batch.history_rewrite is not None:
            self._history, self._history_docs = None, {}
        elif self._history is not None:
            for number, record in appended:
                entry = record_to_entry(number, record)
                if entry is not None:
                    self._history.append(entry)
                    self._history_docs[number] = (record, entry)

    def _refresh(self) -> bool:
        """Catch up with the file if another process changed it; True if memory was replaced."""
        signature = _stat_signature(self.path)
        if signature == self._sig:
            return False
        if signature is None:  # gone (or unreadable): keep memory; a save writes it again
            if self._sig is _STALE and not self._is_new:
                self._sig = None
            return False
        raw, signature = _read_existing(self.path)
        if not raw:  # emptied by hand: our memory is the best copy; a save restores it
            self._sig = signature
            return False
        try:
            layout = None if self._is_new else parse_layout(raw, self._storage.cached_lines)
            if layout is not None:
                data, lines = layout
                schema = validate_database(self.path, data, layout_checked=True)
            else:
                data, schema = parse_database(self.path, raw)
                lines = None
        except NotAFactdeskDatabase:
            if self._is_new:
                raise StoreError(
                    f"{self.path} was created by another program after factdesk opened it; not overwriting it"
                ) from None
            raise
        if schema > SCHEMA:
            self.read_only = True
            self.notice = self._newer_notice(schema)
        elif schema < SCHEMA:
            try:
                data, raw, lines = migrate(data, schema), None, None
            except MigrationError as exc:
                raise _damaged(self.path, str(exc)) from None
        self.schema = SCHEMA if schema < SCHEMA else schema
        self._adopt(data, raw, lines)
        self._sig = signature
        self._is_new = False
        return True

    def _adopt(self, data: dict[str, dict[str, Any]], raw: bytes | None, lines: Lines | None = None) -> None:
        """Make ``data`` the store's content and bring every index up to date with it.

        Marks whose record is the very object we already indexed (a re-read reuses the
        documents of unchanged lines) keep their :class:`Mark`: only changed records
        are re-validated and re-indexed.
        """
        if lines is None and raw:
            layout = parse_layout(raw, {}, parsed=data)
            lines = layout[1] if layout is not None else None
        self._storage.adopt(data, lines)
        previous, kept = self._by_doc, {}
        changed = []
        for key, record in data.get(MARKS_TABLE, {}).items():
            hit = previous.get(key)
            if hit is not None and hit[0] is record:
                kept[key] = hit
            else:
                changed.append((key, record))
        for key, (_, mark) in previous.items():
            if key not in kept:
                self._forget(mark, int(key))
        self._by_doc = kept
        for key, record in changed:
            mark = record_to_mark(record) if _is_doc_id(key) else None
            if mark is not None:
                self._remember(int(key), mark, record)
        self._state_index = {}
        for key, record in data.get(STATE_TABLE, {}).items():
            if _is_doc_id(key) and isinstance(record.get("key"), str) and isinstance(record.get("state"), dict):
                self._state_index[record["key"]] = (int(key), record["state"])
        self._next_id = {name: _next_id(table) for name, table in data.items() if isinstance(table, dict)}
        self._history = None
        self.generation += 1

    def _parse_history(self) -> list[HistoryEntry]:
        """The log as entries, re-using those whose record object is unchanged since last time."""
        table = self._storage.read().get(HISTORY_TABLE, {})
        previous, self._history_docs = self._history_docs, {}
        for key, record in table.items():
            if not _is_doc_id(key):
                continue
            number = int(key)
            hit = previous.get(number)
            entry = hit[1] if hit is not None and hit[0] is record else record_to_entry(number, record)
            if entry is not None:
                self._history_docs[number] = (record, entry)
        return [entry for _, (_, entry) in sorted(self._history_docs.items())]

    def _take_id(self, table: str) -> int:
        number = self._next_id.get(table, 1)
        self._next_id[table] = number + 1
        return number

    def _find(self, article_id: str, quote: str, start: int, reviewer: str) -> tuple[int, Mark] | None:
        return self._index.get(article_id, {}).get((quote, start, reviewer))

    def _remember(self, doc_id: int, mark: Mark, record: Any) -> None:
        self._by_doc[str(doc_id)] = (record, mark)
        self._index.setdefault(mark.article_id, {})[(mark.anchor.quote, mark.anchor.start, mark.reviewer)] = (
            doc_id,
            mark,
        )

    def _forget(self, mark: Mark, doc_id: int | None = None) -> None:
        """Drop ``mark`` from the index (only if it is still document ``doc_id``'s, when given)."""
        marks = self._index.get(mark.article_id, {})
        key = (mark.anchor.quote, mark.anchor.start, mark.reviewer)
        if doc_id is not None and key in marks and marks[key][0] != doc_id:
            return
        marks.pop(key, None)
        if not marks:
            self._index.pop(mark.article_id, None)

    def _newer_notice(self, schema: int) -> str:
        return (
            f"{self.path} was written by a newer factdesk (schema {schema}; this version knows {SCHEMA}): "
            "opened read-only"
        )

    def _check_identity(self, article_id: str, anchor: Anchor, reviewer: str) -> None:
        if not isinstance(article_id, str) or not article_id:
            raise StoreError("a mark needs an article id")
        if not isinstance(anchor, Anchor):
            raise TypeError("anchor must be an factdesk.annotations.model.Anchor")
        if not isinstance(reviewer, str) or not reviewer.strip():
            raise StoreError("a reviewer name is required to record a mark")

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed")

    def _check_writable(self) -> None:
        self._check_open()
        if self.read_only:
            raise ReadOnlyStore(self.notice or f"{self.path} is open read-only")

    def _timestamp(self) -> str:
        moment = self._clock().astimezone(UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")

    def _iter_marks(self) -> Iterator[Mark]:
        for marks in self._index.values():
            for _, mark in marks.values():
                yield mark
