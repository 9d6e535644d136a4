"""Schema versions of the marks database and the steps that upgrade an old file.

Each step takes the parsed data of version *n* and returns version *n + 1*; steps
never drop a mark (a record they do not understand is carried as it is). The store
writes ``<db>.bak`` (the file as it was) before saving an upgraded database, so a
person can always go back to the old version.

History of the schema:

1. ``meta`` (app, schema), ``marks`` (one record per claim), ``state`` (reader state).
2. Adds the append-only ``history`` table; marks are keyed by reviewer too (several
   reviewers' verdicts on one claim live side by side) and may carry ``path`` (the
   article's file, to find its marks again after an edit) and ``created``. Migrating
   logs each existing mark as a ``migrate`` entry, so the history starts complete.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from factdesk.annotations.model import Anchor, Status
from factdesk.annotations.storage.history import entry_to_record

__all__ = ["MIGRATIONS", "SCHEMA", "MigrationError", "migrate"]

#: The schema this version of factdesk reads and writes.
SCHEMA = 2

Data = dict[str, dict[str, Any]]


class MigrationError(ValueError):
    """The data claims a schema no step can upgrade from."""


def _meta_doc(data: Data) -> dict[str, Any]:
    for doc in data.get("meta", {}).values():
        if isinstance(doc, dict) and doc.get("app") == "factdesk":
            return doc
    raise MigrationError("no factdesk metadata")


def _v1_to_v2(data: Data) -> Data:
    marks = data.get("marks", {})
    history: dict[str, Any] = {}
    for key in sorted(marks, key=int):
        record = marks[key]
        try:
            raw = record["anchor"]
            anchor = Anchor(raw["quote"], raw.get("prefix", ""), raw.get("suffix", ""), raw["start"], raw["end"])
            status = Status(record.get("status", "unreviewed"))
            note = record.get("note", "")
            if not isinstance(note, str) or not isinstance(record["article_id"], str):
                raise TypeError
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # malformed: kept in the marks table as it is, just not logged
        history[str(len(history) + 1)] = entry_to_record(
            at=str(record.get("updated", "")),
            reviewer=str(record.get("reviewer", "")),
            action="migrate",
            article_id=record["article_id"],
            anchor=anchor,
            old=(Status.UNREVIEWED, ""),
            new=(status, note),
        )
    data.setdefault("history", {}).update(history)
    data.setdefault("state", {})
    return data


#: from-version → the step to the next version.
MIGRATIONS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2}


def migrate(data: Data, schema: int) -> Data:
    """``data`` (of version ``schema``) upgraded to :data:`SCHEMA`, as a new object.

    The input is not modified, so a failed or refused save leaves the caller's copy intact.
    """
    if schema > SCHEMA:
        raise MigrationError(f"schema {schema} is newer than {SCHEMA}")
    out = copy.deepcopy(data)
    while schema < SCHEMA:
        step = MIGRATIONS.get(schema)
        if step is None:
            raise MigrationError(f"no migration from schema {schema}")
        out = step(out)
        schema += 1
        _meta_doc(out)["schema"] = schema
    return out
