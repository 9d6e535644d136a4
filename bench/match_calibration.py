#!/usr/bin/env python3
"""How well the match score is calibrated, per event: the reliability table and precision/recall at thresholds.

    python bench/match_calibration.py [DEV_EVENT ...] [--held-out EVENT ...] [--fit] [--loeo]

Events are folders of outlet texts (*.txt) with a hand-judged ``gold.json`` (the format
``../shared/tools/eval_compare.py`` reads; default: ``../shared/devsets/events/*/``). The
figures are the scorer's:

* a match is *right* when both its sentences state one gold fact (a lower bound: the gold lists
  the facts two outlets share, not every one);
* recall is the share of the outlet pairs that state a gold fact with at least one matched
  sentence pair.

For each event, and pooled over the dev events and over the held-out ones, it prints the
reliability table (candidate pairs by score bin: how many, and the share that is right; a
calibrated score has each bin's precision inside the bin) and precision/recall of the matches
at a few thresholds, the shipped ones marked.

``--fit`` refits the shipped model (``annotations/data/match_model.json``, see
``annotations/compare/match_model.py``) on the dev events: a logistic regression on the pair
features (Newton's method, L2 = 1), then an isotonic map fitted on the leave-one-event-out
predictions, so that the calibration is measured on events each fold did not see (its knots
are the blocks' centres, and its top block holds at least ``TOP_BLOCK`` pairs). Held-out
events are never fitted on: they only print.

``--loeo`` first prints the tables with each dev event scored by a model (weights and map)
fitted without it: what a score means on an event the model never saw.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.match_model import (
    DATA_FILE,
    FEATURES,
    MatchModel,
    model_from_json,
    shipped_model,
)
from factdesk.annotations.compare.matching import MATCH_SCORE, candidate_pairs, score_pairs
from factdesk.annotations.model import CorpusAnalysis
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.text.corpus import load_corpus
from factdesk.annotations.training.compare_evaluation import load_gold

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "devsets" / "events"
SEED_GOLD = REPO / "tests" / "data" / "gold_facts.json"
BINS = np.linspace(0.0, 1.0, 11)
TOP_BLOCK = 30  # the fewest pairs the isotonic map's top block may hold (see isotonic)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
Sentence = tuple[str, int]


@dataclass
class Event:
    """One judged event: its candidate pairs with features and gold labels."""

    name: str
    facts: list[set[Sentence]]
    keys: list[frozenset[Sentence]]
    features: np.ndarray  # pairs × FEATURES
    labels: np.ndarray


def load_event(folder: Path) -> Event:
    """Analyse an event's texts and label its candidate pairs from gold.json (as the scorer maps quotes)."""
    analysis = analyze_articles(load_corpus(sorted(folder.glob("*.txt"))).articles)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    by_file = {Path(a.article.path).name: a for a in analysis.articles}
    facts = []
    for fact in gold["facts"]:
        sentences = set()
        for mention in fact["mentions"]:
            article = by_file[mention["file"]]
            start = article.article.text.index(mention["quote"])
            end = start + len(mention["quote"])
            best = max(article.sentences, key=lambda s: min(end, s.end) - max(start, s.start))
            sentences.add((article.article.id, best.index))
        facts.append(sentences)
    return _labelled(folder.name, analysis, facts)


def load_seeds() -> Event:
    """The bundled seeds with their gold set (``tests/data/gold_facts.json``): a small corpus of another style."""
    analysis = analyze_articles(load_corpus([REPO / "seeds"]).articles)
    facts = [{(ref.article, ref.sentence) for ref in fact.refs} for fact in load_gold(SEED_GOLD, analysis)]
    return _labelled("seeds", analysis, facts)


def _labelled(name: str, analysis: CorpusAnalysis, facts: list[set[Sentence]]) -> Event:
    table = build_table(analysis)
    pairs = candidate_pairs(table)
    blank = MatchModel(weights={}, intercept=0.0, knots_raw=(), knots_calibrated=())
    first, second, _, features = score_pairs(table, pairs, 0.0, blank)
    claims = table.claims
    keys = [
        frozenset(((claims[j].ref.article, claims[j].ref.sentence), (claims[i].ref.article, claims[i].ref.sentence)))
        for j, i in zip(first.tolist(), second.tolist(), strict=True)
    ]
    matrix = np.column_stack([features[name] for name in FEATURES]) if keys else np.zeros((0, len(FEATURES)))
    labels = np.array([float(any(key <= fact for fact in facts)) for key in keys])
    return Event(name, facts, keys, matrix, labels)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Weights (intercept last) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(len(w) - 1), 0.0])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        gradient = xb.T @ (p - y) + penalty @ w
        hessian = (xb * (p * (1.0 - p))[:, None]).T @ xb + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w


def raw_probability(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w[:-1] + w[-1])))


def isotonic(x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Knots of the isotonic (non-decreasing) fit of y on x (pool adjacent violators): each block's centre.

    A block's pairs share one precision; the map runs straight from one block's centre (its mean raw
    probability) to the next, so that a threshold cuts between two blocks gradually rather than taking or leaving
    a whole block of a hundred pairs at once (measured: which side of 0.5 one block fell moved an event's recall
    by a third).
    """
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    blocks: list[list[float]] = []  # [sum of y, count, sum of x]
    for xv, yv in zip(xs.tolist(), ys.tolist(), strict=True):
        blocks.append([yv, 1.0, xv])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            total, count, xsum = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
            blocks[-1][2] += xsum
    # The top block holds the highest scores, which `a` reads: a block of a handful of pairs measures nothing, so
    # the top blocks are pooled until they hold TOP_BLOCK pairs (the pooled mean stays above the block below).
    while len(blocks) > 1 and blocks[-1][1] < TOP_BLOCK:
        total, count, xsum = blocks.pop()
        blocks[-1][0] += total
        blocks[-1][1] += count
        blocks[-1][2] += xsum
    raw: list[float] = []
    calibrated: list[float] = []
    for total, count, xsum in blocks:
        centre = round(xsum / count, 6)
        if not raw or centre > raw[-1]:
            raw.append(centre)
            calibrated.append(round(total / count, 4))
    return raw, calibrated


def fit(events: list[Event], without: frozenset[str] = frozenset()) -> dict:
    """The model JSON: weights on every dev event, the isotonic map on the leave-one-event-out predictions.

    Features named in ``without`` are left out (weight 0).
    """
    keep = [k for k, name in enumerate(FEATURES) if name not in without]
    events = [Event(e.name, e.facts, e.keys, e.features[:, keep], e.labels) for e in events]
    x = np.vstack([e.features for e in events])
    y = np.concatenate([e.labels for e in events])
    w = fit_logistic(x, y)
    held: list[np.ndarray] = []
    for k in range(len(events)):
        rest = [e for m, e in enumerate(events) if m != k]
        fold = fit_logistic(np.vstack([e.features for e in rest]), np.concatenate([e.labels for e in rest]))
        held.append(raw_probability(fold, events[k].features))
    raw, calibrated = isotonic(np.concatenate(held), y)
    return {
        "about": "Match model: logistic regression on pair features, then an isotonic map fitted on "
        "leave-one-event-out predictions. Written by bench/match_calibration.py --fit; see "
        "annotations/compare/match_model.py.",
        "fitted_on": [e.name for e in events],
        "weights": {FEATURES[k]: round(float(v), 6) for k, v in zip(keep, w[:-1], strict=True)},
        "intercept": round(float(w[-1]), 6),
        "isotonic": {"raw": raw, "calibrated": calibrated},
    }


def scores(event: Event, model: MatchModel) -> np.ndarray:
    logit = np.full(len(event.labels), model.intercept)
    for column, name in enumerate(FEATURES):
        logit += model.weights.get(name, 0.0) * event.features[:, column]
    return model.calibrate(1.0 / (1.0 + np.exp(-logit)))


def recall_precision(event: Event, score: np.ndarray, threshold: float) -> tuple[int, int, int, int]:
    """(outlet pairs found, outlet pairs, right matches, matches) at ``threshold``, as the scorer counts."""
    predicted = {key for key, s in zip(event.keys, score.tolist(), strict=True) if s >= threshold}
    found = total = 0
    for fact in event.facts:
        for p, q in itertools.combinations(sorted({a for a, _ in fact}), 2):
            total += 1
            found += any(frozenset((x, y)) in predicted for x in fact for y in fact if x[0] == p and y[0] == q)
    right = sum(any(key <= fact for fact in event.facts) for key in predicted)
    return found, total, right, len(predicted)


def report(title: str, events: list[Event], model: MatchModel | list[MatchModel], marks: dict[float, str]) -> None:
    """The reliability table and precision/recall at the thresholds, per event and pooled."""
    print(f"\n== {title}")
    models = model if isinstance(model, list) else [model] * len(events)
    all_scores = [scores(e, m) for e, m in zip(events, models, strict=True)]
    header = "bin        " + " ".join(f"{e.name[:14]:>14}" for e in events) + f" {'pooled':>14}"
    print("reliability: right/pairs (precision) of candidate pairs by score bin")
    print(header)
    for low, high in itertools.pairwise(BINS):
        cells = []
        pooled_right = pooled_n = 0
        for e, s in zip(events, all_scores, strict=True):
            inside = (s >= low) & ((s < high) if high < 1.0 else (s <= high))
            n, right = int(inside.sum()), int(e.labels[inside].sum())
            pooled_n += n
            pooled_right += right
            cells.append(f"{right:>3}/{n:<3} {right / n if n else float('nan'):4.2f}")
        pooled = f"{pooled_right:>3}/{pooled_n:<3} {pooled_right / pooled_n if pooled_n else float('nan'):4.2f}"
        print(
            f"[{low:.1f},{high:.1f}{']' if high == 1.0 else ')'}  " + " ".join(f"{c:>14}" for c in cells),
            f"{pooled:>14}",
        )
    print("at threshold: recall / precision (matches)")
    print("threshold  " + " ".join(f"{e.name[:14]:>14}" for e in events) + f" {'pooled':>14}")
    for threshold in sorted({*THRESHOLDS, *marks}):
        cells = []
        totals = [0, 0, 0, 0]
        for e, s in zip(events, all_scores, strict=True):
            figures = recall_precision(e, s, threshold)
            totals = [a + b for a, b in zip(totals, figures, strict=True)]
            found, pairs, right, n = figures
            cells.append(f"{found / pairs:.2f}/{right / n if n else float('nan'):.2f} ({n})")
        found, pairs, right, n = totals
        pooled = f"{found / pairs:.2f}/{right / n if n else float('nan'):.2f} ({n})"
        label = f"{threshold:.2f}{marks.get(threshold, ''):<3}"
        print(f"{label:<10} " + " ".join(f"{c:>14}" for c in cells), f"{pooled:>14}")


def report_loeo(events: list[Event], without: frozenset[str], marks: dict[float, str]) -> None:
    """The reliability table with each dev event scored by a model (weights and isotonic map) fitted without it:
    what the score means on an event the model never saw, measured on every dev event."""
    models = [model_from_json(fit([e for m, e in enumerate(events) if m != k], without)) for k in range(len(events))]
    report("dev events, leave one event out (each scored by a model fitted on the others)", events, models, marks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="*", type=Path, help="dev event folders (default: ../shared/devsets/events/*/)")
    parser.add_argument("--held-out", nargs="*", type=Path, default=[], help="event folders only to measure on")
    parser.add_argument("--fit", action="store_true", help="refit annotations/data/match_model.json on the dev events")
    parser.add_argument("--without", nargs="*", default=[], choices=FEATURES, help="features --fit leaves out")
    parser.add_argument("--loeo", action="store_true", help="also score each dev event with a model fitted without it")
    parser.add_argument("--no-seeds", action="store_true", help="leave the seeds' gold set out of the dev events")
    args = parser.parse_args()
    folders = args.events or sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file())
    dev = [load_event(f) for f in folders]
    if not args.no_seeds:
        dev.append(load_seeds())
    if args.fit:
        data = fit(dev, frozenset(args.without))
        target = REPO / "annotations" / "data" / DATA_FILE
        target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(REPO)}")
        shipped_model.cache_clear()
    from factdesk.annotations.compare.match_model import APPLY_THRESHOLD

    model = shipped_model()
    marks = {MATCH_SCORE: " m", APPLY_THRESHOLD: " a"}
    if args.loeo:
        report_loeo(dev, frozenset(args.without), marks)
    report("dev events (the model is fitted on these)", dev, model, marks)
    if args.held_out:
        held = [load_event(f) for f in sorted(args.held_out) if (f / "gold.json").is_file()]
        report("held-out events (never fitted on)", held, model, marks)
    print("\nm: MATCH_SCORE (matches reported); a: APPLY_THRESHOLD (the reader's `a` applies the verdict)")


if __name__ == "__main__":
    main()
