"""DATE entities: the seeds' dates are found with the right spans, and counts are not taken for years."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from factdesk.annotations.text.dates import find_dates

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _dates(text: str) -> list[str]:
    found = find_dates(text)
    for e in found:
        assert e.label == "DATE"
        assert e.text == text[e.start : e.end]
    return [e.text for e in found]


CASES: list[tuple[str, list[str]]] = [
    # --- the examples (prepositions stay outside the span)
    ("On December 7, reports emerged", ["December 7"]),
    ("Homs, December 9: Syrian government forces", ["December 9"]),
    ("Homs on Saturday after less than a day", ["Saturday"]),
    ("the fall of Aleppo last week.", ["last week"]),
    ("Since the sweep into Aleppo a week ago, defences", ["a week ago"]),
    ("since they took control of Aleppo a week prior.", ["a week prior"]),
    ("who have made rapid gains in recent weeks, see", ["recent weeks"]),
    ("displaced since late November, with estimates", ["late November"]),
    ("birthplace of the 2011 uprising", ["2011"]),
    ("Copyright © 2024 iKurd.net. All rights reserved", ["2024"]),
    ("Assad could be ousted in the coming week.", ["the coming week"]),
    ("the Ghouta attack in 2013 and the Khan Shaykhun attack in 2017, both", ["2013", "2017"]),
    # --- calendar forms
    (
        "on Dec. 5, 2024 and 9 December 2024 and the 9th of December",
        ["Dec. 5, 2024", "9 December 2024", "9th of December"],
    ),
    ("in December 2024 and by mid-December", ["December 2024", "mid-December"]),
    ("in early January and the end of March", ["early January", "the end of March"]),
    ("Talks resumed in May; he may go.", ["May"]),
    ("A March on Damascus and the march of time", []),
    ("a loss for the year to March", ["March"]),
    ("on Saturday, December 7 at 10 a.m. the", ["Saturday, December 7 at 10 a.m."]),
    ("last Friday night and Sunday morning", ["last Friday night", "Sunday morning"]),
    ("2024-12-09 and 09/12/2024 at 14:30 GMT", ["2024-12-09", "09/12/2024 at 14:30 GMT"]),
    ("at 10 a.m. Saturday, and at noon", ["10 a.m. Saturday", "noon"]),
    # --- relative dates
    ("the past two weeks and the last few days", ["the past two weeks", "the last few days"]),
    ("three days earlier and years ago", ["three days earlier", "years ago"]),
    ("earlier this month and yesterday and today", ["earlier this month", "yesterday", "today"]),
    ("in the coming days and over the weekend", ["the coming days", "the weekend"]),
    # --- years in context
    ("the 1990s and mid-2024 and 2011-2024 and 2024-25", ["the 1990s", "mid-2024", "2011-2024", "2024-25"]),
    ("the year 2011 and by 2030", ["the year 2011", "2030"]),
    ("more than 2000 people", []),
    ("about 1990 were killed", []),
    ("a crowd of 2000 protesters", []),
    ("2000 km and $2000 and 2000%", []),
    ("in 2000 people", ["2000"]),
    # --- durations are numbers, not dates
    ("within 24 hours", []),
    ("within five to ten days", []),
    ("Assad’s 24-year rule and a five-decade reign", []),
    ("within 30 km (20 miles) of Damascus", []),
    ("COVID-19 and F-16", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_cases(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


SEED_DATES: dict[str, list[str]] = {
    "000_b2a9280c56cfe527.txt": ["December 9", "last week"],
    "001_dd649cac0dea3d04.txt": ["recent weeks", "Saturday", "Saturday", "2024"],
    "002_60ab972603afec2b.txt": ["Saturday", "a week ago", "the coming week", "Saturday"],
    "003_2f458b3b670532ec.txt": [
        "December 7",
        "last week",
        "late November",
        "a week prior",
        "December 6",
        "December 5",
    ],
    "004_ca4f9e456fb637fd.txt": ["2011", "2013", "2017"],
}


@pytest.mark.parametrize("name", sorted(SEED_DATES))
def test_seed_dates(name: str) -> None:
    assert _dates((SEEDS / name).read_text(encoding="utf-8")) == SEED_DATES[name]


def test_seed_expectations_cover_every_seed() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SEED_DATES)


def test_spans_are_sorted_and_disjoint() -> None:
    text = "On Saturday, December 7, 2024, a week ago, in 2011 and in the coming week"
    found = find_dates(text)
    assert [e.text for e in found] == ["Saturday, December 7, 2024", "a week ago", "2011", "the coming week"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
