"""Fragment verdicts in the brief: each claim's fragment marks (part of the claim, or two sentences), as data and as
Markdown/JSON lines under their claim.

Why a module of its own: the builder and both renderers share it, so Markdown and JSON cannot disagree. A fragment's
verdict is listed under its claim ("Fragment: “…” — ✗ Disputed by alice: note") and never decides the claim's own
section: that stays the whole-claim marks' (review/fragments.py). Text is cleaned here; Markdown escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.annotations.model import Mark, Status
from factdesk.annotations.review.fragments import FRAGMENT_FIELD
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL, verdict_label
from factdesk.annotations.text.markdown import clean_text, escape_inline

__all__ = ["BriefFragment", "claim_fragments", "fragment_lines", "fragments_json"]


@dataclass(frozen=True)
class BriefFragment:
    """One fragment mark as the brief lists it."""

    quote: str
    status: Status
    reviewer: str
    note: str = ""
    updated: str = ""
    start: int = 0  # the fragment's offset in the article text (as placed now)
    end: int = 0
    sentences: int = 1  # 2 when it spans two adjacent sentences


def claim_fragments(marks: Iterable[tuple[Mark, tuple[int, int]]]) -> tuple[BriefFragment, ...]:
    """The claim's fragments (``marks``: each fragment mark with where it lies now), in text order, then reviewer."""
    found = []
    for mark, (start, end) in marks:
        field = mark.extra.get(FRAGMENT_FIELD)
        two = isinstance(field, dict) and isinstance(field.get("sentences"), list) and len(field["sentences"]) > 1
        found.append(
            BriefFragment(
                quote=clean_text(" ".join(mark.anchor.quote.split())),
                status=Status(mark.status),
                reviewer=clean_text(mark.reviewer),
                note=clean_text(mark.note),
                updated=clean_text(mark.updated),
                start=start,
                end=end,
                sentences=2 if two else 1,
            )
        )
    return tuple(sorted(found, key=lambda f: (f.start, f.end, f.reviewer.casefold(), f.reviewer)))


def _line(fragment: BriefFragment) -> str:
    who = escape_inline(fragment.reviewer) or "a reviewer"
    if fragment.status is Status.UNREVIEWED:
        verdict = f"note by {who}"
    else:
        verdict = f"{VERDICT_SYMBOL[fragment.status]} {escape_inline(verdict_label(fragment.status))} by {who}"
    line = f"- Fragment{' (two sentences)' if fragment.sentences > 1 else ''}: “{escape_inline(fragment.quote)}” — "
    line += verdict
    if fragment.note.strip():
        line += ": " + escape_inline(" ".join(fragment.note.split()))
    return line


def fragment_lines(fragments: Sequence[BriefFragment]) -> list[str]:
    """The claim's fragments as one Markdown list block (nothing when there are none)."""
    return ["\n".join(_line(fragment) for fragment in fragments)] if fragments else []


def fragments_json(fragments: Sequence[BriefFragment]) -> list[dict[str, Any]]:
    return [
        {
            "quote": f.quote,
            "status": f.status.value,
            "reviewer": f.reviewer,
            "note": f.note,
            "updated": f.updated,
            "start": f.start,
            "end": f.end,
            "sentences": f.sentences,
        }
        for f in fragments
    ]
