"""Issue 14: English number grammar the comparison relies on, on sentences written for these tests.

Each case is one rule: a number after a line break, Indian scale words, magnitudes, temperatures,
ages, and the digits that are never counts (street numbers, phone numbers). Rows are
(span text, value, unit, qualifier), in order, nothing missing and nothing extra.
"""

from __future__ import annotations

import pytest

from factdesk.annotations.text.numbers import find_numbers

Row = tuple[str, object, str | None, str | None]


def _rows(text: str) -> list[Row]:
    return [(n.text, n.value, n.unit, n.qualifier) for n in find_numbers(text)]


CASES: list[tuple[str, list[Row]]] = [
    # A number opening a line after a single line break (headlines, lists, hard-wrapped wire copy).
    ("Storm update.\n14 families lost their homes.", [("14 families", 14.0, "families", None)]),
    ("REGION BY REGION\n9 deaths in the north", [("9 deaths", 9.0, "deaths", None)]),
    (
        "Casualties\n17 sailors and six divers",
        [("17 sailors", 17.0, "sailors", None), ("six divers", 6.0, "divers", None)],
    ),
    # Indian scale words.
    ("the board approved 2.4 crore for repairs", [("2.4 crore", 2.4e7, None, None)]),
    ("nearly 3 lakh voters", [("nearly 3 lakh voters", 3e5, "voters", "nearly")]),
    ("a grant of Rs 12 crore", [("Rs 12 crore", 1.2e8, "₹", None)]),
    ("Rs. 50,000 each and ₹4 lakh", [("Rs. 50,000", 5e4, "₹", None), ("₹4 lakh", 4e5, "₹", None)]),
    ("two lakh people", [("two lakh people", 2e5, "people", None)]),
    ("1.2 lakh crore", [("1.2 lakh crore", 1.2e12, None, None)]),
    # Magnitudes: never a count of earthquakes.
    ("A 5.9-magnitude tremor shook the valley", [("5.9-magnitude", 5.9, "magnitude", None)]),
    ("the 6 magnitude quake", [("6 magnitude", 6.0, "magnitude", None)]),
    ("an earthquake of magnitude 6.3 struck", [("magnitude 6.3", 6.3, "magnitude", None)]),
    ("a preliminary magnitude of 5.1", [("magnitude of 5.1", 5.1, "magnitude", None)]),
    ("a 6.2 earthquake and a 5.4 aftershock", [("6.2", 6.2, "magnitude", None), ("5.4", 5.4, "magnitude", None)]),
    ("a M6.1 earthquake", [("M6.1", 6.1, "magnitude", None)]),
    # Temperatures.
    ("highs of 38C and lows of 21°C", [("38C", 38.0, "°C", None), ("21°C", 21.0, "°C", None)]),
    ("it hit 97F, or 36 degrees centigrade", [("97F", 97.0, "°F", None), ("36 degrees centigrade", 36.0, "°C", None)]),
    ("a 3C rise", [("3C", 3.0, "°C", None)]),
    # Ages are years, not counts.
    ("a woman aged 71 was rescued", [("aged 71", 71.0, "years", None)]),
    # Street numbers and phone numbers are never counts.
    ("protesters gathered outside 22 Harbour Street on Friday", []),
    ("the office at 350 Fifth Avenue", []),
    ("call the hotline on 555-0199 or (312) 555-0143", []),
    # Still counts: a street is not a unit of anything.
    ("12 streets were flooded", [("12 streets", 12.0, "streets", None)]),
    # Ages in apposition: "Name, 35, of Town".
    ("the driver, Tomas Vidal, 48, of Leeds, was hurt", [("48", 48.0, "years", None)]),
    ("farmer Ana Ruiz, 63, told reporters", [("63", 63.0, "years", None)]),
    ("Leeds, 12, and York, 9", [("12", 12.0, None, None), ("9", 9.0, None, None)]),
    # Clock times and list numbers are no counts.
    ("At 4.45 am the alarm sounded", []),
    ("By 11.15pm the roads were shut", []),
    ("Key points:\n1. Power is out.\n2. Schools are shut.", []),
    ("in the UTC+2 zone", []),
    # Hurricane categories are ratings (designators like "Level 3"), never counts.
    ("a Category 3 hurricane", []),
    ("as a Cat 1 storm with Category 2 winds", []),
    # Headline scales: "2.5M" is millions, "5m" metres.
    ("1.2M homes lost power; the wall is 5m high", [("1.2M homes", 1.2e6, "homes", None), ("5m", 5.0, "m", None)]),
    ("one of the fiercest storms", []),
    # Thousands grouped with typographic spaces (no-break, narrow no-break, thin).
    (
        "more than 3\u00a0400 homes and 1\u202f250\u2009000 litres",
        [
            ("more than 3\u00a0400 homes", 3400.0, "homes", "more than"),
            ("1\u202f250\u2009000 litres", 1250000.0, "L", None),
        ],
    ),
    ("a 38-degree day", [("38-degree", 38.0, "degrees", None)]),
    # Not a one-off, a two-thirds share or a 3-1 score.
    ("a one-way trip, a two-thirds share, a 3-1 win", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_number_grammar(text: str, expected: list[Row]) -> None:
    assert _rows(text) == expected
