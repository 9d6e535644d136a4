"""The calibrated match score (annotations/compare/match_model.py) and the matching rules it brings.

Texts written for these tests: a lead restated over two sentences, the same figure given by two outlets,
the model's data read and checked.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path

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
from factdesk.annotations.model import ClaimRef

REPO = Path(__file__).resolve().parent.parent


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


# --- general rules of the matcher (texts written for these tests) -------------------------------------------------


def _ten_outlets(one: list[str], two: list[str], entities: dict[str, str] | None = None):
    """Articles "one" and "two" among eight unrelated ones: the size of the events the model is fitted on."""
    others = [article(f"x{k}", [f"{s} Report number {k}." for s in FILLER]) for k in range(8)]
    return corpus(article("one", one, entities), article("two", two, entities), *others)


def test_a_publication_date_line_is_no_word_of_the_claim() -> None:
    """ "date 2024-07-05 …" opening the lead of two outlets is the page's date: it makes no two leads alike."""
    first = "date 2024-07-05 The harbour authority closed the northern pier for repairs."
    second = "date 2024-07-05 A village bakery won a national prize for its rye bread."
    analysis = corpus(article("one", [first, *FILLER[:3]]), article("two", [second, *FILLER[3:]]))
    table = build_table(analysis)
    lead = table.claims[0]
    assert {table.vocabulary[t] for t in lead.terms}.isdisjoint({"date", "#2024", "#7", "#5"})
    assert not _pairs(compare(analysis)[0], "one", "two")


def test_a_wire_dateline_is_no_word_of_the_claim() -> None:
    """ "WELLFORD, Kent (Reuters) — …": where two stories were filed says nothing about what they report."""
    first = "WELLFORD, Kent (Reuters) — The harbour authority closed the northern pier for repairs."
    second = "WELLFORD, Kent (Reuters) — A village bakery won a national prize for its rye bread."
    analysis = corpus(article("one", [first, *FILLER[:3]]), article("two", [second, *FILLER[3:]]))
    assert not _pairs(compare(analysis)[0], "one", "two")
    # (a county in capitals-free text is content, not a dateline)
    table = build_table(corpus(article("one", ["Kent County: 3 people were hurt in the storm.", *FILLER[:3]])))
    assert "kent" in {table.vocabulary[t] for t in table.claims[0].terms}


def test_a_pair_only_the_margin_rule_accepts_is_no_match_among_ten_outlets() -> None:
    """Each other's best in the other article, sharing one phrase: the margin rule alone took such pairs (three in
    ten wrong on ten-outlet events); now it is one feature of the score, and this pair stays under MATCH_SCORE."""
    one = ["The ferry company cancelled its evening crossings because of the storm warning.", *FILLER[:3]]
    two = ["Harbour staff tied down the cranes before the storm warning took effect.", *FILLER[3:]]
    analysis = _ten_outlets(one, two)
    table = build_table(analysis)
    pairs = candidate_pairs(table)
    first, second, probs, features = score_pairs(table, pairs)
    (at,) = [
        k
        for k in range(len(pairs))
        if {table.claims[first[k]].ref, table.claims[second[k]].ref} == {ClaimRef("one", 0), ClaimRef("two", 0)}
    ]
    assert features["margin_pass"][at] == 1.0 and probs[at] < MATCH_SCORE
    assert not _pairs(compare(analysis)[0], "one", "two")


def test_pair_features_read_disputed_figures_clashing_numbers_and_shared_words() -> None:
    """What the pair features say of hand-built pairs: one figure disputed, numbers that differ, only names shared."""
    names = {"Mayor Ilse Varga": "PERSON", "Tarnow": "LOC"}
    killed = "At least 40 people were killed when the footbridge in Tarnow collapsed, Mayor Ilse Varga said."
    disputed = "Mayor Ilse Varga said 12 people were killed when the footbridge in Tarnow collapsed."
    names_only = "Mayor Ilse Varga opened a new library in Tarnow on Friday."
    analysis = corpus(
        article("one", [killed, *FILLER[:3]], names, numbers=[("At least 40 people", 40, "people", "at least")]),
        article("two", [disputed, *FILLER[3:]], names, numbers=[("12 people", 12, "people", None)]),
        article("three", [names_only, *FILLER[:2]], names),
    )
    table = build_table(analysis)
    pairs = candidate_pairs(table, floor=1e-6)
    first, second, _, features = score_pairs(table, pairs)

    def feature(name: str, a: str, b: str) -> float:
        for k in range(len(pairs)):
            refs = {table.claims[first[k]].ref, table.claims[second[k]].ref}
            if refs == {ClaimRef(a, 0), ClaimRef(b, 0)}:
                return float(features[name][k])
        raise AssertionError(f"no candidate pair {a} ~ {b}")

    assert feature("figure_disagree", "one", "two") == 1.0  # people killed: at least 40 vs 12
    assert feature("number_clash", "one", "two") == 1.0  # numbers of 10 or more, none shared
    assert feature("shared_words", "one", "two") > feature("shared_words", "one", "three")
    assert feature("shared_words", "one", "three") == 0.0  # only the names (and no word) are shared


def test_calibrated_scores_keep_the_order_of_raw_probabilities() -> None:
    """An isotonic block gives its pairs one value; the tie-break keeps a copy above a rewording inside it."""
    raw = np.linspace(0.2, 1.0, 161)  # (under that, scores are 0: the lowest block was never right)
    calibrated = shipped_model().calibrate(raw)
    assert np.all(np.diff(calibrated) > 0)


def test_the_top_of_the_calibration_is_a_block_of_many_pairs() -> None:
    """A handful of right pairs at the very top measures nothing: the top block pools until it holds enough, so
    that no score promises a precision (and `a` an offer) that a few pairs seemed to show."""
    spec = importlib.util.spec_from_file_location("match_calibration", REPO / "bench" / "match_calibration.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules["match_calibration"] = bench  # (its dataclass looks its module up)
    spec.loader.exec_module(bench)
    x = np.linspace(0.0, 1.0, 100)
    y = np.r_[np.zeros(40), np.tile([1.0, 0.0], 25), np.ones(10)]  # the ten highest all right
    _, calibrated = bench.isotonic(x, y)
    assert max(calibrated) < 0.95
