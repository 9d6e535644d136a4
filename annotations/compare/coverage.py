"""Which source states which fact: the claim × source matrix for a table view.

A *fact* is a cluster of claims joined by matches and by conflicts (a conflicting
figure is the same fact stated differently). Singletons — claims no other article
states — are left out: a row needs two sources to say anything about coverage.

Each row has one cell per article, in corpus order:

* ``states`` — the article has a claim in the cluster that agrees with the
  representative claim (the row's reference);
* ``differs`` — its claim gives a figure that conflicts with the representative's;
* ``absent`` — no claim of the article is in the cluster.

Rows are sorted most covered first (articles that address the fact), then most
contested (cells that differ), then by best match score, then in reading order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from annotations.compare.conflicts import QuantityCache, differing_pairs
from annotations.model import ClaimRef, Conflict, CorpusAnalysis, Match

CellState = Literal["states", "differs", "absent"]


@dataclass(frozen=True)
class CoverageCell:
    article: str  # article id
    state: CellState
    ref: ClaimRef | None = None  # the article's claim in this fact, when it has one


@dataclass(frozen=True)
class CoverageRow:
    """One fact: its reference claim, and what each article says about it."""

    representative: ClaimRef
    text: str  # the representative claim's sentence text
    cells: tuple[CoverageCell, ...]  # one per article, in corpus order
    members: tuple[ClaimRef, ...]  # every claim in the cluster, in corpus order
    score: float  # best match score inside the cluster (0 when joined by conflicts only)

    @property
    def sources(self) -> int:
        """Articles that address the fact (state it or differ on it)."""
        return sum(cell.state != "absent" for cell in self.cells)

    @property
    def differing(self) -> int:
        return sum(cell.state == "differs" for cell in self.cells)

    @property
    def contested(self) -> bool:
        return self.differing > 0

    def cell(self, article_id: str) -> CoverageCell | None:
        return next((cell for cell in self.cells if cell.article == article_id), None)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[ClaimRef, ClaimRef] = {}

    def find(self, x: ClaimRef) -> ClaimRef:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: ClaimRef, y: ClaimRef) -> None:
        self.parent[self.find(x)] = self.find(y)


def _clusters(matches: Sequence[Match], conflicts: Sequence[Conflict]) -> list[set[ClaimRef]]:
    sets = _UnionFind()
    for match in matches:
        sets.union(match.a, match.b)
    for conflict in conflicts:
        refs = [m.ref for m in conflict.mentions]
        for ref in refs[1:]:
            sets.union(refs[0], ref)
    groups: dict[ClaimRef, set[ClaimRef]] = defaultdict(set)
    for ref in list(sets.parent):
        groups[sets.find(ref)].add(ref)
    return [g for g in groups.values() if len({r.article for r in g}) > 1]


def coverage(
    analysis: CorpusAnalysis, matches: Sequence[Match], conflicts: Sequence[Conflict] = ()
) -> list[CoverageRow]:
    """The claim × source matrix (see the module docstring); singletons are not rows."""
    order = {a.article.id: i for i, a in enumerate(analysis.articles)}
    support: dict[ClaimRef, float] = defaultdict(float)
    best: dict[ClaimRef, float] = defaultdict(float)
    for match in matches:
        for ref in (match.a, match.b):
            support[ref] += match.score
            best[ref] = max(best[ref], match.score)
    in_conflict = {m.ref for c in conflicts for m in c.mentions}
    quantities = QuantityCache(analysis)
    articles = {a.article.id: a for a in analysis.articles}

    def position(ref: ClaimRef) -> tuple[int, int]:
        return (order.get(ref.article, len(order)), ref.sentence)

    rows: list[CoverageRow] = []
    for cluster in _clusters(matches, conflicts):
        members = sorted(cluster, key=position)
        # The reference is the best-supported claim; when the fact is contested, one of the disputed claims,
        # so that "differs" always means "differs from the reference".
        pool = [r for r in members if r in in_conflict] or members
        representative = max(pool, key=lambda r: (support[r], -position(r)[0], -position(r)[1]))
        by_article: dict[str, list[ClaimRef]] = defaultdict(list)
        for ref in members:
            by_article[ref.article].append(ref)
        cells = []
        for article in analysis.articles:
            article_id = article.article.id
            refs = by_article.get(article_id)
            if not refs:
                cells.append(CoverageCell(article_id, "absent"))
                continue
            if representative in refs:
                cells.append(CoverageCell(article_id, "states", representative))
                continue
            differing = [r for r in refs if differing_pairs(analysis, representative, r, quantities)]
            state: CellState = "differs" if differing else "states"
            ref = max(differing or refs, key=lambda r: (support[r], -r.sentence))
            cells.append(CoverageCell(article_id, state, ref))
        rep_article = articles.get(representative.article)
        sentence = next(s for s in rep_article.sentences if s.index == representative.sentence) if rep_article else None
        text = rep_article.sentence_text(sentence) if rep_article and sentence else ""
        rows.append(
            CoverageRow(
                representative=representative,
                text=text,
                cells=tuple(cells),
                members=tuple(members),
                score=max((best[r] for r in members), default=0.0),
            )
        )
    rows.sort(key=lambda row: (-row.sources, -row.differing, -row.score, position(row.representative)))
    return rows
