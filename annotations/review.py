"""A review session: one corpus analysis plus the marks in one store, joined claim by claim.

The reader and ``factdesk export`` both go through this class, so the screen and the
exported brief can never disagree about which mark belongs to which claim. Every
change goes to the store first (on disk) and only then into the in-memory view.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from annotations.anchor import attach_marks, make_anchor
from annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark, Sentence, Status
from annotations.store import Store


@dataclass(frozen=True)
class Counts:
    verified: int
    disputed: int
    claims: int


class Review:
    def __init__(self, analysis: CorpusAnalysis, store: Store, reviewer: str) -> None:
        self.analysis = analysis
        self.store = store
        self.reviewer = reviewer
        self._marks: dict[ClaimRef, Mark] = {}
        self.orphans: list[Mark] = []
        self.reload()

    # --- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-attach every stored mark to the current claims (after a store or corpus change)."""
        marks: dict[ClaimRef, Mark] = {}
        orphans: list[Mark] = []
        for article in self.analysis.articles:
            claims = article.claims
            attached, lost = attach_marks(
                self.store.marks(article.article.id), article.article.text, [(s.start, s.end) for s in claims]
            )
            for position, mark in attached.items():
                marks[ClaimRef(article.article.id, claims[position].index)] = mark
            orphans.extend(lost)
        self._marks = marks
        self.orphans = orphans

    def mark(self, ref: ClaimRef) -> Mark | None:
        return self._marks.get(ref)

    def marks(self) -> dict[ClaimRef, Mark]:
        return dict(self._marks)

    def status(self, ref: ClaimRef) -> Status:
        mark = self._marks.get(ref)
        return mark.status if mark else Status.UNREVIEWED

    def counts(self, article_id: str) -> Counts:
        article = self.analysis.by_id(article_id)
        claims = article.claims if article else ()
        statuses = [self.status(ClaimRef(article_id, s.index)) for s in claims]
        return Counts(statuses.count(Status.VERIFIED), statuses.count(Status.DISPUTED), len(claims))

    def _claim(self, ref: ClaimRef) -> tuple[ArticleAnalysis, Sentence]:
        article = self.analysis.by_id(ref.article)
        if article is None or not (0 <= ref.sentence < len(article.sentences)):
            raise KeyError(ref)
        sentence = article.sentences[ref.sentence]
        if sentence.kind != "claim":
            raise KeyError(ref)
        return article, sentence

    def _anchor(self, ref: ClaimRef):
        existing = self._marks.get(ref)
        if existing is not None:
            return existing.anchor
        article, sentence = self._claim(ref)
        return make_anchor(article.article.text, sentence.start, sentence.end)

    # --- changing (store first, then memory) -------------------------------------------------

    def set_status(self, ref: ClaimRef, status: Status) -> Mark | None:
        if status is Status.UNREVIEWED:
            return self.clear(ref)
        mark = self.store.set_status(ref.article, self._anchor(ref), status, self.reviewer)
        self._marks[ref] = mark
        return mark

    def set_note(self, ref: ClaimRef, note: str) -> Mark | None:
        mark = self.store.set_note(ref.article, self._anchor(ref), note, self.reviewer)
        if mark.status is Status.UNREVIEWED and not mark.note:
            self._marks.pop(ref, None)
            return None
        self._marks[ref] = mark
        return mark

    def clear(self, ref: ClaimRef) -> Mark | None:
        if ref not in self._marks:
            return None
        mark = self.store.clear(ref.article, self._anchor(ref), self.reviewer)
        if mark is None:
            self._marks.pop(ref, None)
        else:
            self._marks[ref] = mark
        return mark

    # --- export --------------------------------------------------------------------------------

    def brief_markdown(self, include_unreviewed: bool = False, today: datetime.date | None = None) -> str:
        from annotations.brief import render_markdown

        return render_markdown(self._brief(include_unreviewed, today))

    def brief_json(self, include_unreviewed: bool = False, today: datetime.date | None = None) -> str:
        from annotations.brief import render_json

        return render_json(self._brief(include_unreviewed, today))

    def _brief(self, include_unreviewed: bool, today: datetime.date | None):
        from annotations.brief import build_brief

        return build_brief(self.analysis, self._marks, include_unreviewed=include_unreviewed, today=today)
