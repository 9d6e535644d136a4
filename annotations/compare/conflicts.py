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

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from factdesk.annotations.compare.features import Claim, ClaimTable
from factdesk.annotations.compare.matching import ROLE_PENALTY, Pair, candidate_floor, roles_differ, similarity
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


def _pair_key(first: int, second: int, size: int) -> int:
    """One integer for a pair of table positions (cheaper to make and hash than a tuple, for tens of thousands)."""
    return first * size + second


def _related(table: ClaimTable, i: int, j: int, event: bool, similar: dict[int, float] | None) -> bool:
    """Claims ``i`` and ``j`` (table positions, -1 for none) are similar enough (and share a name, unless
    ``event``); ``similar`` holds the candidate pairs' scores, keyed by :func:`_pair_key`."""
    if i < 0 or j < 0:
        return False
    a, b = table.claims[i], table.claims[j]
    if not event and a.entity_keys.isdisjoint(b.entity_keys):
        return False
    if similar is None:
        score = similarity(table, a, b)
    else:
        score = similar.get(_pair_key(i, j, len(table.claims)) if i < j else _pair_key(j, i, len(table.claims)), 0.0)
    if score >= RELATED_FLOOR and roles_differ(table, a, b):  # (roles read only for pairs that may count)
        score *= ROLE_PENALTY
    return score >= RELATED_FLOOR


def _candidates(claims: list[Claim | None], indices: list[int], partners: dict[int, set[int]], scan_all: bool):
    """Index pairs (i < j) worth checking: all of them in a small event group, else those sharing a name or matched.

    ``indices`` are the figures' claims as table positions (-1 when not in the table), ``partners`` the matches
    as a table position's matched positions.
    """
    size = len(indices)
    if scan_all:
        return ((i, j) for i in range(size) for j in range(i + 1, size))
    pairs: set[tuple[int, int]] = set()
    by_entity: dict[int, list[int]] = defaultdict(list)
    by_claim: dict[int, list[int]] = defaultdict(list)
    for i, claim in enumerate(claims):
        by_claim[indices[i]].append(i)
        for key in claim.entity_keys if claim else ():
            for j in by_entity[key]:
                pairs.add((j, i))
            by_entity[key].append(i)
    for i, index in enumerate(indices):
        for partner in partners.get(index, ()):
            for j in by_claim.get(partner, ()):
                if j > i:
                    pairs.add((i, j))
    return sorted(pairs)


def _incompatible_pairs(
    table: ClaimTable,
    group: list[Figure],
    partners: dict[int, set[int]],
    similar: dict[int, float] | None,
) -> Iterable[tuple[Figure, Figure]]:
    key = group[0].quantity.key.replace(" (projected)", "")
    event = not key.startswith("unit:") and " " in key  # "people displaced", not "capitals"
    indices = [table.by_ref.get(f.ref, -1) for f in group]
    claims = [table.claims[i] if i >= 0 else None for i in indices]
    by_article: dict[int, list[Quantity]] = defaultdict(list)
    for figure in group:
        by_article[figure.article].append(figure.quantity)
    for i, j in _candidates(claims, indices, partners, event and len(group) <= MAX_UNLINKED_GROUP):
        x, y = group[i], group[j]
        if x.article == y.article:
            continue
        qx, qy = x.quantity, y.quantity
        if (qx.low <= qy.high and qy.low <= qx.high) or qx.compatible(qy):  # (_agree, inline: the common case)
            continue
        if not (indices[j] in partners.get(indices[i], ()) or _related(table, indices[i], indices[j], event, similar)):
            continue
        if _gives(by_article[x.article], qy) and _gives(by_article[y.article], qx):
            continue  # each source gives both figures (a story and its syndicated copy): they do not disagree
        yield x, y


def _agree(a: Quantity, b: Quantity) -> bool:
    """The two figures can both hold (their hedged ranges meet, or they are otherwise compatible)."""
    return (a.low <= b.high and b.low <= a.high) or a.compatible(b)  # (the common case first, inline)


def _gives(quantities: list[Quantity], figure: Quantity) -> bool:
    """Whether one of an article's figures for the quantity agrees with ``figure``."""
    return any(_agree(q, figure) for q in quantities)


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


def find_conflicts(
    analysis: CorpusAnalysis, table: ClaimTable, matches: Iterable[Match], pairs: Iterable[Pair] | None = None
) -> list[Conflict]:
    """Conflicts across articles, in corpus order of their first figure.

    ``pairs`` are the matcher's candidate pairs (their similarities are read, not recomputed); without them the
    similarity of two claims is computed when needed.
    """
    size = len(table.claims)
    similar = None if pairs is None else {j * size + i: value for j, i, value in pairs}  # (see _pair_key)
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
    by_key: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures(table):
        by_key[figure.quantity.key].append(figure)
    edges = [
        edge
        for group in by_key.values()
        if len(group) > 1
        for edge in _incompatible_pairs(table, group, partners, similar)
    ]
    conflicts = []
    for group in sorted(_components(edges), key=lambda g: g[0].order):
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
