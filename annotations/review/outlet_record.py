"""The outlet record: each outlet's verdict counts across every corpus in a database — the reviewer's own track
record of the outlets they read, not a third party's rating.

Why the counting is here, on plain marks: the database holds marks of many corpora, and the record must count them
all — with the article file gone, or another corpus open. So nothing here needs an analysis: a mark knows its
outlet from its record (the ``"outlet"`` field the reader writes when a mark is made or changed), and for a mark
that predates it :class:`OutletResolver` follows a fixed chain (see there). The reader's view
(``factdesk.tui.screens.outlet_record``) and ``factdesk stats --outlets`` both count with :func:`outlet_record`, so
they agree.

What is counted: a mark's verdict (a note without one is no verdict), every reviewer's marks by default or one
reviewer's (``reviewer=``). Where a curator adjudicated a claim (their final verdict, stored as ``adjudication.py``
says), that claim counts once, with the final verdict. The verdicts are whatever the marks hold, in the scale's order
(``verdicts.VERDICTS``), any other value alphabetically after them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from factdesk.annotations.model import Mark, Status
from factdesk.annotations.review.adjudication import ADJUDICATION_FIELD, is_final
from factdesk.annotations.review.fragments import is_fragment
from factdesk.annotations.review.verdicts import VERDICTS, verdict_label
from factdesk.annotations.storage.outlets import clean_outlet
from factdesk.annotations.storage.records import mark_outlet, mark_path

__all__ = [
    "UNKNOWN_OUTLET",
    "OutletRecord",
    "OutletResolver",
    "OutletRow",
    "outlet_record",
    "record_json",
    "record_text",
    "verdict_heading",
]

UNKNOWN_OUTLET = "unknown outlet"
_SCALE_ORDER = {status.value: number for number, status in enumerate(VERDICTS)}


@dataclass(frozen=True)
class OutletRow:
    """One outlet's line: marks per verdict (status value → count), their total, and where they come from."""

    outlet: str
    counts: Mapping[str, int]
    total: int
    articles: int  # distinct articles (content hashes) of the counted marks
    corpora: int  # distinct folders the marked articles were read from (a mark with no recorded file adds none)

    def count(self, verdict: str) -> int:
        return self.counts.get(verdict, 0)


@dataclass(frozen=True)
class OutletRecord:
    """Every outlet's row, most marks first; the verdict columns in scale order; whose marks were counted."""

    rows: tuple[OutletRow, ...]
    verdicts: tuple[str, ...]  # status values some counted mark has, in scale order, unknown ones alphabetically
    reviewer: str | None  # None: every reviewer's marks
    reviewers: tuple[str, ...]  # every reviewer with a verdict (curators' final verdicts aside): the view's toggle

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


class OutletResolver:
    """A mark's outlet, the first of:

    1. the outlet a reviewer set for its article (``O``, kept in the database by article hash): the reviewer's own
       and latest word on it, so a name corrected after marking counts too;
    2. the outlet recorded with the mark (``"outlet"``, written by the reader when the mark was made or changed);
    3. ``known``: the outlet of the article as an open corpus shows it (the reader passes its articles);
    4. the outlet read from the mark's article file (its ``path``), if the file is still there and still that
       article (its content hash is the mark's article id): a file edited since is another article;
    5. :data:`UNKNOWN_OUTLET`.

    Each file is read once, however many marks name it.
    """

    def __init__(self, reviewer_outlets: Mapping[str, str], known: Mapping[str, str] | None = None) -> None:
        self._set = reviewer_outlets
        self._known = known or {}
        self._files: dict[str, tuple[str, str] | None] = {}  # path -> (article id, outlet) or None
        self._cleaned: dict[str, str] = {}  # a stored name -> as shown (a database repeats a few names many times)

    def __call__(self, mark: Mark) -> str:
        for name in (self._set.get(mark.article_id), mark_outlet(mark), self._known.get(mark.article_id)):
            if name:
                cleaned = self._cleaned.get(name)
                if cleaned is None:
                    cleaned = self._cleaned[name] = clean_outlet(name)
                if cleaned:
                    return cleaned
        return self._from_file(mark) or UNKNOWN_OUTLET

    def _from_file(self, mark: Mark) -> str:
        path = mark_path(mark)
        if not path:
            return ""
        if path not in self._files:
            self._files[path] = _read_outlet(Path(path))
        found = self._files[path]
        if found is None or found[0] != mark.article_id:
            return ""
        return clean_outlet(found[1])


def _read_outlet(path: Path) -> tuple[str, str] | None:
    """``(article id, outlet)`` of the article file at ``path``, ``None`` when it cannot be read as one."""
    from factdesk.annotations.text.corpus import MAX_ARTICLE_BYTES, article_id, decode
    from factdesk.annotations.text.outlet import read_outlet

    try:
        if not path.is_file() or path.stat().st_size > MAX_ARTICLE_BYTES:
            return None
        text, _, _ = decode(path.read_bytes())
        return article_id(text), read_outlet(text, path).outlet
    except (OSError, ValueError):
        return None


def _claim_key(mark: Mark) -> tuple[str, str, int]:
    """The claim two reviewers' marks share: (article id, quote, start), as ``agreement.summarize_marks`` groups."""
    return (mark.article_id, mark.anchor.quote, mark.anchor.start)


_UNREVIEWED = Status.UNREVIEWED.value


def _verdict(mark: Mark) -> str:
    """The mark's verdict as stored ("" for none: a note alone, or an unreviewed status)."""
    status = mark.status
    value = status.value if isinstance(status, Status) else str(status)
    return "" if value == _UNREVIEWED else value


def _adjudicates(mark: Mark) -> bool:
    """A curator's final verdict (stored under a "⚖ name" reviewer, with an ``"adjudication"`` object when a
    reason was given: see ``adjudication.py``)."""
    return is_final(mark.reviewer) or isinstance(mark.extra.get(ADJUDICATION_FIELD), Mapping)


def _final_verdict(mark: Mark) -> str | None:
    """The final verdict ``mark`` sets as an adjudication (its status), ``None`` when it is no adjudication."""
    return (_verdict(mark) or None) if _adjudicates(mark) else None


def _counted(marks: list[Mark], reviewer: str | None) -> list[tuple[Mark, str]]:
    """Each counted mark with the verdict it counts as: one reviewer's own verdicts, or every reviewer's — except
    that an adjudicated claim counts once, with its final verdict."""
    if reviewer is not None:
        return [(m, _verdict(m)) for m in marks if m.reviewer == reviewer]
    if not any(_adjudicates(m) for m in marks):
        return [(m, _verdict(m)) for m in marks]
    by_claim: dict[tuple[str, str, int], list[Mark]] = {}
    for mark in marks:
        by_claim.setdefault(_claim_key(mark), []).append(mark)
    counted: list[tuple[Mark, str]] = []
    for group in by_claim.values():
        final = [(m, v) for m in group if (v := _final_verdict(m)) is not None]
        if final:
            counted.append(max(final, key=lambda pair: (pair[0].updated, pair[0].reviewer)))
        else:
            counted.extend((m, _verdict(m)) for m in group)
    return counted


def _verdict_order(verdict: str) -> tuple[int, str]:
    return (_SCALE_ORDER.get(verdict, len(_SCALE_ORDER)), verdict)


def outlet_record(
    marks: Iterable[Mark], resolve: Callable[[Mark], str], *, reviewer: str | None = None
) -> OutletRecord:
    """Count ``marks`` per outlet (``resolve`` names a mark's outlet: an :class:`OutletResolver`).

    ``reviewer``: only that reviewer's marks; ``None``, everyone's. One pass over the marks, plus a sort of the
    outlets. Fragment marks (part of a claim: review/fragments.py) are not claims' verdicts and are not counted.
    """
    marks = [mark for mark in marks if not is_fragment(mark)]
    reviewers = sorted(
        {m.reviewer for m in marks if _verdict(m) and not is_final(m.reviewer)}, key=lambda r: (r.casefold(), r)
    )
    counts: dict[str, dict[str, int]] = {}
    articles: dict[str, set[str]] = {}
    folders: dict[str, set[str]] = {}
    parents: dict[str, str] = {}  # a file -> its folder (many marks share a file)
    for mark, verdict in _counted(marks, reviewer):
        if not verdict:
            continue
        outlet = resolve(mark) or UNKNOWN_OUTLET
        tally = counts.setdefault(outlet, {})
        tally[verdict] = tally.get(verdict, 0) + 1
        articles.setdefault(outlet, set()).add(mark.article_id)
        path = mark_path(mark)
        if path:
            parent = parents.get(path)
            if parent is None:
                parent = parents[path] = str(PurePath(path).parent)
            folders.setdefault(outlet, set()).add(parent)
    rows = [
        OutletRow(
            outlet=outlet,
            counts={v: tally[v] for v in sorted(tally, key=_verdict_order)},
            total=sum(tally.values()),
            articles=len(articles.get(outlet, ())),
            corpora=len(folders.get(outlet, ())),
        )
        for outlet, tally in counts.items()
    ]
    rows.sort(key=lambda row: (-row.total, row.outlet.casefold(), row.outlet))
    verdicts = sorted({v for row in rows for v in row.counts}, key=_verdict_order)
    return OutletRecord(tuple(rows), tuple(verdicts), reviewer, tuple(reviewers))


def verdict_heading(verdict: str) -> str:
    """A column's heading: the verdict's word in the team's scale, a value the scale does not know as stored."""
    try:
        return verdict_label(Status(verdict))
    except ValueError:
        return verdict


def record_text(record: OutletRecord, clean: Callable[[str], str] = str) -> str:
    """The ``factdesk stats --outlets`` table, for a terminal."""
    whose = "every reviewer" if record.reviewer is None else f"reviewer {clean(record.reviewer) or '(no name)'}"
    if not record.rows:
        return f"Outlet record ({whose}): no verdicts yet.\n"
    names = [clean(row.outlet) for row in record.rows]
    width = max(6, *(len(name) for name in names))
    heads = [verdict_heading(v) for v in record.verdicts]
    widths = [max(5, len(head)) for head in heads]
    head_cells = "".join(f"  {head:>{w}}" for head, w in zip(heads, widths, strict=True))
    lines = [
        f"Outlet record ({whose}): {record.total} verdict{'s' if record.total != 1 else ''}",
        "",
        f"{'Outlet':<{width}}{head_cells}  Total  Articles  Corpora",
    ]
    for name, row in zip(names, record.rows, strict=True):
        cells = "".join(f"  {row.count(v):>{w}}" for v, w in zip(record.verdicts, widths, strict=True))
        lines.append(f"{name:<{width}}{cells}  {row.total:>5}  {row.articles:>8}  {row.corpora:>7}")
    lines.append("")
    lines.append("Corpora: the folders the marked articles were read from.")
    return "\n".join(lines) + "\n"


def record_json(record: OutletRecord, clean: Callable[[str], str] = str) -> dict[str, Any]:
    """The same as JSON: ``{"reviewer": name | null, "verdicts": [...], "outlets": [{"outlet", "counts", "total",
    "articles", "corpora"}, ...]}``, the outlets most marks first."""
    return {
        "reviewer": None if record.reviewer is None else clean(record.reviewer),
        "verdicts": list(record.verdicts),
        "outlets": [
            {
                "outlet": clean(row.outlet),
                "counts": {v: row.count(v) for v in record.verdicts},
                "total": row.total,
                "articles": row.articles,
                "corpora": row.corpora,
            }
            for row in record.rows
        ],
        "total": record.total,
    }
