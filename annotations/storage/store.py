"""The mark store: reviewers' verdicts and notes, their history, and reader state, in one JSON file.

Why it looks the way it does:

* **Every change is saved at once, as one transaction.** A reviewer's verdict is the
  product: each call takes the lock file, re-reads the database *if another process
  changed it* (stat signature: inode, size, mtime, ctime), applies the change to that
  fresh copy, appends it to the ``history`` table and writes — so two sessions on one
  database never lose each other's updates, and the later change wins.
* **Reads come from memory**, updated only once a write has succeeded.
* **Never clobber someone else's file; keep a way back.** Anything but a factdesk
  database is refused and left alone; the previous good file is kept as ``<db>.bak``.
* **Forward and backward compatible.** A file with a newer schema opens read-only; an
  older one is upgraded by :mod:`factdesk.annotations.storage.migrations` after the
  ``.bak`` copy; unknown fields of a mark are written back untouched.

The pieces, one job each: the file's layout and atomic writes
(:mod:`~factdesk.annotations.storage.layout`), marks as records
(:mod:`~factdesk.annotations.storage.records`), telling our files from others and the
backup (:mod:`~factdesk.annotations.storage.dbfile`), the in-memory index
(:mod:`~factdesk.annotations.storage.index`) and the rules of each change — identity
``(article_id, anchor.quote, anchor.start, reviewer)``, no empty marks, later wins
(:mod:`~factdesk.annotations.storage.changes`). This module ties them together.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.storage import changes
from factdesk.annotations.storage.atomic import FileLock, LockTimeout, remove_stale_lock, remove_stale_temps
from factdesk.annotations.storage.changes import AddResult
from factdesk.annotations.storage.dbfile import (
    Signature,
    damaged,
    database_file,
    new_database,
    parse_database,
    read_existing,
    reread_database,
    stat_signature,
    write_backup,
)
from factdesk.annotations.storage.errors import NotAFactdeskDatabase, ReadOnlyStore, StoreError
from factdesk.annotations.storage.history import HistoryEntry, HistoryTail
from factdesk.annotations.storage.index import Batch, StoreIndex
from factdesk.annotations.storage.layout import HISTORY_TABLE, AtomicJSONStorage, Lines, is_doc_id, parse_layout
from factdesk.annotations.storage.migrations import SCHEMA, MigrationError, migrate
from factdesk.annotations.storage.records import is_blank, json_copy

__all__ = ["Store"]

_T = TypeVar("_T")
_STALE: Any = ("stale",)  # a signature no file has: forces a re-read


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _remove_leftovers(path: Path) -> None:
    """Delete a killed writer's temp files and unheld lock file beside ``path`` (only those)."""
    remove_stale_temps(path)
    remove_stale_lock(path)


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
        self._memory = StoreIndex()
        self._adopt(data, raw)
        self.generation = 0

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Store:
        """Open (or prepare to create) the database at ``path``.

        A missing or empty file is a new database, created on the first write. Anything
        else must be a factdesk database: otherwise :class:`NotAFactdeskDatabase` (or its
        subclass :class:`~factdesk.annotations.storage.errors.DamagedDatabase`) is raised
        and the file is not touched.

        An older schema is upgraded (after the ``.bak`` copy) and saved at once; if that
        save fails the upgraded copy is used from memory and :attr:`notice` says why.
        ``read_only=True`` touches nothing on disk (no backup, no upgrade, no writes):
        for ``merge`` inputs, ``stats`` and the like.

        ``path`` may be the user's own link to an existing file: :attr:`path` is then that
        file, written in place (the link stays). Any other link is refused with
        :class:`StoreError` (see :func:`~factdesk.annotations.storage.dbfile.database_file`).
        A read-write open also removes what a killed writer left: stale temp and lock files.
        """
        path = Path(path).expanduser()
        if not read_only:
            path = database_file(path)
        raw, signature = read_existing(path)
        if not raw:
            if not read_only:
                _remove_leftovers(path)
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
        write_backup(path, raw)
        _remove_leftovers(path)
        if schema == SCHEMA:
            return cls(path, data, schema=schema, is_new=False, raw=raw, signature=signature)
        store = cls(path, migrate(data, schema), schema=SCHEMA, is_new=False, signature=signature)
        store.migrated_from = schema
        try:
            store._transaction(lambda: (Batch(), None), force=True)
        except StoreError as error:
            store.notice = f"upgraded {path.name} from schema {schema} in memory only: {error}"
        return store

    # ----------------------------------------------------------------- reading

    def marks(self, article_id: str | None = None, *, reviewer: str | None = None) -> list[Mark]:
        """All marks (every reviewer's), or those of one article, ordered by article then position."""
        with self._lock:
            self._check_open()
            if article_id is not None:
                found = [mark for _, mark in self._memory.marks.get(article_id, {}).values()]
            else:
                found = list(self._memory.iter_marks())
        if reviewer is not None:
            found = [mark for mark in found if mark.reviewer == reviewer]
        return sorted(found, key=lambda m: (m.article_id, m.anchor.start, m.anchor.quote, m.reviewer))

    def mark(self, article_id: str, anchor: Anchor, reviewer: str) -> Mark | None:
        """``reviewer``'s mark on this anchor, if any."""
        with self._lock:
            self._check_open()
            found = self._memory.find(article_id, anchor.quote, anchor.start, reviewer)
            return found[1] if found else None

    def article_ids(self) -> list[str]:
        """Every article id that has at least one mark."""
        with self._lock:
            self._check_open()
            return sorted(self._memory.marks)

    def reviewers(self) -> list[str]:
        """Everyone who has a mark in the database, sorted."""
        with self._lock:
            self._check_open()
            names = {mark.reviewer for mark in self._memory.iter_marks()}
        return sorted(name for name in names if name)

    def history(self, article_id: str | None = None) -> list[HistoryEntry]:
        """The change log (oldest first), or the entries naming one article id."""
        with self._lock:
            self._check_open()
            entries = self._log()
        if article_id is None:
            return list(entries)
        return [e for e in entries if e.article_id == article_id or (e.previous and e.previous[0] == article_id)]

    def history_since(self, position: tuple[int, int] | None) -> HistoryTail:
        """The entries logged since ``position`` (a :attr:`HistoryTail.position` from an earlier call; ``None``:
        the whole log).

        Why: the log grows by one entry per change, and a view that indexes it should take only what is new —
        never copy or re-index the whole log on every save. When the log was not simply appended to since
        ``position`` (a merge re-ordered it, or another session's file was re-read into a different log), the
        answer is the whole log with ``restarted`` set.
        """
        with self._lock:
            self._check_open()
            entries = self._log()
            epoch = self._memory.history_epoch
            if position is None or position[0] != epoch or position[1] > len(entries):
                return HistoryTail((epoch, len(entries)), tuple(entries), restarted=True)
            return HistoryTail((epoch, len(entries)), tuple(entries[position[1] :]), restarted=False)

    def get_state(self, key: str) -> dict | None:
        """The reader state saved under ``key`` (a copy: mutate it freely), or ``None``."""
        with self._lock:
            self._check_open()
            found = self._memory.states.get(key)
            return None if found is None else json_copy(found[1])

    def states(self) -> dict[str, dict]:
        """Every saved reader state (copies)."""
        with self._lock:
            self._check_open()
            return {key: json_copy(state) for key, (_, state) in self._memory.states.items()}

    # ----------------------------------------------------------------- sharing the file

    def changed_on_disk(self) -> bool:
        """Has another process written the database since we last read or wrote it?

        One ``stat``: cheap enough for a UI timer. A vanished file is not a change to
        load (our next save writes it again from memory).
        """
        with self._lock:
            if self._closed:
                return False
            signature = stat_signature(self.path)
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
                self._transaction(lambda: (Batch(), None), force=True)

    def flush(self) -> None:
        """Nothing to do, by design: every acknowledged change is already on disk.

        Takes no lock and touches no file, so it is safe from a signal handler; it
        exists so shutdown code can say what it means.
        """

    # ----------------------------------------------------------------- writing

    def set_status(
        self,
        article_id: str,
        anchor: Anchor,
        status: Status,
        reviewer: str,
        *,
        path: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Mark:
        """Record ``reviewer``'s verdict on a claim, keeping their note already there.

        ``fields``: extra top-level fields for the record (``{"outlet": name}``), see ``changes.change_mark``.
        """
        return self._change(article_id, anchor, reviewer, status=Status(status), path=path, fields=fields)

    def set_note(
        self,
        article_id: str,
        anchor: Anchor,
        note: str,
        reviewer: str,
        *,
        path: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> Mark:
        """Record ``reviewer``'s note on a claim, keeping their verdict. Blank = no note."""
        if not isinstance(note, str):
            raise TypeError("note must be a string")
        return self._change(article_id, anchor, reviewer, note=note if note.strip() else "", path=path, fields=fields)

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
        fields: Mapping[str, Any] | None = None,
    ) -> Mark | None:
        """Set verdict and note at once (undo/redo); ``None`` when that leaves no mark."""
        note = note if note.strip() else ""
        mark = self._change(
            article_id, anchor, reviewer, status=Status(status), note=note, action=action, path=path, fields=fields
        )
        return None if is_blank(mark.status, mark.note, mark.extra) else mark

    def set_fields(
        self,
        article_id: str,
        anchor: Anchor,
        reviewer: str,
        fields: Mapping[str, Any],
        *,
        action: str,
        path: str | None = None,
        detail: str = "",
    ) -> Mark | None:
        """Set extra top-level fields of ``reviewer``'s mark (``None`` removes one), keeping verdict and note.

        The general write for what a mark carries beside its verdict and note (evidence; any later field): one
        transaction, logged as ``action`` with the fields' names and ``detail`` (a line for a person). A mark left
        with no verdict, note or content field goes (see ``records.is_blank``): ``None``.
        """
        changes.check_identity(article_id, anchor, reviewer)
        if not isinstance(fields, Mapping) or not all(isinstance(key, str) for key in fields):
            raise TypeError("fields must map field names to JSON values")
        return self._run(
            changes.set_fields, article_id, anchor, reviewer, dict(fields), action=action, path=path, detail=detail
        )

    def clear(self, article_id: str, anchor: Anchor, reviewer: str) -> Mark | None:
        """Withdraw ``reviewer``'s verdict. Their note stays (and the mark with it); otherwise the record goes."""
        changes.check_identity(article_id, anchor, reviewer)
        if self.mark(article_id, anchor, reviewer) is None and not self.changed_on_disk():
            self._check_writable()
            return None
        mark = self._change(article_id, anchor, reviewer, status=Status.UNREVIEWED)
        return None if is_blank(mark.status, mark.note, mark.extra) else mark

    def move(self, mark: Mark, article_id: str, anchor: Anchor, *, path: str | None = None) -> Mark | None:
        """Re-key ``mark`` to a claim of an edited article (re-anchoring), logged as ``reanchor``.

        Returns the moved mark, or ``None`` if it is gone or the reviewer already has a
        mark at the destination (then nothing changes: the caller keeps it as an orphan).
        """
        changes.check_identity(article_id, anchor, mark.reviewer)
        return self._run(changes.move_mark, mark, article_id, anchor, path=path)

    def add_marks(self, marks: Iterable[Mark], *, action: str = "import", log_new: bool = True) -> AddResult:
        """Bring in marks made elsewhere (import, merge), in one transaction.

        Per (claim, reviewer) the later ``updated`` wins; the loser's state is logged in
        the history, so a disagreement between two copies is never resolved silently.
        The incoming marks keep their own times and reviewers. ``log_new=False`` logs
        only those conflicts, not plain additions (a merge copies their history anyway).
        """
        incoming = changes.newest_by_identity(marks)
        return self._run(changes.add_marks, incoming.values(), action=action, log_new=log_new)

    def absorb(self, *others: Store) -> AddResult:
        """Merge other databases into this one: their marks (see :meth:`add_marks`), their
        whole history (de-duplicated, ordered by time) and the reader states we lack.

        All of it is one transaction, written once (see :func:`changes.absorb`): a kill
        leaves this database as it was, or with the whole merge. A new database is written
        even if there is nothing to merge."""
        sources = [changes.Incoming(o.marks(), o.history_records(), o.states()) for o in others]
        return self._transaction(
            lambda: changes.absorb(
                self._memory, sources, self.history_records(), timestamp=self._timestamp, session=self.session
            ),
            force=self._is_new,
        )

    def history_records(self) -> list[dict[str, Any]]:
        """The raw history documents in log order (copies), for merging."""
        with self._lock:
            self._check_open()
            table = self._storage.current().get(HISTORY_TABLE, {})
            return [json_copy(table[key]) for key in sorted((k for k in table if is_doc_id(k)), key=int)]

    def set_state(self, key: str, state: dict) -> None:
        """Save reader state (panes, cursor…) under ``key``; unchanged state is not rewritten."""
        if not isinstance(key, str) or not isinstance(state, Mapping):
            raise TypeError("set_state takes a string key and a dict")
        snapshot = json_copy(dict(state))
        with self._lock:
            self._check_writable()
            found = self._memory.states.get(key)
            if found is not None and found[1] == snapshot and not self.changed_on_disk():
                return
            self._transaction(lambda: changes.save_state(self._memory, key, snapshot))

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
        fields: Mapping[str, Any] | None = None,
    ) -> Mark:
        changes.check_identity(article_id, anchor, reviewer)
        return self._run(
            changes.change_mark,
            article_id,
            anchor,
            reviewer,
            status=status,
            note=note,
            action=action,
            path=path,
            fields=fields,
        )

    def _run(self, rule: Callable[..., tuple[Batch, _T]], *args: Any, **kwargs: Any) -> _T:
        """Run a rule of :mod:`~factdesk.annotations.storage.changes` in a transaction, on the
        index as it is then, stamped with this store's clock and session."""
        return self._transaction(
            lambda: rule(self._memory, *args, timestamp=self._timestamp, session=self.session, **kwargs)
        )

    def _transaction(self, build: Callable[[], tuple[Batch, _T]], *, force: bool = False) -> _T:
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

    def _commit(self, batch: Batch) -> None:
        """Write ``batch`` on top of the current content; memory follows only once it is on disk."""
        data = self._storage.current()  # the content itself (read() is a copy, for TinyDB)
        try:
            if self._is_new:
                data = new_database()
                self._storage.adopt(data)
            staged = self._memory.stage(data, batch)
            self._storage.write(data, staged.changes)
        except (OSError, ValueError, TypeError) as exc:
            self._sig = _STALE  # memory may be ahead of the file: re-read before the next change
            self._storage.close()
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise StoreError(f"could not save {self.path}: {detail}") from exc
        self._is_new = False
        self._sig = stat_signature(self.path)
        self._memory.apply(staged)

    def _refresh(self) -> bool:
        """Catch up with the file if another process changed it; True if memory was replaced."""
        signature = stat_signature(self.path)
        if signature == self._sig:
            return False
        if signature is None:  # gone (or unreadable): keep memory; a save writes it again
            if self._sig is _STALE and not self._is_new:
                self._sig = None
            return False
        raw, signature = read_existing(self.path)
        if not raw:  # emptied by hand: our memory is the best copy; a save restores it
            self._sig = signature
            return False
        try:
            cached = None if self._is_new else self._storage.cached_lines
            data, schema, lines = reread_database(self.path, raw, cached)
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
                raise damaged(self.path, str(exc)) from None
        self.schema = SCHEMA if schema < SCHEMA else schema
        self._adopt(data, raw, lines)
        self._sig = signature
        self._is_new = False
        return True

    def _adopt(self, data: dict[str, dict[str, Any]], raw: bytes | None, lines: Lines | None = None) -> None:
        """Make ``data`` the store's content: seed the storage's line cache from ``raw`` (or
        ``lines``) and bring the indexes up to date (see :meth:`StoreIndex.load`)."""
        if lines is None and raw:
            layout = parse_layout(raw, {}, parsed=data)
            lines = layout[1] if layout is not None else None
        self._storage.adopt(data, lines)
        self._memory.load(data)
        self.generation += 1

    def _log(self) -> list[HistoryEntry]:
        """The parsed log (the caller holds the lock): parsed once per (re)load, then appended to."""
        return self._memory.log(self._storage.current().get(HISTORY_TABLE, {}))

    def _newer_notice(self, schema: int) -> str:
        return (
            f"{self.path} was written by a newer factdesk (schema {schema}; this version knows {SCHEMA}): "
            "opened read-only"
        )

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
