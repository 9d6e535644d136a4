"""The store's memory: its marks indexed by identity, reader states, the parsed history, next document ids.

Why: reads (the reader redraws on every keystroke) are served from memory, never from
the file, and memory must only ever show what is on disk. So a transaction's
:class:`Batch` is applied in two steps: :meth:`StoreIndex.stage` puts it into the data
about to be written, and only once that write has succeeded does :meth:`StoreIndex.apply`
bring the indexes up to date (after a failed save the store still shows the file).

Catching up with another session must be cheap at 10,000 marks: :meth:`StoreIndex.load`
keeps the :class:`Mark` of every record object it has already indexed (a re-read reuses
the documents of unchanged lines, see :func:`~factdesk.annotations.storage.layout.parse_layout`),
so only changed records are re-validated and re-indexed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from factdesk.annotations.model import Mark
from factdesk.annotations.storage.history import HistoryEntry, record_to_entry
from factdesk.annotations.storage.layout import HISTORY_TABLE, MARKS_TABLE, STATE_TABLE, is_doc_id
from factdesk.annotations.storage.records import mark_to_record, record_to_mark

__all__ = ["Batch", "Staged", "StoreIndex"]

_Key = tuple[str, int, str]  # (anchor.quote, anchor.start, reviewer) within one article


@dataclass
class Batch:
    """What one transaction changes, applied to the file first and to memory after."""

    puts: list[tuple[int | None, Mark, Mark | None]] = field(default_factory=list)  # (doc id, new, replaced)
    deletes: list[tuple[int, Mark]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    states: list[tuple[int | None, str, dict[str, Any]]] = field(default_factory=list)
    history_rewrite: list[dict[str, Any]] | None = None  # replace the whole log (merge only)

    @property
    def empty(self) -> bool:
        return not (self.puts or self.deletes or self.history or self.states or self.history_rewrite is not None)


@dataclass
class Staged:
    """A batch put into the data by :meth:`StoreIndex.stage`, with the document ids it took."""

    batch: Batch
    changes: dict[str, set[str]] | None  # table -> keys written (for the storage); None: a table was rewritten
    puts: list[tuple[int, Mark, Mark | None, dict[str, Any]]]  # (doc id, new, replaced, its record)
    appended: list[tuple[int, dict[str, Any]]]  # history (doc id, record)
    states: list[tuple[int, str, dict[str, Any]]]  # (doc id, key, state)


class StoreIndex:
    """Everything the store answers reads from. Not thread-safe: the store holds its lock."""

    def __init__(self) -> None:
        self.marks: dict[str, dict[_Key, tuple[int, Mark]]] = {}  # article id -> identity -> (doc id, mark)
        self.by_doc: dict[str, tuple[Any, Mark]] = {}  # doc key -> (its record object, its Mark)
        self.history_docs: dict[int, tuple[Any, HistoryEntry]] = {}
        self.states: dict[str, tuple[int, dict[str, Any]]] = {}
        self.next_ids: dict[str, int] = {}
        self.history: list[HistoryEntry] | None = None  # parsed on first use
        # The log's epoch changes whenever it is anything but appended to (see :meth:`log`), so a reader that
        # indexed its first n entries can ask for the rest only (``Store.history_since``).
        self.history_epoch = 0
        self._replaced: list[HistoryEntry] | None = None  # the parsed log before a re-read, to compare

    def load(self, data: Mapping[str, Any]) -> None:
        """Index ``data`` (the store's whole content), re-using the marks of unchanged record objects."""
        previous, kept = self.by_doc, {}
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
        self.by_doc = kept
        for key, record in changed:
            loaded = record_to_mark(record) if is_doc_id(key) else None
            if loaded is not None:
                self._remember(int(key), loaded, record)
        self.states = {}
        for key, record in data.get(STATE_TABLE, {}).items():
            if is_doc_id(key) and isinstance(record.get("key"), str) and isinstance(record.get("state"), dict):
                self.states[record["key"]] = (int(key), record["state"])
        self.next_ids = {name: _next_id(table) for name, table in data.items() if isinstance(table, dict)}
        self._drop_history()

    def find(self, article_id: str, quote: str, start: int, reviewer: str) -> tuple[int, Mark] | None:
        return self.marks.get(article_id, {}).get((quote, start, reviewer))

    def iter_marks(self) -> Iterator[Mark]:
        for marks in self.marks.values():
            for _, mark in marks.values():
                yield mark

    def log(self, table: Mapping[str, Any]) -> list[HistoryEntry]:
        """The parsed log of ``table`` (the store's history table): parsed once after each (re)load, then
        appended to by :meth:`apply`. A re-parse that does not continue the log as it was before bumps
        :attr:`history_epoch` (exact: entry by entry; it costs no more than the parse itself)."""
        if self.history is None:
            entries = self.parse_history(table)
            before = self._replaced
            if before is not None and entries[: len(before)] != before:
                self.history_epoch += 1
            self.history, self._replaced = entries, None
        return self.history

    def _drop_history(self) -> None:
        """Forget the parsed log (it is parsed again on next use), keeping it to compare the new one with."""
        if self.history is not None:
            self._replaced = self.history
        self.history = None

    def parse_history(self, table: Mapping[str, Any]) -> list[HistoryEntry]:
        """The log as entries, re-using those whose record object is unchanged since last time."""
        previous, self.history_docs = self.history_docs, {}
        for key, record in table.items():
            if not is_doc_id(key):
                continue
            number = int(key)
            hit = previous.get(number)
            entry = hit[1] if hit is not None and hit[0] is record else record_to_entry(number, record)
            if entry is not None:
                self.history_docs[number] = (record, entry)
        return [entry for _, (_, entry) in sorted(self.history_docs.items())]

    def stage(self, data: dict[str, dict[str, Any]], batch: Batch) -> Staged:
        """Put ``batch`` into ``data`` (the content about to be written), taking new document ids.

        Leaves the indexes alone (see :meth:`apply`). Raises TypeError or ValueError for
        a mark whose extra fields are not JSON.
        """
        marks_written: set[str] = set()
        changes: dict[str, set[str]] | None = {MARKS_TABLE: marks_written, HISTORY_TABLE: set(), STATE_TABLE: set()}
        marks = data.setdefault(MARKS_TABLE, {})
        for deleted_id, _ in batch.deletes:
            marks.pop(str(deleted_id), None)
            marks_written.add(str(deleted_id))
        puts = []
        for doc_id, mark, old in batch.puts:
            number = doc_id if doc_id is not None else self._take_id(MARKS_TABLE)
            record = mark_to_record(mark)
            marks[str(number)] = record  # a new object: no will_change needed
            marks_written.add(str(number))
            puts.append((number, mark, old, record))
        history = data.setdefault(HISTORY_TABLE, {})
        if batch.history_rewrite is not None:
            history = data[HISTORY_TABLE] = {str(n): r for n, r in enumerate(batch.history_rewrite, 1)}
            self.next_ids[HISTORY_TABLE] = len(history) + 1
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
        return Staged(batch, changes, puts, appended, saved_states)

    def apply(self, staged: Staged) -> None:
        """Bring the indexes up to date with a staged batch, now that it is on disk."""
        batch = staged.batch
        for doc_id, mark in batch.deletes:
            self._forget(mark)
            self.by_doc.pop(str(doc_id), None)
        for number, mark, old, record in staged.puts:
            if old is not None:
                self._forget(old)
            self._remember(number, mark, record)
        for number, key, snapshot in staged.states:
            self.states[key] = (number, snapshot)
        if batch.history_rewrite is not None:
            self._drop_history()
            self.history_docs = {}
        elif self.history is not None:
            for number, record in staged.appended:
                entry = record_to_entry(number, record)
                if entry is not None:
                    self.history.append(entry)
                    self.history_docs[number] = (record, entry)

    def _take_id(self, table: str) -> int:
        number = self.next_ids.get(table, 1)
        self.next_ids[table] = number + 1
        return number

    def _remember(self, doc_id: int, mark: Mark, record: Any) -> None:
        self.by_doc[str(doc_id)] = (record, mark)
        self.marks.setdefault(mark.article_id, {})[(mark.anchor.quote, mark.anchor.start, mark.reviewer)] = (
            doc_id,
            mark,
        )

    def _forget(self, mark: Mark, doc_id: int | None = None) -> None:
        """Drop ``mark`` from the index (only if it is still document ``doc_id``'s, when given)."""
        marks = self.marks.get(mark.article_id, {})
        key = (mark.anchor.quote, mark.anchor.start, mark.reviewer)
        if doc_id is not None and key in marks and marks[key][0] != doc_id:
            return
        marks.pop(key, None)
        if not marks:
            self.marks.pop(mark.article_id, None)


def _next_id(table: Mapping[str, Any]) -> int:
    try:
        return max(map(int, table), default=0) + 1
    except ValueError:
        return max((int(k) for k in table if is_doc_id(k)), default=0) + 1
