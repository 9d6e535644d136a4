"""How likely two candidate claims state the same fact: a calibrated score from a few features of the pair.

Why: a raw similarity means different things on different corpora (a story told in
many short wire sentences vs one told in long analytic ones), so a fixed threshold on
it, or on its margin, finds a fifth of the restatements on one corpus and links
unrelated sentences on another. The score here is a probability-like value: the
share of pairs with that score that state one fact, measured on hand-judged events
(``bench/match_calibration.py`` fits it and prints the reliability table), so a
reviewer (and ``a``, see :data:`APPLY_THRESHOLD`) can read 0.8 as "eight in ten".

The model (data: ``annotations/data/match_model.json``) is a logistic regression on
features of the pair that hold on any corpus — how much of their weight they share
(:func:`similarity`, its square root, the overlap with the shorter claim, the shared
weight itself), how that compares with the claims' typical similarity (their hub) and
with the best pair each claim has in the other article (the best-in-article and
mutual-best evidence, now a feature, not a rule: a lead restated over two sentences
still matches), and whether they give the same figure (the same counted quantity with the same
interval, see quantities.py) or the same number — followed by an isotonic map fitted
on cross-validated predictions (leave one event out), which makes the output a
calibrated score. Nothing in it names a word, place or figure.

Speed: the features are computed over arrays (numpy, loaded by the analysis already);
the figure features are read pair by pair only where both claims have a figure. (The number
of shared terms was a feature too: one set intersection per pair, a sixth of the matching's
time, for no gain on the held-out events — left out.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from factdesk.annotations.compare.features import Claim, ClaimTable

DATA_PACKAGE = "factdesk.annotations.data"
DATA_FILE = "match_model.json"
FEATURES = (
    "sqrt_similarity",  # √similarity
    "similarity",  # the pair's similarity (role penalty included)
    "typical_similarity",  # mean of the two claims' hub (their HUB_NEIGHBOURS best, see matching.hub_scores)
    "mutual_best",  # 1 when each claim's best pair into the other's article is this one
    "best_ratio",  # similarity / the better of the two claims' best into the other's article
    "same_figure",  # 1 when both give one counted quantity with the same interval (quantities.py)
    "same_number",  # 1 when they share a number term of 10 or more
    "log_shared_weight",  # log(the summed squared weights they share / the corpus's greatest weight²)
    "overlap",  # shared weight / the shorter claim's weight
)
# The least match score for which the reader's `a` offers to give a claim's verdict to its matches: a precision of
# 0.95 or more, measured. Measured with bench/match_calibration.py (2026-12-07) on the dev events (five ten-outlet
# events and the seeds): the best-scoring block, 0.80–0.90, was right 82 of 97 (0.85; held-out events: 31 of 36,
# 0.86), and no match scored 0.90 or more — no threshold reached 0.95 on this data, so `a` offers nothing with the
# shipped model until a refit on more events shows a block that does. (Right = both sentences state one gold fact,
# the scorer's lower bound: gold lists the facts outlets share, not every one.)
APPLY_THRESHOLD = 0.95
_SET_FEATURES = ("same_figure", "same_number")  # read pair by pair: only where both claims have a figure


@dataclass(frozen=True)
class MatchModel:
    """Logistic weights by feature, intercept, and the isotonic map (raw probability → calibrated score)."""

    weights: dict[str, float]
    intercept: float
    knots_raw: tuple[float, ...]
    knots_calibrated: tuple[float, ...]

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """The calibrated score of raw logistic probabilities (piecewise linear between the isotonic knots)."""
        if not self.knots_raw:
            return raw
        return np.interp(raw, self.knots_raw, self.knots_calibrated)


def model_from_json(data: dict) -> MatchModel:
    """A :class:`MatchModel` from its JSON form; a feature the model does not know is an error, not ignored."""
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"match model: unknown features {sorted(unknown)}")
    iso = data.get("isotonic", {})
    return MatchModel(
        weights=weights,
        intercept=float(data["intercept"]),
        knots_raw=tuple(float(x) for x in iso.get("raw", ())),
        knots_calibrated=tuple(float(x) for x in iso.get("calibrated", ())),
    )


@lru_cache(maxsize=1)
def shipped_model() -> MatchModel:
    """The shipped model (JSON data in the package)."""
    raw = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return model_from_json(json.loads(raw))


def _same_figure(a: Claim, b: Claim) -> bool:
    return any(
        qa.key == qb.key and qa.low == qb.low and qa.high == qb.high for qa in a.quantities for qb in b.quantities
    )


def large_numbers(table: ClaimTable) -> frozenset[int]:
    """Term ids of numbers of 10 or more ("#11300"): two claims sharing one likely give the same figure."""
    found = []
    for index, word in enumerate(table.vocabulary):
        if word[:1] == "#":
            try:
                if float(word[1:]) >= 10:
                    found.append(index)
            except ValueError:
                continue
    return frozenset(found)


def best_in_article(table: ClaimTable, first: np.ndarray, second: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per pair, (the first claim's best score into the second's article, the second's into the first's): 2 × n."""
    articles = np.fromiter((c.article for c in table.claims), dtype=np.int64, count=len(table.claims))
    stride = int(articles.max(initial=0)) + 1  # (claim, article) as one integer key: claim · stride + article
    keys = np.concatenate([first * stride + articles[second], second * stride + articles[first]])
    unique, inverse = np.unique(keys, return_inverse=True)
    best = np.full(len(unique), -np.inf)
    np.maximum.at(best, inverse, np.concatenate([scores, scores]))
    return best[inverse].reshape(2, len(scores))


def array_features(
    table: ClaimTable, first: np.ndarray, second: np.ndarray, scores: np.ndarray, typical: np.ndarray, best: np.ndarray
) -> dict[str, np.ndarray]:
    """The features computed over arrays (all but the set-based ones) of pairs (first[k], second[k]).

    ``typical`` is each pair's mean hub, ``best`` the 2 × n bests of :func:`best_in_article` (both from the
    raw similarities, before any role penalty lowers ``scores``).
    """
    norms = np.fromiter((c.norm for c in table.claims), dtype=float, count=len(table.claims))
    na, nb = norms[first], norms[second]
    shorter = np.minimum(na, nb)
    dot = scores * np.sqrt(na * nb) * shorter
    top = np.maximum(best[0], best[1])
    safe_top = np.where(top > 0, top, 1.0)
    safe_shorter = np.where(shorter > 0, shorter, 1.0)
    return {
        "sqrt_similarity": np.sqrt(scores),
        "similarity": scores,
        "typical_similarity": typical,
        "mutual_best": ((scores >= best[0]) & (scores >= best[1])).astype(float),
        "best_ratio": np.where(top > 0, scores / safe_top, 0.0),
        # (over the greatest weight a term can have, log(1 + claims): IDF grows with the corpus, a share does not)
        "log_shared_weight": np.log(np.maximum(dot / (table.max_idf * table.max_idf), 1e-12)),
        "overlap": np.where(shorter > 0, dot / (safe_shorter * safe_shorter), 0.0),
        "_dot": dot,
    }


def probabilities(
    table: ClaimTable,
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    typical: np.ndarray,
    best: np.ndarray,
    model: MatchModel,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Calibrated scores of the pairs (first[k], second[k]) and their features (see array_features)."""
    features = array_features(table, first, second, scores, typical, best)
    logit = np.full(len(scores), model.intercept)
    for name, weight in model.weights.items():
        if name not in _SET_FEATURES:
            logit += weight * features[name]
    # Both are 0 unless both claims have a figure (most claims have none): only those pairs are read.
    claims = table.claims
    numbers = large_numbers(table)
    has_number = np.fromiter((not numbers.isdisjoint(c.terms) for c in claims), dtype=bool, count=len(claims))
    has_quantity = np.fromiter((bool(c.quantities) for c in claims), dtype=bool, count=len(claims))
    extra = {name: np.zeros(len(scores)) for name in _SET_FEATURES}
    same_figure, same_number = extra["same_figure"], extra["same_number"]
    for k in np.nonzero(has_number[first] & has_number[second])[0].tolist():
        if not numbers.isdisjoint(claims[first[k]].terms & claims[second[k]].terms):
            same_number[k] = 1.0
    for k in np.nonzero(has_quantity[first] & has_quantity[second])[0].tolist():
        if _same_figure(claims[first[k]], claims[second[k]]):
            same_figure[k] = 1.0
    for name in _SET_FEATURES:
        logit += model.weights.get(name, 0.0) * extra[name]
    features.update(extra)
    return model.calibrate(1.0 / (1.0 + np.exp(-logit))), features
