"""Evidence on a mark: URLs, free citations and the reviewer's typed links to claims of other articles.

Why a module of its own: evidence is the reviewer's own reasoning beside a verdict ("this is backed by that page",
"this claim contradicts that one") — Meedan Check's and Hypothesis' linked sources — and the rules of what may be
stored, and of finding a linked claim again after edits, are the same for the reader, the exports and the import.
Pure: no store, no Textual.

Storage: the mark's record gets a top-level ``"evidence"`` list (``Mark.extra["evidence"]``; older factdesk versions
keep it untouched), each item one of::

    {"kind": "url", "url": "https://…", "added": ISO time, "reviewer": name}
    {"kind": "citation", "text": "one paragraph", "added": …, "reviewer": …}
    {"kind": "link", "relation": "supports" | "contradicts" | "updates" | "same_source",
     "article_id": …, "anchor": {"quote", "prefix", "suffix", "start", "end"}, "path": the article file, "added": …,
     "reviewer": …}

A typed link is the reviewer's, never the machine's: the comparison's matches ("Also in N sources") are computed
and never stored; links are stored, attributed and dated, shown under "Your links" with :data:`LINK_SYMBOL`, and
exported under their own names (``factdesk:relation`` in Web Annotation). A link names its claim by an anchor like a
mark's, so it is found again the same way after an edit (:func:`resolve_link`: same offsets, the quote moved, then the
fuzzy pass that refuses changed numbers and names; an edited article is found by its file).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

from factdesk.annotations.model import Anchor, ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark
from factdesk.annotations.review.anchor import LOCATORS, locate_fuzzy, span_for

__all__ = [
    "EVIDENCE_FIELD",
    "LINK_SYMBOL",
    "RELATIONS",
    "RELATION_LABEL",
    "URL_SCHEMES",
    "EvidenceError",
    "EvidenceItem",
    "check_citation",
    "check_link",
    "check_relation",
    "check_url",
    "citation_item",
    "evidence_of",
    "find_article",
    "link_item",
    "parse_item",
    "resolve_link",
    "stored_evidence",
    "url_item",
    "with_item",
    "without_item",
]

EVIDENCE_FIELD = "evidence"  # (one of storage.records.CONTENT_FIELDS: a mark with evidence alone stays on disk)
RELATIONS = ("supports", "contradicts", "updates", "same_source")
RELATION_LABEL = {
    "supports": "supports",
    "contradicts": "contradicts",
    "updates": "updates",
    "same_source": "same source",
}
LINK_SYMBOL = "→"  # the reviewer's own link; the machine's matches are "Also in N sources", with no arrow
URL_SCHEMES = ("http", "https", "doi", "file")
MAX_URL = 2048
MAX_CITATION = 2000


class EvidenceError(ValueError):
    """An item that cannot be stored; the message is one line for the reviewer."""


@dataclass(frozen=True)
class EvidenceItem:
    """One stored item, checked; ``position`` is its place in the stored list (what a removal names)."""

    kind: str  # "url", "citation" or "link"
    url: str = ""
    text: str = ""
    relation: str = ""
    article_id: str = ""
    anchor: Anchor | None = None
    path: str = ""
    added: str = ""
    reviewer: str = ""
    position: int = field(default=-1, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The stored shape (see the module's docstring)."""
        record: dict[str, Any] = {"kind": self.kind}
        if self.kind == "url":
            record["url"] = self.url
        elif self.kind == "citation":
            record["text"] = self.text
        else:
            anchor = self.anchor or Anchor("", "", "", 0, 0)
            record.update(
                relation=self.relation,
                article_id=self.article_id,
                anchor={
                    "quote": anchor.quote,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                    "start": anchor.start,
                    "end": anchor.end,
                },
                path=self.path,
            )
        record["added"] = self.added
        record["reviewer"] = self.reviewer
        return record

    @property
    def label(self) -> str:
        """A short line for a list: "URL https://…", "Citation: …", "→ supports: “quote”"."""
        if self.kind == "url":
            return f"URL {self.url}"
        if self.kind == "citation":
            return f"Citation: {self.text}"
        quote = self.anchor.quote if self.anchor else ""
        return f"{LINK_SYMBOL} {RELATION_LABEL.get(self.relation, self.relation)}: “{quote}”"

    def same_as(self, other: EvidenceItem) -> bool:
        """The same evidence whoever added it when: the same URL, citation, or link (relation and claim)."""
        if self.kind != other.kind:
            return False
        if self.kind == "url":
            return self.url == other.url
        if self.kind == "citation":
            return self.text == other.text
        mine, theirs = self.anchor, other.anchor
        return (
            self.relation == other.relation
            and self.article_id == other.article_id
            and mine is not None
            and theirs is not None
            and (mine.quote, mine.start) == (theirs.quote, theirs.start)
        )

    def detail(self, verb: str) -> str:
        """The history's line for this item: "URL added", "citation removed", "link added (supports)"."""
        if self.kind == "link":
            return f"link {verb} ({RELATION_LABEL.get(self.relation, self.relation)})"
        return f"{'URL' if self.kind == 'url' else 'citation'} {verb}"


# --- checking what a reviewer types --------------------------------------------------------------------------


def _has_controls(text: str) -> bool:
    """Control, format (bidi, zero-width) or separator characters other than a plain space."""
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def check_url(text: str) -> str:
    """The URL to store (trimmed; a bare DOI "10.…/…" becomes "doi:10.…/…"), or :class:`EvidenceError` saying why.

    Only http, https, doi and file: a ``javascript:`` or ``data:`` address must never reach a brief or a browser;
    no control or invisible character, no space inside.
    """
    if not isinstance(text, str):
        raise EvidenceError("a URL is text")
    url = text.strip()
    if not url:
        raise EvidenceError("type a URL (http, https, doi or file)")
    if _has_controls(url):
        raise EvidenceError("a URL may not hold control or invisible characters")
    if any(ch.isspace() for ch in url):
        raise EvidenceError("a URL may not hold spaces")
    if len(url) > MAX_URL:
        raise EvidenceError(f"a URL of at most {MAX_URL} characters")
    if url.startswith("10.") and "/" in url:
        url = "doi:" + url
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise EvidenceError(f"not a URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        raise EvidenceError("a URL starts with http://, https://, doi: or file:")
    if scheme in ("http", "https") and not parts.hostname:
        raise EvidenceError(f"{scheme}: needs a host (https://example.org/page)")
    if scheme == "doi" and not url[4:].lstrip("/"):
        raise EvidenceError("doi: needs the DOI (doi:10.1000/182)")
    if scheme == "file" and not parts.path:
        raise EvidenceError("file: needs a path (file:///home/me/report.pdf)")
    return url


def check_citation(text: str) -> str:
    """The citation to store: one paragraph (line breaks and runs of spaces become one space), or why not."""
    if not isinstance(text, str):
        raise EvidenceError("a citation is text")
    flat = " ".join(text.split())
    if not flat:
        raise EvidenceError("type the citation (author, title, where, when)")
    if _has_controls(flat):
        raise EvidenceError("a citation may not hold control or invisible characters")
    if len(flat) > MAX_CITATION:
        raise EvidenceError(f"a citation of at most {MAX_CITATION} characters")
    return flat


def check_relation(relation: str) -> str:
    """One of :data:`RELATIONS` ("same source" is read as "same_source")."""
    value = relation.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(relation, str) else ""
    if value not in RELATIONS:
        raise EvidenceError(f"a link is one of: {', '.join(RELATION_LABEL.values())}")
    return value


def check_link(source: ClaimRef, target: ClaimRef | None) -> ClaimRef:
    """The claim ``source`` may be linked to: there must be one, and not ``source`` itself (a claim of the same
    article is allowed: a story may contradict itself)."""
    if target is None:
        raise EvidenceError("put the other pane's cursor on the claim to link to (tab, then j/k)")
    if target == source:
        raise EvidenceError("a claim cannot be linked to itself: move the other pane to another claim")
    return target


def url_item(url: str, *, reviewer: str, added: str) -> EvidenceItem:
    return EvidenceItem("url", url=check_url(url), added=added, reviewer=reviewer)


def citation_item(text: str, *, reviewer: str, added: str) -> EvidenceItem:
    return EvidenceItem("citation", text=check_citation(text), added=added, reviewer=reviewer)


def link_item(
    relation: str, article_id: str, anchor: Anchor, *, path: str = "", reviewer: str, added: str
) -> EvidenceItem:
    """A typed link to the claim ``anchor`` names in article ``article_id`` (``path``: its file, to find it after an
    edit changes its id)."""
    if not isinstance(article_id, str) or not article_id:
        raise EvidenceError("a link needs the other claim's article")
    if not isinstance(anchor, Anchor) or not anchor.quote:
        raise EvidenceError("a link needs the other claim's text")
    return EvidenceItem(
        "link",
        relation=check_relation(relation),
        article_id=article_id,
        anchor=anchor,
        path=path,
        added=added,
        reviewer=reviewer,
    )


# --- reading what is stored -----------------------------------------------------------------------------------


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise TypeError(key)
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def parse_item(raw: Any, position: int = -1) -> EvidenceItem | None:
    """The item a stored entry describes, checked as when it was typed; ``None`` for anything malformed (a hand edit,
    a newer writer: skipped, and left in the record untouched)."""
    if not isinstance(raw, Mapping):
        return None
    try:
        kind = raw.get("kind")
        added, reviewer = _text(raw, "added"), _text(raw, "reviewer")
        if kind == "url":
            item = url_item(_text(raw, "url"), reviewer=reviewer, added=added)
        elif kind == "citation":
            item = citation_item(_text(raw, "text"), reviewer=reviewer, added=added)
        elif kind == "link":
            spot = raw["anchor"]
            anchor = Anchor(
                quote=_text(spot, "quote"),
                prefix=_text(spot, "prefix"),
                suffix=_text(spot, "suffix"),
                start=_int(spot["start"]),
                end=_int(spot["end"]),
            )
            item = link_item(
                _text(raw, "relation"),
                _text(raw, "article_id"),
                anchor,
                path=_text(raw, "path"),
                reviewer=reviewer,
                added=added,
            )
        else:
            return None
    except (EvidenceError, KeyError, TypeError, AttributeError):
        return None
    return EvidenceItem(**{**item.__dict__, "position": position})


def stored_evidence(mark: Mark | None) -> list[Any]:
    """The mark's stored evidence list as it is (every entry, readable or not); ``[]`` for none."""
    value = mark.extra.get(EVIDENCE_FIELD) if mark is not None else None
    return list(value) if isinstance(value, list) else []


def evidence_of(mark: Mark | None) -> list[EvidenceItem]:
    """The mark's readable evidence items, in the order they were added."""
    found = (parse_item(raw, position) for position, raw in enumerate(stored_evidence(mark)))
    return [item for item in found if item is not None]


def with_item(stored: Sequence[Any], item: EvidenceItem) -> list[Any]:
    """``stored`` with ``item`` appended; :class:`EvidenceError` when the same evidence is already there."""
    for position, raw in enumerate(stored):
        existing = parse_item(raw, position)
        if existing is not None and existing.same_as(item):
            raise EvidenceError(f"already there: {existing.label}")
    return [*stored, item.to_json()]


def without_item(stored: Sequence[Any], position: int) -> list[Any] | None:
    """``stored`` without the entry at ``position`` (``None`` when the list becomes empty: the field goes)."""
    if not 0 <= position < len(stored):
        raise EvidenceError("that evidence is no longer there")
    rest = [raw for index, raw in enumerate(stored) if index != position]
    return rest or None


# --- following a link -----------------------------------------------------------------------------------------


def find_article(corpus: CorpusAnalysis, article_id: str, path: str = "") -> ArticleAnalysis | None:
    """The linked article: by its id, else (the file was edited since) the corpus article of the same file, else of
    the same file name when only one has it — as marks of an edited article are found (``Review``)."""
    found = corpus.by_id(article_id)
    if found is not None or not path:
        return found
    resolved = _resolved(path)
    named = [a for a in corpus.articles if PurePath(a.article.path).name == PurePath(path).name]
    for analysis in named:
        if _resolved(str(analysis.article.path)) == resolved:
            return analysis
    return named[0] if len(named) == 1 else None


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except (OSError, ValueError):
        return path


def resolve_link(item: EvidenceItem, corpus: CorpusAnalysis) -> ClaimRef | None:
    """The claim a link names now, or ``None`` when it cannot be found (the caller shows the stored quote).

    The same passes that re-attach marks (``review/anchor.py``): the same offsets, the quote moved, then the fuzzy
    pass over the article's claims (which refuses a claim whose numbers or names changed).
    """
    if item.kind != "link" or item.anchor is None:
        return None
    analysis = find_article(corpus, item.article_id, item.path)
    if analysis is None or not analysis.claims:
        return None
    text = analysis.article.text
    spans = [(s.start, s.end) for s in analysis.claims]
    locators: list[Callable[[Anchor, str], tuple[int, int] | None]] = list(LOCATORS)
    for locate in locators:
        found = locate(item.anchor, text)
        position = span_for(found, spans) if found is not None else None
        if position is not None:
            return ClaimRef(analysis.article.id, analysis.claims[position].index)
    found = locate_fuzzy(item.anchor, text, spans)
    position = span_for(found, spans) if found is not None else None
    return ClaimRef(analysis.article.id, analysis.claims[position].index) if position is not None else None
