"""Score predicted matches against a gold set of cross-source facts.

Why: matching thresholds and weights are judgement calls; a gold set written by
reading the articles turns them into figures a change can be checked against
(``bench/compare_eval.py``, ``tests/test_compare.py``).

The gold file names each sentence by article *file name* and its *exact text*, not
by sentence index, so it survives changes to the segmenter: a gold sentence resolves
to every claim whose span overlaps the text's position in the file.

How we count (pairs are unordered and always between two different articles):

* **fact recall** — facts with at least one predicted pair whose two claims both
  state that fact, over all facts;
* **pair precision** — predicted pairs whose two claims state a common fact, over
  predicted pairs with at least one claim in the gold set (a pair between two
  claims the gold set does not list cannot be judged and is left out; a pair from
  a gold claim to a non-gold claim counts as wrong, because the gold set lists every
  fact its sentences state);
* **pair recall** — gold pairs predicted, over all gold pairs (for information).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from factdesk.annotations.model import ClaimRef, CorpusAnalysis, Match

Pair = frozenset[ClaimRef]


@dataclass(frozen=True)
class GoldFact:
    id: str
    summary: str
    refs: frozenset[ClaimRef]


@dataclass(frozen=True)
class Evaluation:
    facts: int
    facts_found: int
    predicted: int  # predicted pairs touching the gold set
    correct: int
    gold_pairs: int
    gold_pairs_found: int
    missed_facts: tuple[str, ...]
    wrong_pairs: tuple[tuple[ClaimRef, ClaimRef], ...]

    @property
    def recall(self) -> float:
        return self.facts_found / self.facts if self.facts else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def pair_recall(self) -> float:
        return self.gold_pairs_found / self.gold_pairs if self.gold_pairs else 0.0


def load_gold(path: Path, analysis: CorpusAnalysis) -> list[GoldFact]:
    """Resolve the gold file's sentences to claims of ``analysis``; a sentence not found is an error."""
    data = json.loads(path.read_text(encoding="utf-8"))
    by_name = {a.article.path.name: a for a in analysis.articles}
    facts: list[GoldFact] = []
    for fact in data["facts"]:
        refs: set[ClaimRef] = set()
        for item in fact["sentences"]:
            article = by_name.get(item["file"])
            if article is None:
                raise ValueError(f"gold fact {fact['id']}: no article {item['file']}")
            start = article.article.text.find(item["text"])
            if start < 0:
                raise ValueError(f"gold fact {fact['id']}: text not in {item['file']}: {item['text'][:60]!r}")
            end = start + len(item["text"])
            found = [
                ClaimRef(article.article.id, s.index)
                for s in article.sentences
                if s.kind == "claim" and s.start < end and start < s.end
            ]
            refs.update(found)
        facts.append(GoldFact(fact["id"], fact.get("summary", ""), frozenset(refs)))
    return facts


def _cross_pairs(refs: Iterable[ClaimRef]) -> set[Pair]:
    return {
        frozenset((a, b))
        for a, b in combinations(sorted(refs, key=lambda r: (r.article, r.sentence)), 2)
        if a.article != b.article
    }


def _in_order(pair: Pair) -> tuple[ClaimRef, ClaimRef]:
    """A pair's two claims, by article then sentence."""
    first, second = sorted(pair, key=lambda r: (r.article, r.sentence))
    return first, second


def evaluate(matches: Sequence[Match], gold: Sequence[GoldFact]) -> Evaluation:
    """Fact recall and pair precision of ``matches`` against ``gold`` (see the module docstring)."""
    gold_refs: set[ClaimRef] = set().union(*(f.refs for f in gold)) if gold else set()
    pairs_by_fact = {f.id: _cross_pairs(f.refs) for f in gold}
    all_gold_pairs: set[Pair] = set().union(*pairs_by_fact.values()) if gold else set()
    predicted = {frozenset((m.a, m.b)) for m in matches if m.a.article != m.b.article}
    touching = {p for p in predicted if p & gold_refs}
    correct = touching & all_gold_pairs
    found = [f.id for f in gold if pairs_by_fact[f.id] & predicted]
    wrong = sorted(
        (_in_order(p) for p in touching - correct),
        key=lambda pair: (pair[0].article, pair[0].sentence, pair[1].article, pair[1].sentence),
    )
    return Evaluation(
        facts=len(gold),
        facts_found=len(found),
        predicted=len(touching),
        correct=len(correct),
        gold_pairs=len(all_gold_pairs),
        gold_pairs_found=len(all_gold_pairs & predicted),
        missed_facts=tuple(f.id for f in gold if f.id not in found),
        wrong_pairs=tuple(wrong),
    )
