"""The brief of a review session, rendered: what ``factdesk export`` and the reader's ``e`` write.

Takes a :class:`~factdesk.annotations.review.review.Review` — the marks the reader
shows, every reviewer's verdicts beside them, its orphans, and (optionally) the
agreement section — and builds the :class:`~factdesk.annotations.export.brief.Brief`
with :func:`~factdesk.annotations.export.build.build_brief`, so the screen and the
exported brief can never disagree. A merged database's brief names every reviewer and
shows each one's verdict and note where they differ; ``reviewer=NAME`` gives one
reviewer's brief (only NAME's marks). Lives in the export layer because it reads the
review layer (never the other way round).
"""

from __future__ import annotations

import datetime

from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.export.brief import Brief, BriefClaim
from factdesk.annotations.export.brief_json import brief_document, claim_json, json_text
from factdesk.annotations.export.brief_markdown import render_contested_table, render_markdown
from factdesk.annotations.export.build import build_brief
from factdesk.annotations.model import ClaimRef, Mark
from factdesk.annotations.review.agreement import agreement_json, agreement_markdown
from factdesk.annotations.review.review import Review
from factdesk.annotations.text.markdown import clean_text

__all__ = ["UnknownReviewer", "brief_json", "brief_markdown", "marking_reviewers", "review_brief"]


class UnknownReviewer(ValueError):
    """``reviewer=NAME`` named nobody with marks in this review; ``known`` lists who has some."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        who = ", ".join(known) if known else "none yet"
        super().__init__(f"no marks by {name} on this corpus; reviewers with marks: {who}")


def marking_reviewers(review: Review) -> list[str]:
    """Everyone with a mark on this corpus — on a claim, or an orphan — sorted."""
    names = set(review.reviewers()) | {mark.reviewer for mark in review.orphans if mark.reviewer}
    names |= {fragment.mark.reviewer for fragment in review.fragments.all() if fragment.mark.reviewer}
    return sorted(names, key=lambda r: (r.casefold(), r))


def _every_verdict(review: Review) -> dict[ClaimRef, dict[str, Mark]]:
    """``{claim: {reviewer: mark}}`` over every marked claim (the shown marks' claims are exactly those)."""
    return {ref: review.verdicts(ref) for ref in review.marks()}


def review_brief(
    review: Review,
    include_unreviewed: bool = False,
    today: datetime.date | None = None,
    *,
    reviewer: str | None = None,
) -> Brief:
    """The brief of ``review``: each claim's shown mark and every reviewer's verdict, its orphans, who else
    reported each claim.

    ``reviewer`` narrows it to that reviewer's marks (and orphans); raises :class:`UnknownReviewer` when they have
    none on this corpus.
    """
    verdicts = _every_verdict(review)
    orphans = review.orphans
    others: list[str] = []
    if reviewer is None:
        marks = review.marks()
    else:
        known = marking_reviewers(review)
        if reviewer not in known:
            raise UnknownReviewer(reviewer, known)
        others = [name for name in known if name != reviewer]
        verdicts = {ref: {reviewer: on[reviewer]} for ref, on in verdicts.items() if reviewer in on}
        marks = {ref: on[reviewer] for ref, on in verdicts.items()}
        orphans = [mark for mark in orphans if mark.reviewer == reviewer]
    fragments: dict[ClaimRef, list[tuple[Mark, tuple[int, int]]]] = {}
    for fragment in review.fragments.all():  # under their home claim (a two-sentence one: its first sentence)
        if reviewer is None or fragment.mark.reviewer == reviewer:
            fragments.setdefault(fragment.ref, []).append((fragment.mark, fragment.span))
    cross = CrossIndex(review.analysis)
    also = {ref: cross.independent_sources(ref) for ref in marks if cross.matches(ref)}  # copies shown as copies
    return build_brief(
        review.analysis,
        marks,
        include_unreviewed=include_unreviewed,
        today=today,
        orphans=orphans,
        also_reported_by=also,
        verdicts=verdicts,
        for_reviewer=reviewer,
        other_reviewers=others,
        finals=review.finals(),
        fragments=fragments,
    )


def _contested(review: Review, brief: Brief) -> tuple[BriefClaim, ...]:
    """Every claim reviewers differ on — from the whole review, also when ``brief`` is one reviewer's."""
    if brief.for_reviewer is None:
        return brief.contested
    return build_brief(review.analysis, review.marks(), today=brief.date, verdicts=_every_verdict(review)).contested


def brief_markdown(
    review: Review,
    include_unreviewed: bool = False,
    today: datetime.date | None = None,
    *,
    agreement: bool = False,
    reviewer: str | None = None,
) -> str:
    """The Markdown brief of ``review``; ``agreement`` adds the "Agreement between reviewers" section.

    That section ends with a table of the claims reviewers differ on, each reviewer's verdict and note in a column.
    """
    brief = review_brief(review, include_unreviewed, today, reviewer=reviewer)
    text = render_markdown(brief)
    if agreement:
        text += "\n" + agreement_markdown(review.agreement())
        table = render_contested_table(_contested(review, brief))
        if table:
            text += "\n### Claims with differing verdicts\n\n" + table + "\n"
    return text


def brief_json(
    review: Review,
    include_unreviewed: bool = False,
    today: datetime.date | None = None,
    *,
    agreement: bool = False,
    reviewer: str | None = None,
) -> str:
    """The JSON brief of ``review``; ``agreement`` adds an ``"agreement"`` key after the brief's own.

    Beside the counts and kappas, ``agreement.contested`` lists the claims reviewers differ on with every verdict.
    """
    brief = review_brief(review, include_unreviewed, today, reviewer=reviewer)
    document = brief_document(brief)
    if agreement:
        section = agreement_json(review.agreement(), clean=clean_text)
        section["contested"] = [claim_json(c) for c in _contested(review, brief)]  # built clean (build_brief)
        document["agreement"] = section
    return json_text(document)
