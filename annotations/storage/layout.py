"""The database file's layout: TinyDB's tables of numbered documents, one per line, replaced atomically.

Why it looks the way it does:

* **One JSON file, rewritten atomically.** Writing in place would tear the file on a
  kill; :class:`AtomicJSONStorage` writes a temporary file beside it and renames it over
  the old one (see :mod:`factdesk.annotations.storage.atomic`): a crash leaves the old file or the new one.
  The layout is TinyDB's (tables of numbered documents), so TinyDB can still read it.
* **Fast enough at 10,000 marks.** Each saved document's encoded line is cached, so a
  store save (which lists what it changed) re-encodes only the documents that changed;
  a file re-read from disk seeds the cache from its own lines (:func:`parse_layout`).
* **A TinyDB storage that writes exactly what it is given.** TinyDB's own test suite runs
  against it (``tests/test_tinydb_suite.py``, checking the file after every write).
  :meth:`AtomicJSONStorage.read` returns a copy, as ``JSONStorage`` re-reads the file
  (TinyDB edits what it read in place); a write without a list of changes encodes every
  document and compares it with its cached line, so no in-place edit is missed.

  The API differences from ``tinydb.storages.JSONStorage`` that remain, all deliberate:
  the constructor is ``AtomicJSONStorage(path)`` — no JSON formatting options (``indent``,
  ``sort_keys``…: the layout is fixed), no ``encoding`` (always UTF-8), no ``access_mode``
  (always read-write; a missing file reads as empty), no ``create_dirs`` (the folder is
  made by the first write); the file is created by the first write, not on open; there is
  no open file handle (``_handle``): each write replaces the file; and ``read()`` of an
  empty database returns ``{}``, not ``None``.

This module knows the file's shape (tables, documents, lines), not what a mark is:
see :mod:`factdesk.annotations.storage.records` for that, and
:mod:`factdesk.annotations.storage.dbfile` for telling our files from anyone else's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from factdesk.annotations.storage.atomic import atomic_write_bytes
from factdesk.annotations.text.textsafety import escape_json_unsafe

__all__ = [
    "APP",
    "HISTORY_TABLE",
    "MARKS_TABLE",
    "META_TABLE",
    "STATE_TABLE",
    "AtomicJSONStorage",
    "Lines",
    "is_doc_id",
    "parse_layout",
]

APP = "factdesk"
META_TABLE = "meta"
MARKS_TABLE = "marks"
STATE_TABLE = "state"
HISTORY_TABLE = "history"
_TABLE_ORDER = {META_TABLE: 0, MARKS_TABLE: 1, STATE_TABLE: 2, HISTORY_TABLE: 3}

_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

Lines = dict[str, dict[str, tuple[Any, bytes]]]  # table -> doc key -> (document, its encoded line)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces its JSON file atomically on every write.

    For TinyDB (and anyone else) it behaves as ``JSONStorage`` does: :meth:`read` returns
    what the file holds, as a copy the caller may change freely (TinyDB's ``update`` edits
    the documents it read, in place), and :meth:`write` puts exactly ``data`` on disk.

    For the :class:`~factdesk.annotations.storage.store.Store` it is also fast at 10,000
    marks: the content is kept in memory and :meth:`current` hands it out without a copy;
    each document's encoded line is cached, and each table's joined lines too, so a save
    that lists its changes (``write(current(), changes)``) encodes the changed documents
    and joins one block, not the whole database. If a write fails the memory is dropped
    and the next read goes back to the file on disk, which is the truth.

    The file is laid out one document per line, meta table first: readable and diffable
    by a person, and a truncated file still shows whose it was. Data of any other shape
    (TinyDB's storage tests write plain JSON) is written as one JSON text.
    """

    def __init__(self, path: Path | str, initial: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        # The content (never handed out by read(): a copy is), and the file's stat when it
        # was last read or written here; None: the caller keeps it fresh (the Store does).
        self._data: dict[str, Any] | None = initial
        self._seen: tuple[int, ...] | None = None
        # table -> doc key -> (the document last encoded, its encoded line)
        self._lines: dict[str, dict[str, tuple[Any, bytes]]] = {}
        # table -> its keys in file order, in blocks of pre-joined lines
        self._blocks: dict[str, _Blocks] = {}

    def read(self) -> dict[str, dict[str, Any]]:
        """What the file holds (re-read if another writer replaced it), as the caller's own copy."""
        if self._data is not None and self._seen is not None and _stat(self.path) != self._seen:
            self._data = None
        return _copy(self.current())

    def current(self) -> dict[str, dict[str, Any]]:
        """The content itself, not a copy: for the Store, which changes it only through
        ``write(current(), changes)`` (new objects for the documents it puts, every
        key it changes listed)."""
        if self._data is None:
            self._data = self._load()
        return self._data

    def write(self, data: dict[str, dict[str, Any]], changes: Mapping[str, Iterable[str]] | None = None) -> None:
        """Write ``data`` exactly (raises ValueError or TypeError for what JSON cannot hold).

        ``changes`` (table → keys inserted, replaced or removed) is for the owner of
        :meth:`current` writing it back: every other document then reuses its cached line
        without a look. Otherwise, and for any other ``data`` (TinyDB's), every document is
        encoded and compared with its cached line, so an in-place edit is never missed;
        documents that changed are kept as decoded from their line, so nothing the caller
        still holds can change the storage's content behind its back.
        """
        own = data is self._data
        try:
            if _is_layout(data, shallow=own and changes is not None):
                parts, content = self._chunks(data, changes if own else None, own)
            else:
                parts = [_text(data) + b"\n"]
                content = json.loads(parts[0])
                self._lines.clear()
                self._blocks.clear()
            atomic_write_bytes(self.path, parts)
        except BaseException:
            self._data, self._seen = None, None
            self._blocks.clear()
            raise
        self._data, self._seen = content, _stat(self.path)

    def close(self) -> None:
        self._data, self._seen = None, None
        self._lines.clear()
        self._blocks.clear()

    def will_change(self, table: str, doc_id: int | str) -> None:
        """No longer needed (kept for callers): a write without ``changes`` checks every document."""

    def adopt(self, data: dict[str, dict[str, Any]], lines: Lines | None = None) -> None:
        """Take ``data`` as the current content (the caller keeps it fresh); ``lines`` (from
        :func:`parse_layout`, the same document objects) seeds the cache."""
        self._data, self._seen = data, None
        self._lines = lines if lines is not None else {}
        self._blocks = {}

    @property
    def cached_lines(self) -> Mapping[str, Mapping[str, tuple[Any, bytes]]]:
        return self._lines

    def _load(self) -> dict[str, Any]:
        seen = _stat(self.path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = b""
        self._blocks = {}
        layout = parse_layout(raw, self._lines) if raw else None
        if layout is not None:  # our own layout: unchanged lines reuse their documents
            data, self._lines = layout
        else:
            self._lines = {}
            data = json.loads(raw.decode("utf-8-sig")) if raw.strip() else {}
            if not isinstance(data, dict):
                raise ValueError("the database is not a JSON object")
        self._seen = seen
        return data

    def _chunks(
        self, data: dict[str, Any], changes: Mapping[str, Iterable[str]] | None, own: bool
    ) -> tuple[list[bytes], dict[str, Any]]:
        """The file's bytes, and the content to keep: ``data`` itself if it is ours, else
        tables of private documents (cached ones where the line is unchanged)."""
        parts: list[bytes] = [b"{\n"]
        content: dict[str, Any] = {}
        for stale in set(self._blocks) - set(data):
            del self._blocks[stale]
        for stale in set(self._lines) - set(data):
            del self._lines[stale]
        for number, name in enumerate(sorted(data, key=lambda n: (_TABLE_ORDER.get(n, 9), n))):
            table = data[name]
            blocks = self._blocks.get(name)
            if changes is None:
                blocks, content[name] = self._check_all(name, table, own)
            elif blocks is None or (name in changes and not self._patch(name, table, blocks, changes[name])):
                blocks = self._rebuild(name, table)
            if number:
                parts.append(b",\n")
            parts.append(_text(name) + b": {")
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
        return parts, data if own else content

    def _check_all(self, name: str, table: Mapping[str, Any], own: bool) -> tuple[_Blocks, dict[str, Any]]:
        """Encode every document and compare it with its cached line: exact, whoever changed what.

        The documents kept are ``table``'s own if ``own``; otherwise the cached one where the
        line is unchanged, else the line decoded (a private copy of exactly what the file says)."""
        old = self._lines.get(name, {})
        cache: dict[str, tuple[Any, bytes]] = {}
        kept: dict[str, Any] = {}
        for key, doc in table.items():
            head, body = b"  " + _text(key) + b": ", _text(doc)
            line = head + body
            if own:
                private = doc
            elif (hit := old.get(key)) is not None and hit[1] == line:
                private = hit[0]
            else:
                private = json.loads(body)
            cache[key] = (private, line)
            kept[key] = private
        self._lines[name] = cache
        blocks = self._blocks[name] = _Blocks(list(cache))
        return blocks, kept

    def _rebuild(self, name: str, table: Mapping[str, Any]) -> _Blocks:
        """Re-check every document of the owner's table by identity (the owner replaces, never
        edits, the documents it changes) and lay out its blocks anew."""
        cache = self._lines.setdefault(name, {})
        get = cache.get
        for key, doc in [(key, doc) for key, doc in table.items() if (hit := get(key)) is None or hit[0] is not doc]:
            cache[key] = (doc, _doc_line(key, doc))
        if len(cache) != len(table):  # documents were removed
            self._lines[name] = {key: cache[key] for key in table}
        blocks = self._blocks[name] = _Blocks(list(table))
        return blocks

    def _patch(self, name: str, table: dict[str, Any], blocks: _Blocks, keys: Iterable[str]) -> bool:
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
    return b"  " + _text(key) + b": " + _text(doc)


def _text(value: Any) -> bytes:
    """``value`` as JSON in UTF-8. A character that would act on a terminal when the database is
    printed (C1 controls, bidi overrides, zero-width marks) or that UTF-8 cannot hold (a lone
    surrogate) is written as a ``\\u`` escape: the value read back is the same."""
    return escape_json_unsafe(_encode(value)).encode()


def _is_layout(data: Any, *, shallow: bool) -> bool:
    """Is ``data`` tables of documents keyed by strings (``shallow``: don't look at document keys)?"""
    if not isinstance(data, dict):
        return False
    for name, table in data.items():
        if not isinstance(name, str) or not isinstance(table, dict):
            return False
        if not shallow and not all(isinstance(key, str) for key in table):
            return False
    return True


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): the caller's own to change."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(item) for item in value]
    return value


def _stat(path: Path) -> tuple[int, ...]:
    """The file's identity and version (inode, size, times); ``()`` if it is missing."""
    try:
        found = os.stat(path)
    except OSError:
        return ()
    return (found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


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
                parsed_table = parsed.get(name)
                if not isinstance(parsed_table, dict):
                    return None
                source = parsed_table
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


def is_doc_id(key: str) -> bool:
    """Is ``key`` a document key as TinyDB writes it (a decimal number)?"""
    return key.isascii() and key.isdigit()
