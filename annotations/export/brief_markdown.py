"""Rendering a :class:`~factdesk.annotations.export.brief.Brief` as Markdown, the brief people read.

CommonMark plus one GFM table. The brief's text is already clean (see
:mod:`factdesk.annotations.export.build`); this module also escapes every piece of
outside text, so a title, quote or note renders as the literal text and never as
active Markdown.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from factdesk.annotations.export.brief import Brief, BriefClaim, BriefSource, BriefVerdict
from factdesk.annotations.export.brief_evidence import evidence_lines
from factdesk.annotations.export.brief_files import brief_marker
from factdesk.annotations.export.brief_fragments import fragment_lines
from factdesk.annotations.export.brief_quotes import quote_blocks
from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import DIFFERS_SYMBOL, VERDICT_LABEL, VERDICT_SYMBOL, VERDICTS, verdict_label
from factdesk.annotations.text.language import ENGLISH, not_analysed_note
from factdesk.annotations.text.markdown import blockquote, escape_inline, escape_table_cell

__all__ = [
    "CONTESTED_MARK",
    "FIGURES_ACROSS_SOURCES",
    "KEY_FIGURE_CONTEXT",
    "format_time",
    "render_contested_table",
    "render_markdown",
]

CONTESTED_MARK = "reviewers differ"  # after the heading of a claim reviewers gave different verdicts on


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


def _identity(source: BriefSource) -> str:
    """ " · 2023-09-14 · via AP · https://…": what the article says about itself, when it says it."""
    parts = [source.date] if source.date else []
    if source.wire and source.wire != source.source:
        parts.append(f"via {source.wire}")
    if source.url:
        parts.append(source.url)
    if source.language != ENGLISH:  # "French — names and claim cues not analysed"
        parts.append(not_analysed_note(source.language))
    return "".join(f" · {escape_inline(part)}" for part in parts)


def _reviewed_line(status: Status, reviewer: str, updated: str) -> str:
    """ "Verified by alice · 2024-12-09 10:12 UTC"; a note-only (orphaned) mark reads "Not reviewed"."""
    line = "Not reviewed" if status == Status.UNREVIEWED else escape_inline(verdict_label(status))
    if reviewer.strip():
        line += f" by {escape_inline(reviewer)}"
    if updated.strip():
        line += f" · {escape_inline(format_time(updated.strip()))}"
    return line


def _note_block(note: str, label: str = "*Note:*") -> list[str]:
    if not note.strip():
        return []
    return [label, blockquote(note)]


def _where(claim_number: int, sentence_index: int) -> str:
    """ "claim 3": the number the reader shows ("Claim 3 of 20"); a sentence that is no claim keeps its own."""
    return f"claim {claim_number}" if claim_number > 0 else f"sentence {sentence_index + 1}"


def _verdict_line(verdict: BriefVerdict) -> str:
    """One reviewer's line under a claim several reviewers marked; a note without a verdict says so."""
    if verdict.status is not Status.UNREVIEWED:
        return _reviewed_line(verdict.status, verdict.reviewer, verdict.updated)
    line = f"No verdict from {escape_inline(verdict.reviewer) or 'a reviewer'} (a note)"
    if verdict.updated.strip():
        line += f" · {escape_inline(format_time(verdict.updated.strip()))}"
    return line


def _several(claim: BriefClaim) -> bool:
    return len(claim.verdicts) > 1


def _notes(claim: BriefClaim) -> list[str]:
    """The claim's note; each reviewer's, named, when several reviewers marked it."""
    if not _several(claim):
        return _note_block(claim.note)
    blocks: list[str] = []
    for verdict in claim.verdicts:
        blocks += _note_block(verdict.note, f"*Note by {escape_inline(verdict.reviewer) or 'a reviewer'}:*")
    return blocks


def _claim_blocks(prefix: str, number: int, claim: BriefClaim) -> list[str]:
    source = escape_inline(claim.source) or "Unknown source"
    heading = f"### {prefix}{number}. {source}, {_where(claim.claim_number, claim.sentence_index)}"
    if claim.contested:
        heading += f" — {CONTESTED_MARK}"
    if _several(claim):
        meta = [f"{_verdict_line(v)}  " for v in claim.verdicts]
    else:
        meta = [f"{_reviewed_line(claim.status, claim.reviewer, claim.updated)}  "]
    if claim.final is not None:
        meta.append(f"{_final_line(claim.final)}  ")
    meta.append(f"Source: {_article_with_file(claim.source, claim.article_title, claim.file_name)}")
    if claim.also_reported_by:
        meta[-1] += "  "
        meta.append("Also reported by: " + ", ".join(escape_inline(s) for s in claim.also_reported_by))
    return [
        heading,
        blockquote(claim.text),
        "\n".join(meta),
        *_notes(claim),
        *fragment_lines(claim.fragments),
        *evidence_lines(claim.evidence),
    ]


def _final_line(final: BriefVerdict) -> str:
    """ "**Final verdict: ✓ Verified** (alice · 2024-12-09 10:12 UTC): the reason" — a curator's, where reviewers
    disagreed."""
    line = f"**Final verdict: {VERDICT_SYMBOL[final.status]} {escape_inline(verdict_label(final.status))}**"
    details = [escape_inline(final.reviewer)] if final.reviewer.strip() else []
    if final.updated.strip():
        details.append(escape_inline(format_time(final.updated.strip())))
    if details:
        line += " (set by " + " · ".join(details) + ")"
    if final.note.strip():
        line += ": " + escape_inline(" ".join(final.note.split()))
    return line


def _summary_table(brief: Brief) -> list[str]:
    others = brief.used_others()
    heads = "".join(f" {escape_table_cell(verdict_label(status))} |" for status in others)
    rows = [
        f"| Source | Article | Claims | Verified | Disputed |{heads} Unreviewed |",
        "| --- | --- | ---: | ---: | ---: |" + " ---: |" * len(others) + " ---: |",
    ]
    for s in brief.sources:
        cells = [escape_table_cell(s.source), escape_table_cell(s.title or s.file_name)]
        numbers = (s.claims, s.verified, s.disputed, *(s.count(status) for status in others), s.unreviewed)
        cells += [str(n) for n in numbers]
        rows.append("| " + " | ".join(cells) + " |")
    totals = (
        brief.total_claims,
        len(brief.verified),
        len(brief.disputed),
        *(len(brief.claims_of(status)) for status in others),
        brief.unreviewed_count,
    )
    rows.append("| **Total** |  | " + " | ".join(str(n) for n in totals) + " |")
    return ["\n".join(rows)]


def _unreviewed_blocks(brief: Brief) -> list[str]:
    blocks = [f"## Unreviewed claims ({brief.unreviewed_count})"]
    if not brief.include_unreviewed:
        if brief.unreviewed_count:
            blocks.append(f"{_plural(brief.unreviewed_count, 'claim')} not reviewed (not listed in this brief).")
        else:
            blocks.append("Every claim has been reviewed.")
        if brief.evidence_only:  # evidence given without a verdict is still the reviewers' work: listed
            blocks.append(f"### Evidence on claims without a verdict ({len(brief.evidence_only)})")
            for claim in brief.evidence_only:
                outlet = escape_inline(claim.source) or "Unknown source"
                blocks.append(f"*{outlet}, {_where(claim.claim_number, claim.sentence_index)}*")
                blocks += [blockquote(claim.text), *_notes(claim), *fragment_lines(claim.fragments)]
                blocks += evidence_lines(claim.evidence)
        if brief.fragment_only:  # a verdict on part of a claim is a verdict: listed with its claim
            blocks.append(f"### Fragments marked on claims without a verdict ({len(brief.fragment_only)})")
            for claim in brief.fragment_only:
                outlet = escape_inline(claim.source) or "Unknown source"
                blocks.append(f"*{outlet}, {_where(claim.claim_number, claim.sentence_index)}*")
                blocks += [blockquote(claim.text), *_notes(claim), *fragment_lines(claim.fragments)]
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
            blocks.append(f"*{_where(claim.claim_number, claim.sentence_index).capitalize()}*")
            blocks.append(blockquote(claim.text))
            blocks += _notes(claim)
            blocks += fragment_lines(claim.fragments)
            blocks += evidence_lines(claim.evidence)
    return blocks


def _conflict_blocks(brief: Brief) -> list[str]:
    if not brief.conflicts:
        return []
    blocks = ["## Figures that differ between sources"]
    for conflict in brief.conflicts:
        blocks.append(f"### {escape_inline(conflict.summary) or 'Differing figures'}")
        items = []
        for f in conflict.figures:
            where = f"{escape_inline(f.source) or 'Unknown source'}, {_where(f.claim_number, f.sentence_index)}"
            item = f"- {where}: **{escape_inline(f.figure)}**" if f.figure.strip() else f"- {where}"
            if f.claim_text.strip():
                item += f" — “{escape_inline(f.claim_text)}”"
            items.append(item)
        if items:
            blocks.append("\n".join(items))
    return blocks


FIGURES_ACROSS_SOURCES = "Figures across sources"


def _row_label(measure: str, scope: str) -> str:
    return f"{measure} — {scope}" if scope else measure


def _figures_across_sources_blocks(brief: Brief) -> list[str]:
    """The figure board as one table, a line per outlet's figure; each conflict's explanation listed below it."""
    if not brief.figures_across_sources:
        return []
    rows = [
        "| Measure | Scope | Source | Figure | When | According to |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    differences = []
    for row in brief.figures_across_sources:
        first = True
        for outlet in row.outlets:
            source = outlet.source or "Unknown source"
            if outlet.copy_of:
                source += f" (copy of {outlet.copy_of})"
            for figure in outlet.figures:
                measure = (f"{DIFFERS_SYMBOL} " if row.conflict else "") + row.measure if first else ""
                cells = [
                    measure,
                    row.scope if first else "",
                    f"{source}, {_where(figure.claim_number, figure.sentence_index)}",
                    figure.value,
                    figure.time,
                    figure.attribution,
                ]
                rows.append("| " + " | ".join(escape_table_cell(cell) for cell in cells) + " |")
                first = False
        if row.conflict:
            label = escape_inline(_row_label(row.measure, row.scope))
            differences.append(f"- {label}: {escape_inline(row.explanation_text) or 'the figures differ'}")
    blocks = [
        f"## {FIGURES_ACROSS_SOURCES}",
        "What each source counts (measure), where or for whom (scope), when and on whose word;"
        f" {DIFFERS_SYMBOL} marks figures that cannot all hold. Copies of one story count as one source.",
        "\n".join(rows),
    ]
    if differences:
        blocks += [f"Where the figures differ ({DIFFERS_SYMBOL}):", "\n".join(differences)]
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


def _verdict_cell(verdict: BriefVerdict | None) -> str:
    if verdict is None:
        return "—"
    status = verdict.status
    cell = (
        f"{VERDICT_SYMBOL[status]} {verdict_label(status).lower()}" if status is not Status.UNREVIEWED else "no verdict"
    )
    if verdict.note.strip():
        cell += " — " + verdict.note.strip()
    return escape_table_cell(cell)


def render_contested_table(claims: Sequence[BriefClaim]) -> str:
    """Each claim reviewers gave different verdicts on, with every reviewer's verdict and note (a GFM table).

    A column per reviewer who marked any of them; "—" where one did not mark that claim. "" when there are none.
    """
    if not claims:
        return ""
    names: dict[str, None] = {}
    for claim in claims:
        names.update((v.reviewer, None) for v in claim.verdicts)
    reviewers = sorted(names, key=lambda r: (r.casefold(), r))
    header = ["Claim", *(escape_table_cell(r) or "(no name)" for r in reviewers)]
    rows = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    for claim in claims:
        by_reviewer = {v.reviewer: v for v in claim.verdicts}
        where = f"{claim.source or 'Unknown source'}, {_where(claim.claim_number, claim.sentence_index)}"
        cells = [escape_table_cell(f"{where}: “{claim.text}”")]
        cells += [_verdict_cell(by_reviewer.get(r)) for r in reviewers]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _header_lines(brief: Brief) -> list[str]:
    reviewers = ", ".join(escape_inline(r) for r in brief.reviewers) or "none recorded"
    given = [
        (verdict_label(Status.VERIFIED), len(brief.verified)),
        (verdict_label(Status.DISPUTED), len(brief.disputed)),
    ]
    given += [(verdict_label(status), len(brief.claims_of(status))) for status in brief.used_others()]
    counts = (
        f"{_plural(brief.total_claims, 'claim')}: "
        + "".join(f"{number} {escape_inline(label.lower())}, " for label, number in given)
        + f"{brief.unreviewed_count} unreviewed"
    )
    lines = [
        f"- Date: {brief.date.isoformat()}",
        f"- Reviewer{'s' if len(brief.reviewers) != 1 else ''}: {reviewers}",
        f"- {counts}",
    ]
    if brief.for_reviewer is not None:
        line = f"- Only the marks of {escape_inline(brief.for_reviewer) or 'a reviewer with no name'}"
        if brief.other_reviewers:
            line += " (also in the database: " + ", ".join(escape_inline(r) for r in brief.other_reviewers) + ")"
        lines.append(line)
    listed = [*(c for status in VERDICTS for c in brief.claims_of(status)), *brief.unreviewed]
    curators = sorted({c.final.reviewer for c in listed if c.final})
    if curators:
        lines.append("- Final verdicts set by: " + ", ".join(escape_inline(name) or "(no name)" for name in curators))
    if brief.contested:
        lines.append(
            f"- Reviewers gave different verdicts on {_plural(len(brief.contested), 'claim')}"
            f" (marked “{CONTESTED_MARK}”; each reviewer's verdict and note is listed)"
        )
    return lines


# A claim's number in the brief is its section's letter and its place there ("V3", "D1", "M2" …).
SECTION_PREFIX: dict[Status, str] = {
    Status.VERIFIED: "V",
    Status.DISPUTED: "D",
    Status.MISLEADING: "M",
    Status.UNVERIFIABLE: "U",
    Status.NEEDS_CONTEXT: "C",
}


def _section_heading(status: Status) -> str:
    """ "Verified claims", "Misleading claims", "Claims that need context" (a team's own word: "<word> claims")."""
    label = verdict_label(status)
    if status is Status.NEEDS_CONTEXT and label == VERDICT_LABEL[status]:
        return "Claims that need context"
    return f"{escape_inline(label)} claims"


def render_markdown(brief: Brief) -> str:
    """The brief as CommonMark (plus one GFM table), every piece of outside text escaped.

    The first line is an unused link reference definition naming the corpus (see
    :mod:`factdesk.annotations.export.brief_files`): it renders as nothing, is no HTML, and lets a later export
    recognise this file as its own previous brief.
    """
    marker = brief_marker(brief.corpus)
    blocks: list[str] = [marker] if marker else []
    blocks += [
        f"# {escape_inline(brief.title) or 'Reviewed brief'}",
        "\n".join(_header_lines(brief)),
        "## Sources",
    ]
    if brief.sources:
        blocks.append(
            "\n".join(
                f"{i}. {_article_with_file(s.source, s.title, s.file_name)}{_identity(s)}"
                for i, s in enumerate(brief.sources, 1)
            )
        )
    else:
        blocks.append("No articles.")
    blocks += ["## Summary", *_summary_table(brief)]

    sections = [(Status.VERIFIED, brief.verified), (Status.DISPUTED, brief.disputed)]
    sections += [(status, brief.claims_of(status)) for status in brief.used_others()]
    for status, claims in sections:
        heading, prefix = _section_heading(status), SECTION_PREFIX[status]
        blocks.append(f"## {heading} ({len(claims)})")
        if not claims:
            blocks.append("None.")
        for number, claim in enumerate(claims, 1):
            blocks += _claim_blocks(prefix, number, claim)

    blocks += _unreviewed_blocks(brief)
    blocks += _conflict_blocks(brief)
    blocks += _figures_across_sources_blocks(brief)
    blocks += quote_blocks(brief.quotes)
    blocks += _key_figure_blocks(brief)
    blocks += _orphan_blocks(brief)
    return "\n\n".join(blocks) + "\n"
