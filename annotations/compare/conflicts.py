"""Claims in different articles that give incompatible figures for the same quantity.

Why: the reviewer's most useful flag is "these sources disagree on a number". Two
figures conflict when they count the same thing (same quantity key, see
:mod:`factdesk.annotations.compare.quantities`; different units of measure never share a key,
so "30 km" and "20 miles" never conflict), their hedged ranges cannot both hold
("nearly 300,000" vs "over 370,000"; not "nearly 300,000" vs "about 300,000"), and
the two claims are about the same thing: they match, or they are similar enough
(``RELATED_FLOOR``) and share a named entity — or, for event counts like "people
displaced", merely similar enough, because such figures are often attributed to
different bodies (the Observatory vs the UN) with no name in common.

Two sources that each give both figures do not disagree: a wire story and its
syndicated copy both say "nine injured" (in April) and "45 injured" (in 1994), and
neither figure contradicts the other source. Such pairs are not conflicts.

Figures that conflict, directly or through each other, form one :class:`Conflict`,
whose summary lists each figure with its source and time frames so the reviewer can
judge ("People displaced: nearly 300,000 (003, since late November) vs over 370,000
(004, in just a week)").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, islice

from factdesk.annotations.compare.features import ClaimTable
from factdesk.annotations.compare.matching import ROLE_PENALTY, Pair, candidate_floor, candidate_pairs, roles_differ
from factdesk.annotations.compare.quantities import Quantity, quantities_in
from factdesk.annotations.model import (
    Article,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    ConflictMention,
    CorpusAnalysis,
    Match,
    NumberMention,
    Sentence,
)

RELATED_FLOOR = candidate_floor()  # the least similarity a match can have
# Pairs of figures that neither match nor share a name are scored only in groups this small.
MAX_UNLINKED_GROUP = 400
# Distinct values of one quantity a claim compares with another claim's (see _Edges).
MAX_VALUES_PER_CLAIM = 64

_HASHED_NAME = re.compile(r"^(?P<short>[^_]+)_[0-9a-f]{8,}$")


@dataclass(frozen=True)
class Figure:
    """A quantity in a claim."""

    ref: ClaimRef
    article: int
    quantity: Quantity

    @property
    def order(self) -> tuple[int, int, int]:
        return (self.article, self.ref.sentence, self.quantity.mention.start)


def source_label(article: Article) -> str:
    """A short name for an article in one-line summaries: "003", or "002 Reuters" when the outlet is known."""
    stem = article.path.stem
    match = _HASHED_NAME.match(stem)
    short = match.group("short") if match else stem
    if article.source and article.source not in {article.path.name, article.path.stem}:
        return f"{short} {article.source}"
    return short


def figures(table: ClaimTable) -> list[Figure]:
    """Every comparable figure of every claim, in corpus order (read once, with the claims' features)."""
    return [Figure(claim.ref, claim.article, q) for claim in table.claims if claim.quantities for q in claim.quantities]


def _agree(a: Quantity, b: Quantity) -> bool:
    """The two figures can both hold (their hedged ranges meet, or they are otherwise compatible)."""
    return (a.low <= b.high and b.low <= a.high) or a.compatible(b)  # (the common case first, inline)


class _Given:
    """One article's figures for one quantity: does one of them agree with a given figure?

    Why not a scan: an article can give thousands of figures for one quantity (a list, or a sentence repeated),
    and the question is asked for every figure pair checked. Answered from the figures sorted by their low end
    with the running maximum of their high end (a bisection); only a figure that agrees by the tolerance of
    :meth:`Quantity.compatible` alone, never in practice, is checked one by one.
    """

    __slots__ = ("_best", "_lows", "_magnitude", "_sorted", "quantities")

    def __init__(self) -> None:
        self.quantities: list[Quantity] = []
        self._lows: list[float] | None = None

    def agrees_with(self, figure: Quantity) -> bool:
        quantities = self.quantities
        if len(quantities) <= 8:
            return any(_agree(q, figure) for q in quantities)
        if self._lows is None:
            self._sorted = sorted(quantities, key=lambda q: q.low)
            self._lows = [q.low for q in self._sorted]
            self._best = list(accumulate((q.high for q in self._sorted), max))
            self._magnitude = max(map(_magnitude, quantities))
        lows, best = self._lows, self._best
        reach = bisect_right(lows, figure.high)
        if reach and best[reach - 1] >= figure.low:
            return True  # the ranges meet
        slack = 2e-9 * max(self._magnitude, _magnitude(figure), 1.0)  # over compatible()'s tolerance
        reach = bisect_right(lows, figure.high + slack)
        if not reach or best[reach - 1] < figure.low - slack:
            return False
        return any(_agree(q, figure) for q in self._sorted[:reach])


def _magnitude(quantity: Quantity) -> float:
    return max((abs(v) for v in (quantity.low, quantity.high) if math.isfinite(v)), default=0.0)


def _components(edges: list[tuple[Figure, Figure]]) -> list[list[Figure]]:
    """Figures linked by edges, directly or through each other (figures compared by identity: each is one object)."""
    parent: dict[int, int] = {}
    by_id: dict[int, Figure] = {}

    def find(f: int) -> int:
        parent.setdefault(f, f)
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    for x, y in edges:
        by_id[id(x)], by_id[id(y)] = x, y
        parent[find(id(x))] = find(id(y))
    groups: dict[int, list[Figure]] = defaultdict(list)
    for f in parent:
        groups[find(f)].append(by_id[f])
    return [sorted(g, key=lambda f: f.order) for g in groups.values()]


def summary(analysis: CorpusAnalysis, group: list[Figure]) -> str:
    """ "People displaced: nearly 300,000 (003, since late November) vs over 370,000 (004, in just a week)"."""
    parts = []
    for figure in group:
        article = analysis.articles[figure.article].article
        context = ", ".join((source_label(article), *map(_one_line, figure.quantity.time_frames)))
        parts.append(f"{_one_line(figure.quantity.figure)} ({context})")
    return f"{group[0].quantity.label}: " + " vs ".join(parts)


def _one_line(text: str) -> str:
    """Text as read in the article, its line breaks and runs of spaces as single spaces (a summary is one line)."""
    return " ".join(text.split())


def _is_event(key: str) -> bool:
    """A count of an event ("people displaced"), not of a unit or a bare noun ("capitals")."""
    key = key.replace(" (projected)", "")
    return not key.startswith("unit:") and " " in key


def _partners(table: ClaimTable, matches: Iterable[Match]) -> dict[int, set[int]]:
    """The matches as {table position: matched positions}."""
    partners: dict[int, set[int]] = defaultdict(set)
    by_ref = table.by_ref
    # Matches made by ``select`` hold the claims' own references: found by identity first (hashing a ClaimRef
    # runs Python code, and there are tens of thousands of matches), by value otherwise.
    by_identity = {id(claim.ref): i for i, claim in enumerate(table.claims)}
    for m in matches:
        a, b = by_identity.get(id(m.a)), by_identity.get(id(m.b))
        if a is None:
            a = by_ref.get(m.a)
        if b is None:
            b = by_ref.get(m.b)
        if a is not None and b is not None:
            partners[a].add(b)
            partners[b].add(a)
    return partners


# A claim's figures for one quantity as {(low, high): the figures with those bounds, in order}.
_Values = dict[tuple[float, float], list[Figure]]


class _Edges:
    """Incompatible figure pairs between two claims that are alike, collected for :func:`find_conflicts`.

    Why pairs of claims, and not pairs of figures sharing a name: conflicts are between articles, and a figure
    pair counts only when its claims match or are related — and a related pair has a similarity over
    ``RELATED_FLOOR``, so it is one of the matcher's candidate pairs. Reading those pairs (and the matches)
    finds exactly the figure pairs that building every pair of figures sharing a name found, in time
    proportional to the candidate pairs: one article repeating a sentence 20,000 times made 200 million pairs
    of figures, all inside that article, and every one was discarded.

    Figures of one claim with the same bounds behave alike in every test (agreement, the related check, which
    article gives what), so each pair of claims compares its distinct values once, and the other figures with
    a value join its edges. A claim compares at most ``MAX_VALUES_PER_CLAIM`` distinct values per quantity (the
    first ones): no sentence lists more, and a run-on "sentence" of thousands would otherwise cost their square.
    """

    def __init__(self, table: ClaimTable) -> None:
        self.table = table
        # Quantities that can make a conflict: figures in two articles or more.
        groups: dict[str, list[Figure]] = defaultdict(list)
        for figure in figures(table):
            groups[figure.quantity.key].append(figure)
        groups = {k: g for k, g in groups.items() if len({f.article for f in g}) > 1}
        # Small groups of event counts are compared whether or not their claims share a name (see the module
        # docstring); the others only between claims that share one, or match.
        self.unlinked = {key for key, group in groups.items() if _is_event(key) and len(group) <= MAX_UNLINKED_GROUP}
        self.values: dict[int, dict[str, _Values]] = {}
        self.given: dict[tuple[int, str], _Given] = defaultdict(_Given)
        by_position = table.by_ref
        for key, group in groups.items():
            for figure in group:
                position = by_position[figure.ref]
                q = figure.quantity
                self.values.setdefault(position, {}).setdefault(key, {}).setdefault((q.low, q.high), []).append(figure)
                self.given[(figure.article, key)].quantities.append(q)
        self.edges: list[tuple[Figure, Figure]] = []
        self._linked: dict[int, list[Figure]] = {}  # a value's figures, by its first figure's id, once it has an edge

    def has_figures(self, position: int) -> bool:
        return position in self.values

    def claims(self, a: int, b: int, partner: bool, score: float) -> None:
        """Add the edges between the figures of claims ``a`` and ``b`` (table positions) that conflict.

        ``partner``: the claims match; else ``score`` is their similarity (the role penalty not yet applied).
        """
        table = self.table
        first, second = table.claims[a], table.claims[b]
        if first.article == second.article:
            return
        ours, theirs = self.values[a], self.values[b]
        shares_name = partner or not first.entity_keys.isdisjoint(second.entity_keys)
        related: bool | None = True if partner else None
        for key, our_values in ours.items():
            their_values = theirs.get(key)
            if their_values is None or not (shares_name or key in self.unlinked):
                continue
            our_given = self.given[(first.article, key)]
            their_given = self.given[(second.article, key)]
            for x_figures in islice(our_values.values(), MAX_VALUES_PER_CLAIM):
                qx = x_figures[0].quantity
                for y_figures in islice(their_values.values(), MAX_VALUES_PER_CLAIM):
                    qy = y_figures[0].quantity
                    if (qx.low <= qy.high and qy.low <= qx.high) or qx.compatible(qy):  # (_agree, inline)
                        continue
                    if related is None:  # read once per pair of claims, and only for a pair with figures apart
                        related = score >= RELATED_FLOOR and (
                            score * ROLE_PENALTY >= RELATED_FLOOR or not roles_differ(table, first, second)
                        )
                    if not related:
                        return
                    if our_given.agrees_with(qy) and their_given.agrees_with(qx):
                        continue  # each source gives both figures (a story and its syndicated copy): no dispute
                    self._link(x_figures, y_figures)

    def _link(self, x_figures: list[Figure], y_figures: list[Figure]) -> None:
        self.edges.append((x_figures[0], y_figures[0]))
        for value in (x_figures, y_figures):
            self._linked.setdefault(id(value[0]), value)

    def all_edges(self) -> list[tuple[Figure, Figure]]:
        """The edges found, and an edge from each value's first figure to every other figure with that value."""
        return self.edges + [(value[0], other) for value in self._linked.values() for other in value[1:]]


def find_conflicts(
    analysis: CorpusAnalysis, table: ClaimTable, matches: Iterable[Match], pairs: Iterable[Pair] | None = None
) -> list[Conflict]:
    """Conflicts across articles, in corpus order of their first figure.

    ``pairs`` are the matcher's candidate pairs (their similarities are read, not recomputed); without them they
    are made here (:func:`candidate_pairs`). Only pairs of claims that match or are candidates are compared
    (see :class:`_Edges`), so the work grows with those pairs, never with the square of one article's figures.
    """
    if pairs is None:
        pairs = candidate_pairs(table)
    partners = _partners(table, matches)
    found = _Edges(table)
    has_figures = found.has_figures
    for a, matched in partners.items():
        if has_figures(a):
            for b in matched:
                if a < b and has_figures(b):
                    found.claims(a, b, True, 1.0)
    for a, b, score in pairs:
        if has_figures(a) and has_figures(b) and score >= RELATED_FLOOR and b not in partners.get(a, ()):
            found.claims(a, b, False, score)
    conflicts = []
    for group in sorted(_components(found.all_edges()), key=lambda g: g[0].order):
        mentions = tuple(ConflictMention(f.ref, f.quantity.mention) for f in group)
        conflicts.append(Conflict(summary=summary(analysis, group), mentions=mentions))
    return conflicts


class QuantityCache:
    """Quantities of claims by reference, read once; for callers that compare many pairs."""

    def __init__(self, analysis: CorpusAnalysis) -> None:
        self._articles = {a.article.id: a for a in analysis.articles}
        self._sentences: dict[str, dict[int, Sentence]] = {}
        self._found: dict[ClaimRef, list[Quantity]] = {}

    def article(self, article_id: str) -> ArticleAnalysis | None:
        return self._articles.get(article_id)

    def sentence(self, ref: ClaimRef) -> Sentence | None:
        """The claim's sentence (by index, through a per-article table built on first use)."""
        sentences = self._sentences.get(ref.article)
        if sentences is None:
            article = self._articles.get(ref.article)
            sentences = self._sentences[ref.article] = {s.index: s for s in article.sentences} if article else {}
        return sentences.get(ref.sentence)

    def of(self, ref: ClaimRef) -> list[Quantity]:
        found = self._found.get(ref)
        if found is None:
            article = self._articles.get(ref.article)
            sentence = self.sentence(ref) if article else None
            found = quantities_in(article, sentence) if article and sentence and article.numbers else []
            self._found[ref] = found
        return found


def differing_pairs(
    analysis: CorpusAnalysis, a: ClaimRef, b: ClaimRef, cache: QuantityCache | None = None
) -> list[tuple[NumberMention, NumberMention]]:
    """Figures of claims ``a`` and ``b`` that count the same thing with incompatible values."""
    cache = cache or QuantityCache(analysis)
    return [(x.mention, y.mention) for x in cache.of(a) for y in cache.of(b) if x.key == y.key and not x.compatible(y)]
