"""The rules of a change: what each store operation puts, deletes and logs, as one :class:`Batch`.

Why on their own: these are the product's rules, and they read best without the locks
and files around them. A mark is identified by ``(article_id, anchor.quote,
anchor.start, reviewer)``: each reviewer has their own verdict on a claim. A mark with
neither verdict nor note does not exist on disk. Every change of a verdict or note is
logged in the history; when two copies disagree the later ``updated`` wins and the
loser's state is logged too, so nothing is resolved silently.

Each function looks at the :class:`~factdesk.annotations.storage.index.StoreIndex` and
returns ``(batch, result)``; :class:`~factdesk.annotations.storage.store.Store` runs it
inside its transaction, after catching up with the file, and writes the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.history import Identity, entry_key, entry_to_record, identity_of
from factdesk.annotations.storage.index import Batch, StoreIndex
from factdesk.annotations.storage.reader_state import ReaderState
from factdesk.annotations.storage.records import (
    CREATED_FIELD,
    MODEL_FIELDS,
    PATH_FIELD,
    is_blank,
    json_copy,
)

__all__ = [
    "AddResult",
    "Incoming",
    "absorb",
    "add_marks",
    "change_mark",
    "check_identity",
    "merge_history",
    "move_mark",
    "newest_by_identity",
    "save_state",
    "set_fields",
]


@dataclass(frozen=True)
class AddResult:
    """What :meth:`~factdesk.annotations.storage.store.Store.add_marks` did with each incoming mark."""

    added: int = 0
    replaced: int = 0  # an older mark of the same reviewer on the same claim
    unchanged: int = 0
    kept: int = 0  # ours was newer: kept, and the incoming state logged in the history
    history_added: int = 0


@dataclass(frozen=True)
class Incoming:
    """What one database brings to a merge (copies: see :meth:`Store.absorb`)."""

    marks: list[Mark]
    history: list[dict[str, Any]] = field(default_factory=list)
    states: Mapping[str, dict[str, Any]] = field(default_factory=dict)


class _Finder(Protocol):
    def find(self, article_id: str, quote: str, start: int, reviewer: str) -> tuple[int, Mark] | None: ...


def check_identity(article_id: str, anchor: Anchor, reviewer: str) -> None:
    """Refuse a change that cannot name its mark: an article id, an anchor and a reviewer are required."""
    if not isinstance(article_id, str) or not article_id:
        raise StoreError("a mark needs an article id")
    if not isinstance(anchor, Anchor):
        raise TypeError("anchor must be an factdesk.annotations.model.Anchor")
    if not isinstance(reviewer, str) or not reviewer.strip():
        raise StoreError("a reviewer name is required to record a mark")


def change_mark(
    index: StoreIndex,
    article_id: str,
    anchor: Anchor,
    reviewer: str,
    *,
    status: Status | None,
    note: str | None,
    action: str,
    path: str | None,
    timestamp: Callable[[], str],
    session: str,
    fields: Mapping[str, Any] | None = None,
) -> tuple[Batch, Mark]:
    """Set ``reviewer``'s verdict and/or note on a claim (``None``: keep theirs); a blank mark goes.

    ``fields``: extra top-level fields the record gets (e.g. ``"outlet"``), learnt like ``path`` when the verdict
    and note stay the same (no history entry: they describe the mark, they are not a reviewer's change).
    """
    batch = Batch()
    found = index.find(article_id, anchor.quote, anchor.start, reviewer)
    doc_id, old = found if found is not None else (None, None)
    before = _state_of(old)
    after = (status if status is not None else before[0], note if note is not None else before[1])
    learnt = {**({PATH_FIELD: path} if path else {}), **(fields or {})}
    if old is not None and before == after:
        if all(old.extra.get(key) == value for key, value in learnt.items()):
            return batch, old
        located = replace(old, extra={**old.extra, **learnt})  # learn the file (and fields); same verdict
        batch.puts.append((doc_id, located, old))
        return batch, located
    now = timestamp()
    extra = dict(old.extra) if old else {}
    extra.setdefault(CREATED_FIELD, now)
    extra.update(learnt)
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
    if is_blank(after[0], after[1], extra):  # (evidence keeps a mark without verdict or note: records.CONTENT_FIELDS)
        assert doc_id is not None and old is not None  # a new blank mark returned above: this one exists
        batch.deletes.append((doc_id, old))
    else:
        batch.puts.append((doc_id, mark, old))
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
                session=session,
            )
        )
    return batch, mark


def set_fields(
    index: StoreIndex,
    article_id: str,
    anchor: Anchor,
    reviewer: str,
    fields: Mapping[str, Any],
    *,
    action: str,
    path: str | None,
    detail: str,
    timestamp: Callable[[], str],
    session: str,
) -> tuple[Batch, Mark | None]:
    """Set extra top-level fields of ``reviewer``'s mark (a value ``None`` removes the field), logged as ``action``.

    Why beside :func:`change_mark`: evidence (and any later field that is a reviewer's own content) is a change a
    reviewer makes and may undo, so it is logged (its verdict and note stay as they were; ``fields`` in the entry name
    what changed, ``detail`` says it for a person); ``change_mark``'s ``fields`` only describe the mark. A mark left
    with nothing (:func:`~factdesk.annotations.storage.records.is_blank`) goes; ``None`` is then the result.
    """
    reserved = sorted(set(fields) & MODEL_FIELDS)
    if reserved:
        raise StoreError(f"not an extra field of a mark: {', '.join(reserved)}")
    batch = Batch()
    found = index.find(article_id, anchor.quote, anchor.start, reviewer)
    doc_id, old = found if found is not None else (None, None)
    extra = dict(old.extra) if old else {}
    changed = sorted(key for key, value in fields.items() if extra.get(key) != value)
    if not changed:
        return batch, old
    now = timestamp()
    for key, value in fields.items():
        if value is None:
            extra.pop(key, None)
        else:
            extra[key] = json_copy(value)
    extra.setdefault(CREATED_FIELD, now)
    if path:
        extra[PATH_FIELD] = path
    state = _state_of(old)
    mark = Mark(
        article_id=article_id,
        anchor=anchor,
        status=state[0],
        note=state[1],
        reviewer=reviewer,
        updated=now,
        extra=extra,
    )
    if is_blank(state[0], state[1], extra):
        if old is None or doc_id is None:
            return batch, None
        batch.deletes.append((doc_id, old))
        result: Mark | None = None
    else:
        batch.puts.append((doc_id, mark, old))
        result = mark
    batch.history.append(
        entry_to_record(
            at=now,
            reviewer=reviewer,
            action=action,
            article_id=article_id,
            anchor=anchor,
            old=state,
            new=state,
            session=session,
            fields=changed,
            detail=detail,
        )
    )
    return batch, result


def move_mark(
    index: StoreIndex,
    mark: Mark,
    article_id: str,
    anchor: Anchor,
    *,
    path: str | None,
    timestamp: Callable[[], str],
    session: str,
) -> tuple[Batch, Mark | None]:
    """Re-key ``mark`` to another claim, logged as ``reanchor``; ``None`` if it is gone or the
    reviewer already has a mark at the destination."""
    batch = Batch()
    found = index.find(mark.article_id, mark.anchor.quote, mark.anchor.start, mark.reviewer)
    target = index.find(article_id, anchor.quote, anchor.start, mark.reviewer)
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
            at=timestamp(),
            reviewer=old.reviewer,
            action="reanchor",
            article_id=article_id,
            anchor=anchor,
            old=_state_of(old),
            new=_state_of(old),
            session=session,
            path=path or "",
            previous=(old.article_id, old.anchor.quote, old.anchor.start),
        )
    )
    return batch, moved


def newest_by_identity(marks: Iterable[Mark]) -> dict[Identity, Mark]:
    """The latest of the incoming marks per (claim, reviewer); raises StoreError for one without an identity."""
    incoming: dict[Identity, Mark] = {}
    for mark in marks:
        if not isinstance(mark.article_id, str) or not mark.article_id or not isinstance(mark.anchor, Anchor):
            raise StoreError("an imported mark needs an article id and an anchor")
        key = identity_of(mark)
        if key not in incoming or mark.updated >= incoming[key].updated:
            incoming[key] = mark
    return incoming


def add_marks(
    index: _Finder,
    incoming: Iterable[Mark],
    *,
    action: str,
    log_new: bool,
    timestamp: Callable[[], str],
    session: str,
) -> tuple[Batch, AddResult]:
    """Bring in marks made elsewhere (one per identity): the later ``updated`` wins, the loser is logged."""
    batch = Batch()
    counts = {"added": 0, "replaced": 0, "unchanged": 0, "kept": 0}
    loser: Mark | None  # None: the mark is new here
    for mark in incoming:
        if is_blank(mark.status, mark.note, mark.extra):
            continue
        found = index.find(mark.article_id, mark.anchor.quote, mark.anchor.start, mark.reviewer)
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
                at=winner.updated or timestamp(),
                reviewer=mark.reviewer,
                action=action,
                article_id=mark.article_id,
                anchor=mark.anchor,
                old=_state_of(loser),
                new=_state_of(winner),
                session=session,
            )
        )
    return batch, AddResult(**counts, history_added=len(batch.history))


def absorb(
    index: StoreIndex,
    sources: Sequence[Incoming],
    ours: list[dict[str, Any]],
    *,
    timestamp: Callable[[], str],
    session: str,
) -> tuple[Batch, AddResult]:
    """Merge several databases into ours as ONE batch: the same result as absorbing them one
    after another (:func:`add_marks` then :func:`merge_history`, each seeing the ones before),
    but written once, so a kill leaves the old database or the whole merge, never a part.

    ``ours`` is our history (raw records, in log order). The log comes out ordered by time
    (stable: ties keep the order they were met in) when any entry was copied.
    """
    pending = _Pending(index)
    log = list(ours)
    seen = {entry_key(record) for record in ours}
    copied = False
    states_taken = set(index.states)
    batch = Batch()
    totals = AddResult()
    for source in sources:
        part, result = add_marks(
            pending,
            newest_by_identity(source.marks).values(),
            action="merge",
            log_new=False,
            timestamp=timestamp,
            session=session,
        )
        pending.take(part.puts)
        log.extend(part.history)
        seen.update(entry_key(record) for record in part.history)
        fresh = 0
        for record in source.history:
            key = entry_key(record)
            if key not in seen:
                seen.add(key)
                log.append(record)
                fresh += 1
        copied = copied or fresh > 0
        for key, state in source.states.items():  # as merge_history: ours kept, theirs only if valid
            if key not in states_taken and ReaderState.from_json(state) is not None:
                states_taken.add(key)
                batch.states.append((None, key, state))
        totals = AddResult(
            added=totals.added + result.added,
            replaced=totals.replaced + result.replaced,
            unchanged=totals.unchanged + result.unchanged,
            kept=totals.kept + result.kept,
            history_added=totals.history_added + result.history_added + fresh,
        )
    batch.puts = pending.puts()
    if copied:
        order = sorted(enumerate(log), key=lambda pair: (str(pair[1].get("at", "")), pair[0]))
        batch.history_rewrite = [record for _, record in order]
    else:
        batch.history = log[len(ours) :]
    return batch, totals


class _Pending:
    """The index as a merge's earlier inputs left it: their puts over the marks on disk.

    Marks new to the database have no document id yet: they are found under a negative
    stand-in, and put as new (``None``) in the end.
    """

    def __init__(self, index: StoreIndex) -> None:
        self.index = index
        self.changed: dict[Identity, tuple[int | None, Mark, Mark | None]] = {}  # -> (doc id, mark, replaced)
        self.stand_ins: dict[Identity, int] = {}

    def find(self, article_id: str, quote: str, start: int, reviewer: str) -> tuple[int, Mark] | None:
        identity = (article_id, quote, start, reviewer)
        hit = self.changed.get(identity)
        if hit is None:
            return self.index.find(article_id, quote, start, reviewer)
        return (hit[0] if hit[0] is not None else self.stand_ins[identity]), hit[1]

    def take(self, puts: Iterable[tuple[int | None, Mark, Mark | None]]) -> None:
        for _, mark, _ in puts:
            identity = identity_of(mark)
            earlier = self.changed.get(identity)
            if earlier is not None:  # an earlier input put this mark: keep its id and what it replaced
                self.changed[identity] = (earlier[0], mark, earlier[2])
                continue
            found = self.index.find(*identity)
            self.changed[identity] = (found[0], mark, found[1]) if found else (None, mark, None)
            if found is None:
                self.stand_ins[identity] = -1 - len(self.stand_ins)

    def puts(self) -> list[tuple[int | None, Mark, Mark | None]]:
        return list(self.changed.values())


def merge_history(
    index: StoreIndex,
    ours: list[dict[str, Any]],
    theirs: list[dict[str, Any]],
    their_states: Mapping[str, dict[str, Any]],
) -> tuple[Batch, int]:
    """Add their history entries we lack (the log re-ordered by time) and the reader states we lack;
    the result is how many entries were copied.

    A reader state is one session's place in a corpus, not review data: ours is never replaced, and theirs is
    copied only where we have none (so whoever opens the merged file resumes somewhere sensible) and only if it is
    a position the reader could have written (:class:`ReaderState`) — a damaged file's state must not spread."""
    batch = Batch()
    seen = {entry_key(record) for record in ours}
    fresh = [r for r in theirs if entry_key(r) not in seen]
    if fresh:
        combined = list(enumerate([*ours, *fresh]))
        combined.sort(key=lambda pair: (str(pair[1].get("at", "")), pair[0]))
        batch.history_rewrite = [record for _, record in combined]
    for key, state in their_states.items():
        if key not in index.states and ReaderState.from_json(state) is not None:
            batch.states.append((None, key, state))
    return batch, len(fresh)


def save_state(index: StoreIndex, key: str, snapshot: dict[str, Any]) -> tuple[Batch, None]:
    """Save reader state under ``key``, unless it is already exactly that."""
    batch = Batch()
    found = index.states.get(key)
    if found is None or found[1] != snapshot:
        batch.states.append((found[0] if found else None, key, snapshot))
    return batch, None


def _state_of(mark: Mark | None) -> tuple[Status, str]:
    return (Status(mark.status), mark.note) if mark is not None else (Status.UNREVIEWED, "")
