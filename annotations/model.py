"""Plain data shared by every layer: articles, sentences, spans, numbers, marks.

Frozen dataclasses so that analysis results can be cached and shared between
threads without defensive copies. Offsets are always Python string indices into
``Article.text`` (the file's text exactly as ``Path.read_text(encoding="utf-8")``
returns it), never into the reflowed display text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Literal

SentenceKind = Literal["claim", "heading", "boilerplate"]
EntityLabel = Literal["PERSON", "ORG", "LOC", "NORP", "DATE"]
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "LOC", "NORP", "DATE")

NumberValue = float | tuple[float, float]


class Status(str, Enum):
    """A reviewer's verdict on a claim. ``UNREVIEWED`` is the absence of a mark.

    Verified and disputed are the two primary verdicts (keys ``v`` and ``d``); the other three are Meedan Check's
    and ClaimReview's common ratings. Their order, words, symbols and ratings: ``annotations.review.verdicts``.
    """

    UNREVIEWED = "unreviewed"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    MISLEADING = "misleading"
    UNVERIFIABLE = "unverifiable"
    NEEDS_CONTEXT = "needs_context"


@dataclass(frozen=True)
class Article:
    """One source file, decoded. ``id`` is a content hash so marks survive renames."""

    id: str
    path: Path
    text: str
    title: str
    source: str
    encoding: str = "utf-8"
    notice: str | None = None  # e.g. "decoded as cp1252" — shown to the reviewer
    # Outlet identity (annotations/text/outlet.py). ``source`` above is the outlet's
    # name; these say where it came from and what else the text states about itself.
    outlet_source: str = "file name"  # "front matter", "copyright", "dateline", … or "reviewer"
    date: str | None = None
    url: str | None = None
    author: str | None = None
    wire: str | None = None  # wire agency the text credits ("AP", "Reuters"), for syndication


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    kind: SentenceKind


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # one of ENTITY_LABELS


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    text: str
    value: NumberValue
    unit: str | None = None
    qualifier: str | None = None  # "nearly", "over", "as many as", "within", "at least" …


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything the analysis knows about one article."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    numbers: tuple[NumberMention, ...]

    @cached_property
    def claims(self) -> tuple[Sentence, ...]:
        """The sentences the reviewer marks, in order: computed once per analysis.

        Why cached: the reader asks for it for every sentence of every line it draws (the cursor, the inspector,
        the gutter); rebuilt each time, one screen of a 60,000-sentence article took half a second. The record is
        frozen, so the answer cannot go stale; equality and hashing still read only the fields.
        """
        return tuple(s for s in self.sentences if s.kind == "claim")

    @cached_property
    def _claim_positions(self) -> dict[int, int]:
        return {sentence.index: position for position, sentence in enumerate(self.claims)}

    def claim_position(self, sentence_index: int) -> int | None:
        """Where sentence ``sentence_index`` is among :attr:`claims` (0-based), None when it is not a claim.

        A dict made once per analysis: the reader looks positions up on every key and click.
        """
        return self._claim_positions.get(sentence_index)

    def sentence(self, index: int) -> Sentence | None:
        """The sentence whose ``index`` is ``index`` (None when there is none): the one at that position, as the
        analysis numbers them, else the first so numbered (a dict made once, never a scan per call)."""
        sentences = self.sentences
        if 0 <= index < len(sentences) and sentences[index].index == index:
            return sentences[index]
        return self._sentences_by_index.get(index)

    @cached_property
    def _sentences_by_index(self) -> dict[int, Sentence]:
        found: dict[int, Sentence] = {}
        for sentence in self.sentences:
            found.setdefault(sentence.index, sentence)
        return found

    def sentence_text(self, sentence: Sentence) -> str:
        return self.article.text[sentence.start : sentence.end]

    @cached_property
    def _entity_starts(self) -> list[int]:
        return [e.start for e in self.entities]

    @cached_property
    def _number_starts(self) -> list[int]:
        return [n.start for n in self.numbers]

    def entities_in(self, sentence: Sentence) -> list[Entity]:
        """Entities inside ``sentence`` (a bisect: entities are sorted by start)."""
        first = bisect_left(self._entity_starts, sentence.start)
        last = bisect_left(self._entity_starts, sentence.end)
        return [e for e in self.entities[first:last] if e.end <= sentence.end]

    def numbers_in(self, sentence: Sentence) -> list[NumberMention]:
        first = bisect_left(self._number_starts, sentence.start)
        last = bisect_left(self._number_starts, sentence.end)
        return [n for n in self.numbers[first:last] if n.end <= sentence.end]


@dataclass(frozen=True)
class ClaimRef:
    """A claim addressed across the corpus: article id plus sentence index."""

    article: str
    sentence: int


@dataclass(frozen=True)
class Match:
    a: ClaimRef
    b: ClaimRef
    score: float


@dataclass(frozen=True)
class FigureRecord:
    """One number in a claim, read as a figure: what it counts, where, when, says who, in which outlet.

    Why: two sources disagree only when they give the same measure for the same (or a nested) scope with
    intervals that cannot both hold; a different time or a different source explains a difference rather
    than making one. ``low``/``high`` are the interval the wording allows ("at least 5,000" is
    [5000, inf), "nearly 300" is [~270, 300)); empty strings mean "not stated".
    """

    ref: ClaimRef
    number: NumberMention
    low: float
    high: float
    bound: str  # "exact", "about", "at least", "more than", "at most", "less than", "nearly", "range"
    measure: str  # what is counted: "people killed", "people missing", "seats", "magnitude", "money" …; "" unknown
    scope: str  # where or which group ("Turkey", "the state", "Labour"); "" = the story as a whole
    time: str  # the time the figure refers to ("by Wednesday morning", "since late November"), else ""
    attribution: str  # who gives it ("the UN", "officials"), else ""
    outlet: str  # the article's outlet (its display name)


@dataclass(frozen=True)
class ConflictMention:
    ref: ClaimRef
    number: NumberMention
    time: str = ""  # the figure's time and attribution (see FigureRecord), for the explanation
    attribution: str = ""


EXPLANATION_KINDS = ("none", "time", "source", "time+source")


@dataclass(frozen=True)
class Conflict:
    """Figures for one measure × scope that differ. ``explanation`` says what may account for the difference:
    "time" (counted at different times), "source" (given by different bodies), both, or "none" (a plain
    contradiction); ``explanation_text`` spells it out ("by time: 217 on Wednesday, 273 three days later")."""

    summary: str
    mentions: tuple[ConflictMention, ...]
    measure: str = ""
    scope: str = ""
    explanation: str = "none"  # one of EXPLANATION_KINDS
    explanation_text: str = ""


@dataclass(frozen=True)
class AliasGroup:
    canonical: str
    label: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class CopyGroup:
    """Articles that are copies of one story (syndicated wire text): one independent source, not several.

    ``shared_passages`` is the evidence: how many long word-for-word passages the copies share (the
    fewest over the group's joined pairs); ``wire`` the agency they all credit, when they do.
    """

    articles: tuple[str, ...]  # article ids, in corpus order
    shared_passages: int
    wire: str | None = None


@dataclass(frozen=True)
class CorpusAnalysis:
    articles: tuple[ArticleAnalysis, ...]
    matches: tuple[Match, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    aliases: tuple[AliasGroup, ...] = ()
    copy_groups: tuple[CopyGroup, ...] = ()  # see factdesk.annotations.compare.syndication
    figures: tuple[FigureRecord, ...] = ()  # every figure in a claim, in corpus order (see compare/figures.py)

    @cached_property
    def _by_id(self) -> dict[str, ArticleAnalysis]:
        found: dict[str, ArticleAnalysis] = {}
        for analysis in self.articles:
            found.setdefault(analysis.article.id, analysis)  # the first one, as a scan would find
        return found

    def by_id(self, article_id: str) -> ArticleAnalysis | None:
        """The analysis of article ``article_id`` (a dict made once: callers look up per claim)."""
        return self._by_id.get(article_id)


@dataclass(frozen=True)
class Anchor:
    """Where a mark sits: the claim's exact text, a little context, and its offsets.

    Quote + context let a mark re-attach after a re-analysis splits sentences
    differently or the file is edited; the offsets are the tie-breaker.
    """

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Mark:
    """A reviewer's verdict and/or note on one claim, as stored."""

    article_id: str
    anchor: Anchor
    status: Status
    note: str = ""
    reviewer: str = ""
    updated: str = ""  # ISO 8601 UTC timestamp
    extra: dict = field(default_factory=dict, compare=False, hash=False)
