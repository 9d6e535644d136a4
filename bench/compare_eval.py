#!/usr/bin/env python3
"""Matching quality on the seeds against the hand-made gold set of cross-source facts.

    python bench/compare_eval.py [--sweep] [--details]

Gold: ``tests/data/gold_facts.json`` — 32 facts stated in at least two of the five
seed articles, each sentence named by file name and exact text. How we count
(see ``annotations/compare/evaluation.py``):

* fact recall — facts with at least one predicted cross-article pair whose two
  claims both state that fact, over all facts;
* pair precision — predicted cross-article pairs whose claims state a common gold
  fact, over predicted pairs with at least one claim in the gold set (pairs between
  two claims the gold set does not list are not judged; a pair from a gold claim to
  a non-gold claim counts as wrong);
* pair recall — gold cross-article pairs predicted, over all gold pairs (information).

``--sweep`` prints the figures over a range of thresholds; ``--details`` lists the
wrong pairs and the missed facts at the shipped threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.analysis import analyze_articles
from annotations.compare.evaluation import evaluate, load_gold
from annotations.compare.features import build_table
from annotations.compare.matching import MATCH_THRESHOLD, candidate_pairs, margins, select
from annotations.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "data" / "gold_facts.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true", help="figures over a range of thresholds")
    parser.add_argument("--details", action="store_true", help="wrong pairs and missed facts")
    args = parser.parse_args()

    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze_articles(corpus.articles)
    gold = load_gold(GOLD, analysis)
    table = build_table(analysis)
    pairs = list(candidate_pairs(table))

    def line(threshold: float) -> str:
        e = evaluate(select(table, pairs, threshold), gold)
        return (
            f"threshold {threshold:.3f}: fact recall {e.recall:.3f} ({e.facts_found}/{e.facts})  "
            f"pair precision {e.precision:.3f} ({e.correct}/{e.predicted})  "
            f"pair recall {e.pair_recall:.3f} ({e.gold_pairs_found}/{e.gold_pairs})"
        )

    if args.sweep:
        for step in range(0, 31):
            print(line(step / 100))
        print()
    print(line(MATCH_THRESHOLD) + "  <- shipped")

    if args.details:
        evaluation = evaluate(select(table, pairs, MATCH_THRESHOLD), gold)
        names = {a.article.id: a.article.path.name[:3] for a in analysis.articles}
        texts = {(a.article.id, s.index): a.sentence_text(s) for a in analysis.articles for s in a.sentences}
        raw = {frozenset((table.claims[j].ref, table.claims[i].ref)): s for j, i, s in pairs}
        margin = {
            frozenset((table.claims[j].ref, table.claims[i].ref)): m for j, i, m in margins(pairs, len(table.claims))
        }

        def label(ref) -> str:
            return f"{names[ref.article]}:{ref.sentence}"

        for a, b in evaluation.wrong_pairs:
            key = frozenset((a, b))
            print(f"wrong  {raw[key]:.3f}/{margin[key]:+.3f} {label(a)} {texts[(a.article, a.sentence)][:60]!r}")
            print(f"                    {label(b)} {texts[(b.article, b.sentence)][:60]!r}")
        for fact in gold:
            if fact.id not in evaluation.missed_facts:
                continue
            scored = sorted(
                (
                    (margin.get(frozenset((x, y)), float("-inf")), x, y)
                    for x in fact.refs
                    for y in fact.refs
                    if x.article < y.article
                ),
                key=lambda item: -item[0],
            )
            best = scored[0] if scored else None
            hint = f"best margin {best[0]:+.3f} {label(best[1])}–{label(best[2])}" if best else "no pair"
            print(f"missed {fact.id}: {hint}")


if __name__ == "__main__":
    main()
