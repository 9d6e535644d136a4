"""Marks as stored documents: the JSON record of a :class:`Mark`, and back.

Why a module of its own: the record format is the database's contract with older and
newer factdesk versions and with other tools (:mod:`factdesk.annotations.export.interop`
reads the same fields). A stored mark is its model fields plus whatever else the record
carries, kept in ``Mark.extra`` and written back untouched (forward compatibility);
three such fields are ours: ``path`` (the article file the mark was made on, to find it
again after the file is edited), ``created`` and ``outlet`` (the article's outlet when the
mark was made or changed, for the outlet record) (see :func:`mark_path`, :func:`mark_created`,
:func:`mark_outlet`).
A malformed record is skipped, never fatal, and stays in the file for a person to see.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from factdesk.annotations.model import Anchor, Mark, Status

__all__ = [
    "CONTENT_FIELDS",
    "CREATED_FIELD",
    "MODEL_FIELDS",
    "OUTLET_FIELD",
    "PATH_FIELD",
    "is_blank",
    "json_copy",
    "mark_created",
    "mark_outlet",
    "mark_path",
    "mark_to_record",
    "record_to_mark",
]

PATH_FIELD = "path"
CREATED_FIELD = "created"
OUTLET_FIELD = "outlet"  # the article's outlet when the mark was made or changed (see mark_outlet)
#: Extra fields that are a reviewer's own content, like a verdict or a note: a mark holding one (non-empty) stays on
#: disk without a verdict or note ("evidence": issue 16's URLs, citations and typed links, see review/evidence.py).
CONTENT_FIELDS = ("evidence",)
_MARK_FIELDS = frozenset({"article_id", "anchor", "status", "note", "reviewer", "updated"})
MODEL_FIELDS = _MARK_FIELDS  # a record's own fields (never ``Mark.extra``)

_T = TypeVar("_T")


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
            record[key] = json_copy(value)
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


def is_blank(status: Status | str, note: str, extra: Any = None) -> bool:
    """A mark with no verdict, no note and none of the :data:`CONTENT_FIELDS`: it does not exist on disk."""
    if Status(status) is not Status.UNREVIEWED or note:
        return False
    return not (isinstance(extra, dict) and any(extra.get(key) for key in CONTENT_FIELDS))


def mark_path(mark: Mark) -> str:
    """The article file the mark was made on ("" when unknown, e.g. a schema-1 mark)."""
    value = mark.extra.get(PATH_FIELD, "")
    return value if isinstance(value, str) else ""


def mark_outlet(mark: Mark) -> str:
    """The outlet recorded with the mark ("" when not recorded: a mark made before factdesk recorded it)."""
    value = mark.extra.get(OUTLET_FIELD, "")
    return value if isinstance(value, str) else ""


def mark_created(mark: Mark) -> str:
    """When the mark was first made (its ``updated`` time when not recorded)."""
    value = mark.extra.get(CREATED_FIELD, "")
    return value if isinstance(value, str) and value else mark.updated


def _checked(value: Any, kind: type[_T]) -> _T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


def json_copy(value: _T) -> _T:
    """A deep copy that also proves ``value`` is JSON (raises TypeError/ValueError otherwise)."""
    return json.loads(json.dumps(value, ensure_ascii=False))
