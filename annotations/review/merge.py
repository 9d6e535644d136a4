"""Combine several reviewers' databases into one, losing nothing.

Marks are keyed by reviewer, so alice's *verified* and bob's *disputed* on the same
claim simply sit side by side in the result — a disagreement is kept, never resolved.
Only the same reviewer's mark on the same claim in two files is a real conflict: the
later change wins and the history records both (see :meth:`Store.absorb`).

Inputs are opened read-only (no backup, no upgrade written); the output is an ordinary
database, created if missing, merged *into* if it already is one, refused if it holds
anything else. The whole merge is built in memory and written once, atomically: a kill
at any moment leaves the output as it was (or absent) or holding the complete merge —
never some inputs' marks, or marks without their history.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from factdesk.annotations.review.agreement import summarize_marks
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.store import Store

__all__ = ["MergeReport", "merge_databases"]


@dataclass(frozen=True)
class MergeReport:
    output: Path
    inputs: int
    marks: int
    reviewers: tuple[str, ...]
    added: int
    replaced: int
    kept: int
    disagreements: int
    history: int

    def summary(self) -> str:
        names = ", ".join(self.reviewers) or "none"
        conflicts = self.replaced + self.kept
        return (
            f"merged {self.inputs} database{'s' if self.inputs != 1 else ''} into {self.output}: "
            f"{self.marks} marks by {len(self.reviewers)} reviewer{'s' if len(self.reviewers) != 1 else ''} ({names}); "
            f"{self.disagreements} claim{'s' if self.disagreements != 1 else ''} with differing verdicts kept; "
            f"{conflicts} same-reviewer conflict{'s' if conflicts != 1 else ''} resolved by time (both in the history)"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def merge_databases(inputs: Sequence[Path], output: Path) -> MergeReport:
    """Merge every database in ``inputs`` into ``output``; raises StoreError on any refusal.

    Every input is validated before anything is written, so a bad input leaves the
    output untouched.
    """
    if not inputs:
        raise StoreError("nothing to merge: give at least one database")
    sources: list[Store] = []
    try:
        for path in inputs:
            if not Path(path).is_file():
                raise StoreError(f"{path}: no such database file")
            if _same_file(Path(path), output):
                continue  # merging a file into itself adds nothing
            sources.append(Store.open(path, read_only=True))
        target = Store.open(output)
        try:
            if target.read_only:
                raise StoreError(target.notice or f"{output} cannot be written")
            result = target.absorb(*sources)  # one transaction: one atomic write of the whole merge
            marks = target.marks()
            report = summarize_marks(marks)
            return MergeReport(
                output=output,
                inputs=len(inputs),
                marks=len(marks),
                reviewers=tuple(target.reviewers()),
                added=result.added,
                replaced=result.replaced,
                kept=result.kept,
                disagreements=report.disagreements,
                history=result.history_added,
            )
        finally:
            target.close()
    finally:
        for source in sources:
            source.close()
