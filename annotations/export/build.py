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
from dataclasses import replace

from factdesk.annotations.export.brief import (
    Brief,
    BriefClaim,
    BriefConflict,
    BriefFigure,
    BriefFigureRow,
    BriefOrphan,
    BriefOutletFigures,
    BriefRowFigure,
    BriefSource,
    BriefVerdict,
)
from factdesk.annotations.export.brief_evidence import carries_evidence, claim_evidence
from factdesk.annotations.export.brief_files import corpus_key
from factdesk.annotations.export.brief_fragments import claim_fragments
from factdesk.annotations.export.brief_quotes import brief_quote_pairs
from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark, Status
from factdesk.annotations.review.adjudication import curator_of
from factdesk.annotations.review.claim_numbers import ClaimNumbers, claim_numbers
from factdesk.annotations.review.figure_table import FigureEntry, figure_table
from factdesk.annotations.review.verdicts import PRIMARY, VERDICTS
from factdesk.annotations.text.language import language_of
from factdesk.annotations.text.markdown import clean_text

_OTHER_VERDICTS = tuple(status for status in VERDICTS if status not in PRIMARY)  # each its own brief section

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


def _reviewer_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def _verdict(mark: Mark) -> BriefVerdict:
    return BriefVerdict(
        reviewer=clean_text(mark.reviewer),
        status=_status(mark),
        note=clean_text(mark.note),
        updated=clean_text(mark.updated),
    )


def _claim(
    analysis: ArticleAnalysis,
    index: int,
    text: str,
    mark: Mark | None,
    also: Sequence[str],
    number: int = 0,
    verdicts: Mapping[str, Mark] | None = None,
    final: Mark | None = None,
) -> BriefClaim:
    """The claim with its shown ``mark``; ``verdicts`` (every reviewer's mark) defaults to that one mark; ``final``
    (a curator's final verdict) decides its section."""
    article = analysis.article
    shown = _verdict(mark) if mark is not None else None
    every: tuple[BriefVerdict, ...]
    if verdicts is None or (len(verdicts) == 1 and mark is not None and mark in verdicts.values()):
        every = (shown,) if shown is not None else ()  # cleaned once (the usual, one-reviewer case)
    else:
        ordered = sorted(verdicts.items(), key=lambda item: _reviewer_order(item[0]))
        every = tuple(_verdict(m) for _, m in ordered)
    return BriefClaim(
        article_id=clean_text(article.id),
        sentence_index=index,
        source=clean_text(article.source),
        article_title=clean_text(article.title),
        file_name=clean_text(article.path.name),
        text=clean_text(text),
        status=_status(final) if final else shown.status if shown else Status.UNREVIEWED,
        note=shown.note if shown else "",
        reviewer=shown.reviewer if shown else "",
        updated=shown.updated if shown else "",
        also_reported_by=tuple(clean_text(s) for s in also),
        claim_number=number,
        verdicts=every,
        final=_final(final) if final else None,
    )


def _final(mark: Mark) -> BriefVerdict:
    """A final verdict as the brief shows it: the curator's name (not its stored form), the reason as its note."""
    return BriefVerdict(
        reviewer=clean_text(curator_of(mark)), status=_status(mark), note=clean_text(mark.note), updated=mark.updated
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
    numbers: dict[str, dict[int, int]] = {}
    for conflict in corpus.conflicts:
        figures = []
        for mention in conflict.mentions:
            analysis = corpus.by_id(mention.ref.article)
            source, claim_text, number_of_claim = "", "", 0
            if analysis is not None:
                source = analysis.article.source
                sentence = analysis.sentence(
                    mention.ref.sentence
                )  # (a scan of every sentence per figure was quadratic)
                if sentence is not None:
                    claim_text = analysis.sentence_text(sentence)
                by_index = numbers.setdefault(analysis.article.id, claim_numbers(analysis))
                number_of_claim = by_index.get(mention.ref.sentence, 0)
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
                    claim_number=number_of_claim,
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
        numbers = claim_numbers(analysis)
        texts: dict[int, str] = {}  # a claim's cleaned text, once: a long claim may hold thousands of figures
        for number in analysis.numbers:
            position = bisect_right(starts, number.start) - 1
            if position < 0 or number.end > claims[position].end or number.unit == "rank":
                continue
            sentence = claims[position]
            if sentence.index not in texts:
                texts[sentence.index] = clean_text(analysis.sentence_text(sentence))
            figures.append(
                BriefFigure(
                    article_id=clean_text(analysis.article.id),
                    sentence_index=sentence.index,
                    source=clean_text(analysis.article.source),
                    figure=clean_text(number.text),
                    value=number.value,
                    unit=clean_text(number.unit) if number.unit else None,
                    claim_text=texts[sentence.index],
                    claim_number=numbers.get(sentence.index, 0),
                )
            )
    return tuple(figures)


def _row_figure(entry: FigureEntry, numbers: ClaimNumbers) -> BriefRowFigure:
    return BriefRowFigure(
        article_id=clean_text(entry.ref.article),
        sentence_index=entry.ref.sentence,
        value=clean_text(entry.value),
        figure=clean_text(entry.written),
        low=entry.low,
        high=entry.high,
        bound=clean_text(entry.bound),
        time=clean_text(entry.time),
        attribution=clean_text(entry.attribution),
        claim_number=numbers(entry.ref) or 0,
        in_conflict=entry.in_conflict,
    )


def _figures_across_sources(corpus: CorpusAnalysis) -> tuple[BriefFigureRow, ...]:
    """The figure board (``review/figure_table.py``): each measure × scope, each outlet's figures, conflicts."""
    table = figure_table(corpus)
    if not table.rows:
        return ()
    numbers = ClaimNumbers(corpus)
    outlet_of = {column.article_id: column.outlet for column in table.columns}
    rows = []
    for row in table.rows:
        outlets = tuple(
            BriefOutletFigures(
                article_id=clean_text(column.article_id),
                source=clean_text(column.outlet),
                figures=tuple(_row_figure(entry, numbers) for entry in cell),
                copy_of=clean_text(outlet_of.get(column.copy_of, column.copy_of)) if column.copy_of else "",
            )
            for column, cell in zip(table.columns, row.cells, strict=True)
            if cell
        )
        rows.append(
            BriefFigureRow(
                measure=clean_text(row.measure),
                scope=clean_text(row.scope),
                outlets=outlets,
                independent=row.independent,
                conflict=row.conflict,
                explanation=row.explanation,
                explanation_text=clean_text(row.explanation_line),
            )
        )
    return tuple(rows)


def build_brief(
    corpus: CorpusAnalysis,
    marks: Mapping[ClaimRef, Mark],
    *,
    include_unreviewed: bool = False,
    title: str | None = None,
    today: datetime.date | None = None,
    orphans: Iterable[Mark] = (),
    also_reported_by: Mapping[ClaimRef, Sequence[str]] | None = None,
    verdicts: Mapping[ClaimRef, Mapping[str, Mark]] | None = None,
    for_reviewer: str | None = None,
    other_reviewers: Sequence[str] = (),
    finals: Mapping[ClaimRef, Mark] | None = None,
    fragments: Mapping[ClaimRef, Sequence[tuple[Mark, tuple[int, int]]]] | None = None,
) -> Brief:
    """Collect the brief's content in article order, then sentence order.

    A claim counts as verified/disputed when its mark says so; a mark with
    status ``UNREVIEWED`` (a note without a verdict) leaves the claim unreviewed.
    Marks keyed to a ref that is not a claim of this corpus (article gone,
    sentence missing or not of kind ``"claim"``) join ``orphans`` in the
    appendix rather than vanish from the export.

    ``also_reported_by`` is the seam for cross-source matching: source names per
    claim, shown under verified claims. Conflicts come from ``corpus.conflicts``.

    ``verdicts`` is every reviewer's mark per claim (``{ref: {reviewer: mark}}``):
    each claim lists them all, the brief names every reviewer who gave a verdict,
    and claims they gave different verdicts on are also collected in ``contested``.
    ``marks`` still decides each claim's section (the mark the reader shows).
    Without ``verdicts`` a claim's only verdict is its mark. ``for_reviewer`` and
    ``other_reviewers`` record that the brief holds one reviewer's marks only. ``fragments``: each claim's fragment
    marks with where they lie (review/fragments.py), listed under the claim, never deciding its section.
    """
    also = also_reported_by or {}
    every = verdicts if verdicts is not None else {ref: {mark.reviewer: mark} for ref, mark in marks.items()}
    contested: list[BriefClaim] = []
    order = {a.article.id: i for i, a in enumerate(corpus.articles)}
    claim_refs: set[ClaimRef] = set()
    sources: list[BriefSource] = []
    verified: list[BriefClaim] = []
    disputed: list[BriefClaim] = []
    unreviewed: list[BriefClaim] = []
    others: dict[Status, list[BriefClaim]] = {status: [] for status in _OTHER_VERDICTS}
    sections = {Status.VERIFIED: verified, Status.DISPUTED: disputed, Status.UNREVIEWED: unreviewed, **others}
    unreviewed_count = 0
    reviewers: set[str] = set()
    evidence_only: list[BriefClaim] = []
    fragment_only: list[BriefClaim] = []

    for analysis in corpus.articles:
        article = analysis.article
        counts = dict.fromkeys((*VERDICTS, Status.UNREVIEWED), 0)
        claims = sorted(analysis.claims, key=lambda s: s.index)
        numbers = claim_numbers(analysis)
        for sentence in claims:
            ref = ClaimRef(article.id, sentence.index)
            claim_refs.add(ref)
            mark = marks.get(ref)
            final = finals.get(ref) if finals else None
            status = _status(final) if final else _status(mark) if mark else Status.UNREVIEWED  # the final decides
            counts[status] += 1
            on_claim = every.get(ref, {})
            for given in (*on_claim.values(), *((mark,) if mark is not None else ())):
                if given.reviewer.strip() and _status(given) is not Status.UNREVIEWED:
                    reviewers.add(clean_text(given.reviewer.strip()))
            differ = len({_status(m) for m in on_claim.values()} - {Status.UNREVIEWED}) > 1
            parts = fragments.get(ref, ()) if fragments else ()
            reviewers.update(
                clean_text(m.reviewer.strip())
                for m, _ in parts
                if m.reviewer.strip() and m.status is not Status.UNREVIEWED
            )
            if status is Status.UNREVIEWED:
                unreviewed_count += 1
                if not include_unreviewed and not differ and not carries_evidence(on_claim.values()) and not parts:
                    continue
            text = analysis.sentence_text(sentence)
            number = numbers.get(sentence.index, 0)
            claim = _claim(analysis, sentence.index, text, mark, also.get(ref, ()), number, on_claim or None, final)
            if carries_evidence(on_claim.values()):
                ordered = sorted(on_claim.items(), key=lambda item: _reviewer_order(item[0]))
                claim = replace(claim, evidence=claim_evidence((m for _, m in ordered), corpus))
            if parts:
                claim = replace(claim, fragments=claim_fragments(parts))
            if differ:
                contested.append(claim)
            if status is Status.UNREVIEWED and claim.evidence:
                evidence_only.append(claim)
            elif status is Status.UNREVIEWED and claim.fragments:
                fragment_only.append(claim)
            if status is Status.UNREVIEWED and not include_unreviewed:
                continue
            sections[status].append(claim)
        sources.append(
            BriefSource(
                article_id=clean_text(article.id),
                source=clean_text(article.source),
                title=clean_text(article.title),
                file_name=clean_text(article.path.name),
                claims=len(claims),
                verified=counts[Status.VERIFIED],
                disputed=counts[Status.DISPUTED],
                date=clean_text(article.date or ""),
                url=clean_text(article.url or ""),
                wire=clean_text(article.wire or ""),
                outlet_source=clean_text(article.outlet_source),
                others=tuple((status, counts[status]) for status in _OTHER_VERDICTS),
                language=language_of(article),
            )
        )

    lost = [mark for ref, mark in marks.items() if ref not in claim_refs and ref not in every]
    lost += [mark for ref, on_ref in every.items() if ref not in claim_refs for mark in on_ref.values()]
    all_orphans = [*orphans, *lost]
    # Follow the articles, then the position of the quote; unknown articles last.
    all_orphans.sort(key=lambda m: (order.get(m.article_id, len(order)), m.article_id, m.anchor.start))
    for mark in all_orphans:
        if mark.reviewer.strip() and _status(mark) is not Status.UNREVIEWED:
            reviewers.add(clean_text(mark.reviewer.strip()))

    return Brief(
        title=clean_text(title) if title and title.strip() else _default_title(corpus),
        date=today or datetime.date.today(),
        reviewers=tuple(sorted(reviewers, key=_reviewer_order)),
        sources=tuple(sources),
        verified=tuple(verified),
        disputed=tuple(disputed),
        unreviewed_count=unreviewed_count,
        include_unreviewed=include_unreviewed,
        unreviewed=tuple(unreviewed),
        conflicts=_conflicts(corpus),
        orphans=tuple(_orphan(m, corpus) for m in all_orphans),
        key_figures=_key_figures(corpus),
        contested=tuple(contested),
        figures_across_sources=_figures_across_sources(corpus),
        quotes=brief_quote_pairs(corpus),
        corpus=corpus_key(corpus),
        for_reviewer=clean_text(for_reviewer) if for_reviewer is not None else None,
        other_reviewers=tuple(sorted((clean_text(r) for r in other_reviewers), key=_reviewer_order)),
        others=tuple((status, tuple(claims)) for status, claims in others.items()),
        evidence_only=tuple(evidence_only),
        fragment_only=tuple(fragment_only),
    )
