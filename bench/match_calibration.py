#!/usr/bin/env python3
"""How well the match score is calibrated, per event: the reliability table and precision/recall at thresholds.

    python bench/match_calibration.py [DEV_EVENT ...] [--held-out EVENT ...] [--fit [--keep-text]] [--loeo]
                                      [--text-only]

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

The candidate pairs are the pipeline's (matching.candidates: the text channel and the figure
channel; ``--text-only`` leaves the figure channel out). The figure features are fitted in a
second stage over the text features' logit (:func:`fit_stages`), and the pairs the figure
channel alone proposes get an isotonic map of their own; ``--keep-text`` keeps the shipped
model's text weights and map and fits the figure stage only (how the shipped model was made).
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
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.compare.match_model import (
    DATA_FILE,
    FEATURES,
    FIGURE_FEATURES,
    MatchModel,
    model_from_json,
    shipped_model,
)
from factdesk.annotations.compare.matching import MATCH_SCORE, candidates, score_pairs
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


FIGURE_CHANNEL = True  # --text-only: candidates from the text channel alone (what the matcher proposed before)


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
    records = (analysis.figures or figure_records(analysis)) if FIGURE_CHANNEL else ()
    pairs = candidates(table, records)  # (the pipeline's two channels, see matching.candidates)
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


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50, offset: np.ndarray | None = None
) -> np.ndarray:
    """Weights (intercept last) of an L2-regularised logistic regression, by Newton's method.

    ``offset`` is a logit each row has already (a model fitted before, see :func:`fit_stages`): the weights
    fitted are what adds to it, with no intercept (0), so that a row whose features are all 0 keeps its logit.
    """
    xb = np.hstack([x, np.ones((len(x), 1))]) if offset is None else x
    w = np.zeros(xb.shape[1])
    base = np.zeros(len(x)) if offset is None else offset
    penalty = l2 * np.diag(np.r_[np.ones(len(w) - 1), 0.0] if offset is None else np.ones(len(w)))
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w + base)))
        gradient = xb.T @ (p - y) + penalty @ w
        hessian = (xb * (p * (1.0 - p))[:, None]).T @ xb + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w if offset is None else np.r_[w, 0.0]


def fit_stages(x: np.ndarray, y: np.ndarray, names: list[str], text: np.ndarray | None = None) -> np.ndarray:
    """Weights (intercept last) in two stages: the text features on the text channel's pairs, then the figure
    features (match_model.FIGURE_FEATURES) on every pair, over the first stage's logit.

    Why: the figure channel's pairs (matching.candidates) are a few hundred more, most sharing almost no words;
    fitted together with the text pairs they pulled the text weights (the shared weight's, above all) towards
    themselves, and the held-out events lost recall on plain restatements. In stages, a pair without a figure
    link keeps the text model's logit exactly, and the figure features only add what they tell beyond it.
    ``text`` gives the first stage's weights instead of fitting them (``--keep-text``).
    """
    figure = np.array([name in FIGURE_FEATURES for name in names])
    if not figure.any():
        return fit_logistic(x, y)
    only = x[:, names.index("figure_only")] > 0 if "figure_only" in names else np.zeros(len(x), dtype=bool)
    if text is None:  # (else the text weights given, intercept last: --keep-text)
        text = fit_logistic(x[~only][:, ~figure], y[~only])
    offset = x[:, ~figure] @ text[:-1] + text[-1]
    extra = fit_logistic(x[:, figure], y, offset=offset)
    w = np.zeros(len(names) + 1)
    w[:-1][~figure] = text[:-1]
    w[:-1][figure] = extra[:-1]
    w[-1] = text[-1]
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


def fit(events: list[Event], without: frozenset[str] = frozenset(), text: MatchModel | None = None) -> dict:
    """The model JSON: weights on every dev event, the isotonic map on the leave-one-event-out predictions.

    Features named in ``without`` are left out (weight 0). With ``text`` (``--keep-text``), the text features'
    weights and map are that model's, and only the figure stage and its map are fitted: a pair without a figure
    link then scores exactly as before, whatever the other stages' data became since.
    """
    keep = [k for k, name in enumerate(FEATURES) if name not in without]
    events = [Event(e.name, e.facts, e.keys, e.features[:, keep], e.labels) for e in events]
    names = [FEATURES[k] for k in keep]
    x = np.vstack([e.features for e in events])
    y = np.concatenate([e.labels for e in events])
    kept = None
    if text is not None:
        kept = np.r_[[text.weights.get(n, 0.0) for n in names if n not in FIGURE_FEATURES], text.intercept]
    w = fit_stages(x, y, names, kept)
    # The isotonic map is fitted on the text channel's pairs scored by the text features (the first stage): the
    # figure features' logistic stage is fitted over that logit, so a raw probability means the same on either
    # channel, and the map — which puts MATCH_SCORE at one raw probability — stays where the text pairs put it
    # (refitted on both channels it moved the cut by a few hundredths of raw probability, and the held-out events
    # lost a tenth of their plain restatements to it). The LOEO table (--loeo) measures the figure pairs' bins.
    figure = np.array([name in FIGURE_FEATURES for name in names])
    only = names.index("figure_only") if "figure_only" in names else None
    # The pairs the figure channel alone proposes get a map of their own, fitted on their leave-one-event-out
    # predictions with every feature (the text pairs' map read them as surer than they were: 0.8–0.9 for pairs
    # right two times in three).
    held: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    held_figure: list[np.ndarray] = []
    labels_figure: list[np.ndarray] = []
    for k in range(len(events)):
        rest = [e for m, e in enumerate(events) if m != k]
        fold = fit_stages(np.vstack([e.features for e in rest]), np.concatenate([e.labels for e in rest]), names, kept)
        plain = events[k].features[:, only] == 0 if only is not None else np.ones(len(events[k].labels), dtype=bool)
        held_figure.append(raw_probability(fold, events[k].features[~plain]))
        labels_figure.append(events[k].labels[~plain])
        fold[:-1][figure] = 0.0
        held.append(raw_probability(fold, events[k].features[plain]))
        labels.append(events[k].labels[plain])
    raw, calibrated = isotonic(np.concatenate(held), np.concatenate(labels))
    if text is not None:
        raw, calibrated = list(text.knots_raw), list(text.knots_calibrated)
    figure_raw, figure_calibrated = isotonic(np.concatenate(held_figure), np.concatenate(labels_figure))
    return {
        "about": "Match model: logistic regression on pair features (the figure features fitted over the text "
        "features' logit), then isotonic maps fitted on leave-one-event-out predictions (one for the text "
        "channel's pairs, one for the pairs the figure channel alone proposes). Written by "
        "bench/match_calibration.py --fit; see annotations/compare/match_model.py.",
        "fitted_on": [e.name for e in events],
        "weights": {FEATURES[k]: round(float(v), 6) for k, v in zip(keep, w[:-1], strict=True)},
        "intercept": round(float(w[-1]), 6),
        "isotonic": {"raw": raw, "calibrated": calibrated},
        "isotonic_figure_only": {"raw": figure_raw, "calibrated": figure_calibrated},
    }


def scores(event: Event, model: MatchModel) -> np.ndarray:
    logit = np.full(len(event.labels), model.intercept)
    for column, name in enumerate(FEATURES):
        logit += model.weights.get(name, 0.0) * event.features[:, column]
    figure_only = event.features[:, FEATURES.index("figure_only")] > 0
    return model.calibrate(1.0 / (1.0 + np.exp(-logit)), figure_only)


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


def report_loeo(
    events: list[Event], without: frozenset[str], marks: dict[float, str], text: MatchModel | None = None
) -> None:
    """The reliability table with each dev event scored by a model (weights and isotonic map) fitted without it:
    what the score means on an event the model never saw, measured on every dev event (``text``: see fit)."""
    models = [
        model_from_json(fit([e for m, e in enumerate(events) if m != k], without, text)) for k in range(len(events))
    ]
    report("dev events, leave one event out (each scored by a model fitted on the others)", events, models, marks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("events", nargs="*", type=Path, help="dev event folders (default: ../shared/devsets/events/*/)")
    parser.add_argument("--held-out", nargs="*", type=Path, default=[], help="event folders only to measure on")
    parser.add_argument("--fit", action="store_true", help="refit annotations/data/match_model.json on the dev events")
    parser.add_argument("--without", nargs="*", default=[], choices=FEATURES, help="features --fit leaves out")
    parser.add_argument("--loeo", action="store_true", help="also score each dev event with a model fitted without it")
    parser.add_argument("--text-only", action="store_true", help="leave the figure channel's candidates out")
    parser.add_argument(
        "--keep-text", action="store_true", help="--fit: keep the shipped text weights and map, fit the figure stage"
    )
    parser.add_argument("--no-seeds", action="store_true", help="leave the seeds' gold set out of the dev events")
    args = parser.parse_args()
    global FIGURE_CHANNEL
    FIGURE_CHANNEL = not args.text_only
    folders = args.events or sorted(p for p in DEV.iterdir() if (p / "gold.json").is_file())
    dev = [load_event(f) for f in folders]
    if not args.no_seeds:
        dev.append(load_seeds())
    text = shipped_model() if args.keep_text else None
    if args.fit:
        data = fit(dev, frozenset(args.without), text)
        target = REPO / "annotations" / "data" / DATA_FILE
        target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(REPO)}")
        shipped_model.cache_clear()
    from factdesk.annotations.compare.match_model import APPLY_THRESHOLD

    model = shipped_model()
    marks = {MATCH_SCORE: " m", APPLY_THRESHOLD: " a"}
    if args.loeo:
        report_loeo(dev, frozenset(args.without), marks, text)
    report("dev events (the model is fitted on these)", dev, model, marks)
    if args.held_out:
        held = [load_event(f) for f in sorted(args.held_out) if (f / "gold.json").is_file()]
        report("held-out events (never fitted on)", held, model, marks)
    print("\nm: MATCH_SCORE (matches reported); a: APPLY_THRESHOLD (the reader's `a` applies the verdict)")


if __name__ == "__main__":
    main()
