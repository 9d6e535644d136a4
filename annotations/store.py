"""The mark store: reviewers' verdicts and notes, plus reader session state, in one JSON file.

Why it looks the way it does:

* **One TinyDB file, rewritten atomically.** TinyDB's own ``JSONStorage`` truncates and
  rewrites the file in place, so a kill mid-write tears the database. Our
  :class:`AtomicJSONStorage` writes a temporary file beside it and renames it over the
  old one (see :mod:`annotations.atomic`): a crash leaves the old file or the new one.
* **Every change is saved at once.** A reviewer's verdict is the product; losing the last
  ten minutes of marks to a crash is not acceptable, so each call writes and fsyncs.
* **Fast enough at 10,000 marks.** Each saved document is serialised once and its bytes
  cached, so a write re-encodes only the documents that changed.
* **Never clobber someone else's file.** A path that holds anything but a factdesk
  database (or a damaged one) raises :class:`NotAFactdeskDatabase` and is left alone.
  The previous good file is copied to ``<db>.bak`` once per session for recovery.
* **Forward compatible.** A file with a newer schema opens read-only, and unknown fields
  of a mark are carried in ``Mark.extra`` and written back untouched.

A mark is identified by ``(article_id, anchor.quote, anchor.start)``; a mark with neither
a verdict nor a note does not exist on disk.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.storages import Storage

from annotations.atomic import atomic_write_bytes, remove_stale_temps
from annotations.model import Anchor, Mark, Status

__all__ = [
    "APP",
    "SCHEMA",
    "AtomicJSONStorage",
    "DamagedDatabase",
    "NotAFactdeskDatabase",
    "ReadOnlyStore",
    "Store",
    "StoreError",
    "backup_path",
    "mark_to_record",
    "record_to_mark",
]

APP = "factdesk"
SCHEMA = 1
META_TABLE = "meta"
MARKS_TABLE = "marks"
STATE_TABLE = "state"
BACKUP_SUFFIX = ".bak"

_T = TypeVar("_T")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


class StoreError(Exception):
    """Anything the store refuses or fails to do. ``str(e)`` is a one-line message for a person."""


class NotAFactdeskDatabase(StoreError):
    """The path holds something that is not (or no longer provably is) a factdesk database."""


class DamagedDatabase(NotAFactdeskDatabase):
    """The file looks like ours but cannot be read (e.g. truncated); recovery is a human's call."""


class ReadOnlyStore(StoreError):
    """A write was attempted on a store opened read-only (a newer schema)."""


def backup_path(path: Path) -> Path:
    """Where the last good copy of the database at ``path`` is kept."""
    return path.with_name(path.name + BACKUP_SUFFIX)


# --------------------------------------------------------------------------- storage


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces its JSON file atomically on every write.

    The parsed data is kept in memory (TinyDB reads the whole database before every
    operation; re-parsing megabytes each time would dominate). TinyDB mutates the dict
    that ``read`` returns before calling ``write``, so if a write fails the cached copy
    is dropped and the next read goes back to the file on disk, which is the truth.

    The file is laid out one document per line, meta table first: readable and
    diffable by a person, and a truncated file still shows whose it was.
    """

    def __init__(self, path: Path | str, initial: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = initial
        # table -> doc key -> (the document object last encoded, its encoded line)
        self._lines: dict[str, dict[str, tuple[Any, bytes]]] = {}
        # Documents about to be changed in place, whose cached line must not be reused.
        self._dirty: set[tuple[str, str]] = set()

    def will_change(self, table: str, doc_id: int | str) -> None:
        """Declare that the next write changes this document *in place*.

        Unchanged documents are recognised by identity (re-checking 10,000 of them by
        value costs as much as the rest of a save), which is only sound if in-place
        edits are announced. TinyDB's ``update`` edits in place, so call this first;
        inserts and removals need no announcement.
        """
        self._dirty.add((table, str(doc_id)))

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            self._data = self._load()
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            atomic_write_bytes(self.path, self._serialize(data))
        except BaseException:
            self._data = None
            raise
        finally:
            self._dirty.clear()
        self._data = data

    def close(self) -> None:
        self._data = None
        self._lines.clear()

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
        parts: list[bytes] = [b"{\n"]
        for number, name in enumerate(sorted(data, key=lambda n: (n != META_TABLE, n))):
            lines = self._table_lines(name, data[name])
            if number:
                parts.append(b",\n")
            parts.append(f"{_encode(name)}: {{".encode())
            parts.extend((b"\n", b",\n".join(lines), b"\n}") if lines else (b"}",))
        parts.append(b"\n}\n")
        return b"".join(parts)

    def _table_lines(self, name: str, table: Mapping[str, Any]) -> list[bytes]:
        """Encoded ``"id": {...}`` lines, reusing the cached bytes of unchanged documents."""
        cache = self._lines.setdefault(name, {})
        for table_name, key in self._dirty:
            if table_name == name:
                cache.pop(key, None)
        get = cache.get
        for key, doc in [(key, doc) for key, doc in table.items() if (hit := get(key)) is None or hit[0] is not doc]:
            cache[key] = (doc, f"  {_encode(str(key))}: {_encode(doc)}".encode())
        if len(cache) != len(table):  # documents were removed
            cache = self._lines[name] = {key: cache[key] for key in table}
        return [cache[key][1] for key in table]


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


def _checked(value: Any, kind: type[_T]) -> _T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _json_copy(value: _T) -> _T:
    """A deep copy that also proves ``value`` is JSON (raises TypeError/ValueError otherwise)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- opening


def _read_existing(path: Path) -> bytes | None:
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a factdesk database")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
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


def _parse_database(path: Path, raw: bytes) -> tuple[dict[str, dict[str, Any]], int]:
    """Validate a non-empty file as a factdesk database; return its data and schema."""
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
    if not isinstance(data, dict):
        raise _foreign(path, "JSON without factdesk metadata")
    meta = _find_meta(data)
    if meta is None:
        raise _foreign(path, "JSON without factdesk metadata")
    schema = meta.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise _damaged(path, f"invalid schema version {schema!r}")
    for name, table in list(data.items()):
        sound = isinstance(table, dict) and all(_is_doc_id(key) and isinstance(doc, dict) for key, doc in table.items())
        if not sound:
            if schema <= SCHEMA:
                raise _damaged(path, f"table {name!r} is malformed")
            # A newer writer may lay tables out differently; we only read, so skip it.
            del data[name]
    return data, schema


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


# --------------------------------------------------------------------------- store

_Key = tuple[str, int]  # (anchor.quote, anchor.start) within one article


class Store:
    """The reviewer's marks and session state. Open with :meth:`Store.open`.

    Reads are served from an in-memory index; every change is written to disk before
    the call returns (and the index is only updated once the write has succeeded, so
    after a failed save the store still shows what is on disk). Thread-safe.
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
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Internal: use :meth:`Store.open`, which validates the file first."""
        self.path = path
        self.schema = schema
        self.read_only = schema > SCHEMA
        self.notice: str | None = (
            f"{path} was written by a newer factdesk (schema {schema}; this version knows {SCHEMA}): opened read-only"
            if self.read_only
            else None
        )
        self._is_new = is_new
        self._clock = clock
        self._closed = False
        self._lock = threading.RLock()
        self._storage = storage = AtomicJSONStorage(path, data)
        self._db = TinyDB(storage=lambda: storage)
        self._meta = self._db.table(META_TABLE, cache_size=0)
        self._marks = self._db.table(MARKS_TABLE, cache_size=0)
        self._states = self._db.table(STATE_TABLE, cache_size=0)
        self._index: dict[str, dict[_Key, tuple[int, Mark]]] = {}
        for key, record in data.get(MARKS_TABLE, {}).items():
            mark = record_to_mark(record)
            if mark is not None and _is_doc_id(key):
                self._remember(int(key), mark)
        self._state_index: dict[str, tuple[int, dict[str, Any]]] = {}
        for key, record in data.get(STATE_TABLE, {}).items():
            if _is_doc_id(key) and isinstance(record.get("key"), str) and isinstance(record.get("state"), dict):
                self._state_index[record["key"]] = (int(key), record["state"])

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (or prepare to create) the database at ``path``.

        A missing or empty file is a new database, created on the first write. Anything
        else must be a factdesk database: otherwise :class:`NotAFactdeskDatabase` (or its
        subclass :class:`DamagedDatabase`) is raised and the file is not touched.
        """
        path = Path(path).expanduser()
        raw = _read_existing(path)
        if not raw:
            return cls(path, {}, schema=SCHEMA, is_new=True)
        data, schema = _parse_database(path, raw)
        if schema <= SCHEMA:
            _write_backup(path, raw)
            remove_stale_temps(path)
        return cls(path, data, schema=schema, is_new=False)

    # ----------------------------------------------------------------- reading

    def marks(self, article_id: str | None = None) -> list[Mark]:
        """All marks, or those of one article, ordered by article then position."""
        with self._lock:
            self._check_open()
            if article_id is not None:
                found = [mark for _, mark in self._index.get(article_id, {}).values()]
                return sorted(found, key=lambda m: (m.anchor.start, m.anchor.quote))
            found = list(self._iter_marks())
        return sorted(found, key=lambda m: (m.article_id, m.anchor.start, m.anchor.quote))

    def reviewers(self) -> list[str]:
        """Everyone who has a mark in the database, sorted."""
        with self._lock:
            self._check_open()
            names = {mark.reviewer for mark in self._iter_marks()}
        return sorted(name for name in names if name)

    def get_state(self, key: str) -> dict | None:
        """The reader state saved under ``key`` (a copy: mutate it freely), or ``None``."""
        with self._lock:
            self._check_open()
            found = self._state_index.get(key)
            return None if found is None else _json_copy(found[1])

    # ----------------------------------------------------------------- writing

    def set_status(self, article_id: str, anchor: Anchor, status: Status, reviewer: str) -> Mark:
        """Record ``reviewer``'s verdict on a claim, keeping any note already there."""
        return self._update(article_id, anchor, reviewer, status=Status(status))

    def set_note(self, article_id: str, anchor: Anchor, note: str, reviewer: str) -> Mark:
        """Record a note on a claim, keeping any verdict already there. Blank = no note."""
        if not isinstance(note, str):
            raise TypeError("note must be a string")
        return self._update(article_id, anchor, reviewer, note=note if note.strip() else "")

    def clear(self, article_id: str, anchor: Anchor, reviewer: str) -> Mark | None:
        """Withdraw the verdict. A note stays (and the mark with it); otherwise the record goes."""
        self._check_identity(article_id, anchor, reviewer)
        with self._lock:
            self._check_writable()
            found = self._index.get(article_id, {}).get((anchor.quote, anchor.start))
            if found is None:
                return None
            doc_id, old = found
            if not old.note:
                self._delete(doc_id, old)
                return None
            mark = replace(
                old,
                anchor=anchor,
                status=Status.UNREVIEWED,
                reviewer=reviewer,
                updated=self._timestamp(),
            )
            self._save(doc_id, mark)
            return mark

    def set_state(self, key: str, state: dict) -> None:
        """Save reader state (panes, cursor…) under ``key``; unchanged state is not rewritten."""
        if not isinstance(key, str) or not isinstance(state, Mapping):
            raise TypeError("set_state takes a string key and a dict")
        snapshot = _json_copy(dict(state))
        with self._lock:
            self._check_writable()
            found = self._state_index.get(key)
            if found is not None and found[1] == snapshot:
                return
            record = {"key": key, "state": snapshot}
            if found is None:
                doc_id = self._write(lambda: self._states.insert(record))
            else:
                doc_id = found[0]
                self._storage.will_change(STATE_TABLE, doc_id)
                self._write(lambda: self._states.update(_replacing(record), doc_ids=[doc_id]))
            self._state_index[key] = (doc_id, snapshot)

    def close(self) -> None:
        """Release the store. Everything is already on disk; later calls raise StoreError."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<Store {str(self.path)!r} {mode}{' closed' if self._closed else ''}>"

    # ----------------------------------------------------------------- internals

    def _update(
        self,
        article_id: str,
        anchor: Anchor,
        reviewer: str,
        *,
        status: Status | None = None,
        note: str | None = None,
    ) -> Mark:
        self._check_identity(article_id, anchor, reviewer)
        with self._lock:
            self._check_writable()
            found = self._index.get(article_id, {}).get((anchor.quote, anchor.start))
            old = found[1] if found else None
            mark = Mark(
                article_id=article_id,
                anchor=anchor,
                status=status if status is not None else (old.status if old else Status.UNREVIEWED),
                note=note if note is not None else (old.note if old else ""),
                reviewer=reviewer,
                updated=self._timestamp(),
                extra=dict(old.extra) if old else {},
            )
            if mark.status is Status.UNREVIEWED and not mark.note:
                if found is not None:
                    self._delete(found[0], found[1])
                return mark
            self._save(found[0] if found else None, mark)
            return mark

    def _save(self, doc_id: int | None, mark: Mark) -> None:
        record = mark_to_record(mark)
        if doc_id is None:
            doc_id = self._write(lambda: self._marks.insert(record))
        else:
            self._storage.will_change(MARKS_TABLE, doc_id)
            self._write(lambda: self._marks.update(_replacing(record), doc_ids=[doc_id]))
        self._remember(doc_id, mark)

    def _delete(self, doc_id: int, mark: Mark) -> None:
        self._write(lambda: self._marks.remove(doc_ids=[doc_id]))
        marks = self._index.get(mark.article_id, {})
        marks.pop((mark.anchor.quote, mark.anchor.start), None)
        if not marks:
            self._index.pop(mark.article_id, None)

    def _remember(self, doc_id: int, mark: Mark) -> None:
        self._index.setdefault(mark.article_id, {})[(mark.anchor.quote, mark.anchor.start)] = (
            doc_id,
            mark,
        )

    def _write(self, operation: Callable[[], _T]) -> _T:
        """Run one TinyDB write, creating the file first if needed; failures become StoreError."""
        try:
            if self._is_new:
                self._create()
            return operation()
        except (OSError, ValueError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"could not save {self.path}: {detail}") from exc

    def _create(self) -> None:
        """Write the meta document that makes a new file recognisably ours."""
        try:
            appeared = self.path.stat().st_size > 0
        except FileNotFoundError:
            appeared = False
        if appeared:
            raise StoreError(f"{self.path} was created by another program after factdesk opened it; not overwriting it")
        self._meta.insert({"app": APP, "schema": SCHEMA})
        self._is_new = False

    def _check_identity(self, article_id: str, anchor: Anchor, reviewer: str) -> None:
        if not isinstance(article_id, str) or not article_id:
            raise StoreError("a mark needs an article id")
        if not isinstance(anchor, Anchor):
            raise TypeError("anchor must be an annotations.model.Anchor")
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


def _replacing(record: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A TinyDB update that replaces a document wholesale (``update(dict)`` only merges)."""

    def apply(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(record)

    return apply
