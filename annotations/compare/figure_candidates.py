"""Candidate pairs from figure records: claims in two articles that give one figure of one measure.

Why: two outlets that report the same figure record ("11,300 people killed" / "the toll rose to
11,300") often share too few words for the text similarity to make them candidates at all
(matching.candidate_pairs keeps the pairs whose similarity could make a match, and a restatement
in other words shares little besides the figure). The figure record (figures.py: value interval,
measure, scope, time, attribution) says more about such a pair than its words: the same
comparable measure, the same or an unstated scope and values within ``NEAR_SHARE`` of each other
make the pair a candidate, and how they relate (equal, equal up to rounding, only near; one scope
unstated; other times or sources) is what the match model weighs (match_model.py, the
``figure_*`` features), beside the pair's words. The channel proposes; the calibrated score decides.

Bounded: within a measure, figures are sorted by value and each is linked to at most
``MAX_PARTNERS`` of the next ones (in other articles, within ``NEAR_SHARE``), reading at most
``MAX_SCAN`` of them, so a thousand claims giving one value make a thousand times
``MAX_PARTNERS`` links at most, not half a million.

Measured (2026-12-07): see matching.py (recall and precision with the channel) and match_model.py (its
calibration). Tried and left: values within 10 % whatever their bounds (the 275 revised from 288 in one story,
150 and 157 mph in another, linked as one figure: dev precision fell), "thousands" as a figure, and pairs between
articles that restate each other once (on the synthetic bench two stories that each gave "1,000 people killed").
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from factdesk.annotations.compare.features import ClaimTable
from factdesk.annotations.compare.figures import comparable, rounding, scope_key
from factdesk.annotations.model import FigureRecord

FIGURE_MIN = 10.0  # smaller figures ("two people", "3 counties") are too common to tell one report from another
NEAR_SHARE = 0.10  # values this far apart (of the smaller) may be one figure reported at two moments or roundings
MAX_PARTNERS = 12  # links per figure, to the next figures of its measure in value order (see the module docstring)
MAX_SCAN = 4 * MAX_PARTNERS  # figures read past one, counting those of its own article
EQUAL_SHARE = 0.01  # an open bound links only to its own value, up to rounding ("at least 280" / "288": no link)
VAGUE_RATIO = 2.0  # a closed interval wider than this (high / low) names no figure ("thousands", "hundreds")
GAP_STEPS = 15  # the values' relative gap is kept in GAP_SHIFT's bits as a share of NEAR_SHARE, in these steps
GAP_SHIFT = 10

# What a link between two figures says, as bits of one integer (see relation): the features of match_model.py.
LINK = 1  # same measure, scopes not different, values within NEAR_SHARE: a candidate
EXACT = 2  # equal closed intervals ("11,300" / "11,300")
ROUNDED = 4  # equal up to the rounding of the rounder figure ("11,000" / "11,300"), not equal
SCOPE_SAME = 8  # both name the scope, the same one
SCOPE_DIFFERS = 16  # both name a scope, different ones: not a link, evidence against
TIME_DIFFERS = 32  # both state their time, different ones
SOURCE_DIFFERS = 64  # both state who gives them, different bodies
OPEN = 128  # one of them is an open bound ("at least 5,000")
ONLY = 256  # the pair is a candidate through this channel alone (set by matching.candidates)
CLASH = 512  # two near figures of one measure (scopes not different) whose intervals cannot both hold (275 / 288)
MULTI = 1 << 15  # two different figures of the pair link ("11,300 dead and 10,100 missing" in both)
NEAR = 1 << 14  # two figures of one measure within NEAR_SHARE, scopes not different (linked or clashing): a candidate


@dataclass(frozen=True, slots=True)
class _Figure:
    claim: int
    article: int
    value: float  # the figure as stated (see _point)
    open: bool
    closed: tuple[float, float] | None  # (low, high) when both ends are finite
    low: float  # the interval the wording allows, widened by the rounding of a round figure
    high: float
    slack: float  # how far a rounded figure may be from the count it rounds (figures.rounding)
    scope: str
    time: str
    source: str


def _point(record: FigureRecord) -> float:
    """The number the wording states: an open bound's end ("at least 5,000": 5,000), the top of "nearly" and
    "up to", a range's middle, and an approximate figure's value (the middle of the interval "about" allows)."""
    low, high = record.low, record.high
    if math.isinf(high):
        return low
    if low <= 0.0 or record.bound in ("at most", "less than", "nearly"):
        return high
    return (low + high) / 2.0


def _figure(record: FigureRecord, claim: int, article: int) -> _Figure | None:
    """The figure as the channel compares it, or None when it is not a figure two reports can share: no comparable
    measure, under FIGURE_MIN, or vague ("thousands" is [1,000, 10,000]: any two tolls of a disaster would meet)."""
    if not record.measure or not comparable(record.measure):
        return None
    low, high = record.low, record.high
    if math.isnan(low) or math.isnan(high) or low < 0:
        return None
    is_open = math.isinf(high)
    if not is_open and low > 0 and high > VAGUE_RATIO * low:
        return None
    value = _point(record)
    if value < FIGURE_MIN:
        return None
    slack = rounding(record)[1]
    return _Figure(
        claim=claim,
        article=article,
        value=value,
        open=is_open,
        closed=None if is_open else (low, high),
        low=low - slack,
        high=high + slack,
        slack=slack,
        scope=scope_key(record.scope),
        time=" ".join(record.time.casefold().split()),
        source=" ".join(record.attribution.casefold().split()),
    )


def relation(a: _Figure, b: _Figure) -> int:
    """The bits (see LINK …) of two figures of one measure whose values are within NEAR_SHARE, and their gap.

    A link needs intervals that can both hold (rounding allowed): "275" and "288" are two counts (a revision or a
    dispute: CLASH), "at least 280" cannot be 275, "about 6,000" can be 6,300. Both are NEAR (candidates): a
    count revised within the hour is often reported as one fact, and the match model weighs which.
    """
    bits = 0
    if a.scope and b.scope and a.scope != b.scope:
        bits |= SCOPE_DIFFERS
    else:
        bits |= NEAR
        if max(a.low, b.low) > min(a.high, b.high) * (1.0 + 1e-9):
            bits |= CLASH
        elif not (a.open or b.open) or abs(a.value - b.value) <= max(a.slack, b.slack, EQUAL_SHARE * a.value):
            bits |= LINK
        if a.scope and a.scope == b.scope:
            bits |= SCOPE_SAME
    if a.closed is not None and a.closed == b.closed:
        bits |= EXACT
    elif a.closed is not None and b.closed is not None and abs(a.value - b.value) <= max(a.slack, b.slack):
        bits |= ROUNDED
    if a.open or b.open:
        bits |= OPEN
    if a.time and b.time and a.time != b.time:
        bits |= TIME_DIFFERS
    if a.source and b.source and a.source != b.source:
        bits |= SOURCE_DIFFERS
    share = abs(a.value - b.value) / max(a.value, b.value) / NEAR_SHARE
    return bits | min(GAP_STEPS, math.ceil(share * GAP_STEPS - 1e-9)) << GAP_SHIFT


def gap(bits: int) -> float:
    """The relative gap of a link's two values, as a share of NEAR_SHARE (0: equal, 1: as far as a link goes)."""
    return ((bits >> GAP_SHIFT) & GAP_STEPS) / GAP_STEPS


def _rank(bits: int) -> int:
    """Which of two links between one pair of claims describes it (the stronger evidence of one figure)."""
    return (
        (
            (bool(bits & NEAR)) * 128
            + (bits & LINK) * 64
            + (bool(bits & EXACT)) * 32
            + (bool(bits & ROUNDED)) * 16
            + (bool(bits & SCOPE_SAME)) * 8
            + (not bits & TIME_DIFFERS) * 4
            + (not bits & SOURCE_DIFFERS) * 2
            + (not bits & OPEN)
        )
        * (GAP_STEPS + 1)
        + GAP_STEPS
        - ((bits >> GAP_SHIFT) & GAP_STEPS)
    )


def figure_links(table: ClaimTable, records: Iterable[FigureRecord]) -> dict[int, int]:
    """{earlier claim · len(claims) + later claim: relation bits} for the pairs of claims in different articles
    whose figures are near (see the module docstring); each pair keeps its strongest link (see ``_rank``), and
    CLASH when any two of its near figures cannot both hold."""
    size = len(table.claims)
    by_ref = table.by_ref
    claims = table.claims
    groups: dict[str, list[_Figure]] = defaultdict(list)
    for record in records:
        claim = by_ref.get(record.ref)
        if claim is None:
            continue
        figure = _figure(record, claim, claims[claim].article)
        if figure is not None:
            groups[record.measure.replace(" (projected)", "")].append(figure)
    links: dict[int, int] = {}
    for figures in groups.values():
        if len(figures) < 2:
            continue
        figures.sort(key=lambda f: (f.value, f.article, f.claim))
        count = len(figures)
        for position, a in enumerate(figures):
            reach = a.value * (1.0 + NEAR_SHARE)
            taken = 0
            for b in figures[position + 1 : position + 1 + MAX_SCAN]:
                if b.value > reach:
                    break
                if b.article == a.article:
                    continue
                j, i = (a.claim, b.claim) if a.claim < b.claim else (b.claim, a.claim)
                key = j * size + i
                bits = relation(a, b)
                old = links.get(key)
                if old is None:
                    links[key] = bits
                else:
                    both = MULTI if bits & old & LINK else 0
                    if _rank(bits) > _rank(old):
                        links[key] = bits | (old & (CLASH | MULTI)) | both
                    else:
                        links[key] = old | (bits & CLASH) | both
                taken += 1
                if taken >= MAX_PARTNERS:
                    break
            if position + 1 >= count:
                break
    return links
