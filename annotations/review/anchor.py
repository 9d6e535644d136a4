"""Claim anchors: pin a mark to a claim's text so it survives edits and re-analysis.

Offsets alone break as soon as a paragraph is inserted or the sentence splitter
changes its mind; the quoted text alone is ambiguous when a sentence repeats. An
:class:`~factdesk.annotations.model.Anchor` keeps both (plus a little context), and
:func:`attach_marks` tries progressively looser ways to find each mark's claim again.

The strategies live in :data:`LOCATORS`, tried in order, each pass only for the marks
earlier passes could not place, so a sure match always beats a guess. A last, fuzzy pass
(:func:`locate_fuzzy`, as Hypothesis' TextQuoteSelector matching does) handles a claim
whose wording was edited — but refuses a match whose numbers or names differ from the
marked text: a verdict on "300,000 fled" must never land on "370,000 fled".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from factdesk.annotations.model import Anchor, Mark

__all__ = [
    "FUZZY_THRESHOLD",
    "LOCATORS",
    "Locator",
    "Placement",
    "attach_marks",
    "closest_span",
    "context_score",
    "facts",
    "inline_diff",
    "locate_at_offsets",
    "locate_fuzzy",
    "locate_moved",
    "make_anchor",
    "place_marks",
    "same_facts",
    "span_for",
]

Span = tuple[int, int]
#: Finds where an anchor's claim now sits in ``text``, or ``None``.
Locator = Callable[[Anchor, str], Span | None]


def make_anchor(text: str, start: int, end: int, context: int = 32) -> Anchor:
    """The anchor of ``text[start:end]`` with up to ``context`` characters either side."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} is outside a text of {len(text)} characters")
    if context < 0:
        raise ValueError("context must not be negative")
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def context_score(anchor: Anchor, text: str, start: int, end: int) -> int:
    """How many characters of the anchor's prefix/suffix still surround ``text[start:end]``.

    Counted outward from the quote (the nearest context matters most), so an edit
    far from the claim costs little.
    """
    score = 0
    before = text[max(0, start - len(anchor.prefix)) : start]
    for mine, theirs in zip(reversed(anchor.prefix), reversed(before), strict=False):
        if mine != theirs:
            break
        score += 1
    after = text[end : end + len(anchor.suffix)]
    for mine, theirs in zip(anchor.suffix, after, strict=False):
        if mine != theirs:
            break
        score += 1
    return score


def locate_at_offsets(anchor: Anchor, text: str) -> Span | None:
    """The claim is still exactly where it was."""
    if anchor.quote and text[anchor.start : anchor.end] == anchor.quote:
        return anchor.start, anchor.end
    return None


def locate_moved(anchor: Anchor, text: str) -> Span | None:
    """The exact quote elsewhere in the text: nearest to the old start, then best context."""
    quote = anchor.quote
    if not quote:
        return None
    best: tuple[int, int, int] | None = None  # (distance, -context, position)
    position = text.find(quote)
    while position != -1:
        rank = (
            abs(position - anchor.start),
            -context_score(anchor, text, position, position + len(quote)),
            position,
        )
        if best is None or rank < best:
            best = rank
        position = text.find(quote, position + 1)
    if best is None:
        return None
    return best[2], best[2] + len(quote)


#: Tried in order; a later pass only sees the marks earlier ones left unplaced.
#: A fuzzy locator (edited wording) belongs at the end of this tuple.
LOCATORS: tuple[Locator, ...] = (locate_at_offsets, locate_moved)


def span_for(found: Span, spans: Sequence[Span]) -> int | None:
    """The position in ``spans`` of the claim that holds the text at ``found``.

    An identical span first; else the smallest span containing it; else (sentences
    were split differently) the span overlapping it most, nearest start on a tie.
    """
    start, end = found
    containing: tuple[int, int] | None = None  # (length, position)
    overlapping: tuple[int, int, int] | None = None  # (-overlap, distance, position)
    for position, (s_start, s_end) in enumerate(spans):
        if (s_start, s_end) == (start, end):
            return position
        if s_start <= start and end <= s_end:
            rank = (s_end - s_start, position)
            if containing is None or rank < containing:
                containing = rank
            continue
        overlap = min(end, s_end) - max(start, s_start)
        if overlap > 0:
            rank3 = (-overlap, abs(s_start - start), position)
            if overlapping is None or rank3 < overlapping:
                overlapping = rank3
    if containing is not None:
        return containing[1]
    if overlapping is not None:
        return overlapping[2]
    return None


@dataclass(frozen=True)
class Placement:
    """Where a mark landed: the claim span's position, the text found, and by which pass."""

    position: int
    found: Span
    how: str  # "exact" (same offsets), "moved" (same quote elsewhere) or "fuzzy"
    mark: Mark


_PASS_NAMES: dict[Locator, str] = {locate_at_offsets: "exact", locate_moved: "moved"}


def _bind_text(locate: Locator, text: str) -> Callable[[Anchor], Span | None]:
    """``locate`` with the text fixed: a closure per locator (a lambda in the loop would share its variable)."""
    return lambda anchor: locate(anchor, text)


def place_marks(
    marks: list[Mark], text: str, spans: list[tuple[int, int]], *, fuzzy: bool = True
) -> tuple[dict[int, Placement], list[Mark]]:
    """Like :func:`attach_marks`, but says where and how each mark was found.

    After the exact locators, a fuzzy pass (unless ``fuzzy=False``) tries the claims no
    mark holds yet; see :func:`locate_fuzzy` for what it refuses.
    """
    placed: dict[int, Placement] = {}
    pending = list(range(len(marks)))
    passes: list[tuple[str, Callable[[Anchor], Span | None]]] = [
        (_PASS_NAMES.get(locate, getattr(locate, "__name__", "locator")), _bind_text(locate, text))
        for locate in LOCATORS
    ]
    if fuzzy:
        passes.append(("fuzzy", lambda a: locate_fuzzy(a, text, [s for i, s in enumerate(spans) if i not in placed])))
    for how, locate in passes:
        if not pending:
            break
        claims: dict[int, list[tuple[int, Span]]] = {}
        still: list[int] = []
        for index in pending:
            found = locate(marks[index].anchor)
            position = None if found is None else span_for(found, spans)
            if position is None or position in placed or found is None:
                still.append(index)
            else:
                claims.setdefault(position, []).append((index, found))
        for position, contenders in claims.items():
            # max() keeps the first of equals, so input order breaks exact ties.
            winner, found = max(contenders, key=lambda c: marks[c[0]].updated)
            placed[position] = Placement(position, found, how, marks[winner])
            still.extend(i for i, _ in contenders if i != winner)
        pending = sorted(still)
    return placed, [marks[i] for i in pending]


def attach_marks(marks: list[Mark], text: str, spans: list[tuple[int, int]]) -> tuple[dict[int, Mark], list[Mark]]:
    """Place each mark on a claim span of ``text`` (exact locators only).

    Returns ``{span_position: mark}`` and the orphans, in their input order. A span shows
    one mark: if several land on it (two marked sentences merged into one), a mark
    placed by an earlier locator wins, then the most recently updated; the others are
    returned as orphans so nothing a reviewer wrote disappears silently.
    """
    placed, orphans = place_marks(marks, text, spans, fuzzy=False)
    return {position: p.mark for position, p in placed.items()}, orphans


# --------------------------------------------------------------------------- fuzzy

#: Minimum similarity (difflib ratio, 0..1) between the marked quote and a claim.
FUZZY_THRESHOLD = 0.75

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = frozenset(
    str.split(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
        "thousand thousands million millions billion billions dozen dozens half quarter first second third "
        "fourth fifth sixth seventh eighth ninth tenth"
    )
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Capitalised only because they open the sentence: not names.
_OPENERS = frozenset(
    str.split(
        "a an the this that these those it its he she they we i you his her their our in on at by for from of "
        "to with as but and or so yet however meanwhile according after before while when since although though "
        "despite if there here some many most several other another such what which who"
    )
)


def facts(text: str, other: str = "") -> tuple[list[str], list[str]]:
    """The numbers and the names (capitalised words) of ``text``, sorted.

    Numbers are normalised ("300,000" → "300000") and include number words ("five").
    The opening word is capitalised anyway, so it counts as a name only if it is not an
    ordinary opener and ``other`` (the text compared with) does not use it in lower case.
    """
    numbers = [m.group().replace(",", "") for m in _NUMBER.finditer(text)]
    lowered = set(_WORD.findall(other.lower())) if other else set()
    names: list[str] = []
    for position, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        lower = word.lower()
        if lower in _NUMBER_WORDS:
            numbers.append(lower)
        elif word[0].isupper() and not (position == 0 and (lower in _OPENERS or lower in lowered)):
            names.append(word)
    return sorted(numbers), sorted(names)


def _names_match(old: list[str], new: list[str]) -> bool:
    """Same names, allowing a fixed typo (a long name at ≥ 0.8 similarity) but not another name."""
    if len(old) != len(new):
        return False
    remaining = list(new)
    for name in old:
        if name in remaining:
            remaining.remove(name)
            continue
        close = [
            other
            for other in remaining
            if min(len(name), len(other)) >= 5 and difflib.SequenceMatcher(None, name, other).ratio() >= 0.8
        ]
        if not close:
            return False
        remaining.remove(close[0])
    return True


def same_facts(old: str, new: str) -> bool:
    """Do ``old`` and ``new`` state the same numbers and name the same people and places?"""
    old_numbers, old_names = facts(old, new)
    new_numbers, new_names = facts(new, old)
    return old_numbers == new_numbers and _names_match(old_names, new_names)


def _similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def closest_span(quote: str, text: str, spans: Sequence[Span]) -> tuple[Span, float] | None:
    """The span of ``text`` most similar to ``quote`` (no threshold, no fact check)."""
    best: tuple[float, Span] | None = None
    for start, end in spans:
        candidate = text[start:end]
        ratio = difflib.SequenceMatcher(None, quote, candidate, autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, (start, end))
    return None if best is None else (best[1], best[0])


def locate_fuzzy(anchor: Anchor, text: str, spans: Sequence[Span], threshold: float = FUZZY_THRESHOLD) -> Span | None:
    """The claim span whose text is most like the anchor's quote, if it is like enough.

    Ranked by similarity, then by how much of the old context surrounds it, then by
    nearness to the old position. A candidate whose numbers or names differ from the
    quote (:func:`same_facts`) is refused outright, however similar the wording.
    """
    quote = anchor.quote.strip()
    if not quote:
        return None
    best: tuple[float, int, int, Span] | None = None
    for start, end in spans:
        length = end - start
        if not length or min(length, len(quote)) / max(length, len(quote)) < threshold:
            continue
        ratio = _similarity(quote, text[start:end].strip())
        if ratio < threshold or not same_facts(quote, text[start:end]):
            continue
        rank = (round(ratio, 3), context_score(anchor, text, start, end), -abs(start - anchor.start), (start, end))
        if best is None or rank > best:
            best = rank
    return None if best is None else best[3]


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def inline_diff(old: str, new: str) -> str:
    """A word-level diff of ``old`` → ``new``: ``[-removed-]{+added+}``, the rest as is."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)
