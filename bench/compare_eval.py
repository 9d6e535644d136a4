#!/usr/bin/env python3
"""Matching quality on the seeds against the hand-made gold set of cross-source facts.

    python bench/compare_eval.py [--sweep] [--details] [--noise N]

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
wrong pairs and the missed facts at the shipped threshold; ``--noise N`` repeats the
evaluation on N copies of the seeds' analysis with simulated recogniser noise (3 % of
the names each dropped, cut by a word, and relabelled), because the figures must not
hang on one recogniser's exact output.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.matching import MATCH_SCORE, candidate_pairs, margins, select
from factdesk.annotations.model import CorpusAnalysis, Entity
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.text.corpus import load_corpus
from factdesk.annotations.training.compare_evaluation import evaluate, load_gold

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "data" / "gold_facts.json"


def _noisy(analysis: CorpusAnalysis, seed: int, share: float = 0.03) -> CorpusAnalysis:
    """``analysis`` with ``share`` of its names dropped, ``share`` cut by a word and ``share`` relabelled."""
    rng = random.Random(seed)
    articles = []
    for article in analysis.articles:
        entities = []
        for entity in article.entities:
            draw = rng.random()
            if entity.label != "DATE" and draw < share:
                continue
            if entity.label != "DATE" and draw < 2 * share and " " in entity.text:
                words = entity.text.split(" ")
                if rng.random() < 0.5:
                    text = " ".join(words[1:])
                    entity = Entity(entity.end - len(text), entity.end, text, entity.label)
                else:
                    text = " ".join(words[:-1])
                    entity = Entity(entity.start, entity.start + len(text), text, entity.label)
            elif entity.label != "DATE" and draw < 3 * share:
                entity = Entity(entity.start, entity.end, entity.text, rng.choice(["PERSON", "ORG", "LOC", "NORP"]))
            entities.append(entity)
        articles.append(replace(article, entities=tuple(entities)))
    return CorpusAnalysis(articles=tuple(articles))  # no alias groups: the comparison makes its own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true", help="figures over a range of thresholds")
    parser.add_argument("--details", action="store_true", help="wrong pairs and missed facts")
    parser.add_argument("--noise", type=int, default=0, metavar="N", help="also evaluate N noisy copies")
    args = parser.parse_args()

    corpus = load_corpus([REPO / "seeds"])
    analysis = analyze_articles(corpus.articles)
    gold = load_gold(GOLD, analysis)
    table = build_table(analysis)
    pairs = list(candidate_pairs(table))

    def line(threshold: float) -> str:
        # (the threshold is on the calibrated score, see match_model.py; the margin rule's matches come too)
        e = evaluate(select(table, pairs, threshold), gold)
        return (
            f"threshold {threshold:.3f}: fact recall {e.recall:.3f} ({e.facts_found}/{e.facts})  "
            f"pair precision {e.precision:.3f} ({e.correct}/{e.predicted})  "
            f"pair recall {e.pair_recall:.3f} ({e.gold_pairs_found}/{e.gold_pairs})"
        )

    if args.sweep:
        for step in range(2, 10):
            print(line(step / 10))
        print()
    print(line(MATCH_SCORE) + "  <- shipped")

    if args.noise:
        recalls, precisions = [], []
        for seed in range(args.noise):
            noisy = _noisy(analysis, seed)
            noisy_table = build_table(noisy)
            found = evaluate(select(noisy_table, candidate_pairs(noisy_table)), load_gold(GOLD, noisy))
            recalls.append(found.recall)
            precisions.append(found.precision)
        print(
            f"noise ({args.noise} copies, 3 % of names dropped / cut / relabelled each): "
            f"fact recall mean {statistics.mean(recalls):.3f} min {min(recalls):.3f}  "
            f"pair precision mean {statistics.mean(precisions):.3f} min {min(precisions):.3f}"
        )

    if args.details:
        evaluation = evaluate(select(table, pairs, MATCH_SCORE), gold)
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
