"""Which source states which fact: the claim × source matrix for a table view.

A *fact* is a cluster of claims joined by matches and by conflicts (a conflicting
figure is the same fact stated differently). Singletons — claims no other article
states — are left out: a row needs two sources to say anything about coverage.

Each row has one cell per article, in corpus order:

* ``states`` — the article has a claim in the cluster that agrees with the
  representative claim (the row's reference);
* ``differs`` — its claim gives a figure that conflicts with the representative's;
* ``absent`` — no claim of the article is in the cluster.

A cell whose article is a syndicated copy of an earlier article in the same row (one
copy group, see :mod:`factdesk.annotations.compare.syndication`) carries ``copy_of``:
the row's :attr:`CoverageRow.independent` counts that story once.

Rows are sorted most covered first (independent sources that address the fact), then most
contested (cells that differ), then by best match score, then in reading order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Literal

from factdesk.annotations.compare.conflicts import QuantityCache, differing_pairs
from factdesk.annotations.compare.syndication import Independence
from factdesk.annotations.model import ClaimRef, Conflict, CorpusAnalysis, Match

CellState = Literal["states", "differs", "absent"]


@dataclass(frozen=True)
class CoverageCell:
    article: str  # article id
    state: CellState
    ref: ClaimRef | None = None  # the article's claim in this fact, when it has one
    copy_of: str | None = None  # id of an earlier article in this row that this one is a copy of


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
    def independent(self) -> int:
        """Independent sources that address the fact: copies of one story count once."""
        return sum(cell.state != "absent" and cell.copy_of is None for cell in self.cells)

    @property
    def copies(self) -> int:
        """Cells that are copies of another cell's article."""
        return sum(cell.copy_of is not None for cell in self.cells)

    @property
    def differing(self) -> int:
        return sum(cell.state == "differs" for cell in self.cells)

    @property
    def contested(self) -> bool:
        return self.differing > 0


def _clusters(matches: Sequence[Match], conflicts: Sequence[Conflict]) -> list[list[ClaimRef]]:
    """Claims joined by matches and conflicts, directly or through each other; only clusters across articles.

    Union-find over small integers (one per claim, in order of first appearance), because hashing a
    ``ClaimRef`` costs a Python call: a corpus of 20,000 claims has tens of thousands of matches.
    """
    number: dict[ClaimRef, int] = {}
    refs: list[ClaimRef] = []
    parent: list[int] = []

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def node(ref: ClaimRef) -> int:
        index = number.get(ref)
        if index is None:
            index = number[ref] = len(refs)
            refs.append(ref)
            parent.append(index)
        return index

    def join(x: ClaimRef, y: ClaimRef) -> None:
        parent[find(node(x))] = find(node(y))

    for match in matches:
        join(match.a, match.b)
    for conflict in conflicts:
        mentions = [m.ref for m in conflict.mentions]
        for ref in mentions[1:]:
            join(mentions[0], ref)
    groups: dict[int, list[ClaimRef]] = defaultdict(list)
    for index, ref in enumerate(refs):
        groups[find(index)].append(ref)
    return [g for g in groups.values() if len({r.article for r in g}) > 1]


def coverage(
    analysis: CorpusAnalysis, matches: Sequence[Match], conflicts: Sequence[Conflict] = ()
) -> list[CoverageRow]:
    """The claim × source matrix (see the module docstring); singletons are not rows.

    Cost: rows × articles cells, so an "absent" cell is one shared object per article
    (cells are immutable) and a row starts as a copy of that list; figures are read
    only for a contested row's representative (a claim without figures differs from
    nobody).
    """
    order = {a.article.id: i for i, a in enumerate(analysis.articles)}
    support: dict[ClaimRef, float] = defaultdict(float)
    best: dict[ClaimRef, float] = defaultdict(float)
    for match in matches:
        score = match.score
        for ref in (match.a, match.b):
            support[ref] += score
            if score > best[ref]:
                best[ref] = score
    in_conflict = {m.ref for c in conflicts for m in c.mentions}
    quantities = QuantityCache(analysis)
    absent = [CoverageCell(a.article.id, "absent") for a in analysis.articles]
    unknown = len(order)
    independence = Independence(analysis.copy_groups)

    def position(ref: ClaimRef) -> tuple[int, int]:
        return (order.get(ref.article, unknown), ref.sentence)

    keyed: list[tuple[tuple, CoverageRow]] = []
    for cluster in _clusters(matches, conflicts):
        members = sorted(cluster, key=position)
        # The reference is the best-supported claim; when the fact is contested, one of the disputed claims,
        # so that "differs" always means "differs from the reference".
        pool = [r for r in members if r in in_conflict] or members
        representative = max(pool, key=lambda r: (support[r], -position(r)[0], -position(r)[1]))
        by_article: dict[str, list[ClaimRef]] = defaultdict(list)
        for ref in members:
            by_article[ref.article].append(ref)
        figured = bool(quantities.of(representative))
        cells = list(absent)
        differing = 0
        for article_id, refs in by_article.items():
            index = order.get(article_id)
            if index is None:
                continue
            if representative in refs:
                cells[index] = CoverageCell(article_id, "states", representative)
                continue
            differs = [r for r in refs if differing_pairs(analysis, representative, r, quantities)] if figured else []
            ref = max(differs or refs, key=lambda r: (support[r], -r.sentence))
            cells[index] = CoverageCell(article_id, "differs" if differs else "states", ref)
            differing += bool(differs)
        leaders: dict[str, str] = {}
        for index, cell in enumerate(cells):  # corpus order: the first of a copy group in this row is the original
            if cell.state == "absent":
                continue
            key = independence.key(cell.article)
            leader = leaders.setdefault(key, cell.article)
            if leader != cell.article:
                cells[index] = replace(cell, copy_of=leader)
        sentence = quantities.sentence(representative)
        if sentence:
            article = quantities.article(representative.article)
            assert article is not None  # the sentence was found in it
            text = article.sentence_text(sentence)
        else:
            text = ""
        score = max((best[r] for r in members), default=0.0)
        row = CoverageRow(
            representative=representative, text=text, cells=tuple(cells), members=tuple(members), score=score
        )
        sources = len({independence.key(article_id) for article_id in by_article if article_id in order})
        keyed.append(((-sources, -differing, -score, position(representative)), row))
    keyed.sort(key=itemgetter(0))
    return [row for _, row in keyed]
