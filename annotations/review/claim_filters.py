"""The claims list's filters: which claims match, and how many each filter value would match (pure, no Textual).

The reader's ``l`` lists every claim of the corpus, narrowed by verdict, reviewer, outlet, entity and four flags
("has note", "has evidence", "in a conflict", "unreviewed"). Kinds combine with AND; within a kind (verdicts,
reviewers, outlets, entities) the chosen values are a set (any of them). Each value shows how many claims it would
match given the other kinds' filters, so a reviewer sees where a toggle leads before pressing it.

Why an index of integer sets: 500 articles hold 60,000 claims. The index is built once per opening of the list
(one pass over the claims and one over the marks); a toggle is then a few set intersections and a sort of the
result, never a walk over the articles, the marks or the log.

A claim's number is its place in reading order (article by article, claim by claim), so sorting the matched
numbers gives the reading order back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

from factdesk.annotations.model import ClaimRef, CorpusAnalysis, Mark, Sentence, Status
from factdesk.annotations.review.review import Review
from factdesk.annotations.review.verdicts import VERDICTS

# The four flags, each a filter kind of its own (on or off), in the order the list shows them.
NOTE = "note"
EVIDENCE = "evidence"
CONFLICT = "conflict"
UNREVIEWED = "unreviewed"
FLAGS: tuple[str, ...] = (NOTE, EVIDENCE, CONFLICT, UNREVIEWED)
FLAG_LABEL: dict[str, str] = {
    NOTE: "has note",
    EVIDENCE: "has evidence",
    CONFLICT: "in a conflict",
    UNREVIEWED: "unreviewed",
}

# The kinds whose values form a set.
VERDICT = "verdict"
REVIEWER = "reviewer"
OUTLET = "outlet"
ENTITY = "entity"
SET_KINDS: tuple[str, ...] = (VERDICT, REVIEWER, OUTLET, ENTITY)


@dataclass(frozen=True)
class ClaimFilters:
    """What the list is narrowed to: per kind the chosen values (empty: that kind does not filter), and the flags on."""

    verdicts: frozenset[Status] = frozenset()
    reviewers: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.verdicts or self.reviewers or self.outlets or self.entities or self.flags)

    def chosen(self, kind: str) -> frozenset:
        """The values chosen for a set kind (``VERDICT``, ``REVIEWER``, ``OUTLET``, ``ENTITY``)."""
        return {
            VERDICT: self.verdicts,
            REVIEWER: self.reviewers,
            OUTLET: self.outlets,
            ENTITY: self.entities,
        }[kind]

    def with_values(self, kind: str, values: Iterable[object]) -> ClaimFilters:
        """These filters with ``kind``'s chosen values replaced by ``values`` (empty: the kind no longer filters)."""
        chosen = frozenset(values)
        if kind == VERDICT:
            return replace(self, verdicts=frozenset(Status(value) for value in chosen))
        if kind == REVIEWER:
            return replace(self, reviewers=frozenset(str(value) for value in chosen))
        if kind == OUTLET:
            return replace(self, outlets=frozenset(str(value) for value in chosen))
        if kind == ENTITY:
            return replace(self, entities=frozenset(str(value) for value in chosen))
        raise KeyError(kind)

    def toggled(self, kind: str, value: object) -> ClaimFilters:
        """``value`` added to ``kind``'s set, or taken out of it when it was there."""
        chosen = self.chosen(kind)
        return self.with_values(kind, chosen - {value} if value in chosen else chosen | {value})

    def cycled(self, kind: str, values: tuple) -> ClaimFilters:
        """The next single value of ``values`` for ``kind`` (none chosen → the first; the last → none): the ``v``
        and ``r`` keys step through the verdicts and the reviewers this way."""
        chosen = self.chosen(kind)
        if len(chosen) != 1 or next(iter(chosen)) not in values:
            return self.with_values(kind, values[:1] if not chosen else ())
        following = values.index(next(iter(chosen))) + 1
        return self.with_values(kind, values[following : following + 1])

    def flag_toggled(self, flag: str) -> ClaimFilters:
        return replace(self, flags=self.flags ^ {flag})


class _Refs(Sequence[ClaimRef]):
    """Claim number → ``ClaimRef``, each made when asked for: the list draws a screenful of 60,000 claims, and making
    them all up front was most of the index's cost."""

    def __init__(self) -> None:
        self._articles: list[str] = []  # per claim number: its article id (one shared string per article)
        self._sentences: list[int] = []  # and its sentence index

    def add(self, article_id: str, claims: Sequence[Sentence]) -> None:
        self._articles.extend([article_id] * len(claims))
        self._sentences.extend(sentence.index for sentence in claims)

    def __len__(self) -> int:
        return len(self._sentences)

    @overload
    def __getitem__(self, number: int) -> ClaimRef: ...
    @overload
    def __getitem__(self, number: slice) -> list[ClaimRef]: ...
    def __getitem__(self, number: int | slice) -> ClaimRef | list[ClaimRef]:
        if isinstance(number, slice):
            return [ClaimRef(a, s) for a, s in zip(self._articles[number], self._sentences[number], strict=True)]
        return ClaimRef(self._articles[number], self._sentences[number])


class ClaimIndex:
    """Every claim of a corpus by number (reading order), with the claim numbers behind each filter value.

    Made by :meth:`build` (or :func:`index_review`); the entity values come later (:meth:`add_entities`).
    """

    def __init__(self, analysis: CorpusAnalysis) -> None:
        self.analysis = analysis
        self.refs = _Refs()
        self.positions: list[int] = []  # each claim's place among its article's claims (0-based)
        self.articles: list[int] = []  # each claim's article, as its index in the analysis
        self.by_verdict: dict[Status, set[int]] = {status: set() for status in VERDICTS}  # the verdict shown
        self.by_reviewer: dict[str, set[int]] = {}  # claims the reviewer marked or noted
        self.by_outlet: dict[str, set[int]] = {}
        self.by_entity: dict[str, set[int]] = {}  # filled by add_entities, when first wanted
        self.by_flag: dict[str, set[int]] = {flag: set() for flag in FLAGS}
        self.shown: dict[int, Mark] = {}  # the mark the reader shows on a claim
        self.entities_known = False
        self._starts: dict[str, int] = {}  # article id → its first claim's number
        for article_index, article in enumerate(analysis.articles):
            article_id = article.article.id
            start = len(self.refs)
            self._starts.setdefault(article_id, start)
            claims = article.claims
            self.refs.add(article_id, claims)
            self.positions.extend(range(len(claims)))
            self.articles.extend([article_index] * len(claims))
            self.by_outlet.setdefault(article.article.source, set()).update(range(start, len(self.refs)))

    @property
    def size(self) -> int:
        return len(self.refs)

    def number(self, ref: ClaimRef) -> int | None:
        """``ref``'s claim number (None: not a claim of this corpus)."""
        start = self._starts.get(ref.article)
        article = self.analysis.by_id(ref.article)
        position = article.claim_position(ref.sentence) if article is not None else None
        return None if start is None or position is None else start + position

    # --- building --------------------------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        analysis: CorpusAnalysis,
        marks: Mapping[ClaimRef, Mapping[str, Mark]],
        shown: Mapping[ClaimRef, Mark],
        conflicted: Iterable[ClaimRef] = (),
    ) -> ClaimIndex:
        """The index of ``analysis``' claims: ``marks`` every reviewer's mark per claim, ``shown`` the one the reader
        shows (see ``Review.mark``), ``conflicted`` the claims a figure conflict names."""
        index = cls(analysis)
        reviewed: set[int] = set()
        for ref, mark in shown.items():
            number = index.number(ref)
            if number is None:
                continue
            index.shown[number] = mark
            status = Status(mark.status)
            if status is not Status.UNREVIEWED:
                index.by_verdict.setdefault(status, set()).add(number)
                reviewed.add(number)
        flags = index.by_flag
        for ref, reviewers in marks.items():
            number = index.number(ref)
            if number is None:
                continue
            for name, mark in reviewers.items():
                index.by_reviewer.setdefault(name, set()).add(number)
                if mark.note:
                    flags[NOTE].add(number)
                if has_evidence(mark):
                    flags[EVIDENCE].add(number)
        flags[CONFLICT] = {n for ref in conflicted if (n := index.number(ref)) is not None}
        flags[UNREVIEWED] = set(range(index.size)) - reviewed
        return index

    def add_entities(self, entities: Iterable[tuple[str, Iterable[ClaimRef]]]) -> None:
        """The entity filter's values: each entity's name with the claims that mention it (the reader's entity
        panel list, ``compare.crossref.entity_mentions``). Made on first use: grouping names costs a corpus pass."""
        by_entity: dict[str, set[int]] = {}
        for name, refs in entities:
            found = by_entity.setdefault(name, set())
            found.update(n for ref in refs if (n := self.number(ref)) is not None)
        self.by_entity = by_entity
        self.entities_known = True

    # --- asking --------------------------------------------------------------------------------------------------

    def values(self, kind: str) -> Mapping[Any, set[int]]:
        """Each value of a kind → the claims it matches (for ``kind`` a flag name: that flag → its claims)."""
        if kind in FLAGS:
            return {kind: self.by_flag.get(kind, set())}
        kinds: dict[str, Mapping[Any, set[int]]] = {
            VERDICT: self.by_verdict,
            REVIEWER: self.by_reviewer,
            OUTLET: self.by_outlet,
            ENTITY: self.by_entity,
        }
        return kinds[kind]

    def _kind_sets(self, filters: ClaimFilters) -> dict[str, set[int]]:
        """Each filtering kind's claims: the union of its chosen values' claims (a flag: its claims)."""
        sets: dict[str, set[int]] = {}
        for kind in SET_KINDS:
            chosen = filters.chosen(kind)
            if chosen:
                found = self.values(kind)
                sets[kind] = set().union(*(found.get(value, ()) for value in chosen))
        for flag in filters.flags:
            sets[flag] = self.by_flag.get(flag, set())
        return sets

    @staticmethod
    def _intersection(sets: Iterable[set[int]]) -> set[int] | None:
        """The claims in every one of ``sets`` (None: no set given, so every claim), smallest first."""
        ordered = sorted(sets, key=len)
        if not ordered:
            return None
        found = set(ordered[0])
        for other in ordered[1:]:
            found &= other
            if not found:
                break
        return found

    def matching(self, filters: ClaimFilters) -> list[int]:
        """The claims ``filters`` keeps, by number (reading order)."""
        found = self._intersection(self._kind_sets(filters).values())
        return list(range(self.size)) if found is None else sorted(found)

    def counts(self, filters: ClaimFilters, kind: str) -> dict[Any, int]:
        """For each value of ``kind`` (or the flag ``kind``), how many claims it would match given the other kinds'
        filters (the kind's own chosen values left out, so each value's count is what choosing it alone gives)."""
        sets = self._kind_sets(filters)
        sets.pop(kind, None)
        others = self._intersection(sets.values())
        values = self.values(kind)
        if others is None:
            return {value: len(claims) for value, claims in values.items()}
        return {value: len(claims & others) for value, claims in values.items()}


def has_evidence(mark: Mark) -> bool:
    """True when the mark's stored record carries a non-empty ``"evidence"`` list (read defensively: an older or a
    hand-edited record may lack it or hold something else)."""
    extra = getattr(mark, "extra", None)
    evidence = extra.get("evidence") if isinstance(extra, dict) else None
    return isinstance(evidence, list) and len(evidence) > 0


def index_review(review: Review, conflicted: Iterable[ClaimRef] | None = None) -> ClaimIndex:
    """The index of a review's corpus and marks (``conflicted``: the claims in a figure conflict; by default those the
    analysis' conflicts name, as ``compare.crossref.CrossIndex.conflicts`` answers per claim)."""
    analysis = review.analysis
    shown = review.marks()
    marks = {ref: review.verdicts(ref) for ref in shown}
    if conflicted is None:
        conflicted = (mention.ref for conflict in analysis.conflicts for mention in conflict.mentions)
    return ClaimIndex.build(analysis, marks, shown, conflicted)
