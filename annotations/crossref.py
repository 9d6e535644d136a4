"""Per-claim lookups over the corpus comparison: who else carries a claim, what conflicts it.

The comparison produces flat lists (matches, conflicts); the reader asks per claim on
every keypress and every rendered line. This index answers in O(1) and is built once
per analysis.
"""

from __future__ import annotations

from collections import defaultdict

from annotations.model import ClaimRef, Conflict, CorpusAnalysis


class CrossIndex:
    def __init__(self, analysis: CorpusAnalysis) -> None:
        self.analysis = analysis
        matches: dict[ClaimRef, list[tuple[ClaimRef, float]]] = defaultdict(list)
        for match in analysis.matches:
            matches[match.a].append((match.b, match.score))
            matches[match.b].append((match.a, match.score))
        order = {a.article.id: i for i, a in enumerate(analysis.articles)}
        self._matches = {
            ref: sorted(found, key=lambda item: (-item[1], order.get(item[0].article, 0), item[0].sentence))
            for ref, found in matches.items()
        }
        conflicts: dict[ClaimRef, list[Conflict]] = defaultdict(list)
        for conflict in analysis.conflicts:
            for ref in dict.fromkeys(mention.ref for mention in conflict.mentions):
                conflicts[ref].append(conflict)
        self._conflicts = dict(conflicts)

    def matches(self, ref: ClaimRef) -> list[tuple[ClaimRef, float]]:
        """Claims in other articles that state the same thing, best first."""
        return self._matches.get(ref, [])

    def sources(self, ref: ClaimRef) -> int:
        """How many other articles carry this claim."""
        return len({other.article for other, _ in self.matches(ref)})

    def conflicts(self, ref: ClaimRef) -> list[Conflict]:
        return self._conflicts.get(ref, [])

    def other_sources(self, ref: ClaimRef) -> list[str]:
        """Names of the other sources carrying this claim, in corpus order, for the brief."""
        ids = {other.article for other, _ in self.matches(ref)}
        return [a.article.source for a in self.analysis.articles if a.article.id in ids]
