"""Claim anchors: pin a mark to a claim's text so it survives edits and re-analysis.

Offsets alone break as soon as a paragraph is inserted or the sentence splitter
changes its mind; the quoted text alone is ambiguous when a sentence repeats. An
:class:`~annotations.model.Anchor` keeps both (plus a little context), and
:func:`attach_marks` tries progressively looser ways to find each mark's claim again.

The strategies live in :data:`LOCATORS`, tried in order, each pass only for the marks
earlier passes could not place, so a sure match always beats a guess. Fuzzy matching
(for a claim whose wording was edited) is meant to be appended there as a third locator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from annotations.model import Anchor, Mark

__all__ = [
    "LOCATORS",
    "Locator",
    "attach_marks",
    "context_score",
    "locate_at_offsets",
    "locate_moved",
    "make_anchor",
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


def attach_marks(marks: list[Mark], text: str, spans: list[tuple[int, int]]) -> tuple[dict[int, Mark], list[Mark]]:
    """Place each mark on a claim span of ``text``.

    Returns ``{span_position: mark}`` and the orphans, in their input order. A span shows
    one mark: if several land on it (two marked sentences merged into one), a mark
    placed by an earlier locator wins, then the most recently updated; the others are
    returned as orphans so nothing a reviewer wrote disappears silently.
    """
    placed: dict[int, Mark] = {}
    pending = list(range(len(marks)))
    for locate in LOCATORS:
        claims: dict[int, list[int]] = {}
        still: list[int] = []
        for index in pending:
            found = locate(marks[index].anchor, text)
            position = None if found is None else span_for(found, spans)
            if position is None or position in placed:
                still.append(index)
            else:
                claims.setdefault(position, []).append(index)
        for position, contenders in claims.items():
            # max() keeps the first of equals, so input order breaks exact ties.
            winner = max(contenders, key=lambda i: marks[i].updated)
            placed[position] = marks[winner]
            still.extend(i for i in contenders if i != winner)
        pending = sorted(still)
    return placed, [marks[i] for i in pending]
