"""What happened to each mark: the append-only change log and the session's undo stack.

Why a log and not just the current marks: a reviewer (or an editor checking their work)
needs to see who changed a verdict, when, and from what; two sessions writing the same
claim must not silently erase one another (the later change wins, the log keeps both);
and undo must never rewrite the past — it is one more change, logged like any other.

Each change is one record in the database's ``history`` table (see
:func:`entry_to_record`): deliberately compact (no anchor context), because the whole
file is rewritten on every save and the log only grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from factdesk.annotations.model import Anchor, ClaimRef, Mark, Status

__all__ = [
    "ACTIONS",
    "Change",
    "HistoryEntry",
    "HistoryTail",
    "Identity",
    "UndoStack",
    "entry_key",
    "entry_to_record",
    "identity_of",
    "moves_of",
    "record_to_entry",
    "resolve_identity",
]

#: Why a change was made. ``set``: a reviewer's verdict or note; ``undo``/``redo``;
#: ``reanchor``: the mark followed its claim into an edited article; ``import``/``merge``:
#: brought in from another file; ``migrate``: the state a mark had when the log began.
#: ``evidence``: the reviewer's URLs, citations or typed links changed (see ``review/evidence.py``).
ACTIONS = ("set", "undo", "redo", "reanchor", "import", "merge", "migrate", "evidence")

#: How a mark is named in the log: (article id, quote, start, reviewer).
Identity = tuple[str, str, int, str]


def identity_of(mark: Mark) -> Identity:
    return (mark.article_id, mark.anchor.quote, mark.anchor.start, mark.reviewer)


@dataclass(frozen=True)
class HistoryEntry:
    """One change to one reviewer's mark, as shown in the inspector.

    ``article_id``/``quote``/``start``/``end`` name the mark *after* the change; for a
    ``reanchor`` entry ``previous`` names it before (article id, quote, start).
    An absent mark reads as ``UNREVIEWED`` with an empty note.
    """

    seq: int  # position in the log (the record's doc id): the order changes were made in
    at: str  # ISO 8601 UTC
    reviewer: str
    action: str
    article_id: str
    quote: str
    start: int
    end: int
    old_status: Status
    old_note: str
    new_status: Status
    new_note: str
    session: str = ""
    path: str = ""
    previous: tuple[str, str, int] | None = None
    fields: tuple[str, ...] = ()  # extra fields of the mark this change set (``Store.set_fields``): ("evidence",)
    detail: str = ""  # what such a change did, for a person: "URL added"

    @property
    def identity(self) -> Identity:
        return (self.article_id, self.quote, self.start, self.reviewer)

    @property
    def previous_identity(self) -> Identity | None:
        if self.previous is None:
            return None
        return (*self.previous, self.reviewer)

    @property
    def anchor(self) -> Anchor:
        """A context-free anchor of the mark, good enough to locate it again."""
        return Anchor(self.quote, "", "", self.start, self.end)

    def describe(self) -> str:
        """One line for a person: ``alice: unreviewed → verified (note added)``."""
        if self.action == "reanchor":
            return f"{self.reviewer}: followed the claim into the edited article"
        parts = []
        if self.old_status is not self.new_status:
            parts.append(f"{self.old_status.value} → {self.new_status.value}")
        if self.old_note != self.new_note:
            if not self.old_note:
                parts.append("note added")
            elif not self.new_note:
                parts.append("note removed")
            else:
                parts.append("note changed")
        if not parts and self.fields:
            parts.append(self.detail or f"{', '.join(self.fields)} changed")
            if self.action == "evidence":  # the detail says it ("URL added"): no "(evidence)" after it
                return f"{self.reviewer}: {parts[0]}"
        what = ", ".join(parts) or "no change"
        label = "" if self.action == "set" else f" ({self.action})"
        return f"{self.reviewer}: {what}{label}"


@dataclass(frozen=True)
class HistoryTail:
    """What the log gained since a reader last looked (see :meth:`Store.history_since`).

    Why: the log only grows on every save, so a reader that indexes it (the inspector's history of a claim)
    takes just the new entries — appending, never re-indexing the whole log on every key. ``position`` is
    where the reader now is: pass it back next time. ``restarted`` means the log was not simply appended to
    since that position (the first look, a merge that re-ordered it, another session's file re-read into a
    log that differs): ``entries`` is then the whole log, to index anew.
    """

    position: tuple[int, int]  # (the log's epoch, its length): opaque to callers
    entries: tuple[HistoryEntry, ...]
    restarted: bool


def _state(status: Status, note: str) -> dict[str, str]:
    return {"status": Status(status).value, "note": note}


def entry_to_record(
    *,
    at: str,
    reviewer: str,
    action: str,
    article_id: str,
    anchor: Anchor,
    old: tuple[Status, str],
    new: tuple[Status, str],
    session: str = "",
    path: str = "",
    previous: tuple[str, str, int] | None = None,
    fields: Iterable[str] = (),
    detail: str = "",
) -> dict[str, Any]:
    """The JSON document stored in the ``history`` table for one change (``fields``/``detail``: see HistoryEntry)."""
    record: dict[str, Any] = {
        "at": at,
        "reviewer": reviewer,
        "action": action,
        "article_id": article_id,
        "anchor": {"quote": anchor.quote, "start": anchor.start, "end": anchor.end},
        "from": _state(*old),
        "to": _state(*new),
    }
    if session:
        record["session"] = session
    if path:
        record["path"] = path
    if previous is not None:
        record["previous"] = {"article_id": previous[0], "quote": previous[1], "start": previous[2]}
    names = list(fields)
    if names:
        record["fields"] = names
    if detail:
        record["detail"] = detail
    return record


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def record_to_entry(seq: int, record: Any) -> HistoryEntry | None:
    """The entry a stored record describes, or ``None`` if it is malformed (it is then left alone)."""
    try:
        anchor = record["anchor"]
        old, new = record["from"], record["to"]
        previous = record.get("previous")
        fields = record.get("fields", [])
        return HistoryEntry(
            seq=seq,
            at=_str(record["at"]),
            reviewer=_str(record.get("reviewer", "")),
            action=_str(record.get("action", "set")),
            article_id=_str(record["article_id"]),
            quote=_str(anchor["quote"]),
            start=_int(anchor["start"]),
            end=_int(anchor["end"]),
            old_status=Status(old.get("status", "unreviewed")),
            old_note=_str(old.get("note", "")),
            new_status=Status(new.get("status", "unreviewed")),
            new_note=_str(new.get("note", "")),
            session=_str(record.get("session", "")),
            path=_str(record.get("path", "")),
            previous=None
            if previous is None
            else (_str(previous["article_id"]), _str(previous["quote"]), _int(previous["start"])),
            fields=tuple(_str(name) for name in fields) if isinstance(fields, list) else (),
            detail=_str(record.get("detail", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def entry_key(record: Mapping[str, Any]) -> str:
    """A content key for de-duplicating the same change found in two databases (merge)."""
    import json

    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def resolve_identity(identity: Identity, moves: Mapping[Identity, Identity]) -> Identity:
    """Follow re-anchoring moves from an old identity to the mark's latest one (cycle-safe)."""
    seen = {identity}
    while identity in moves:
        identity = moves[identity]
        if identity in seen:
            break
        seen.add(identity)
    return identity


def moves_of(entries: Iterable[HistoryEntry]) -> dict[Identity, Identity]:
    """Old identity → new identity for every re-anchoring in the log."""
    moves: dict[Identity, Identity] = {}
    for entry in entries:
        before = entry.previous_identity
        if entry.action == "reanchor" and before is not None and before != entry.identity:
            moves[before] = entry.identity
    return moves


# --------------------------------------------------------------------------- undo


@dataclass(frozen=True)
class Change:
    """One of this session's own changes to a claim: enough to undo or redo it."""

    ref: ClaimRef
    before: tuple[Status, str]
    after: tuple[Status, str]
    # A change of extra fields (``Store.set_fields``, e.g. evidence): their values before and after; ``None``: none.
    fields_before: Mapping[str, Any] | None = None
    fields_after: Mapping[str, Any] | None = None


class UndoStack:
    """Undo/redo of the reviewer's own changes in this session.

    Only memory: a new session starts with an empty stack (the log keeps the past).
    A fresh change clears the redo side, as in every editor.
    """

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def push(self, change: Change) -> None:
        if change.before == change.after and change.fields_before == change.fields_after:
            return
        self._undo.append(change)
        del self._undo[: -self.limit]
        self._redo.clear()

    def pop_undo(self) -> Change | None:
        return self._undo.pop() if self._undo else None

    def pop_redo(self) -> Change | None:
        return self._redo.pop() if self._redo else None

    def undone(self, change: Change) -> None:
        self._redo.append(change)

    def redone(self, change: Change) -> None:
        self._undo.append(change)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)
