"""Numbers: value, unit and qualifier for the phrases news reviewers check, and no dates among them."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from factdesk.annotations.model import Entity, NumberMention
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.numbers import find_numbers

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

Row = tuple[str, object, str | None, str | None]  # (span text, value, unit, qualifier)


def _rows(text: str) -> list[Row]:
    return [(n.text, n.value, n.unit, n.qualifier) for n in find_numbers(text)]


# Every mention the sentence must yield, in order: nothing missing, nothing extra.
CASES: list[tuple[str, list[Row]]] = [
    # --- the examples
    (
        "they have advanced to within 30 km (20 miles) of Damascus",
        [("within 30 km", 30.0, "km", "within"), ("20 miles", 20.0, "miles", "within")],
    ),
    ("The camp holds 300,000.", [("300,000", 300000.0, None, None)]),
    ("A total of 1.5 million.", [("1.5 million", 1.5e6, None, None)]),
    ("could fall within five to ten days", [("within five to ten days", (5.0, 10.0), "days", "within")]),
    ("put the timeframe at five to 10 days while", [("five to 10 days", (5.0, 10.0), "days", None)]),
    ("leaving Assad’s 24-year rule dangling", [("24-year", 24.0, "years", None)]),
    (
        "Assad’s forces now hold four of the country’s 14 provincial capitals: Damascus",
        [("four", 4.0, "capitals", None), ("14 provincial capitals", 14.0, "capitals", None)],
    ),
    ("Homs, Syria’s third-largest city", [("third-largest", 3.0, "rank", None)]),
    ("nearly 300,000 people have been displaced", [("nearly 300,000 people", 3e5, "people", "nearly")]),
    ("as many as 1.5 million could be forced to flee", [("as many as 1.5 million", 1.5e6, None, "as many as")]),
    ("Rebel forces are now within 30 kilometers of Damascus", [("within 30 kilometers", 30.0, "km", "within")]),
    ("at least 15 civilians died", [("at least 15 civilians", 15.0, "civilians", "at least")]),
    ("with over 370,000 fleeing in a hurry", [("over 370,000", 370000.0, None, "over")]),
    ("more than 2000 people gathered", [("more than 2000 people", 2000.0, "people", "more than")]),
    ("about 1,200 fighters", [("about 1,200 fighters", 1200.0, "fighters", "about")]),
    ("around 40 tanks", [("around 40 tanks", 40.0, "tanks", "around")]),
    ("almost 60 percent of voters", [("almost 60 percent", 60.0, "%", "almost")]),
    ("up to $5 million in aid", [("up to $5 million", 5e6, "$", "up to")]),
    (
        "some 300 of the 500 detainees were freed",
        [("some 300", 300.0, "detainees", "some"), ("500 detainees", 500.0, "detainees", None)],
    ),
    ("were freeing thousands of detainees.", [("thousands of detainees", 1000.0, "detainees", "thousands")]),
    ("Thousands poured onto the streets", [("Thousands", 1000.0, None, "thousands")]),
    ("seized the southwest within 24 hours, and", [("within 24 hours", 24.0, "hours", "within")]),
    ("Prices rose 40% and then 40 percent", [("40%", 40.0, "%", None), ("40 percent", 40.0, "%", None)]),
    ("a further 3.5 per cent", [("3.5 per cent", 3.5, "%", None)]),
    ("pledged $5 million in aid", [("$5 million", 5e6, "$", None)]),
    ("Since the sweep into Aleppo a week ago, defences crumbled", []),
    ("the Assad dynasty’s five-decade reign", [("five-decade", 5.0, "decades", None)]),
    ("the president might be ousted within a week.", [("within a week", 1.0, "weeks", "within")]),
    ("after less than a day of fighting", [("less than a day", 1.0, "days", "less than")]),
    ("with 370,000 fleeing in just a week", [("370,000", 370000.0, None, None), ("just a week", 1.0, "weeks", "just")]),
    # --- word numbers and scales
    ("half a million people fled", [("half a million people", 5e5, "people", None)]),
    ("one and a half million people", [("one and a half million people", 1.5e6, "people", None)]),
    ("two hundred and fifty thousand people", [("two hundred and fifty thousand people", 2.5e5, "people", None)]),
    ("twenty-four hours", [("twenty-four hours", 24.0, "hours", None)]),
    ("a dozen soldiers", [("a dozen soldiers", 12.0, "soldiers", None)]),
    ("dozens were killed", [("dozens", 12.0, None, "dozens")]),
    ("tens of thousands of people", [("tens of thousands of people", 1e4, "people", "tens of thousands")]),
    (
        "hundreds of thousands of refugees",
        [("hundreds of thousands of refugees", 1e5, "refugees", "hundreds of thousands")],
    ),
    ("a few hundred protesters", [("a few hundred protesters", 100.0, "protesters", "a few")]),
    ("Five were killed", [("Five", 5.0, None, None)]),
    # --- ranges
    ("between 300 and 400 people", [("between 300 and 400 people", (300.0, 400.0), "people", None)]),
    ("1.5 to 2 million refugees", [("1.5 to 2 million refugees", (1.5e6, 2e6), "refugees", None)]),
    ("five to ten thousand troops", [("five to ten thousand troops", (5e3, 1e4), "troops", None)]),
    ("two or three days", [("two or three days", (2.0, 3.0), "days", None)]),
    ("5-10% growth", [("5-10%", (5.0, 10.0), "%", None)]),
    ("$5 to $10 million", [("$5 to $10 million", (5e6, 1e7), "$", None)]),
    ("5 km to 10 km away", [("5 km to 10 km", (5.0, 10.0), "km", None)]),
    # --- units and money
    ("$5m and $3bn and 4bn", [("$5m", 5e6, "$", None), ("$3bn", 3e9, "$", None), ("4bn", 4e9, None, None)]),
    (
        "US$ 300 and €20 and £5.5bn",
        [("US$ 300", 300.0, "$", None), ("€20", 20.0, "€", None), ("£5.5bn", 5.5e9, "£", None)],
    ),
    ("Up to 2.5 billion dollars", [("Up to 2.5 billion dollars", 2.5e9, "$", "up to")]),
    ("a 100m sprint at 40°C", [("100m", 100.0, "m", None), ("40°C", 40.0, "°C", None)]),
    ("a 20-year-old man", [("20-year-old", 20.0, "years", None)]),
    ("a 12-kilometre front", [("12-kilometre", 12.0, "km", None)]),
    ("1 mile and 3 kilometres", [("1 mile", 1.0, "miles", None), ("3 kilometres", 3.0, "km", None)]),
    ("He has 3 children and 1 child.", [("3 children", 3.0, "children", None), ("1 child", 1.0, "children", None)]),
    ("Over 100 Syrian soldiers were killed", [("Over 100 Syrian soldiers", 100.0, "soldiers", "over")]),
    ("14 armed groups", [("14 armed groups", 14.0, "groups", None)]),
    ("Comments (0)", [("0", 0.0, None, None)]),
    # --- "one" is a count only with a noun
    ("One U.S. official put the timeframe", [("One U.S. official", 1.0, "officials", None)]),
    (
        "hosts one of the country's two state-run oil refineries",
        [("one", 1.0, "refineries", None), ("two state-run oil refineries", 2.0, "refineries", None)],
    ),
    ("one person was killed", [("one person", 1.0, "people", None)]),
    ("no one came, one another, the only one who left", []),
    ("one of them said", []),
    # --- not numbers
    ("COVID-19 and F-16 jets and G7 leaders and 3D maps and 24/7 coverage", []),
    ("Bashar al-Assad met Hafez al-Assad", []),
    ("Resolution 2254 and No. 10 Downing Street", []),
    ("two-thirds of the city", []),
    ("the 3-1 win", []),
    ("version 3.5.1 shipped", []),
    ("for the first time and the first test", []),
    ("a second round", []),
    # --- dates are not numbers
    ("On December 7, reports emerged", []),
    ("Homs, December 9: Syrian forces", []),
    ("birthplace of the 2011 uprising", []),
    ("the Ghouta attack in 2013 and the Khan Shaykhun attack in 2017", []),
    ("Copyright © 2024 iKurd.net", []),
    ("three days ago and the past two weeks", []),
    ("at 10 a.m. on December 5, 2024 about 30 people", [("about 30 people", 30.0, "people", "about")]),
    ("In 2019, 500 people were killed.", [("500 people", 500.0, "people", None)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_cases(text: str, expected: list[Row]) -> None:
    assert _rows(text) == expected


# Every number-ish phrase in the seed articles, per file, in order.
SEED_NUMBERS: dict[str, list[Row]] = {
    "000_b2a9280c56cfe527.txt": [
        ("within 30 kilometers", 30.0, "km", "within"),
        ("within five to ten days", (5.0, 10.0), "days", "within"),
        ("within a week", 1.0, "weeks", "within"),
    ],
    "001_dd649cac0dea3d04.txt": [
        ("just four", 4.0, "capitals", "just"),
        ("14 provincial capitals", 14.0, "capitals", None),
    ],
    "002_60ab972603afec2b.txt": [
        ("less than a day", 1.0, "days", "less than"),
        ("24-year", 24.0, "years", None),
        ("five-decade", 5.0, "decades", None),
        ("One U.S. official", 1.0, "officials", None),
        ("five to 10 days", (5.0, 10.0), "days", None),
        ("Thousands", 1000.0, None, "thousands"),
        ("thousands of detainees", 1000.0, "detainees", "thousands"),
        ("within 24 hours", 24.0, "hours", "within"),
        ("within 30 km", 30.0, "km", "within"),
        ("20 miles", 20.0, "miles", "within"),
    ],
    "003_2f458b3b670532ec.txt": [
        ("one", 1.0, "refineries", None),
        ("two state-run oil refineries", 2.0, "refineries", None),
        ("nearly 300,000 people", 300000.0, "people", "nearly"),
        ("as many as 1.5 million", 1500000.0, None, "as many as"),
    ],
    "004_ca4f9e456fb637fd.txt": [
        ("third-largest", 3.0, "rank", None),
        ("over 370,000", 370000.0, None, "over"),
        ("just a week", 1.0, "weeks", "just"),
        ("one authoritarian power", 1.0, "powers", None),
        ("0", 0.0, None, None),
    ],
}


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEED_NUMBERS))
def test_seed_numbers(name: str) -> None:
    assert _rows(_seed(name)) == SEED_NUMBERS[name]


def test_seed_expectations_cover_every_seed() -> None:
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(SEED_NUMBERS)


@pytest.mark.parametrize("name", sorted(SEED_NUMBERS))
def test_offsets_and_no_overlap_with_dates(name: str) -> None:
    text = _seed(name)
    dates = find_dates(text)
    numbers = find_numbers(text)
    for n in numbers:
        assert isinstance(n, NumberMention)
        assert n.text == text[n.start : n.end]
        assert all(n.end <= d.start or d.end <= n.start for d in dates), (n, dates)
    assert [n.start for n in numbers] == sorted(n.start for n in numbers)
    assert all(a.end <= b.start for a, b in itertools.pairwise(numbers))


def test_years_are_never_numbers() -> None:
    text = _seed("004_ca4f9e456fb637fd.txt") + "\n" + _seed("001_dd649cac0dea3d04.txt")
    values = {n.value for n in find_numbers(text)}
    assert not values & {2011.0, 2013.0, 2017.0, 2024.0}


def test_given_dates_are_respected() -> None:
    text = "rebels are within 30 km of Damascus on December 9"
    fake = [Entity(text.index("30"), text.index("30") + 5, "30 km", "DATE")]
    # Only the given dates count: "30 km" is dropped and "December 9" is not looked up.
    assert [n.value for n in find_numbers(text, dates=fake)] == [9.0]
    # With no dates at all, the day of the month is read as a bare number.
    assert [n.value for n in find_numbers(text, dates=[])] == [30.0, 9.0]
    # Left to itself, the finder looks the dates up.
    assert [n.value for n in find_numbers(text)] == [30.0]


def test_given_dates_may_overlap_and_other_labels_are_ignored() -> None:
    text = "In 2011 some 300 people and 40 tanks"
    wide = Entity(0, text.index("people") + 6, text[: text.index("people") + 6], "DATE")
    inner = Entity(3, 7, "2011", "DATE")
    tanks = Entity(text.index("40"), len(text), "40 tanks", "ORG")
    assert [n.text for n in find_numbers(text, dates=[inner, wide, tanks])] == ["40 tanks"]


def test_large_and_hostile_inputs_complete() -> None:
    """No timing here (speed lives in bench/analysis_speed.py); a regex that backtracks would hang this test."""
    seeds = "\n".join(_seed(name) for name in sorted(SEED_NUMBERS))
    copies = 300_000 // len(seeds) + 1
    found = find_numbers((seeds + "\n") * copies)
    assert len(found) == sum(len(v) for v in SEED_NUMBERS.values()) * copies
    for hostile in ("1," * 20_000, "one " * 10_000, "twenty-" * 10_000, "thousands of " * 5_000, "5-" * 20_000):
        assert isinstance(find_numbers(hostile), list)
