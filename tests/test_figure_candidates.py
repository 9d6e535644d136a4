"""The figure channel of the candidate pairs (annotations/compare/figure_candidates.py, matching.candidates).

Texts written for these tests: two reports of one factory fire that give its toll in other words, a report of
another story with the same toll, and hand-made figure records for the rules of a link.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from builders import FILLER, article, corpus

from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.figure_candidates import (
    CLASH,
    EXACT,
    LINK,
    MAX_PARTNERS,
    OPEN,
    ROUNDED,
    figure_links,
)
from factdesk.annotations.compare.match_model import shipped_model
from factdesk.annotations.compare.matching import candidate_pairs, candidates
from factdesk.annotations.model import Article, ClaimRef, FigureRecord, NumberMention
from factdesk.annotations.pipeline.analysis import analyze_articles

FIRE = (
    "A fire tore through a textile factory in the port city of Velmora on Monday night. "
    "Firefighters battled the blaze for six hours before bringing it under control. "
    "The factory owner was arrested on Tuesday and charged with negligence. "
    "The death toll has risen to 57, the regional fire service said on Tuesday as families gathered outside the "
    "morgue waiting for news of relatives. "
    "Workers said the emergency exits had been locked from the outside."
)
FIRE_AGAIN = (
    "Police arrested the owner of the textile factory in Velmora and charged him with negligence. "
    "Survivors told reporters that emergency exits had been locked from the outside. "
    "The blaze at the factory in Velmora burned for six hours before firefighters brought it under control. "
    "Hospitals counted 57 dead by Wednesday, while dozens of injured workers remained in intensive care with "
    "severe burns and smoke inhalation. "
    "The government declared a day of national mourning."
)
FERRY = (
    "A ferry capsized in a storm off the coast of Durnholm early on Saturday. "
    "Coast guard divers searched the wreck through the night. "
    "Hospitals counted 57 dead by Wednesday, while dozens of passengers remained missing at sea. "
    "The ferry company suspended all crossings until further notice."
)


def _analyse(*texts: tuple[str, str]):
    return analyze_articles([Article(id=n, path=Path(f"{n}.txt"), text=t, title=n, source=n) for n, t in texts])


def test_two_reports_of_one_toll_in_other_words_match_through_their_figure_record() -> None:
    analysis = _analyse(("one", FIRE), ("two", FIRE_AGAIN))
    tolls = [r for r in analysis.figures if r.measure == "people killed" and r.low == 57]
    assert {r.ref for r in tolls} == {ClaimRef("one", 3), ClaimRef("two", 3)}
    assert any(m.a == ClaimRef("one", 3) and m.b == ClaimRef("two", 3) for m in analysis.matches)
    # (their words alone do not make them a candidate: what the matcher found before the figure channel)
    table = build_table(analysis)
    by_ref = table.by_ref
    text_only = {(j, i) for j, i, _ in candidate_pairs(table)}
    assert (by_ref[ClaimRef("one", 3)], by_ref[ClaimRef("two", 3)]) not in text_only


def test_the_same_toll_in_an_unrelated_story_is_no_candidate() -> None:
    analysis = _analyse(("fire", FIRE), ("ferry", FERRY))
    assert not [m for m in analysis.matches if m.a.sentence == 3 and m.b.sentence == 2]
    table = build_table(analysis)
    found = candidates(table, analysis.figures)
    pair = (table.by_ref[ClaimRef("ferry", 2)], table.by_ref[ClaimRef("fire", 3)])
    assert tuple(sorted(pair)) not in {(j, i) for j, i, _ in found}


def _record(
    ref: ClaimRef,
    value: float,
    *,
    low: float | None = None,
    high: float | None = None,
    bound="exact",
    measure="people killed",
    scope="",
    time="",
    attribution="",
) -> FigureRecord:
    mention = NumberMention(0, 1, str(value), value, None, None)
    return FigureRecord(
        ref,
        mention,
        value if low is None else low,
        value if high is None else high,
        bound,
        measure,
        scope,
        time,
        attribution,
        ref.article,
    )


def _table(count: int):
    """Articles a0 … a{count-1}, each a claim (sentence 0) and the filler."""
    return build_table(
        corpus(*(article(f"a{k}", [f"Claim number {k} about the toll.", *FILLER]) for k in range(count)))
    )


def _bits(table, records) -> dict[tuple[str, str], int]:
    links = figure_links(table, records)
    size = len(table.claims)
    return {
        (table.claims[key // size].ref.article, table.claims[key % size].ref.article): bits
        for key, bits in links.items()
    }


def test_a_link_needs_one_measure_values_that_can_both_hold_and_no_other_scope() -> None:
    table = _table(8)
    ref = [ClaimRef(f"a{k}", 0) for k in range(8)]
    found = _bits(
        table,
        [
            _record(ref[0], 11300),
            _record(ref[1], 11300),  # the same figure
            _record(ref[2], 11000),  # the same, rounded ("risen to 11,000")
            _record(ref[3], 280, high=math.inf, bound="at least"),
            _record(ref[4], 275),  # cannot be "at least 280": two counts
            _record(ref[5], 57, scope="Velmora"),
            _record(ref[6], 57, scope="Durnholm"),  # another place
            _record(ref[7], 1000, high=10000, bound="about"),  # "thousands": no figure to share
        ],
    )
    assert found[("a0", "a1")] & (LINK | EXACT) == LINK | EXACT
    assert found[("a0", "a2")] & (LINK | ROUNDED) == LINK | ROUNDED
    assert found[("a3", "a4")] & CLASH and not found[("a3", "a4")] & LINK
    assert not found[("a5", "a6")] & LINK
    assert not any("a7" in key for key in found)
    assert not found[("a0", "a1")] & OPEN


def test_many_claims_giving_one_figure_make_a_bounded_number_of_links() -> None:
    count = 400
    table = _table(count)
    records = [_record(ClaimRef(f"a{k}", 0), 275) for k in range(count)]
    links = figure_links(table, records)
    assert len(links) <= MAX_PARTNERS * count  # not count² / 2 = 79,800


def test_the_pairs_proposed_by_their_figure_alone_have_a_calibration_map_of_their_own() -> None:
    model = shipped_model()
    assert model.figure_raw and list(model.figure_raw) == sorted(model.figure_raw)
    assert list(model.figure_calibrated) == sorted(model.figure_calibrated)
    raw = np.linspace(0.0, 1.0, 101)
    mapped = model.calibrate(raw, np.ones(len(raw), dtype=bool))
    assert np.all(np.diff(mapped) >= 0) and mapped.min() >= 0.0 and mapped.max() <= 1.0
    assert np.array_equal(model.calibrate(raw, np.zeros(len(raw), dtype=bool)), model.calibrate(raw))
