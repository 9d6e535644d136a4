"""A district's figure in a breakdown by place is a part, not the story's total.

Why: every outlet names the district where a disaster struck, so it stands for the story as a whole — until an
article splits the toll by place ("100 in one district and 40 in a neighbouring one") beside a larger total. Then
the district's figure is compared with the other outlets' district figures, never with the total; and a place
written as "neighbouring X district" scopes its figure even when the name was not recognised. Texts written for
these tests (invented places).
"""

from __future__ import annotations

from builders import FILLER
from builders import article as _article

from factdesk.annotations.compare import compare
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.model import CorpusAnalysis

Numbers = list[tuple[str, float | tuple[float, float], str | None, str | None]]
PLACES = {"Varnok": "LOC", "Ostrel": "LOC", "Lorvik": "LOC"}


def _corpus(*articles: tuple[str, list[str], Numbers]) -> CorpusAnalysis:
    built = []
    for index, (name, sentences, numbers) in enumerate(articles):
        filler = FILLER[index % 2 * 3 : index % 2 * 3 + 3]
        built.append(_article(name, [*sentences, *filler], PLACES, numbers))
    return CorpusAnalysis(articles=tuple(built))


def _quake() -> CorpusAnalysis:
    return _corpus(
        (
            "one",
            [
                "The quake killed 140 people, officials said.",
                "Police said 100 people were killed in Varnok and 38 in Ostrel.",
            ],
            [("140 people", 140.0, "people", None), ("100 people", 100.0, "people", None), ("38", 38.0, None, None)],
        ),
        (
            "two",
            ["The quake in Varnok killed 95 people in Varnok, police said."],
            [("95 people", 95.0, "people", None)],
        ),
        (
            "three",
            ["A quake in the mountains killed 140 people, officials said."],
            [("140 people", 140.0, "people", None)],
        ),
    )


def test_a_district_in_a_breakdown_is_not_compared_with_the_total() -> None:
    conflicts = compare(_quake())[1]
    for conflict in conflicts:
        values = {m.number.value for m in conflict.mentions}
        assert not {95.0, 140.0} <= values, conflict.summary


def test_a_district_in_a_breakdown_is_compared_with_the_same_district() -> None:
    conflicts = compare(_quake())[1]
    assert any({m.number.value for m in c.mentions} == {100.0, 95.0} for c in conflicts), [c.summary for c in conflicts]


def test_a_neighbouring_district_named_after_the_figure_scopes_it() -> None:
    corpus = _corpus(
        (
            "one",
            ["Altogether 105 people died in Varnok and another 52 in neighbouring Kelmir district, officials said."],
            [("105 people", 105.0, "people", None), ("52", 52.0, None, None)],
        ),
        ("two", ["Officials said 105 people died in Varnok."], [("105 people", 105.0, "people", None)]),
    )
    scopes = {r.number.value: r.scope for r in figure_records(corpus) if r.ref.article == "one"}
    assert scopes[52.0] == "Kelmir district"


def test_a_listed_count_takes_its_own_word_not_the_previous_figures() -> None:
    corpus = _corpus(
        (
            "one",
            ["Police said the blast left 23 casualties: 9 dead, 14 injured, in the old market."],
            [("23 casualties", 23.0, "casualties", None), ("9", 9.0, None, None), ("14", 14.0, None, None)],
        ),
        ("two", ["Police said 9 people died in the blast."], [("9 people", 9.0, "people", None)]),
    )
    measures = {r.number.value: r.measure for r in figure_records(corpus) if r.ref.article == "one"}
    assert measures[9.0] == "people killed"
    assert measures[14.0] == "people injured"


def test_a_count_among_them_is_a_part() -> None:
    corpus = _corpus(
        (
            "one",
            ["Officials said 60 people were injured in the blast.", "Among them 12 injured were flown to hospital."],
            [("60 people", 60.0, "people", None), ("12 injured", 12.0, None, None)],
        ),
        ("two", ["Officials said 60 people were injured in the blast."], [("60 people", 60.0, "people", None)]),
    )
    scopes = {r.number.value: r.scope for r in figure_records(corpus) if r.ref.article == "one"}
    assert scopes[12.0] == "part"


def test_a_noun_that_names_deaths_is_not_read_as_the_injuries_after_it() -> None:
    corpus = _corpus(
        (
            "one",
            [
                "In the worst-hit valley, 41 fatalities have been reported, along with 63 injuries.",
                "Further north, 17 lives were lost, and 29 residents sustained injuries.",
            ],
            [
                ("41 fatalities", 41.0, "fatalities", None),
                ("63 injuries", 63.0, "injuries", None),
                ("17 lives", 17.0, "lives", None),
                ("29 residents", 29.0, "residents", None),
            ],
        ),
        ("two", ["Officials said 41 people were killed."], [("41 people", 41.0, "people", None)]),
    )
    measures = {r.number.value: r.measure for r in figure_records(corpus) if r.ref.article == "one"}
    assert measures[41.0] == "people killed"
    assert measures[17.0] == "people killed"


def test_a_district_opening_the_clause_scopes_its_figure() -> None:
    corpus = _corpus(
        (
            "one",
            ["In the nearby Kelmir district, 17 lives were lost, officials said."],
            [("17 lives", 17.0, "lives", None)],
        ),
        ("two", ["Officials said 17 people were killed in Varnok."], [("17 people", 17.0, "people", None)]),
    )
    scopes = {r.number.value: r.scope for r in figure_records(corpus) if r.ref.article == "one"}
    assert scopes[17.0] == "Kelmir district"


def test_the_deaths_of_n_people_are_deaths_even_with_injuries_next() -> None:
    corpus = _corpus(
        (
            "one",
            ["Police confirmed the death of 34 people and the injuries of 51 others in the valley."],
            [("34 people", 34.0, "people", None), ("51 others", 51.0, "others", None)],
        ),
        ("two", ["Officials said 34 people were killed."], [("34 people", 34.0, "people", None)]),
    )
    measures = {r.number.value: r.measure for r in figure_records(corpus) if r.ref.article == "one"}
    assert measures[34.0] == "people killed"


def test_a_sentence_opening_in_a_place_scopes_a_figure_past_a_relative_clause() -> None:
    corpus = _corpus(
        (
            "one",
            ["In the worst-hit areas such as Ostrel, which lies near the fault, 41 fatalities have been reported."],
            [("41 fatalities", 41.0, "fatalities", None)],
        ),
        ("two", ["Officials said 41 people were killed in Varnok."], [("41 people", 41.0, "people", None)]),
    )
    scopes = {r.number.value: r.scope for r in figure_records(corpus) if r.ref.article == "one"}
    assert scopes[41.0] == "Ostrel"


def test_a_place_then_a_distance_away_is_the_distances_reference_point() -> None:
    corpus = _corpus(
        (
            "one",
            ["The quake was felt in the capital, Lorvik, more than 300 kilometres (190 miles) away."],
            [("more than 300 kilometres", 300.0, "km", "more than")],
        ),
        (
            "two",
            ["The quake was felt as far as the capital Lorvik, nearly 120 kilometres from the epicentre."],
            [("nearly 120 kilometres", 120.0, "km", "nearly")],
        ),
    )
    scopes = {(r.ref.article, r.number.value): (r.measure, r.scope) for r in figure_records(corpus)}
    assert scopes[("one", 300.0)] == ("distance", "Lorvik")
    assert scopes[("two", 120.0)] == ("distance", "Lorvik")


def test_a_distance_west_of_the_capital_names_its_reference_point() -> None:
    corpus = _corpus(
        (
            "one",
            ["Varnok is about 400 kilometres west of the capital Lorvik."],
            [("about 400 kilometres", 400.0, "km", "about")],
        ),
        ("two", ["Officials said 41 people were killed in Varnok."], [("41 people", 41.0, "people", None)]),
    )
    scopes = {r.number.value: r.scope for r in figure_records(corpus) if r.ref.article == "one"}
    assert scopes[400.0] == "Lorvik"
