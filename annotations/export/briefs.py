"""The brief of a review session, rendered: what ``factdesk export`` and the reader's ``e`` write.

Takes a :class:`~factdesk.annotations.review.review.Review` — the marks the reader
shows, its orphans, and (optionally) every reviewer's verdicts for the agreement
section — and builds the :class:`~factdesk.annotations.export.brief.Brief` with
:func:`~factdesk.annotations.export.build.build_brief`, so the screen and the
exported brief can never disagree. Lives in the export layer because it reads the
review layer (never the other way round).
"""

from __future__ import annotations

import datetime

from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.export.brief import Brief
from factdesk.annotations.export.brief_json import brief_document, json_text
from factdesk.annotations.export.brief_markdown import render_markdown
from factdesk.annotations.export.build import build_brief
from factdesk.annotations.review.agreement import agreement_json, agreement_markdown
from factdesk.annotations.review.review import Review
from factdesk.annotations.text.markdown import clean_text

__all__ = ["brief_json", "brief_markdown", "review_brief"]


def review_brief(review: Review, include_unreviewed: bool = False, today: datetime.date | None = None) -> Brief:
    """The brief of ``review``: the shown mark of each claim, its orphans, and who else reported each claim."""
    marks = review.marks()
    cross = CrossIndex(review.analysis)
    also = {ref: cross.other_sources(ref) for ref in marks if cross.matches(ref)}
    return build_brief(
        review.analysis,
        marks,
        include_unreviewed=include_unreviewed,
        today=today,
        orphans=review.orphans,
        also_reported_by=also,
    )


def brief_markdown(
    review: Review, include_unreviewed: bool = False, today: datetime.date | None = None, *, agreement: bool = False
) -> str:
    """The Markdown brief of ``review``; ``agreement`` adds the "Agreement between reviewers" section."""
    text = render_markdown(review_brief(review, include_unreviewed, today))
    if agreement:
        text += "\n" + agreement_markdown(review.agreement())
    return text


def brief_json(
    review: Review, include_unreviewed: bool = False, today: datetime.date | None = None, *, agreement: bool = False
) -> str:
    """The JSON brief of ``review``; ``agreement`` adds an ``"agreement"`` key after the brief's own."""
    document = brief_document(review_brief(review, include_unreviewed, today))
    if agreement:
        document["agreement"] = agreement_json(review.agreement(), clean=clean_text)
    return json_text(document)
