"""How much reviewers agree: per-reviewer counts and Cohen's kappa for each pair.

Raw agreement flatters: two reviewers who verify 90 % of claims agree on 82 % of claims
by chance alone. Cohen's kappa, ``(p_o - p_e) / (1 - p_e)``, discounts the agreement
their own verdict rates would produce at random, so 0 means "no better than chance"
and 1 "always agree". It is computed per pair, over the claims *both* gave a verdict
(verified or disputed) on; a note without a verdict is not a vote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, TypeVar

from factdesk.annotations.model import Mark, Status
from factdesk.annotations.review.adjudication import is_final
from factdesk.annotations.review.fragments import is_fragment
from factdesk.annotations.review.verdicts import PRIMARY, VERDICTS, verdict_label

__all__ = [
    "AgreementReport",
    "PairAgreement",
    "ReviewerCounts",
    "agreement_json",
    "agreement_markdown",
    "agreement_text",
    "cohen_kappa",
    "summarize",
    "summarize_marks",
]

_VERDICTS = frozenset(VERDICTS)  # the whole scale: kappa is over categories, however many the team uses
_OTHERS = tuple(s for s in VERDICTS if s not in PRIMARY)
_Claim = TypeVar("_Claim", bound=Hashable)  # whatever names a claim: only the grouping matters


@dataclass(frozen=True)
class ReviewerCounts:
    reviewer: str
    verified: int = 0
    disputed: int = 0
    notes: int = 0  # marks carrying a note, with or without a verdict
    others: tuple[tuple[Status, int], ...] = ()  # the rest of the scale, in its order, when given at all


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    claims: int  # claims both gave a verdict on
    agreed: int
    kappa: float | None  # None when undefined: no shared claims, or no variation at all

    @property
    def observed(self) -> float | None:
        return self.agreed / self.claims if self.claims else None


@dataclass(frozen=True)
class AgreementReport:
    reviewers: tuple[ReviewerCounts, ...]
    pairs: tuple[PairAgreement, ...]
    disagreements: int  # claims with differing verdicts


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters' labels, one ``(a, b)`` pair per item.

    ``None`` when it is undefined: no items, or chance agreement is already 1 (both
    raters always gave the one same label — perfect, but with nothing to discount).
    """
    total = len(pairs)
    if not total:
        return None
    observed = sum(1 for a, b in pairs if a == b) / total
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    expected = sum(left[label] * right[label] for label in left) / (total * total)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def summarize(verdicts: Mapping[_Claim, Mapping[str, Mark]]) -> AgreementReport:
    """Counts and pairwise kappa from ``{claim: {reviewer: mark}}``."""
    counts: dict[str, Counter[str]] = {}
    for marks in verdicts.values():
        for reviewer, mark in marks.items():
            tally = counts.setdefault(reviewer, Counter())
            if mark.status in _VERDICTS:
                tally[Status(mark.status).value] += 1
            if mark.note.strip():
                tally["notes"] += 1
    reviewers = sorted(counts, key=lambda r: (r.casefold(), r))
    pairs = []
    for a, b in combinations(reviewers, 2):
        labels = [
            (marks[a].status, marks[b].status)
            for marks in verdicts.values()
            if a in marks and b in marks and marks[a].status in _VERDICTS and marks[b].status in _VERDICTS
        ]
        pairs.append(PairAgreement(a, b, len(labels), sum(1 for x, y in labels if x == y), cohen_kappa(labels)))
    disagreements = sum(
        1 for marks in verdicts.values() if len({m.status for m in marks.values() if m.status in _VERDICTS}) > 1
    )
    return AgreementReport(
        reviewers=tuple(
            ReviewerCounts(
                r,
                counts[r]["verified"],
                counts[r]["disputed"],
                counts[r]["notes"],
                tuple((s, counts[r][s.value]) for s in _OTHERS if counts[r][s.value]),
            )
            for r in reviewers
        ),
        pairs=tuple(pairs),
        disagreements=disagreements,
    )


def summarize_marks(marks: Iterable[Mark]) -> AgreementReport:
    """Like :func:`summarize`, straight from a database's marks (no corpus needed).

    Marks are grouped by claim as (article id, quote, start): the key two reviewers'
    marks share when both were made on the same sentence of the same text.
    """
    verdicts: dict[tuple[str, str, int], dict[str, Mark]] = {}
    for mark in marks:
        if is_final(mark.reviewer) or is_fragment(mark):
            continue  # a final verdict is no reviewer's (agreement is the reviewers' own); a fragment no claim's
        verdicts.setdefault((mark.article_id, mark.anchor.quote, mark.anchor.start), {})[mark.reviewer] = mark
    return summarize(verdicts)


def _other_columns(report: AgreementReport) -> list[Status]:
    """The verdicts beyond verified and disputed that some reviewer gave (a column each; none: the table as ever)."""
    return [s for s in _OTHERS if any(dict(r.others).get(s) for r in report.reviewers)]


def _width(status: Status) -> int:
    return max(5, len(verdict_label(status)))


def _kappa_text(kappa: float | None) -> str:
    return "n/a" if kappa is None else f"{kappa:.2f}"


def agreement_text(report: AgreementReport, clean: Callable[[str], str] = str) -> str:
    """The ``factdesk stats`` table, for a terminal."""
    if not report.reviewers:
        return "No marks yet.\n"
    names = [clean(r.reviewer) or "(no name)" for r in report.reviewers]
    width = max(8, *(len(n) for n in names))
    others = _other_columns(report)
    heads = "".join(f"  {verdict_label(s):>{_width(s)}}" for s in others)
    lines = [f"{'Reviewer':<{width}}  Verified  Disputed{heads}  Notes"]
    for name, r in zip(names, report.reviewers, strict=True):
        given = dict(r.others)
        cells = "".join(f"  {given.get(s, 0):>{_width(s)}}" for s in others)
        lines.append(f"{name:<{width}}  {r.verified:>8}  {r.disputed:>8}{cells}  {r.notes:>5}")
    lines.append("")
    if not report.pairs:
        lines.append("One reviewer only: no agreement to measure.")
    else:
        lines.append("Agreement (Cohen's kappa over the claims both reviewers gave a verdict on):")
        for pair in report.pairs:
            a, b = clean(pair.a) or "(no name)", clean(pair.b) or "(no name)"
            if not pair.claims:
                lines.append(f"  {a} / {b}: no claim marked by both")
                continue
            plural = "s" if pair.claims != 1 else ""
            lines.append(
                f"  {a} / {b}: kappa {_kappa_text(pair.kappa)} over {pair.claims} claim{plural}"
                f" ({pair.agreed} agreed, {pair.claims - pair.agreed} disagreed)"
            )
        lines.append(f"Claims with differing verdicts: {report.disagreements}")
    return "\n".join(lines) + "\n"


def agreement_json(report: AgreementReport, clean: Callable[[str], str] = str) -> dict[str, Any]:
    """The same as JSON: ``{"reviewers": {...}, "pairs": [...], "disagreements": n}``."""
    return {
        "reviewers": {
            clean(r.reviewer): {
                "verified": r.verified,
                "disputed": r.disputed,
                **{status.value: count for status, count in r.others},
                "notes": r.notes,
            }
            for r in report.reviewers
        },
        "pairs": [
            {
                "a": clean(p.a),
                "b": clean(p.b),
                "claims": p.claims,
                "agreed": p.agreed,
                "observed": None if p.observed is None else round(p.observed, 4),
                "kappa": None if p.kappa is None else round(p.kappa, 4),
            }
            for p in report.pairs
        ],
        "disagreements": report.disagreements,
    }


def agreement_markdown(report: AgreementReport) -> str:
    """A small "Agreement between reviewers" section for the brief (CommonMark + GFM tables)."""
    from factdesk.annotations.text.markdown import clean_text, escape_table_cell

    blocks = ["## Agreement between reviewers"]
    if not report.reviewers:
        blocks.append("No marks yet.")
        return "\n\n".join(blocks) + "\n"
    others = _other_columns(report)
    heads = "".join(f" {escape_table_cell(verdict_label(s))} |" for s in others)
    rows = [
        f"| Reviewer | Verified | Disputed |{heads} Notes |",
        "| --- | ---: | ---: |" + " ---: |" * len(others) + " ---: |",
    ]
    for r in report.reviewers:
        name = escape_table_cell(clean_text(r.reviewer)) or "(no name)"
        given = dict(r.others)
        cells = "".join(f" {given.get(s, 0)} |" for s in others)
        rows.append(f"| {name} | {r.verified} | {r.disputed} |{cells} {r.notes} |")
    blocks.append("\n".join(rows))
    if not report.pairs:
        blocks.append("One reviewer only: no agreement to measure.")
        return "\n\n".join(blocks) + "\n"
    rows = ["| Reviewers | Claims both marked | Agreed | Cohen's kappa |", "| --- | ---: | ---: | ---: |"]
    for p in report.pairs:
        a = escape_table_cell(clean_text(p.a)) or "(no name)"
        b = escape_table_cell(clean_text(p.b)) or "(no name)"
        names = f"{a} / {b}"
        rows.append(f"| {names} | {p.claims} | {p.agreed} | {_kappa_text(p.kappa)} |")
    blocks.append("\n".join(rows))
    blocks.append(f"Claims with differing verdicts: {report.disagreements}.")
    return "\n\n".join(blocks) + "\n"
