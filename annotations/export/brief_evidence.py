"""The reviewers' evidence in the brief: each claim's URLs, citations and typed links, as data and as Markdown/JSON.

Why a module of its own: the brief's builder and both renderers share it, so Markdown and JSON cannot disagree, and
the link's claim is found the one way the reader finds it (``review.evidence.resolve_link``: re-anchored after
edits). A typed link is the reviewer's and is written as such ("→ contradicts"), never among the machine's "Also
reported by". Text is cleaned here (``clean_text``); the Markdown renderer escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.annotations.model import CorpusAnalysis, Mark
from factdesk.annotations.review.claim_numbers import claim_number
from factdesk.annotations.review.evidence import LINK_SYMBOL, RELATION_LABEL, evidence_of, resolve_link
from factdesk.annotations.text.markdown import clean_text, escape_inline

__all__ = ["BriefEvidence", "carries_evidence", "claim_evidence", "evidence_json", "evidence_lines"]


@dataclass(frozen=True)
class BriefEvidence:
    """One item of evidence as the brief lists it (``kind``: "url", "citation" or "link")."""

    kind: str
    reviewer: str
    added: str
    url: str = ""
    text: str = ""  # a citation
    relation: str = ""  # a link: supports, contradicts, updates, same_source
    article_id: str = ""  # a link's article (where its claim is now; as stored when not found)
    source: str = ""  # a link's outlet ("" when its article is not in the corpus)
    sentence_index: int | None = None  # a link's claim now (None: no longer found)
    claim_number: int = 0
    quote: str = ""  # a link's claim as it read when linked

    @property
    def found(self) -> bool:
        return self.sentence_index is not None


def carries_evidence(marks: Iterable[Mark]) -> bool:
    return any(evidence_of(mark) for mark in marks)


def claim_evidence(marks: Iterable[Mark], corpus: CorpusAnalysis) -> tuple[BriefEvidence, ...]:
    """Every reviewer's evidence on a claim (``marks``: its marks, in the brief's reviewer order)."""
    found: list[BriefEvidence] = []
    for mark in marks:
        for item in evidence_of(mark):
            reviewer, added = clean_text(item.reviewer), clean_text(item.added)
            if item.kind != "link":
                found.append(
                    BriefEvidence(item.kind, reviewer, added, url=clean_text(item.url), text=clean_text(item.text))
                )
                continue
            target = resolve_link(item, corpus)
            analysis = corpus.by_id(target.article) if target is not None else corpus.by_id(item.article_id)
            found.append(
                BriefEvidence(
                    item.kind,
                    reviewer,
                    added,
                    relation=item.relation,
                    article_id=clean_text(target.article if target is not None else item.article_id),
                    source=clean_text(analysis.article.source) if analysis is not None else "",
                    sentence_index=target.sentence if target is not None else None,
                    claim_number=(claim_number(analysis, target.sentence) or 0)
                    if target is not None and analysis is not None
                    else 0,
                    quote=clean_text(item.anchor.quote if item.anchor else ""),
                )
            )
    return tuple(found)


def evidence_lines(items: Sequence[BriefEvidence]) -> list[str]:
    """The claim's evidence as a Markdown list ("" items: none), each piece of outside text escaped."""
    if not items:
        return []
    lines = []
    for item in items:
        by = f" ({escape_inline(item.reviewer)})" if item.reviewer.strip() else ""
        if item.kind == "url":
            lines.append(
                f"- Source: <{item.url}>{by}"
                if _autolink_safe(item.url)
                else f"- Source: {escape_inline(item.url)}{by}"
            )
        elif item.kind == "citation":
            lines.append(f"- Citation: {escape_inline(item.text)}{by}")
        else:
            relation = RELATION_LABEL.get(item.relation, item.relation)
            where = escape_inline(item.source) or "another article"
            claim = f"claim {item.claim_number}" if item.claim_number else "a claim no longer found"
            lines.append(
                f"- {LINK_SYMBOL} {escape_inline(relation)} {where}, {claim}: “{escape_inline(item.quote)}”{by}"
            )
    return ["**Evidence**\n\n" + "\n".join(lines)]


def _autolink_safe(url: str) -> bool:
    """A CommonMark autolink ``<…>`` holds no space, ``<`` or ``>`` (check_url already refused spaces)."""
    return not any(ch in url for ch in "<> ") and url.split(":", 1)[0].lower() in ("http", "https")


def evidence_json(items: Sequence[BriefEvidence]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        record: dict[str, Any] = {"kind": item.kind, "reviewer": item.reviewer, "added": item.added}
        if item.kind == "url":
            record["url"] = item.url
        elif item.kind == "citation":
            record["text"] = item.text
        else:
            record.update(
                relation=item.relation,
                article_id=item.article_id,
                source=item.source,
                found=item.found,
                sentence_index=item.sentence_index,
                claim_number=item.claim_number,
                quote=item.quote,
            )
        out.append(record)
    return out
