"""Rendering a :class:`~factdesk.annotations.export.brief.Brief` as JSON, the brief tools read.

Same content as the Markdown brief (:mod:`factdesk.annotations.export.brief_markdown`),
with a fixed key order and every key always present, so consumers need no guards.
Strings are cleaned once more on the way out, so even a hand-built ``Brief`` cannot
smuggle control characters into the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from factdesk.annotations.export.brief import Brief, BriefClaim, BriefFigure, BriefFigureRow, BriefVerdict
from factdesk.annotations.export.brief_evidence import evidence_json
from factdesk.annotations.export.brief_fragments import fragments_json
from factdesk.annotations.export.brief_quotes import quotes_json
from factdesk.annotations.model import NumberValue
from factdesk.annotations.review.verdicts import DEFAULT_SCALE, current_scale
from factdesk.annotations.text.markdown import clean_text
from factdesk.annotations.text.textsafety import json_dumps_safe

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "brief_document",
    "brief_to_dict",
    "claim_json",
    "json_text",
    "render_json",
]

FORMAT_NAME = "factdesk-brief"
FORMAT_VERSION = 1


def _verdict_json(verdict: BriefVerdict) -> dict[str, Any]:
    return {
        "reviewer": verdict.reviewer,
        "status": verdict.status.value,
        "note": verdict.note,
        "updated": verdict.updated,
    }


def scale_json() -> list[dict[str, Any]]:
    """The verdict scale the brief was made with: each verdict's stored value, word, symbol and rating, in order
    (a team's renamed words included), so a reader of the JSON never has to know factdesk's defaults."""
    scale = current_scale()
    return [
        {
            "value": v.status.value,
            "label": scale.label(v.status),
            "symbol": v.symbol,
            "rating": v.rating,
            "offered": scale.offers(v.status),
        }
        for v in DEFAULT_SCALE
    ]


def claim_json(claim: BriefClaim) -> dict[str, Any]:
    """One claim: the shown mark's ``status``/``reviewer``/``note``/``updated``, and every reviewer's ``verdicts``."""
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
        "claim_number": claim.claim_number,
        "verdicts": [_verdict_json(v) for v in claim.verdicts],
        "contested": claim.contested,
        "evidence": evidence_json(claim.evidence),  # every reviewer's URLs, citations and typed links
        # a curator's final verdict where reviewers disagreed (the key only when there is one)
        **({"final": {**_verdict_json(claim.final), "curator": claim.final.reviewer}} if claim.final else {}),
        # its fragment marks: verdicts on part of the claim (the key only when there are any)
        **({"fragments": fragments_json(claim.fragments)} if claim.fragments else {}),
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


def _figure_json(f: BriefFigure) -> dict[str, Any]:
    return {
        "article_id": f.article_id,
        "sentence_index": f.sentence_index,
        "source": f.source,
        "figure": f.figure,
        "value": _value_json(f.value),
        "unit": f.unit,
        "claim_number": f.claim_number,
    }


def _bound_json(value: float) -> float | None:
    return value if math.isfinite(value) else None  # an open end ("at least 5,000") is null, as in analyze --json


def _figure_row_json(row: BriefFigureRow) -> dict[str, Any]:
    """One row of "Figures across sources": measure × scope, each outlet's figures, the conflict and its why."""
    return {
        "measure": row.measure,
        "scope": row.scope,
        "conflict": row.conflict,
        "explanation": row.explanation or None,
        "explanation_text": row.explanation_text,
        "independent_sources": row.independent,
        "outlets": [
            {
                "article_id": outlet.article_id,
                "source": outlet.source,
                "copy_of": outlet.copy_of or None,
                "figures": [
                    {
                        "article_id": f.article_id,
                        "sentence_index": f.sentence_index,
                        "claim_number": f.claim_number,
                        "value": f.value,
                        "figure": f.figure,
                        "low": _bound_json(f.low),
                        "high": _bound_json(f.high),
                        "bound": f.bound,
                        "time": f.time,
                        "attribution": f.attribution,
                        "in_conflict": f.in_conflict,
                    }
                    for f in outlet.figures
                ],
            }
            for outlet in row.outlets
        ],
    }


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """The JSON document as a dict; every key always present so consumers need no guards.

    ``corpus`` follows ``version`` at the top, where a later export looks for it to recognise its own previous
    brief (:mod:`factdesk.annotations.export.brief_files`); the keys added since version 1 (``corpus``, and the
    last ones) only add to the document.
    """
    used = brief.used_others()
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "corpus": brief.corpus,
        "title": brief.title,
        "date": brief.date.isoformat(),
        "reviewers": list(brief.reviewers),
        "sources": [
            {
                "article_id": s.article_id,
                "source": s.source,
                "title": s.title,
                "file_name": s.file_name,
                "date": s.date or None,
                "url": s.url or None,
                "wire": s.wire or None,
                "outlet_source": s.outlet_source or None,
                "language": s.language,
                "claims": s.claims,
                "verified": s.verified,
                "disputed": s.disputed,
                **{status.value: s.count(status) for status in used},
                "unreviewed": s.unreviewed,
            }
            for s in brief.sources
        ],
        "totals": {
            "claims": brief.total_claims,
            "verified": len(brief.verified),
            "disputed": len(brief.disputed),
            **{status.value: len(brief.claims_of(status)) for status in used},
            "unreviewed": brief.unreviewed_count,
        },
        "verified": [claim_json(c) for c in brief.verified],
        "disputed": [claim_json(c) for c in brief.disputed],
        **{status.value: [claim_json(c) for c in claims] for status, claims in brief.others},
        "scale": scale_json(),
        "unreviewed_listed": brief.include_unreviewed,
        "unreviewed": [claim_json(c) for c in brief.unreviewed],
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
        "contested": [claim_json(c) for c in brief.contested],
        "evidence_only": [claim_json(c) for c in brief.evidence_only],  # evidence without a verdict
        **({"fragment_only": [claim_json(c) for c in brief.fragment_only]} if brief.fragment_only else {}),
        "figures_across_sources": [_figure_row_json(row) for row in brief.figures_across_sources],
        "quotes": quotes_json(brief.quotes),
        "for_reviewer": brief.for_reviewer,
        "other_reviewers": list(brief.other_reviewers),
    }


def brief_document(brief: Brief) -> dict[str, Any]:
    """:func:`brief_to_dict` with every string cleaned: the document :func:`render_json` writes."""
    return cast(dict[str, Any], _clean_tree(brief_to_dict(brief)))


def json_text(document: Mapping[str, Any]) -> str:
    """A brief document as JSON text: key order kept, indent 2, non-ASCII written as is, final newline."""
    return json_dumps_safe(document, indent=2) + "\n"


def render_json(brief: Brief) -> str:
    """The same content as the Markdown brief, as JSON (fixed key order, indent 2, UTF-8 text)."""
    return json_text(brief_document(brief))
