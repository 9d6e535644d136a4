"""Marks in the open formats other tools read: W3C Web Annotation and schema.org ClaimReview.

* **Web Annotation** (JSON-LD, ``http://www.w3.org/ns/anno.jsonld``): one Annotation per
  reviewer's mark, targeting the article file with a ``TextQuoteSelector`` (quote plus
  context, what Hypothesis re-anchors with) and a ``TextPositionSelector``; the verdict is
  a ``TextualBody`` with purpose ``assessing``, the note one with purpose ``commenting``.
  The export is lossless — :func:`annotations_to_marks` reads it back to the same marks,
  times and reviewers — because factdesk's own keys (article id, extra fields) ride
  along under the ``factdesk:`` prefix, which other consumers simply ignore.
  A mark's **evidence** (issue 16) is a body each, all with purpose ``linking``: a URL is a ``SpecificResource``
  whose ``source`` is the URL; a citation a ``TextualBody`` (``format`` ``text/plain``); a reviewer's typed link to
  another claim a ``SpecificResource`` whose ``source`` is that claim's article with a ``TextQuoteSelector`` and a
  ``TextPositionSelector`` (the target's own shape) and the relation as ``factdesk:relation`` (supports,
  contradicts, updates, same_source) — each body with its ``creator`` and ``created``. A mark with evidence alone
  has motivation ``linking``. Details, and why these forms: :mod:`factdesk.annotations.export.interop_evidence`.
  A **fragment** mark (part of a claim, or two sentences: :mod:`factdesk.annotations.review.fragments`) targets its
  own span with both selectors and names its claim in the target's ``factdesk:fragment`` (``claim_start``,
  ``claim_end``, and ``sentences`` for two); import reads it back, so the fragment stays a fragment.
* **ClaimReview** (``https://schema.org``): what fact-checkers publish; one review per
  reviewer verdict, with ``reviewRating.alternateName`` "Verified" or "Disputed"; the mark's evidence is the
  review's ``citation`` (URLs as CreativeWork ``url``s, citations as Text, typed links as Claims).

Output is JSON text safe to print: besides JSON's own escaping of C0 controls, C1
controls, bidi and zero-width characters are written as ``\\uXXXX`` escapes — the data is
unchanged, but a terminal never sees them raw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse, urlsplit

from factdesk.annotations.export.interop_evidence import (
    ARTICLE_URN,
    claim_review_citations,
    evidence_bodies,
    evidence_from_bodies,
    imported_evidence,
    is_evidence_body,
    target_article,
)
from factdesk.annotations.model import Anchor, Article, ClaimRef, Mark, Status
from factdesk.annotations.review.evidence import EVIDENCE_FIELD
from factdesk.annotations.review.fragments import FRAGMENT_FIELD, checked_fragment_field
from factdesk.annotations.review.verdicts import (
    BEST_RATING,
    VERDICT_LABEL,
    VERDICTS,
    WORST_RATING,
    current_scale,
    verdict_label,
)
from factdesk.annotations.storage.records import CREATED_FIELD, PATH_FIELD, mark_created, mark_path
from factdesk.annotations.text.markdown import clean_text
from factdesk.annotations.text.textsafety import json_dumps_safe

if TYPE_CHECKING:
    from factdesk.annotations.review.review import Review

__all__ = [
    "ANNO_CONTEXT",
    "ImportProblem",
    "ImportResult",
    "annotations_to_marks",
    "claim_review",
    "dumps_safe",
    "mark_to_annotation",
    "marks_to_collection",
]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCHEMA_CONTEXT = "https://schema.org"
FACTDESK_PREFIX = "urn:factdesk:terms#"
_CONTEXT: list[Any] = [ANNO_CONTEXT, {"factdesk": FACTDESK_PREFIX}]
_OWN_EXTRA = {PATH_FIELD, CREATED_FIELD}


def dumps_safe(data: Any, indent: int | None = 2) -> str:
    """JSON text with every terminal-active or invisible character escaped, and a final newline."""
    return json_dumps_safe(data, indent) + "\n"


def source_iri(mark: Mark, fallback_path: str = "") -> str:
    """The article as an IRI: its file (``file://``), else a URN naming its content hash."""
    path = mark_path(mark) or fallback_path
    if path:
        try:
            return Path(path).resolve().as_uri()
        except ValueError:
            pass
    return ARTICLE_URN + mark.article_id


def _annotation_id(mark: Mark) -> str:
    key = "\x1f".join((mark.article_id, str(mark.anchor.start), mark.anchor.quote, mark.reviewer))
    return "urn:factdesk:mark:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def mark_to_annotation(mark: Mark, *, fallback_path: str = "") -> dict[str, Any]:
    """One W3C Web Annotation for one reviewer's mark (no ``@context``: see the collection)."""
    bodies: list[dict[str, Any]] = []
    if mark.status is not Status.UNREVIEWED:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": Status(mark.status).value})
    if mark.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": mark.note, "format": "text/plain"})
    linking, complete = evidence_bodies(mark)
    bodies += linking
    anchor = mark.anchor
    annotation: dict[str, Any] = {
        "id": _annotation_id(mark),
        "type": "Annotation",
        "motivation": "assessing"
        if mark.status is not Status.UNREVIEWED
        else "commenting"
        if mark.note or not linking
        else "linking",
        "creator": {"type": "Person", "name": mark.reviewer},
        "created": mark_created(mark),
        "modified": mark.updated,
        "body": bodies,
        "target": {
            "source": source_iri(mark, fallback_path),
            "factdesk:articleId": mark.article_id,
            "selector": [
                {"type": "TextQuoteSelector", "exact": anchor.quote, "prefix": anchor.prefix, "suffix": anchor.suffix},
                {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end},
            ],
        },
    }
    fragment = checked_fragment_field(mark.extra.get(FRAGMENT_FIELD))
    if fragment is not None:  # a fragment of its claim: the selectors are the fragment's own span; this names its claim
        annotation["target"]["factdesk:fragment"] = fragment
    extra = {
        k: v
        for k, v in mark.extra.items()
        if k not in _OWN_EXTRA and (k != EVIDENCE_FIELD or not complete) and (k != FRAGMENT_FIELD or fragment is None)
    }
    if extra:
        annotation["factdesk:extra"] = extra
    return annotation


def marks_to_collection(
    marks: Iterable[Mark], *, paths: Mapping[str, str] | None = None, label: str = "factdesk marks"
) -> dict[str, Any]:
    """An AnnotationCollection holding every mark (one embedded AnnotationPage).

    ``paths`` maps article id → file path, for marks that do not record their file.
    """
    known = paths or {}
    items = [mark_to_annotation(mark, fallback_path=known.get(mark.article_id, "")) for mark in marks]
    return {
        "@context": _CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportProblem:
    index: int  # position of the annotation in the file
    message: str


@dataclass
class ImportResult:
    marks: list[Mark] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


#: Given a target source IRI, the article it names: (article id, text), or None.
Resolver = Callable[[str], "tuple[str, str] | None"]


def _annotations_in(data: Any) -> list[Any]:
    if isinstance(data, list):
        found: list[Any] = []
        for item in data:
            nested = isinstance(item, dict) and item.get("type") != "Annotation"
            found.extend(_annotations_in(item) if nested else [item])
        return found
    if not isinstance(data, dict):
        return []
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        return _annotations_in(first) if isinstance(first, (dict, list)) else []
    if kind == "AnnotationPage" or "items" in data:
        return _annotations_in(data.get("items", []))
    return [data]


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _creator(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        return ""
    return value if isinstance(value, str) else ""


def _path_of(source: str) -> str:
    if source.startswith("file:"):
        return unquote(urlparse(source).path)
    return ""


def _status(value: str) -> Status | None:
    """A verdict word of a body ("verified", "needs_context", "Needs context", a team's own label) → its status."""
    word = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    for status in VERDICTS:
        if word in (status.value.replace("_", " "), verdict_label(status).lower(), VERDICT_LABEL[status].lower()):
            return status
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _one(
    index: int, annotation: Any, resolve: Resolver | None, default_reviewer: str, skipped: list[str] | None = None
) -> Mark:
    if not isinstance(annotation, dict):
        raise ValueError("not a JSON object")
    target = next((t for t in _as_list(annotation.get("target")) if isinstance(t, dict)), None)
    if target is None:
        raise ValueError("no target with selectors")
    source = target.get("source", "")
    source = source.get("id", "") if isinstance(source, dict) else source
    source = source if isinstance(source, str) else ""
    quote_sel = position_sel = None
    for selector in _as_list(target.get("selector")):
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote_sel = quote_sel or selector
        elif isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position_sel = position_sel or selector
    if quote_sel is None or not isinstance(quote_sel.get("exact"), str) or not quote_sel["exact"]:
        raise ValueError("no TextQuoteSelector with the quoted text")
    exact = quote_sel["exact"]
    prefix = quote_sel.get("prefix", "") if isinstance(quote_sel.get("prefix", ""), str) else ""
    suffix = quote_sel.get("suffix", "") if isinstance(quote_sel.get("suffix", ""), str) else ""

    resolved = resolve(source) if resolve is not None and source else None
    article_id = target_article(target.get("factdesk:articleId"), source, resolved)
    if article_id is None:
        raise ValueError(f"cannot tell which article {source or 'the target'} is (give the article files)")
    start = position_sel.get("start") if position_sel else None
    if not isinstance(start, int) or isinstance(start, bool) or start < 0:
        text = resolved[1] if resolved is not None else None
        found = -1 if text is None else text.find(prefix[-32:] + exact)
        start = found + len(prefix[-32:]) if found != -1 else (-1 if text is None else text.find(exact))
        if start < 0:
            raise ValueError("no TextPositionSelector, and the quote is not in the article")
    end = start + len(exact)

    status, notes = Status.UNREVIEWED, []
    for body in _as_list(annotation.get("body")):
        if not isinstance(body, dict) or is_evidence_body(body):
            continue
        value = body.get("value")
        if not isinstance(value, str):
            continue
        purpose = body.get("purpose")
        verdict = _status(value) if purpose in ("assessing", "tagging", "classifying") else None
        if verdict is not None:
            status = verdict
        elif purpose in (None, "commenting", "describing", "replying") and value.strip():
            notes.append(value)
    if isinstance(annotation.get("bodyValue"), str) and annotation["bodyValue"].strip():
        notes.append(annotation["bodyValue"])
    modified = annotation.get("modified") or annotation.get("created") or _now()
    created = annotation.get("created") or modified
    reviewer = _creator(annotation.get("creator")) or default_reviewer
    extra: dict[str, Any] = {}
    raw_extra = annotation.get("factdesk:extra")
    if isinstance(raw_extra, dict):
        extra.update(raw_extra)
    linked, unread = evidence_from_bodies(
        _as_list(annotation.get("body")), resolve=resolve, reviewer=reviewer, added=str(created)
    )
    if skipped is not None:
        skipped.extend(unread)  # (said, not fatal: the rest of the annotation imports)
    evidence = imported_evidence(extra, linked)
    if evidence:
        extra[EVIDENCE_FIELD] = evidence
    fragment = checked_fragment_field(target.get("factdesk:fragment"))
    if fragment is not None:
        extra[FRAGMENT_FIELD] = fragment
    if status is Status.UNREVIEWED and not notes and not evidence:
        raise ValueError("neither a verdict, a note nor evidence")
    extra[CREATED_FIELD] = str(created)
    path = _path_of(source)
    if path:
        extra[PATH_FIELD] = path
    return Mark(
        article_id=article_id,
        anchor=Anchor(exact, prefix, suffix, start, end),
        status=status,
        note="\n\n".join(notes),
        reviewer=reviewer,
        updated=str(modified),
        extra=extra,
    )


def annotations_to_marks(
    data: Any, *, resolve: Resolver | None = None, default_reviewer: str = "imported"
) -> ImportResult:
    """Marks from Web Annotation JSON-LD: a collection, a page, a list, or one annotation.

    Each annotation that cannot become a mark is reported (with its position) and
    skipped; the rest still import. ``resolve`` identifies articles by their source
    IRI when the annotation does not carry factdesk's article id (e.g. from another tool).
    """
    result = ImportResult()
    for index, annotation in enumerate(_annotations_in(data)):
        skipped: list[str] = []
        try:
            result.marks.append(_one(index, annotation, resolve, default_reviewer, skipped))
            result.problems.extend(ImportProblem(index, f"annotation {index + 1}: {why}") for why in skipped)
        except (ValueError, TypeError, AttributeError) as error:
            result.problems.append(ImportProblem(index, f"annotation {index + 1}: {error}"))
    return result


# --------------------------------------------------------------------------- ClaimReview


def _outlet_home(url: str) -> str | None:
    """The site of a web page ("https://news.example.com/a" → "https://news.example.com/"); None for anything else."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        return f"{parts.scheme}://{parts.hostname}/"
    return None


def _article_url(article: Article) -> str:
    """The article's own page when its text names one, else its file."""
    if article.url and urlsplit(article.url).scheme in ("http", "https"):
        return article.url
    return Path(article.path).resolve().as_uri()


def claim_review(
    *,
    claim_text: str,
    mark: Mark,
    source: str,
    title: str,
    url: str,
    date: str | None = None,
    article_urls: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One schema.org ClaimReview for one reviewer's verdict on one claim.

    ``url`` is the article's page when its text names one, else its file; the outlet
    (an Organization) only gets a ``url`` from a web page — a ``file://`` IRI is where
    the reviewer keeps the text, never the outlet's site.
    """
    scale = current_scale()
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if title:
        appearance["headline"] = title
    if date:
        appearance["datePublished"] = date
    outlet: dict[str, Any] = {"@type": "Organization", "name": source}
    home = _outlet_home(url)
    if home:
        outlet["url"] = home
    if source:
        appearance["author"] = dict(outlet)
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if source:
        item["author"] = dict(outlet)
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": claim_text,
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": scale.label(mark.status),
            "ratingValue": scale.rating(mark.status),
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
        },
        "author": {"@type": "Person", "name": mark.reviewer},
        "datePublished": mark.updated[:10],
    }
    if mark.note.strip():
        review["reviewBody"] = mark.note
    citations = claim_review_citations(mark, article_urls)  # the evidence (``article_urls``: a link's article page)
    if citations:
        review["citation"] = citations
    return review


def claim_reviews(review: Review) -> list[dict[str, Any]]:
    """ClaimReviews for every verdict (each reviewer's) in a :class:`~factdesk.annotations.review.review.Review`.

    Claims come in reading order; verdicts on orphaned marks follow, quoting the mark.
    Text is neutralised like the brief's (control and bidi characters made inert).
    """
    reviews: list[dict[str, Any]] = []
    urls = {analysis.article.id: _article_url(analysis.article) for analysis in review.analysis.articles}
    for analysis in review.analysis.articles:
        article = analysis.article
        url = urls[article.id]
        for sentence in analysis.claims:
            verdicts = review.verdicts(ClaimRef(article.id, sentence.index))
            for _, mark in sorted(verdicts.items()):
                if mark.status is Status.UNREVIEWED:
                    continue
                reviews.append(
                    claim_review(
                        claim_text=clean_text(analysis.sentence_text(sentence)),
                        mark=_clean_mark(mark, clean_text),
                        source=clean_text(article.source),
                        title=clean_text(article.title),
                        url=url,
                        date=clean_text(article.date) if article.date else None,
                        article_urls=urls,
                    )
                )
    for mark in review.orphans:
        if mark.status is Status.UNREVIEWED:
            continue
        home = review.orphan_article(mark)
        reviews.append(
            claim_review(
                claim_text=clean_text(mark.anchor.quote),
                mark=_clean_mark(mark, clean_text),
                source=clean_text(home.article.source) if home else "",
                title=clean_text(home.article.title) if home else "",
                url=home.article.url
                if home and home.article.url and _outlet_home(home.article.url)
                else source_iri(mark, str(Path(home.article.path).resolve()) if home else ""),
                article_urls=urls,
            )
        )
    return reviews


def _clean_mark(mark: Mark, clean: Callable[[str], str]) -> Mark:
    return replace(mark, note=clean(mark.note), reviewer=clean(mark.reviewer))
