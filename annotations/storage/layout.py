"""The database file's layout: TinyDB's tables of numbered documents, one per line, replaced atomically.

Why it looks the way it does:

* **One JSON file, rewritten atomically.** Writing in place would tear the file on a
  kill; :class:`AtomicJSONStorage` writes a temporary file beside it and renames it over
  the old one (see :mod:`factdesk.annotations.storage.atomic`): a crash leaves the old file or the new one.
  The layout is TinyDB's (tables of numbered documents), so TinyDB can still read it.
* **Fast enough at 10,000 marks.** Each saved document's encoded line is cached, so a
  save re-encodes only the documents that changed; a file re-read from disk seeds the
  cache from its own lines (:func:`parse_layout`).

This module knows the file's shape (tables, documents, lines), not what a mark is:
see :mod:`factdesk.annotations.storage.records` for that, and
:mod:`factdesk.annotations.storage.dbfile` for telling our files from anyone else's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from factdesk.annotations.storage.atomic import atomic_write_bytes

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

    def read(self) -> dict[str, dict[str, Any]]:
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
