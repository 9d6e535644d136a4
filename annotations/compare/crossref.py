"""Per-claim lookups over the corpus comparison: who else carries a claim, what conflicts it.

The comparison produces flat lists (matches, conflicts); the reader asks per claim on
every keypress and every rendered line. This index answers in O(1) and is built once
per analysis.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factdesk.annotations.compare.syndication import Independence
from factdesk.annotations.model import (
    AliasGroup,
    ArticleAnalysis,
    ClaimRef,
    Conflict,
    CopyGroup,
    CorpusAnalysis,
    NumberMention,
)

if TYPE_CHECKING:
    from factdesk.annotations.compare.conflicts import QuantityCache


class CrossIndex:
    def __init__(self, analysis: CorpusAnalysis) -> None:
        self.analysis = analysis
        # Keyed by (article, sentence) tuples, not ClaimRefs (whose equality is Python code), and each claim's
        # matches sorted when first asked for: built the plain way this cost 0.5 s on 500 articles (60,000
        # matches), on the reader's thread, while the reader only ever asks for a few claims'.
        matches: dict[tuple[str, int], list[tuple[ClaimRef, float]]] = defaultdict(list)
        for match in analysis.matches:
            a, b = match.a, match.b
            matches[(a.article, a.sentence)].append((b, match.score))
            matches[(b.article, b.sentence)].append((a, match.score))
        self._article_order = {a.article.id: i for i, a in enumerate(analysis.articles)}
        self._unsorted = dict(matches)
        self._matches: dict[tuple[str, int], list[tuple[ClaimRef, float]]] = {}
        conflicts: dict[ClaimRef, list[Conflict]] = defaultdict(list)
        for conflict in analysis.conflicts:
            for ref in dict.fromkeys(mention.ref for mention in conflict.mentions):
                conflicts[ref].append(conflict)
        self._conflicts = dict(conflicts)
        self._quantities: QuantityCache | None = None  # made on first use
        self.independence = Independence(analysis.copy_groups)
        self._order: dict[str, list[tuple[int, ArticleAnalysis]]] | None = None  # id → (position, analysis)s

    def matches(self, ref: ClaimRef) -> list[tuple[ClaimRef, float]]:
        """Claims in other articles that state the same thing, best first."""
        key = (ref.article, ref.sentence)
        found = self._matches.get(key)
        if found is None:
            order = self._article_order
            found = sorted(
                self._unsorted.get(key, ()),
                key=lambda item: (-item[1], order.get(item[0].article, 0), item[0].sentence),
            )
            self._matches[key] = found
        return found

    def sources(self, ref: ClaimRef) -> int:
        """How many other *independent* sources carry this claim (the gutter digit).

        Copies of one story count once, and a copy of the claim's own article counts not at all:
        the same wire text in two outlets is not corroboration.
        """
        own = self.independence.key(ref.article)
        return len({self.independence.key(other.article) for other, _ in self.matches(ref)} - {own})

    def copies(self, ref: ClaimRef) -> int:
        """How many other articles carrying this claim are copies (of its own article or of each other)."""
        articles = {other.article for other, _ in self.matches(ref)}
        return len(articles) - self.sources(ref)

    def copy_group(self, article: str) -> CopyGroup | None:
        """The copy group ``article`` belongs to, if it is a syndicated copy."""
        return self.independence.group(article)

    def differing(self, a: ClaimRef, b: ClaimRef) -> list[tuple[NumberMention, NumberMention]]:
        """Figures the two claims give differently; quantities are read once per claim, not per keypress."""
        from factdesk.annotations.compare import QuantityCache, differing_figures

        if self._quantities is None:
            self._quantities = QuantityCache(self.analysis)
        return differing_figures(self.analysis, a, b, self._quantities)

    def conflicts(self, ref: ClaimRef) -> list[Conflict]:
        return self._conflicts.get(ref, [])

    def other_sources(self, ref: ClaimRef) -> list[str]:
        """Names of the other sources carrying this claim, in corpus order, for the brief."""
        return [a.article.source for a in self._in_corpus_order({other.article for other, _ in self.matches(ref)})]

    def _in_corpus_order(self, ids: set[str]) -> list[ArticleAnalysis]:
        """The analyses of ``ids``, in corpus order: a sort of the few ids, not a walk over every article per claim."""
        order = self._order
        if order is None:
            order = self._order = {}
            for position, analysis in enumerate(self.analysis.articles):
                order.setdefault(analysis.article.id, []).append((position, analysis))
        return [analysis for _, analysis in sorted(found for i in ids & order.keys() for found in order[i])]

    def independent_sources(self, ref: ClaimRef) -> list[str]:
        """The other sources carrying this claim, one entry per independent source, for "also reported by".

        Copies of one story are one entry, ``"A = B (copies)"``; an article that is a copy of the
        claim's own article is named as such (``"B (copy of this article)"``), never as corroboration.
        """
        own = self.independence.key(ref.article)
        names: dict[str, list[str]] = {}
        for analysis in self._in_corpus_order({other.article for other, _ in self.matches(ref)}):
            article = analysis.article
            names.setdefault(self.independence.key(article.id), []).append(article.source)
        entries: list[str] = []
        for key, sources in names.items():
            if key == own:
                entries.extend(f"{source} (copy of this article)" for source in sources)
            elif len(sources) > 1:
                entries.append(" = ".join(sources) + " (copies)")
            else:
                entries.append(sources[0])
        return entries


@dataclass(frozen=True)
class EntityMentions:
    """One entity across the corpus: its name, kind, every spelling, and the claims that mention it."""

    group: AliasGroup
    mentions: tuple[ClaimRef, ...]  # in reading order, one per sentence


def entity_mentions(analysis: CorpusAnalysis) -> list[EntityMentions]:
    """Every named entity with its mentions, most mentioned first — for the entity panel."""
    from factdesk.annotations.ner.aliases import AliasIndex

    index = AliasIndex(e for a in analysis.articles for e in a.entities if e.label != "DATE")
    found: dict[tuple[str, str], list[ClaimRef]] = defaultdict(list)
    groups: dict[tuple[str, str], AliasGroup] = {}
    for article in analysis.articles:
        sentences = list(article.claims)  # the cursor walks claims; a name in a heading has no claim to jump to
        starts = [s.start for s in sentences]
        for entity in article.entities:
            if entity.label == "DATE":
                continue
            group = index.group_of(entity.text, entity.label)
            if group is None:
                continue
            position = bisect_right(starts, entity.start) - 1
            if position < 0 or entity.end > sentences[position].end:
                continue
            key = (group.canonical, group.label)
            groups[key] = group
            ref = ClaimRef(article.article.id, sentences[position].index)
            if not found[key] or found[key][-1] != ref:
                found[key].append(ref)
    ranked = sorted(found, key=lambda key: (-len(found[key]), key))
    return [EntityMentions(groups[key], tuple(found[key])) for key in ranked]
