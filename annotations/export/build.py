"""Building a :class:`~factdesk.annotations.export.brief.Brief` from a corpus analysis and marks.

This is the one place that decides what the brief contains — which claims count as
verified, disputed or unreviewed, which marks are orphans, which figures differ — and
it cleans every piece of outside text on the way in (``clean_text``), so the
renderers in :mod:`factdesk.annotations.export.brief_markdown` and
:mod:`factdesk.annotations.export.brief_json` only format and cannot disagree.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence

from factdesk.annotations.export.brief import Brief, BriefClaim, BriefConflict, BriefFigure, BriefOrphan, BriefSource
from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark, Status
from factdesk.annotations.text.markdown import clean_text

__all__ = ["build_brief"]


def _default_title(corpus: CorpusAnalysis) -> str:
    """Name the brief after the first article; say how many others it covers."""
    if not corpus.articles:
        return "Reviewed brief"
    first = corpus.articles[0].article
    name = clean_text(first.title.strip() or first.path.name)
    others = len(corpus.articles) - 1
    if others == 0:
        return f"Reviewed brief: {name}"
    return f"Reviewed brief: {name} and {others} other article{'s' if others > 1 else ''}"


def _status(mark: Mark) -> Status:
    return Status(mark.status)


def _claim(analysis: ArticleAnalysis, index: int, text: str, mark: Mark | None, also: Sequence[str]) -> BriefClaim:
    article = analysis.article
    return BriefClaim(
        article_id=clean_text(article.id),
        sentence_index=index,
        source=clean_text(article.source),
        article_title=clean_text(article.title),
        file_name=clean_text(article.path.name),
        text=clean_text(text),
        status=_status(mark) if mark else Status.UNREVIEWED,
        note=clean_text(mark.note) if mark else "",
        reviewer=clean_text(mark.reviewer) if mark else "",
        updated=clean_text(mark.updated) if mark else "",
        also_reported_by=tuple(clean_text(s) for s in also),
    )


def _orphan(mark: Mark, corpus: CorpusAnalysis) -> BriefOrphan:
    analysis = corpus.by_id(mark.article_id)
    return BriefOrphan(
        article_id=clean_text(mark.article_id),
        source=clean_text(analysis.article.source) if analysis else "",
        article_title=clean_text(analysis.article.title) if analysis else "",
        quote=clean_text(mark.anchor.quote),
        status=_status(mark),
        note=clean_text(mark.note),
        reviewer=clean_text(mark.reviewer),
        updated=clean_text(mark.updated),
    )


def _conflicts(corpus: CorpusAnalysis) -> tuple[BriefConflict, ...]:
    out = []
    for conflict in corpus.conflicts:
        figures = []
        for mention in conflict.mentions:
            analysis = corpus.by_id(mention.ref.article)
            source, claim_text = "", ""
            if analysis is not None:
                source = analysis.article.source
                sentence = next((s for s in analysis.sentences if s.index == mention.ref.sentence), None)
                if sentence is not None:
                    claim_text = analysis.sentence_text(sentence)
            number = mention.number
            figures.append(
                BriefFigure(
                    article_id=clean_text(mention.ref.article),
                    sentence_index=mention.ref.sentence,
                    source=clean_text(source),
                    figure=clean_text(number.text),
                    value=number.value,
                    unit=clean_text(number.unit) if number.unit else None,
                    claim_text=clean_text(claim_text),
                )
            )
        out.append(BriefConflict(summary=clean_text(conflict.summary), figures=tuple(figures)))
    return tuple(out)


def _key_figures(corpus: CorpusAnalysis) -> tuple[BriefFigure, ...]:
    """The numbers each source gives in its claims (ranks such as "third-largest" left out)."""
    figures = []
    for analysis in corpus.articles:
        claims = [s for s in analysis.sentences if s.kind == "claim"]
        starts = [s.start for s in claims]
        for number in analysis.numbers:
            position = bisect_right(starts, number.start) - 1
            if position < 0 or number.end > claims[position].end or number.unit == "rank":
                continue
            sentence = claims[position]
            figures.append(
                BriefFigure(
                    article_id=clean_text(analysis.article.id),
                    sentence_index=sentence.index,
                    source=clean_text(analysis.article.source),
                    figure=clean_text(number.text),
                    value=number.value,
                    unit=clean_text(number.unit) if number.unit else None,
                    claim_text=clean_text(analysis.sentence_text(sentence)),
                )
            )
    return tuple(figures)


def build_brief(
    corpus: CorpusAnalysis,
    marks: Mapping[ClaimRef, Mark],
    *,
    include_unreviewed: bool = False,
    title: str | None = None,
    today: datetime.date | None = None,
    orphans: Iterable[Mark] = (),
    also_reported_by: Mapping[ClaimRef, Sequence[str]] | None = None,
) -> Brief:
    """Collect the brief's content in article order, then sentence order.

    A claim counts as verified/disputed when its mark says so; a mark with
    status ``UNREVIEWED`` (a note without a verdict) leaves the claim unreviewed.
    Marks keyed to a ref that is not a claim of this corpus (article gone,
    sentence missing or not of kind ``"claim"``) join ``orphans`` in the
    appendix rather than vanish from the export.

    ``also_reported_by`` is the seam for cross-source matching: source names per
    claim, shown under verified claims. Conflicts come from ``corpus.conflicts``.
    """
    also = also_reported_by or {}
    order = {a.article.id: i for i, a in enumerate(corpus.articles)}
    claim_refs: set[ClaimRef] = set()
    sources: list[BriefSource] = []
    verified: list[BriefClaim] = []
    disputed: list[BriefClaim] = []
    unreviewed: list[BriefClaim] = []
    unreviewed_count = 0
    reviewers: set[str] = set()

    for analysis in corpus.articles:
        article = analysis.article
        counts = {Status.VERIFIED: 0, Status.DISPUTED: 0, Status.UNREVIEWED: 0}
        claims = sorted(analysis.claims, key=lambda s: s.index)
        for sentence in claims:
            ref = ClaimRef(article.id, sentence.index)
            claim_refs.add(ref)
            mark = marks.get(ref)
            status = _status(mark) if mark else Status.UNREVIEWED
            counts[status] += 1
            if mark is not None and mark.reviewer.strip() and status is not Status.UNREVIEWED:
                reviewers.add(clean_text(mark.reviewer.strip()))
            if status is Status.UNREVIEWED:
                unreviewed_count += 1
                if not include_unreviewed:
                    continue
            claim = _claim(analysis, sentence.index, analysis.sentence_text(sentence), mark, also.get(ref, ()))
            {Status.VERIFIED: verified, Status.DISPUTED: disputed, Status.UNREVIEWED: unreviewed}[status].append(claim)
        sources.append(
            BriefSource(
                article_id=clean_text(article.id),
                source=clean_text(article.source),
                title=clean_text(article.title),
                file_name=clean_text(article.path.name),
                claims=len(claims),
                verified=counts[Status.VERIFIED],
                disputed=counts[Status.DISPUTED],
            )
        )

    lost = [mark for ref, mark in marks.items() if ref not in claim_refs]
    all_orphans = [*orphans, *lost]
    # Follow the articles, then the position of the quote; unknown articles last.
    all_orphans.sort(key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.anchor.start))
    for mark in all_orphans:
        if mark.reviewer.strip() and _status(mark) is not Status.UNREVIEWED:
            reviewers.add(clean_text(mark.reviewer.strip()))

    return Brief(
        title=clean_text(title) if title and title.strip() else _default_title(corpus),
        date=today or datetime.date.today(),
        reviewers=tuple(sorted(reviewers, key=lambda r: (r.casefold(), r))),
        sources=tuple(sources),
        verified=tuple(verified),
        disputed=tuple(disputed),
        unreviewed_count=unreviewed_count,
        include_unreviewed=include_unreviewed,
        unreviewed=tuple(unreviewed),
        conflicts=_conflicts(corpus),
        orphans=tuple(_orphan(m, corpus) for m in all_orphans),
        key_figures=_key_figures(corpus),
    )
