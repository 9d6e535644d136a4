"""A mark's evidence in the open formats, both ways: Web Annotation bodies, and ClaimReview's ``citation``.

The forms (see :mod:`factdesk.annotations.export.interop`'s docstring for the whole annotation), each body carrying
its own ``creator`` and ``created`` (the Web Annotation model gives bodies their own agents and times):

* a **URL** — a ``SpecificResource`` body with purpose ``linking`` whose ``source`` is the URL;
* a **citation** — a ``TextualBody`` with purpose ``linking`` and ``format`` ``text/plain`` (purpose ``commenting``
  stays the note's, so the two never mix on import);
* a **typed link** to another claim — a ``SpecificResource`` body with purpose ``linking`` whose ``source`` is that
  claim's article (its file, else ``urn:factdesk:article:<id>``) with a ``TextQuoteSelector`` and a
  ``TextPositionSelector`` — the same shape as the annotation's own target — and the relation as
  ``factdesk:relation`` (``supports``, ``contradicts``, ``updates``, ``same_source``; namespace
  ``urn:factdesk:terms#``), plus ``factdesk:articleId``. Only reviewers' links are exported: the machine's matches are
  never stored, so they cannot appear here or be imported as a reviewer's.

ClaimReview (schema.org): the evidence goes in the review's ``citation`` ("a citation or reference to another
creative work … web page", on every CreativeWork, ClaimReview included): a URL as a ``CreativeWork`` with its ``url``,
a citation as Text, a typed link as a ``Claim`` (its ``text``, its ``appearance`` in the linked article) with the
relation as its ``description``. Not ``isBasedOn`` (a work *derived* from the resource) nor ``url`` (the review's own
address).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from factdesk.annotations.model import Anchor, Mark
from factdesk.annotations.review.evidence import (
    EVIDENCE_FIELD,
    RELATION_LABEL,
    EvidenceError,
    EvidenceItem,
    citation_item,
    evidence_of,
    link_item,
    stored_evidence,
    url_item,
)
from factdesk.annotations.text.markdown import clean_text

__all__ = ["claim_review_citations", "evidence_bodies", "evidence_from_bodies", "is_evidence_body"]

ARTICLE_URN = "urn:factdesk:article:"


def target_article(named: object, source: str, resolved: tuple[str, str] | None) -> str | None:
    """The article a Web Annotation target or linked body is in: the id it names (``factdesk:articleId``), else the
    article its source IRI resolves to, else the id in a ``urn:factdesk:article:`` IRI; ``None`` when none says."""
    if isinstance(named, str) and named:
        return named
    if resolved is not None:
        return resolved[0]
    if source.startswith(ARTICLE_URN):
        return source[len(ARTICLE_URN) :]
    return None


#: Given a source IRI, the article it names: (article id, text), or None (as ``interop.Resolver``).
Resolver = Callable[[str], "tuple[str, str] | None"]


def _article_iri(item: EvidenceItem) -> str:
    if item.path:
        try:
            return Path(item.path).resolve().as_uri()
        except ValueError:
            pass
    return ARTICLE_URN + item.article_id


def _body(item: EvidenceItem) -> dict[str, Any]:
    agent = {"creator": {"type": "Person", "name": item.reviewer}, "created": item.added}
    if item.kind == "url":
        return {"type": "SpecificResource", "purpose": "linking", "source": item.url, **agent}
    if item.kind == "citation":
        return {"type": "TextualBody", "purpose": "linking", "value": item.text, "format": "text/plain", **agent}
    anchor = item.anchor or Anchor("", "", "", 0, 0)
    return {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": _article_iri(item),
        "factdesk:articleId": item.article_id,
        "factdesk:relation": item.relation,
        "selector": [
            {"type": "TextQuoteSelector", "exact": anchor.quote, "prefix": anchor.prefix, "suffix": anchor.suffix},
            {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
        ],
        **agent,
    }


def evidence_bodies(mark: Mark) -> tuple[list[dict[str, Any]], bool]:
    """The mark's evidence as bodies, and whether they say all of it (False: some stored entry is not readable, so
    the whole list also rides in ``factdesk:extra`` and wins on import — nothing is lost)."""
    stored = stored_evidence(mark)
    items = evidence_of(mark)
    return [_body(item) for item in items], len(items) == len(stored)


def is_evidence_body(body: Any) -> bool:
    """A body this module reads (purpose ``linking``), never a verdict or a note."""
    return isinstance(body, str) or (isinstance(body, dict) and body.get("purpose") == "linking")


def _agent(body: Any, reviewer: str, added: str) -> tuple[str, str]:
    if not isinstance(body, dict):
        return reviewer, added
    creator = body.get("creator")
    creator = creator[0] if isinstance(creator, list) and creator else creator
    name = creator.get("name") if isinstance(creator, dict) else creator
    created = body.get("created")
    return (
        name if isinstance(name, str) and name.strip() else reviewer,
        created if isinstance(created, str) and created else added,
    )


def _selectors(body: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    quote = position = None
    raw = body.get("selector")
    for selector in raw if isinstance(raw, list) else [raw]:
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = quote or selector
        elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = position or selector
    return quote, position


def _link(body: Mapping[str, Any], resolve: Resolver | None, reviewer: str, added: str) -> EvidenceItem:
    source = body.get("source", "")
    source = source.get("id", "") if isinstance(source, dict) else source
    source = source if isinstance(source, str) else ""
    quote, position = _selectors(body)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise EvidenceError("a linked claim needs its TextQuoteSelector")
    exact = quote["exact"]
    prefix = quote.get("prefix") if isinstance(quote.get("prefix"), str) else ""
    suffix = quote.get("suffix") if isinstance(quote.get("suffix"), str) else ""
    resolved = resolve(source) if resolve is not None and source else None
    article_id = target_article(body.get("factdesk:articleId"), source, resolved)
    if article_id is None:
        raise EvidenceError(f"cannot tell which article the linked claim is in ({source or 'no source'})")
    start = position.get("start") if position is not None else None
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        text = resolved[1] if resolved is not None else ""
        start = max(text.find(exact), 0)
    path = unquote(urlparse(source).path) if source.startswith("file:") else ""
    anchor = Anchor(exact, prefix or "", suffix or "", start, start + len(exact))
    relation = body.get("factdesk:relation")
    return link_item(
        relation if isinstance(relation, str) else "",
        article_id,
        anchor,
        path=path,
        reviewer=reviewer,
        added=added,
    )


def evidence_from_bodies(
    bodies: list[Any], *, resolve: Resolver | None, reviewer: str, added: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """The stored evidence list the linking bodies describe, and a line per body that could not be read (skipped: a
    ``javascript:`` URL, a link without its relation). ``reviewer``/``added``: the annotation's, for bodies that do
    not name their own."""
    found: list[dict[str, Any]] = []
    problems: list[str] = []
    for body in bodies:
        if not is_evidence_body(body):
            continue
        who, when = _agent(body, reviewer, added)
        try:
            if isinstance(body, str):
                item = url_item(body, reviewer=who, added=when)
            elif body.get("type") == "TextualBody":
                value = body.get("value")
                item = citation_item(value if isinstance(value, str) else "", reviewer=who, added=when)
            elif body.get("selector") is not None:
                item = _link(body, resolve, who, when)
            else:
                source = body.get("source", body.get("id", ""))
                source = source.get("id", "") if isinstance(source, dict) else source
                item = url_item(source if isinstance(source, str) else "", reviewer=who, added=when)
        except EvidenceError as error:
            problems.append(f"an evidence body ({error})")
            continue
        if not any(existing == item.to_json() for existing in found):
            found.append(item.to_json())
    return found, problems


def imported_evidence(extra: Mapping[str, Any], from_bodies: list[dict[str, Any]]) -> list[Any]:
    """The evidence an imported mark keeps: a whole list carried in ``factdesk:extra`` (written when some entry was
    not readable) wins, else the bodies'."""
    carried = extra.get(EVIDENCE_FIELD)
    return list(carried) if isinstance(carried, list) and carried else from_bodies


def claim_review_citations(mark: Mark, article_urls: Mapping[str, str] | None = None) -> list[Any]:
    """ClaimReview ``citation`` items for the mark's evidence (text cleaned like the rest of the review)."""
    urls = article_urls or {}
    citations: list[Any] = []
    for item in evidence_of(mark):
        if item.kind == "url":
            citations.append({"@type": "CreativeWork", "url": item.url})
        elif item.kind == "citation":
            citations.append(clean_text(item.text))
        else:
            claim: dict[str, Any] = {
                "@type": "Claim",
                "text": clean_text(item.anchor.quote if item.anchor else ""),
                "description": RELATION_LABEL.get(item.relation, item.relation),
                "appearance": {"@type": "CreativeWork", "url": urls.get(item.article_id) or _article_iri(item)},
            }
            citations.append(claim)
    return citations
