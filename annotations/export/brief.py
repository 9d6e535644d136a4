"""The reviewed brief as data: what a reviewer hands on after going through a corpus.

The export is split by job so that Markdown and JSON cannot disagree about which
claims are in the brief: :func:`factdesk.annotations.export.build.build_brief` turns
the analysis plus the reviewers' marks into a :class:`Brief` — plain, already-cleaned
data in article and sentence order — and the renderers
(:mod:`factdesk.annotations.export.brief_markdown`,
:mod:`factdesk.annotations.export.brief_json`) only format it. Later additions
("also reported by", differing figures, orphan marks) are fields here rather than
special cases in two renderers. :mod:`factdesk.annotations.export.briefs` renders
the brief of a :class:`~factdesk.annotations.review.review.Review` session.

All text in a ``Brief`` built by ``build_brief`` has been through
:func:`factdesk.annotations.text.markdown.clean_text` (control and bidi characters
neutralised), so neither export can carry terminal escape sequences; the Markdown
renderer additionally escapes it so it renders as the literal text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from factdesk.annotations.export.brief_evidence import BriefEvidence
from factdesk.annotations.export.brief_fragments import BriefFragment
from factdesk.annotations.export.brief_quotes import BriefQuotePair
from factdesk.annotations.model import ClaimRef, NumberValue, Status

__all__ = [
    "Brief",
    "BriefClaim",
    "BriefConflict",
    "BriefFigure",
    "BriefFigureRow",
    "BriefOrphan",
    "BriefOutletFigures",
    "BriefRowFigure",
    "BriefSource",
    "BriefVerdict",
]


@dataclass(frozen=True)
class BriefSource:
    """One article of the corpus and its review counts (one row of the summary table)."""

    article_id: str
    source: str
    title: str
    file_name: str
    claims: int = 0
    verified: int = 0
    disputed: int = 0
    # What the text says about itself (annotations/text/outlet.py); "" when it says nothing.
    date: str = ""
    url: str = ""
    wire: str = ""
    outlet_source: str = ""
    others: tuple[tuple[Status, int], ...] = ()  # the rest of the scale (misleading, …), in its order, all of it
    language: str = "en"  # the article's language (annotations/text/language.py): not "en", its names are not read

    @property
    def unreviewed(self) -> int:
        return self.claims - self.verified - self.disputed - sum(count for _, count in self.others)

    def count(self, status: Status) -> int:
        return {Status.VERIFIED: self.verified, Status.DISPUTED: self.disputed, **dict(self.others)}.get(status, 0)


@dataclass(frozen=True)
class BriefVerdict:
    """One reviewer's mark on a claim: several reviewers' marks sit side by side, never merged into one."""

    reviewer: str
    status: Status
    note: str = ""
    updated: str = ""


@dataclass(frozen=True)
class BriefClaim:
    """A claim as it appears in the brief: verbatim text, where it is from, the verdict.

    ``status``/``note``/``reviewer``/``updated`` are the mark the reader shows (the current reviewer's own, else
    the most recent), which decides the claim's section; ``verdicts`` is every reviewer's mark on it.
    ``claim_number`` is what people read — the claim's 1-based place among its article's claims, as the reader's
    "Claim 3 of 20" — while ``sentence_index`` (headings and boilerplate included) addresses it for tools.
    """

    article_id: str
    sentence_index: int
    source: str
    article_title: str
    file_name: str
    text: str
    status: Status
    note: str = ""
    reviewer: str = ""
    updated: str = ""  # ISO 8601 as stored on the mark
    also_reported_by: tuple[str, ...] = ()  # seam: other sources carrying the same claim
    claim_number: int = 0  # 1-based among the article's claims; 0 when unknown (a hand-built claim)
    verdicts: tuple[BriefVerdict, ...] = ()  # every reviewer's mark, sorted by reviewer
    evidence: tuple[BriefEvidence, ...] = ()  # every reviewer's URLs, citations, typed links (brief_evidence.py)
    final: BriefVerdict | None = None  # a curator's final verdict (reviewer: the curator, note: the reason)
    fragments: tuple[BriefFragment, ...] = ()  # fragment marks on part of the claim (brief_fragments.py)

    @property
    def ref(self) -> ClaimRef:
        return ClaimRef(self.article_id, self.sentence_index)

    @property
    def contested(self) -> bool:
        """Reviewers gave different verdicts (a note without a verdict is not a vote)."""
        return len({v.status for v in self.verdicts if v.status is not Status.UNREVIEWED}) > 1


@dataclass(frozen=True)
class BriefFigure:
    """One side of a figure that differs between sources."""

    article_id: str
    sentence_index: int
    source: str
    figure: str  # the number as written, e.g. "nearly 300,000"
    value: NumberValue
    unit: str | None = None
    claim_text: str = ""
    claim_number: int = 0  # 1-based among the article's claims; 0 when the sentence is not a claim


@dataclass(frozen=True)
class BriefConflict:
    """A fact the sources give different figures for, with each source's figure."""

    summary: str
    figures: tuple[BriefFigure, ...]


@dataclass(frozen=True)
class BriefRowFigure:
    """One figure of one outlet in a row of "Figures across sources" (see ``review/figure_table.py``)."""

    article_id: str
    sentence_index: int
    value: str  # with its bound and unit: "nearly 300,000"
    figure: str  # the number as written
    low: float
    high: float
    bound: str = ""
    time: str = ""
    attribution: str = ""
    claim_number: int = 0
    in_conflict: bool = False


@dataclass(frozen=True)
class BriefOutletFigures:
    """An outlet's figures in one row; ``copy_of`` names the outlet whose story it copies ("" when none)."""

    article_id: str
    source: str
    figures: tuple[BriefRowFigure, ...]
    copy_of: str = ""


@dataclass(frozen=True)
class BriefFigureRow:
    """One measure × scope across the outlets that give it, and whether (and why) their figures differ."""

    measure: str
    scope: str
    outlets: tuple[BriefOutletFigures, ...]  # only outlets that give a figure here, in corpus order
    independent: int
    conflict: bool = False
    explanation: str = ""  # "none", "time", "source", "time+source"; "" without a conflict
    explanation_text: str = ""  # the explanation in words


@dataclass(frozen=True)
class BriefOrphan:
    """A mark whose claim could not be found in this corpus; kept so no verdict is lost."""

    article_id: str
    source: str  # "" when the article is not in the corpus either
    article_title: str
    quote: str
    status: Status
    note: str = ""
    reviewer: str = ""
    updated: str = ""


@dataclass(frozen=True)
class Brief:
    """The whole brief, in article then sentence order; what both renderers format."""

    title: str
    date: datetime.date
    reviewers: tuple[str, ...]
    sources: tuple[BriefSource, ...]
    verified: tuple[BriefClaim, ...]
    disputed: tuple[BriefClaim, ...]
    unreviewed_count: int
    include_unreviewed: bool = False
    unreviewed: tuple[BriefClaim, ...] = ()  # filled only when include_unreviewed
    conflicts: tuple[BriefConflict, ...] = ()
    orphans: tuple[BriefOrphan, ...] = ()
    key_figures: tuple[BriefFigure, ...] = ()  # every figure stated in a claim, per source in reading order
    contested: tuple[BriefClaim, ...] = ()  # every claim reviewers gave different verdicts on, in reading order
    figures_across_sources: tuple[BriefFigureRow, ...] = ()  # the figure board: conflicts, then most outlets
    quotes: tuple[BriefQuotePair, ...] = ()  # one speaker quoted in differing words (export/brief_quotes.py)
    corpus: str = ""  # the corpus key, so a later export recognises its own previous brief ("" for none)
    for_reviewer: str | None = None  # set when the brief holds one reviewer's marks only
    other_reviewers: tuple[str, ...] = ()  # with ``for_reviewer``: whose marks were left out
    # The claims of every verdict beyond verified and disputed, in scale order (each verdict, its claims or none).
    others: tuple[tuple[Status, tuple[BriefClaim, ...]], ...] = ()
    evidence_only: tuple[BriefClaim, ...] = ()  # claims with evidence but no verdict (not listed elsewhere)
    fragment_only: tuple[BriefClaim, ...] = ()  # claims with fragment marks only (no verdict, no evidence)

    def used_others(self) -> list[Status]:
        """The verdicts beyond verified and disputed that some claim has (a section, a column, a count each; a brief
        without any reads as it always did)."""
        return [status for status, claims in self.others if claims or any(s.count(status) for s in self.sources)]

    def claims_of(self, status: Status) -> tuple[BriefClaim, ...]:
        """The claims the brief lists under ``status`` (verified, disputed or another verdict of the scale)."""
        return {Status.VERIFIED: self.verified, Status.DISPUTED: self.disputed, **dict(self.others)}.get(status, ())

    @property
    def total_claims(self) -> int:
        return sum(s.claims for s in self.sources)
