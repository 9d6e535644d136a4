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
still matches), whether the margin rule (matching.margin_rule) accepts the pair and how
few articles the corpus has, how many words (terms other than names) they share — two
claims about one person that share only the name are two facts —, and their figures:
the same counted quantity with the same interval (see quantities.py), the same number,
the same quantity with intervals that cannot both hold (measured on the dev events: the
gold lists a toll that rose as two facts), numbers that all differ — followed by an
isotonic map fitted on cross-validated predictions (leave one event out), which makes
the output a calibrated score. Nothing in it names a word, place or figure.

The figure records (figure_candidates.py) add a channel of candidates and features of the link between the
two claims' figures — equal, equal up to rounding, how far apart, the same scope, other times or sources, an
open bound, a second figure that links or one that clashes, and whether the pair is a candidate through its
figure alone (``FIGURE_FEATURES``). They are fitted in a second stage over the text features' logit
(bench/match_calibration.py ``fit_stages``; the shipped model kept the text stage and its map as they were,
``--fit --keep-text``), so a pair whose figures do not link keeps its score exactly. The pairs the figure channel
alone proposes take an isotonic map of their own (``figure_raw``), fitted on their leave-one-event-out
predictions: read through the text pairs' map they scored 0.8–0.9 and were right two times in three. On the
dev events that map is one block (their raw probabilities did not rank them on events left out): each such pair
scores 0.78, the share of them that was right.

Measured (2026-12-07, bench/match_calibration.py --loeo: each dev event scored by a model fitted without it;
precision of candidate pairs by score bin, pooled): dev 0.11 0.13 0.27 0.31 0.57 0.48 0.64 0.66 0.92 0.85 for
[0, 0.1) … [0.9, 1]; three held-out events 0.07 0.15 0.27 0.34 0.20 0.51 0.56 0.79 1.00 1.00. With the figure
channel (same day, 12:43 UTC, ``--keep-text``: the text stage is the shipped one, fitted on every dev event, and
only the figure stage is left out per fold): dev 0.06 0.08 0.22 0.26 0.40 0.56 0.70 0.74 0.73 0.92; held-out
0.07 0.15 0.27 0.36 0.20 0.51 0.53 0.83 1.00 0.86.

Speed: the features are computed over arrays (numpy, loaded by the analysis already);
the figure features are read pair by pair only where both claims have a figure, and the
shared words (one set intersection per pair) only where they could lift a pair to the
caller's floor (see :func:`set_features`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import cast

import numpy as np

from factdesk.annotations.compare.features import Claim, ClaimTable
from factdesk.annotations.compare.figure_candidates import (
    CLASH,
    EXACT,
    GAP_SHIFT,
    GAP_STEPS,
    LINK,
    MULTI,
    ONLY,
    OPEN,
    ROUNDED,
    SCOPE_SAME,
    SOURCE_DIFFERS,
    TIME_DIFFERS,
)

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
    "margin_pass",  # 1 when the margin rule accepts the pair (matching.margin_rule: best in article, over the hubs)
    "shared_words",  # log(1 + the terms they share other than names): a restatement shares wording, not only names
    "figure_disagree",  # 1 when they count the same thing with intervals that cannot both hold (a disputed figure)
    "number_clash",  # 1 when both give numbers of 10 or more and share none
    "margin_few",  # margin_pass × min(1, max(0, FEW_ARTICLES / articles − 1)): 0 from ten articles on, 1 up to five
    # The figure records (figure_candidates.py: a link is one measure, scopes not different, values within 10 %):
    "figure_link",  # 1 when the claims give such a figure
    "figure_exact",  # … with equal closed intervals
    "figure_rounded",  # … equal up to the rounder figure's rounding
    "figure_scope_same",  # … both naming the same scope
    "figure_time_differs",  # the linked figures state different times
    "figure_source_differs",  # … different sources
    "figure_open",  # … one of them an open bound ("at least")
    "figure_only",  # 1 when the pair is a candidate through its figures alone (not through its words)
    "figure_gap",  # the linked values' relative gap, as a share of the link's reach (0 equal … 1 ten per cent)
    "figure_multi",  # two different figures of the claims link
    "figure_clash",  # … and two other near figures of one measure in them cannot both hold ("275, not 288" / "288")
)
# The features of the figure records' links (fitted over the text features' logit, see bench/match_calibration.py).
FIGURE_FEATURES = (
    "figure_link",
    "figure_exact",
    "figure_rounded",
    "figure_scope_same",
    "figure_time_differs",
    "figure_source_differs",
    "figure_open",
    "figure_only",
    "figure_gap",
    "figure_multi",
    "figure_clash",
)
# The bits of figure_candidates.relation each figure feature reads.
_FIGURE_BITS = {
    "figure_link": LINK,
    "figure_exact": EXACT,
    "figure_rounded": ROUNDED,
    "figure_scope_same": SCOPE_SAME,
    "figure_time_differs": TIME_DIFFERS,
    "figure_source_differs": SOURCE_DIFFERS,
    "figure_open": OPEN,
    "figure_only": ONLY,
    "figure_clash": CLASH,
    "figure_multi": MULTI,
}
# Under FEW_ARTICLES articles a claim's best partner in another article tells more: there are few others it could
# restate. The events the model is fitted on have ten to thirteen articles and the seeds five, so the rule the
# matcher once applied alone (margin_pass) keeps its ten-article weight on larger corpora, and gains margin_few's
# only in small ones.
FEW_ARTICLES = 10
TIE_BREAK = 0.02  # see MatchModel.calibrate
# log_shared_weight's floor: text candidates share at least e^-2.2 of the greatest weight² on the eight judged events.
LEAST_SHARED_WEIGHT = 0.03
# The least match score for which the reader's `a` offers to give a claim's verdict to its matches: a precision of
# 0.95 or more, measured. Measured with bench/match_calibration.py --loeo (2026-12-07) on the dev events (five
# ten-outlet events and the seeds), each scored by a model fitted without it: the best-scoring bins were right 70 of
# 76 (0.80–0.90) and 35 of 41 (0.90 and up, 0.85; held-out events: 25 of 25) — no threshold reached 0.95 on events
# the model had not seen, and the shipped map's top block (pooled to at least 30 pairs, see the bench) is 0.91, so `a`
# offers nothing with the shipped model until a refit on more events shows a block that does. (Right = both
# sentences state one gold fact, the scorer's lower bound: gold lists the facts outlets share, not every one.)
APPLY_THRESHOLD = 0.95
# Read pair by pair (set operations), only for the pairs that could reach the caller's floor (see set_features).
_SET_FEATURES = ("same_figure", "same_number", "figure_disagree", "number_clash", "shared_words")
_BINARY = frozenset(("same_figure", "same_number", "figure_disagree", "number_clash"))  # in [0, 1]


@dataclass(frozen=True)
class MatchModel:
    """Logistic weights by feature, intercept, and the isotonic map (raw probability → calibrated score)."""

    weights: dict[str, float]
    intercept: float
    knots_raw: tuple[float, ...]
    knots_calibrated: tuple[float, ...]
    # The map of the pairs the figure channel alone proposes (figure_only): fitted on their own leave-one-event-out
    # predictions, since the text pairs' map read their raw probabilities as surer than they were.
    figure_raw: tuple[float, ...] = ()
    figure_calibrated: tuple[float, ...] = ()

    def calibrate(self, raw: np.ndarray, figure_only: np.ndarray | None = None) -> np.ndarray:
        """The calibrated score of raw logistic probabilities (piecewise linear between the isotonic knots).

        ``figure_only`` marks the pairs that the figure channel alone proposes: they take the figure map.
        An isotonic block gives all its pairs one value; a tie-break of at most ±``TIE_BREAK``/2 keeps the order
        of their raw probabilities (a copy above a rewording), far under the spread of a block's precision.
        """
        if not self.knots_raw:
            return raw
        mapped = np.interp(raw, self.knots_raw, self.knots_calibrated)
        if figure_only is not None and self.figure_raw and figure_only.any():
            mapped = np.where(figure_only, np.interp(raw, self.figure_raw, self.figure_calibrated), mapped)
        return np.clip(mapped + TIE_BREAK * (np.asarray(raw) - 0.5), 0.0, 1.0)

    def most(self, raw: np.ndarray) -> np.ndarray:
        """The higher of the two maps' scores (a bound, whichever channel proposed the pairs)."""
        return np.maximum(self.calibrate(raw), self.calibrate(raw, np.ones(len(raw), dtype=bool)))


def model_from_json(data: dict) -> MatchModel:
    """A :class:`MatchModel` from its JSON form; a feature the model does not know is an error, not ignored."""
    weights = {str(k): float(v) for k, v in data["weights"].items()}
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"match model: unknown features {sorted(unknown)}")
    iso = data.get("isotonic", {})
    figure = data.get("isotonic_figure_only", {})
    return MatchModel(
        weights=weights,
        intercept=float(data["intercept"]),
        knots_raw=tuple(float(x) for x in iso.get("raw", ())),
        knots_calibrated=tuple(float(x) for x in iso.get("calibrated", ())),
        figure_raw=tuple(float(x) for x in figure.get("raw", ())),
        figure_calibrated=tuple(float(x) for x in figure.get("calibrated", ())),
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


def _figures_disagree(a: Claim, b: Claim) -> bool:
    """Whether the two claims count one thing with figures that cannot both hold ("at least 5,000" / "3,958")."""
    return any(qa.key == qb.key and not qa.compatible(qb) for qa in a.quantities for qb in b.quantities)


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
        # (floored: a figure-channel pair may share nothing, and log 0 would outweigh every other feature)
        "log_shared_weight": np.log(np.maximum(dot / (table.max_idf * table.max_idf), LEAST_SHARED_WEIGHT)),
        "overlap": np.where(shorter > 0, dot / (safe_shorter * safe_shorter), 0.0),
        "_dot": dot,
    }


def set_features(
    table: ClaimTable,
    first: np.ndarray,
    second: np.ndarray,
    dot: np.ndarray,
    model: MatchModel,
    logit: np.ndarray,
    floor: float = 0.0,
) -> dict[str, np.ndarray]:
    """The features read pair by pair (set operations): figures, numbers, names and words the two claims share.

    ``logit`` is each pair's logit from the other features. With ``floor`` > 0, a pair whose score could not reach
    ``floor`` even with every one of these at its most favourable value is not read (its features stay 0 and its
    score under ``floor``): the matcher keeps only pairs at ``floor`` or more, and most candidates are far under it.
    """
    count = len(logit)
    extra = {name: np.zeros(count) for name in _SET_FEATURES}
    if not count:
        return extra
    claims = table.claims
    arrays = _claim_arrays(table)
    numbers = cast("frozenset[int]", arrays["numbers"])
    has_number, has_quantity = (cast("np.ndarray", arrays[k]) for k in ("number", "quantity"))
    words = model.weights.get("shared_words", 0.0)
    if floor > 0.0:
        upper = logit.copy()
        for name in _BINARY:
            upper += max(0.0, model.weights.get(name, 0.0))
        if words > 0.0:
            upper += words * np.log1p(_most_shared(arrays, first, second, dot))
        read = model.most(1.0 / (1.0 + np.exp(-upper))) >= floor
    else:
        read = np.ones(count, dtype=bool)
    same_figure, same_number = extra["same_figure"], extra["same_number"]
    disagree, clash = extra["figure_disagree"], extra["number_clash"]
    shared_words = extra["shared_words"]
    for k in np.nonzero(read & has_number[first] & has_number[second])[0].tolist():
        if numbers.isdisjoint(claims[first[k]].terms & claims[second[k]].terms):
            clash[k] = 1.0
        else:
            same_number[k] = 1.0
    for k in np.nonzero(read & has_quantity[first] & has_quantity[second])[0].tolist():
        a, b = claims[first[k]], claims[second[k]]
        if _same_figure(a, b):
            same_figure[k] = 1.0
        if _figures_disagree(a, b):
            disagree[k] = 1.0
    if words or floor <= 0.0:
        at = np.nonzero(read)[0]
        get = cast("list[frozenset[int]]", arrays["words"]).__getitem__
        # (C-level maps: one set intersection per pair, and no Python statement)
        sizes = map(len, map(frozenset.intersection, map(get, first[at].tolist()), map(get, second[at].tolist())))
        shared_words[at] = np.log1p(np.fromiter(sizes, dtype=float, count=len(at)))
    return extra


def _claim_arrays(table: ClaimTable) -> dict[str, object]:
    """Per-claim facts the pair features read (made once per table: the role check scores some pairs twice)."""
    arrays = table.arrays
    if "words" not in arrays:
        claims = table.claims
        count = len(claims)
        numbers = large_numbers(table)
        squared = np.asarray(table.squared, dtype=float)
        arrays["numbers"] = numbers
        arrays["number"] = np.fromiter((not numbers.isdisjoint(c.terms) for c in claims), dtype=bool, count=count)
        arrays["quantity"] = np.fromiter((bool(c.quantities) for c in claims), dtype=bool, count=count)
        words = [c.terms - c.entity_keys if c.entity_keys else c.terms for c in claims]  # terms other than names
        arrays["words"] = words
        arrays["sizes"] = np.fromiter(map(len, words), dtype=float, count=count)
        # ids are in order of decreasing weight: a claim's lightest term is its greatest id
        lightest = np.fromiter((max(c.terms, default=0) for c in claims), dtype=np.int64, count=count)
        arrays["lightest"] = squared[lightest] if len(squared) else np.zeros(count)
    return arrays


def _most_shared(arrays: dict[str, object], first: np.ndarray, second: np.ndarray, dot: np.ndarray) -> np.ndarray:
    """An upper bound on how many terms each pair shares: each shared term weighs at least the lighter claim's
    lightest term, and no pair shares more terms than its shorter claim has."""
    sizes, lightest = cast("np.ndarray", arrays["sizes"]), cast("np.ndarray", arrays["lightest"])
    least = np.maximum(lightest[first], lightest[second])
    by_weight = np.where(least > 0, dot / np.where(least > 0, least, 1.0), np.inf)
    return np.minimum(np.minimum(sizes[first], sizes[second]), np.floor(by_weight + 1e-9))


def figure_features(
    table: ClaimTable, first: np.ndarray, second: np.ndarray, scores: np.ndarray
) -> dict[str, np.ndarray]:
    """The figure features of the pairs (see FEATURES), from the links the figure channel found
    (``table.arrays["figure_links"]``, see matching.candidates; none: all 0)."""
    count = len(scores)
    links = cast("dict[int, int]", table.arrays.get("figure_links") or {})
    if not links or not count:
        return {name: np.zeros(count) for name in (*_FIGURE_BITS, "figure_gap")}
    keys = (first * len(table.claims) + second).tolist()
    bits = np.fromiter(map(links.get, keys, repeat(0)), dtype=np.int64, count=count)
    # (every feature describes a link: a pair whose figures do not link keeps the text model's score exactly)
    bits = np.where((bits & LINK) != 0, bits, 0)
    found = {name: ((bits & bit) != 0).astype(float) for name, bit in _FIGURE_BITS.items()}
    found["figure_gap"] = ((bits >> GAP_SHIFT) & GAP_STEPS) / GAP_STEPS
    return found


def probabilities(
    table: ClaimTable,
    first: np.ndarray,
    second: np.ndarray,
    scores: np.ndarray,
    typical: np.ndarray,
    best: np.ndarray,
    model: MatchModel,
    margin: np.ndarray | None = None,
    floor: float = 0.0,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Calibrated scores of the pairs (first[k], second[k]) and their features (see array_features).

    ``margin`` is 1 for the pairs the margin rule accepts (see matching.margin_rule); ``floor``: see
    :func:`set_features` (scores under it are not exact).
    """
    features = array_features(table, first, second, scores, typical, best)
    features["margin_pass"] = np.zeros(len(scores)) if margin is None else margin
    articles = 1 + max((c.article for c in table.claims[-1:]), default=0)  # (claims are in article order)
    features["margin_few"] = features["margin_pass"] * min(1.0, max(0.0, FEW_ARTICLES / articles - 1.0))
    features.update(figure_features(table, first, second, scores))
    logit = np.full(len(scores), model.intercept)
    for name, weight in model.weights.items():
        if name not in _SET_FEATURES:
            logit += weight * features[name]
    extra = set_features(table, first, second, features["_dot"], model, logit, floor)
    for name in _SET_FEATURES:
        logit += model.weights.get(name, 0.0) * extra[name]
    features.update(extra)
    return model.calibrate(1.0 / (1.0 + np.exp(-logit)), features["figure_only"] > 0), features
