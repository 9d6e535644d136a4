"""Fragments: a mark on part of a claim (or on a span of two adjacent sentences), anchored on its own.

Why: a claim often holds one false figure in an otherwise sound sentence (AletheiaFact's issue #1092); a verdict on
the whole sentence says too much. A fragment mark is an ordinary stored mark whose :class:`~factdesk.annotations.model.
Anchor` is the fragment's own text span (quote, context, offsets: :func:`~factdesk.annotations.review.anchor.
make_anchor`) plus the record field ``"fragment"`` naming the claim it belongs to (``claim_start``/``claim_end``: the
claim's span; a two-sentence fragment covers both, and lists them in ``sentences``). Its identity (article, quote,
start, reviewer) differs from the claim's own mark, so a reviewer holds a whole-claim mark and several fragments.

Here, with no Textual: the word steps of the selection (:class:`Selection`), the record field, and placing fragment
marks again after a re-analysis or an edit — the exact locators the claim marks use, then a fuzzy pass that looks
for the quote's words inside a claim (a claim's own fuzzy pass compares whole sentences), refusing changed numbers
or names (:func:`~factdesk.annotations.review.anchor.same_facts`); a fragment found nowhere is an orphan, kept.
Fragments never count in a claim's verdict, counts or agreement: :class:`~factdesk.annotations.review.review.Review`
takes them out before it places the claim marks.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from factdesk.annotations.model import ClaimRef, Mark, Sentence
from factdesk.annotations.review.anchor import (
    FUZZY_THRESHOLD,
    context_score,
    locate_at_offsets,
    locate_moved,
    same_facts,
)

__all__ = [
    "FRAGMENT_FIELD",
    "FragmentBook",
    "PlacedFragment",
    "Selection",
    "checked_fragment_field",
    "fragment_field",
    "is_fragment",
    "locate_fragment_fuzzy",
    "place_fragments",
    "split_fragments",
    "word_spans",
]

FRAGMENT_FIELD = "fragment"
Span = tuple[int, int]

_TOKEN = re.compile(r"\S+")
# Punctuation a word step leaves out at a word's edges ("fled," → "fled"; “Yes” → Yes).
_EDGE = "\"'“”‘’«»„‚‹›()[]{}<>,.;:!?…—–-*_"
_WORD = re.compile(r"\w+")
#: How much the old context around a fuzzy candidate weighs beside its likeness to the quote (locate_fragment_fuzzy).
CONTEXT_WEIGHT = 0.25


def word_spans(text: str, start: int, end: int) -> list[Span]:
    """The words of ``text[start:end]`` as offsets, edge punctuation left out (a lone dash is no word)."""
    words: list[Span] = []
    for match in _TOKEN.finditer(text, start, end):
        lo, hi = match.span()
        while lo < hi and text[lo] in _EDGE:
            lo += 1
        while hi > lo and text[hi - 1] in _EDGE:
            hi -= 1
        if lo < hi:
            words.append((lo, hi))
    return words


# --------------------------------------------------------------------------- the selection (word steps)


@dataclass(frozen=True)
class Selection:
    """Words ``first``..``last`` (inclusive) of one claim, or of a claim and the next sentence.

    Every step returns a new selection and never leaves the words it has; the span is from the first word's
    start to the last word's end (the punctuation inside kept, the edges' left out).
    """

    claims: tuple[Span, ...]  # the sentence spans it may cover (one, or two adjacent)
    words: tuple[Span, ...]  # their words, in order
    first: int = 0
    last: int = 0
    sentence_words: int = 0  # how many of ``words`` are the first sentence's

    @classmethod
    def of(cls, text: str, claim: Span) -> Selection:
        """The claim's first word selected."""
        words = tuple(word_spans(text, *claim)) or (claim,)
        return cls((claim,), words, 0, 0, len(words))

    @property
    def span(self) -> Span:
        return self.words[self.first][0], self.words[self.last][1]

    @property
    def two_sentences(self) -> bool:
        return len(self.claims) > 1

    @property
    def whole(self) -> bool:
        """The selection is its claim exactly: that is the claim's own mark, not a fragment."""
        return not self.two_sentences and self.span == self.claims[0]

    def quote(self, text: str) -> str:
        start, end = self.span
        return text[start:end]

    def _with(self, first: int, last: int) -> Selection:
        first = max(0, min(first, len(self.words) - 1))
        last = max(first, min(last, len(self.words) - 1))
        return replace(self, first=first, last=last)

    def extend_end(self) -> Selection:
        return self._with(self.first, self.last + 1)

    def shrink_end(self) -> Selection:
        return self._with(self.first, max(self.first, self.last - 1))

    def shrink_start(self) -> Selection:
        return self._with(min(self.first + 1, self.last), self.last)

    def extend_start(self) -> Selection:
        return self._with(self.first - 1, self.last)

    def next_word(self) -> Selection:
        """Start = end = the word after the selection (the last word stays when there is none)."""
        following = min(self.last + 1, len(self.words) - 1)
        return self._with(following, following)

    def spanning(self, text: str, following: Span) -> Selection:
        """Reach into the next sentence ``following``: its words join, the end moves to its first word."""
        if self.two_sentences:
            return self
        added = tuple(word_spans(text, *following))
        if not added:
            return self
        joined = replace(self, claims=(*self.claims, following), words=self.words + added)
        return joined._with(self.first, max(self.last, self.sentence_words))

    def one_sentence(self) -> Selection:
        """Back to the first sentence (the selection clipped to it)."""
        if not self.two_sentences:
            return self
        count = self.sentence_words
        clipped = replace(self, claims=self.claims[:1], words=self.words[:count])
        return clipped._with(min(self.first, count - 1), min(self.last, count - 1))

    def field(self) -> dict[str, Any]:
        """The record's ``"fragment"`` field for this selection (see :func:`fragment_field`)."""
        return fragment_field(self.claims)


def fragment_field(claims: Sequence[Span]) -> dict[str, Any]:
    """``{"claim_start", "claim_end"}``: the claim the fragment belongs to (from the first sentence's start to the
    last one's end); a two-sentence fragment also lists both sentences as ``"sentences"``."""
    field: dict[str, Any] = {"claim_start": claims[0][0], "claim_end": claims[-1][1]}
    if len(claims) > 1:
        field["sentences"] = [[start, end] for start, end in claims]
    return field


def checked_fragment_field(value: Any) -> dict[str, Any] | None:
    """``value`` as a sound ``"fragment"`` field (offsets as non-negative ints, ``sentences`` pairs), else ``None``:
    what an import may take from a file it did not write."""
    if not isinstance(value, dict):
        return None
    start, end = value.get("claim_start"), value.get("claim_end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        return None
    if not 0 <= start <= end:
        return None
    field: dict[str, Any] = {"claim_start": start, "claim_end": end}
    sentences = value.get("sentences")
    if isinstance(sentences, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
        for pair in sentences
    ):
        field["sentences"] = [list(pair) for pair in sentences]
    return field


def is_fragment(mark: Mark) -> bool:
    return isinstance(mark.extra.get(FRAGMENT_FIELD), dict)


def split_fragments(marks: Iterable[Mark]) -> tuple[list[Mark], list[Mark]]:
    """``(claim marks, fragment marks)``, each in input order."""
    whole: list[Mark] = []
    parts: list[Mark] = []
    for mark in marks:
        (parts if is_fragment(mark) else whole).append(mark)
    return whole, parts


# --------------------------------------------------------------------------- placing fragment marks


@dataclass(frozen=True)
class PlacedFragment:
    """A fragment mark where it is now: ``span`` (its text), ``refs`` the claims it lies in (home first)."""

    mark: Mark
    span: Span
    refs: tuple[ClaimRef, ...]
    how: str  # "exact", "moved" or "fuzzy"

    @property
    def ref(self) -> ClaimRef:
        return self.refs[0]


def _overlapping(found: Span, claims: Sequence[Sentence], starts: Sequence[int]) -> list[Sentence]:
    """The claims ``found`` overlaps, in order (claims are sorted and do not overlap each other)."""
    start, end = found
    position = max(bisect_right(starts, start) - 1, 0)
    hits: list[Sentence] = []
    for sentence in claims[position:]:
        if sentence.start >= end:
            break
        if sentence.end > start and min(end, sentence.end) > max(start, sentence.start):
            hits.append(sentence)
    return hits


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def locate_fragment_fuzzy(
    mark: Mark, text: str, claims: Sequence[Sentence], threshold: float = FUZZY_THRESHOLD
) -> Span | None:
    """Where an edited fragment's words are now: inside one claim (or two adjacent ones, for a two-sentence
    fragment) the run of whole words, about as many as the quote's, most like the quote — if it is like enough and
    states the same numbers and names. Ranked by similarity plus a share for the old context still around it (a
    shorter run is always a little more like a quote with a changed word; the context says where the fragment
    ends), then nearness to the old place.

    Only claims sharing at least half the quote's words are compared (a set look-up each), so an article costs a
    pass over its claims, and a difflib run only for the runs of those few.
    """
    anchor = mark.anchor
    quote = anchor.quote.strip()
    wanted = {w.lower() for w in _WORD.findall(quote)}
    if not quote or not wanted:
        return None
    need = (len(wanted) + 1) // 2
    two = isinstance(mark.extra.get(FRAGMENT_FIELD), dict) and "sentences" in mark.extra[FRAGMENT_FIELD]
    windows: list[Span] = [(s.start, s.end) for s in claims]
    if two:
        windows += [(a.start, b.end) for a, b in pairwise(claims)]
    count = len(word_spans(quote, 0, len(quote)))
    context = max(len(anchor.prefix) + len(anchor.suffix), 1)
    best: tuple[float, float, int, Span] | None = None
    for start, end in windows:
        if len(wanted & {w.lower() for w in _WORD.findall(text[start:end])}) < need:
            continue
        words = word_spans(text, start, end)
        for first in range(len(words)):  # runs of about the quote's length (a word more or less), each compared
            for size in (count - 1, count, count + 1):
                if size < 1 or first + size > len(words):
                    continue
                lo, hi = words[first][0], words[first + size - 1][1]
                ratio = _similarity(quote, text[lo:hi])
                if ratio < threshold or not same_facts(quote, text[lo:hi]):
                    continue
                kept = context_score(anchor, text, lo, hi) / context  # the old context around it (0..1)
                rank = (round(ratio + CONTEXT_WEIGHT * kept, 3), kept, -abs(lo - anchor.start), (lo, hi))
                if best is None or rank > best:
                    best = rank
    return None if best is None else best[3]


def place_fragments(
    marks: Sequence[Mark], article_id: str, text: str, claims: Sequence[Sentence], *, fuzzy: bool = True
) -> tuple[list[PlacedFragment], list[Mark]]:
    """Place each fragment mark on the claims of ``text``: same offsets, else the same quote nearest its old place
    with the best context, else (``fuzzy``) its edited words inside a claim. A fragment that lands on no claim (its
    sentence deleted, or now a heading) is an orphan. Returns the placed fragments and the orphans, in input order.
    """
    starts = [s.start for s in claims]
    placed: list[PlacedFragment] = []
    orphans: list[Mark] = []
    for mark in marks:
        how = "exact"
        found = locate_at_offsets(mark.anchor, text)
        if found is None:
            how, found = "moved", locate_moved(mark.anchor, text)
        if found is None and fuzzy:
            how, found = "fuzzy", locate_fragment_fuzzy(mark, text, claims)
        hits = _overlapping(found, claims, starts) if found is not None else []
        if found is None or not hits:
            orphans.append(mark)
            continue
        placed.append(PlacedFragment(mark, found, tuple(ClaimRef(article_id, s.index) for s in hits), how))
    return placed, orphans


class FragmentBook:
    """The placed fragment marks of a review, found by the claims they lie in (a two-sentence fragment under both).

    Kept apart from the claims' own marks: nothing here counts in a claim's verdict.
    """

    def __init__(self) -> None:
        self._by_article: dict[str, list[PlacedFragment]] = {}
        self._by_claim: dict[ClaimRef, list[PlacedFragment]] = {}

    def set_article(self, article_id: str, fragments: Iterable[PlacedFragment]) -> None:
        """Replace ``article_id``'s fragments (after a load or a change)."""
        for old in self._by_article.pop(article_id, []):
            for ref in old.refs:
                self._by_claim.pop(ref, None)
        ordered = sorted(fragments, key=lambda f: (f.span, f.mark.reviewer))
        if ordered:
            self._by_article[article_id] = ordered
        for fragment in ordered:
            for ref in fragment.refs:
                self._by_claim.setdefault(ref, []).append(fragment)

    def on(self, ref: ClaimRef) -> list[PlacedFragment]:
        """The fragments lying in claim ``ref`` (its own first, then one reaching in from the claim before)."""
        return list(self._by_claim.get(ref, ()))

    def has(self, ref: ClaimRef) -> bool:
        return ref in self._by_claim

    def in_article(self, article_id: str) -> list[PlacedFragment]:
        return list(self._by_article.get(article_id, ()))

    def all(self) -> list[PlacedFragment]:
        return [fragment for fragments in self._by_article.values() for fragment in fragments]

    def of(self, ref: ClaimRef) -> list[PlacedFragment]:
        """The fragments whose home is ``ref`` (a two-sentence fragment belongs to its first sentence)."""
        return [fragment for fragment in self._by_claim.get(ref, ()) if fragment.ref == ref]
