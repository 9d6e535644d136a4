"""The calibrated match score (annotations/compare/match_model.py) and the matching rules it brings.

Texts written for these tests: a lead restated over two sentences, the same figure given by two outlets,
the model's data read and checked.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from builders import FILLER, article, corpus

from factdesk.annotations.compare import compare
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.match_model import (
    APPLY_THRESHOLD,
    DATA_FILE,
    DATA_PACKAGE,
    FEATURES,
    model_from_json,
    shipped_model,
)
from factdesk.annotations.compare.matching import MATCH_SCORE, candidate_pairs, score_pairs


def _pairs(matches, a: str, b: str):
    return [m for m in matches if {m.a.article, m.b.article} == {a, b}]


def test_the_shipped_model_is_json_data_with_known_features() -> None:
    raw = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    data = json.loads(raw)
    model = shipped_model()
    assert set(model.weights) <= set(FEATURES) and model.weights
    assert list(model.knots_raw) == sorted(model.knots_raw)
    assert list(model.knots_calibrated) == sorted(model.knots_calibrated)  # isotonic: never decreasing
    assert data["fitted_on"]  # where it was measured (bench/match_calibration.py)
    assert 0.0 < MATCH_SCORE < APPLY_THRESHOLD <= 1.0


def test_a_model_naming_an_unknown_feature_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown features"):
        model_from_json({"weights": {"words_i_made_up": 1.0}, "intercept": 0.0})


def test_calibration_is_monotone_and_in_the_unit_range() -> None:
    model = shipped_model()
    raw = np.linspace(0.0, 1.0, 101)
    calibrated = model.calibrate(raw)
    assert np.all(np.diff(calibrated) >= 0) and calibrated.min() >= 0.0 and calibrated.max() <= 1.0


def test_a_lead_restated_over_two_sentences_matches_both() -> None:
    """The best-in-article rule is evidence now, not a rule: one claim may match two sentences of an article."""
    lead = (
        "Torrential rain burst the Karvel reservoir wall on Friday, flooding the valley town of Oster "
        "and forcing hundreds of families from their homes."
    )
    first = "Torrential rain burst the Karvel reservoir wall on Friday, officials in the valley said."
    second = "The flood from the Karvel reservoir swept through Oster, forcing hundreds of families from their homes."
    analysis = corpus(
        article("one", [lead, *FILLER[:3]], {"Karvel": "LOC", "Oster": "LOC"}),
        article("two", [first, second, *FILLER[3:]], {"Karvel": "LOC", "Oster": "LOC"}),
    )
    matches, _ = compare(analysis)
    found = {m.b.sentence if m.a.article == "one" else m.a.sentence for m in _pairs(matches, "one", "two")}
    assert found == {0, 1}


def test_the_same_figure_scores_higher_than_another_figure() -> None:
    """Two outlets giving one figure for one counted thing state one fact: stronger evidence than the words alone."""
    same = "Rescuers said 214 people were killed when the ferry capsized near the harbour."
    other = "Rescuers said 97 people were killed when the ferry capsized near the harbour."
    base = "Rescuers said 214 people were killed when the ferry capsized off the coast."
    numbers = {
        same: [("214 people", 214.0, "people", None)],
        other: [("97 people", 97.0, "people", None)],
        base: [("214 people", 214.0, "people", None)],
    }
    scores = {}
    for variant in (same, other):
        analysis = corpus(
            article("one", [base, *FILLER[:3]], numbers=numbers[base]),
            article("two", [variant, *FILLER[3:]], numbers=numbers[variant]),
        )
        table = build_table(analysis)
        pairs = candidate_pairs(table)
        _, _, probs, features = score_pairs(table, pairs)
        at = int(np.argmax(probs))
        scores[variant] = (float(probs[at]), features["same_figure"][at], features["same_number"][at])
    assert scores[same][1:] == (1.0, 1.0) and scores[other][1:] == (0.0, 0.0)
    assert scores[same][0] > scores[other][0]


def test_scores_do_not_grow_with_the_corpus_size_alone() -> None:
    """Calibrated means the same score on any corpus: unrelated articles added around a pair barely move it."""
    claim = "The rail operator said the new tunnel under the estuary would open to passengers in March."
    reworded = "The new tunnel under the estuary will open to rail passengers in March, the operator said."
    small = corpus(article("one", [claim, *FILLER[:3]]), article("two", [reworded, *FILLER[3:]]))
    others = [article(f"x{k}", [f"{s} Report number {k}." for s in FILLER]) for k in range(12)]
    large = corpus(article("one", [claim, *FILLER[:3]]), article("two", [reworded, *FILLER[3:]]), *others)
    (in_small,) = _pairs(compare(small)[0], "one", "two")
    (in_large,) = _pairs(compare(large)[0], "one", "two")
    assert abs(in_small.score - in_large.score) < 0.15
