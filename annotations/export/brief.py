"""The reviewed brief: what a reviewer hands on after going through a corpus.

:func:`build_brief` turns the analysis plus the reviewers' marks into a
:class:`Brief` — plain, already-cleaned data in article and sentence order — and
the renderers only format it. Keeping the two apart means Markdown and JSON
cannot disagree about which claims are in the brief, and later additions
("also reported by", differing figures, orphan marks) are fields on the data
rather than special cases in two renderers.

All text in a ``Brief`` has been through :func:`factdesk.annotations.text.markdown.clean_text`
(control and bidi characters neutralised), so neither export can carry
terminal escape sequences; the Markdown renderer additionally escapes it so it
renders as the literal text.
"""

from __future__ import annotations

import datetime
import json
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark, NumberValue, Status
from factdesk.annotations.text.markdown import blockquote, clean_text, escape_inline, escape_table_cell

FORMAT_NAME = "factdesk-brief"
FORMAT_VERSION = 1


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

    @property
    def unreviewed(self) -> int:
        return self.claims - self.verified - self.disputed


@dataclass(frozen=True)
class BriefClaim:
    """A claim as it appears in the brief: verbatim text, where it is from, the verdict."""

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

    @property
    def ref(self) -> ClaimRef:
        return ClaimRef(self.article_id, self.sentence_index)


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


@dataclass(frozen=True)
class BriefConflict:
    summary: str
    figures: tuple[BriefFigure, ...]


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

    @property
    def total_claims(self) -> int:
        return sum(s.claims for s in self.sources)


# --------------------------------------------------------------------------- build


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


# --------------------------------------------------------------------------- Markdown


def format_time(updated: str) -> str:
    """``2024-12-09T10:12:00Z`` -> ``2024-12-09 10:12 UTC``; anything unparseable as stored."""
    try:
        moment = datetime.datetime.fromisoformat(updated)
    except ValueError:
        return updated
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _article_label(source: str, title: str) -> str:
    """ "Reuters — “Title”", escaped; either part may be missing."""
    parts = [escape_inline(source) if source.strip() else "Unknown source"]
    if title.strip():
        parts.append(f"“{escape_inline(title)}”")
    return " — ".join(parts)


def _article_with_file(source: str, title: str, file_name: str) -> str:
    """The label plus the file name, unless the source already is the file name (no source line found)."""
    label = _article_label(source, title)
    if not file_name.strip() or file_name.strip() == source.strip():
        return label
    return f"{label} ({escape_inline(file_name)})"


def _reviewed_line(status: Status, reviewer: str, updated: str) -> str:
    words = {Status.VERIFIED: "Verified", Status.DISPUTED: "Disputed", Status.UNREVIEWED: "Not reviewed"}[status]
    line = words
    if reviewer.strip():
        line += f" by {escape_inline(reviewer)}"
    if updated.strip():
        line += f" · {escape_inline(format_time(updated.strip()))}"
    return line


def _note_block(note: str) -> list[str]:
    if not note.strip():
        return []
    return ["*Note:*", blockquote(note)]


def _claim_blocks(prefix: str, number: int, claim: BriefClaim) -> list[str]:
    source = escape_inline(claim.source) or "Unknown source"
    heading = f"### {prefix}{number}. {source}, sentence {claim.sentence_index + 1}"
    meta = [
        f"{_reviewed_line(claim.status, claim.reviewer, claim.updated)}  ",
        f"Source: {_article_with_file(claim.source, claim.article_title, claim.file_name)}",
    ]
    if claim.also_reported_by:
        meta[-1] += "  "
        meta.append("Also reported by: " + ", ".join(escape_inline(s) for s in claim.also_reported_by))
    return [heading, blockquote(claim.text), "\n".join(meta), *_note_block(claim.note)]


def _summary_table(brief: Brief) -> list[str]:
    rows = [
        "| Source | Article | Claims | Verified | Disputed | Unreviewed |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for s in brief.sources:
        cells = [escape_table_cell(s.source), escape_table_cell(s.title or s.file_name)]
        cells += [str(n) for n in (s.claims, s.verified, s.disputed, s.unreviewed)]
        rows.append("| " + " | ".join(cells) + " |")
    totals = (brief.total_claims, len(brief.verified), len(brief.disputed), brief.unreviewed_count)
    rows.append("| **Total** |  | " + " | ".join(str(n) for n in totals) + " |")
    return ["\n".join(rows)]


def _unreviewed_blocks(brief: Brief) -> list[str]:
    blocks = [f"## Unreviewed claims ({brief.unreviewed_count})"]
    if not brief.include_unreviewed:
        if brief.unreviewed_count:
            blocks.append(f"{_plural(brief.unreviewed_count, 'claim')} not reviewed (not listed in this brief).")
        else:
            blocks.append("Every claim has been reviewed.")
        return blocks
    if not brief.unreviewed:
        blocks.append("Every claim has been reviewed.")
    by_article: dict[str, list[BriefClaim]] = {}
    for claim in brief.unreviewed:
        by_article.setdefault(claim.article_id, []).append(claim)
    for source in brief.sources:
        claims = by_article.get(source.article_id)
        if not claims:
            continue
        blocks.append(f"### {_article_label(source.source, source.title)} ({len(claims)})")
        for claim in claims:
            blocks.append(f"*Sentence {claim.sentence_index + 1}*")
            blocks.append(blockquote(claim.text))
            blocks += _note_block(claim.note)
    return blocks


def _conflict_blocks(brief: Brief) -> list[str]:
    if not brief.conflicts:
        return []
    blocks = ["## Figures that differ between sources"]
    for conflict in brief.conflicts:
        blocks.append(f"### {escape_inline(conflict.summary) or 'Differing figures'}")
        items = []
        for f in conflict.figures:
            where = f"{escape_inline(f.source) or 'Unknown source'}, sentence {f.sentence_index + 1}"
            item = f"- {where}: **{escape_inline(f.figure)}**" if f.figure.strip() else f"- {where}"
            if f.claim_text.strip():
                item += f" — “{escape_inline(f.claim_text)}”"
            items.append(item)
        if items:
            blocks.append("\n".join(items))
    return blocks


KEY_FIGURE_CONTEXT = 90  # characters of the claim shown beside a figure


def _key_figure_blocks(brief: Brief) -> list[str]:
    if not brief.key_figures:
        return []
    rows = ["| Source | Figure | In the claim |", "| --- | --- | --- |"]
    for f in brief.key_figures:
        context = (
            f.claim_text if len(f.claim_text) <= KEY_FIGURE_CONTEXT else f.claim_text[: KEY_FIGURE_CONTEXT - 1] + "…"
        )
        rows.append(f"| {escape_table_cell(f.source)} | {escape_table_cell(f.figure)} | {escape_table_cell(context)} |")
    return ["## Key figures", "\n".join(rows)]


def _orphan_blocks(brief: Brief) -> list[str]:
    if not brief.orphans:
        return []
    blocks = [
        f"## Appendix: marks whose claim could not be found ({len(brief.orphans)})",
        "These marks no longer match a claim in the articles (the text changed or the article is missing).",
    ]
    for number, orphan in enumerate(brief.orphans, 1):
        if orphan.source or orphan.article_title:
            where = _article_label(orphan.source, orphan.article_title)
        else:
            where = f"article {escape_inline(orphan.article_id)} (not in this corpus)"
        blocks.append(f"### O{number}. {where}")
        blocks.append(blockquote(orphan.quote))
        blocks.append(_reviewed_line(orphan.status, orphan.reviewer, orphan.updated))
        blocks += _note_block(orphan.note)
    return blocks


def render_markdown(brief: Brief) -> str:
    """The brief as CommonMark (plus one GFM table), every piece of outside text escaped."""
    reviewers = ", ".join(escape_inline(r) for r in brief.reviewers) or "none recorded"
    counts = (
        f"{_plural(brief.total_claims, 'claim')}: {len(brief.verified)} verified,"
        f" {len(brief.disputed)} disputed, {brief.unreviewed_count} unreviewed"
    )
    blocks: list[str] = [
        f"# {escape_inline(brief.title) or 'Reviewed brief'}",
        "\n".join(
            [
                f"- Date: {brief.date.isoformat()}",
                f"- Reviewer{'s' if len(brief.reviewers) != 1 else ''}: {reviewers}",
                f"- {counts}",
            ]
        ),
        "## Sources",
    ]
    if brief.sources:
        blocks.append(
            "\n".join(
                f"{i}. {_article_with_file(s.source, s.title, s.file_name)}" for i, s in enumerate(brief.sources, 1)
            )
        )
    else:
        blocks.append("No articles.")
    blocks += ["## Summary", *_summary_table(brief)]

    for heading, prefix, claims in (
        ("Verified claims", "V", brief.verified),
        ("Disputed claims", "D", brief.disputed),
    ):
        blocks.append(f"## {heading} ({len(claims)})")
        if not claims:
            blocks.append("None.")
        for number, claim in enumerate(claims, 1):
            blocks += _claim_blocks(prefix, number, claim)

    blocks += _unreviewed_blocks(brief)
    blocks += _conflict_blocks(brief)
    blocks += _key_figure_blocks(brief)
    blocks += _orphan_blocks(brief)
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- JSON


def _claim_json(claim: BriefClaim) -> dict:
    return {
        "article_id": claim.article_id,
        "sentence_index": claim.sentence_index,
        "source": claim.source,
        "article_title": claim.article_title,
        "file_name": claim.file_name,
        "text": claim.text,
        "status": claim.status.value,
        "note": claim.note,
        "reviewer": claim.reviewer,
        "updated": claim.updated,
        "also_reported_by": list(claim.also_reported_by),
    }


def _value_json(value: NumberValue) -> float | list[float | None] | None:
    """Ranges become two-element lists; NaN/inf (not valid JSON) become null."""
    if isinstance(value, tuple):
        return [v if math.isfinite(v) else None for v in value]
    return value if math.isfinite(value) else None


def _clean_tree(value: object) -> object:
    """Belt and braces: a hand-built Brief must not smuggle control characters into JSON either."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_tree(v) for k, v in value.items()}
    return value


def _figure_json(f: BriefFigure) -> dict:
    return {
        "article_id": f.article_id,
        "sentence_index": f.sentence_index,
        "source": f.source,
        "figure": f.figure,
        "value": _value_json(f.value),
        "unit": f.unit,
    }


def brief_to_dict(brief: Brief) -> dict:
    """The JSON document as a dict; every key always present so consumers need no guards."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": brief.title,
        "date": brief.date.isoformat(),
        "reviewers": list(brief.reviewers),
        "sources": [
            {
                "article_id": s.article_id,
                "source": s.source,
                "title": s.title,
                "file_name": s.file_name,
                "claims": s.claims,
                "verified": s.verified,
                "disputed": s.disputed,
                "unreviewed": s.unreviewed,
            }
            for s in brief.sources
        ],
        "totals": {
            "claims": brief.total_claims,
            "verified": len(brief.verified),
            "disputed": len(brief.disputed),
            "unreviewed": brief.unreviewed_count,
        },
        "verified": [_claim_json(c) for c in brief.verified],
        "disputed": [_claim_json(c) for c in brief.disputed],
        "unreviewed_listed": brief.include_unreviewed,
        "unreviewed": [_claim_json(c) for c in brief.unreviewed],
        "conflicts": [
            {
                "summary": c.summary,
                "figures": [{**_figure_json(f), "claim_text": f.claim_text} for f in c.figures],
            }
            for c in brief.conflicts
        ],
        "key_figures": [_figure_json(f) for f in brief.key_figures],
        "orphans": [
            {
                "article_id": o.article_id,
                "source": o.source,
                "article_title": o.article_title,
                "quote": o.quote,
                "status": o.status.value,
                "note": o.note,
                "reviewer": o.reviewer,
                "updated": o.updated,
            }
            for o in brief.orphans
        ],
    }


def render_json(brief: Brief) -> str:
    """The same content as :func:`render_markdown`, as JSON (fixed key order, indent 2, UTF-8 text)."""
    return json.dumps(_clean_tree(brief_to_dict(brief)), indent=2, ensure_ascii=False) + "\n"
