"""Figures counted on different days: each day's dispute on its own, the rise across days as a difference in time.

Why: a toll rises over days. "21 dead" on Friday and "at least 100" on Monday is a count that grew, while 21 and 33
given the same Friday are two sources that disagree; one conflict mixing them hides the Friday dispute behind the
rise. Also here: the day a time phrase names (``figure_times``), the event's own date read as no figure's time,
"revised down from 288" as an earlier figure, an unconfirmed count as no rival of a confirmed one, and an
article's floor that its own exact figure meets as one voice. Texts written for these tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from builders import FILLER
from builders import article as _article

from factdesk.annotations.compare import compare
from factdesk.annotations.compare.figure_times import phrase_day, record_days
from factdesk.annotations.compare.figures import figure_records
from factdesk.annotations.model import ArticleAnalysis, CorpusAnalysis, NumberMention

Numbers = list[tuple[str, float | tuple[float, float], str | None, str | None]]

FRIDAY = date(2025, 3, 14).toordinal()  # a Friday


def _dated(
    name: str, sentences: list[str], numbers: Numbers, names: dict[str, str] | None, day: str | None, index: int
) -> ArticleAnalysis:
    filler = FILLER[index % 2 * 3 : index % 2 * 3 + 3]
    built = _article(name, [*sentences, *filler], names, numbers)
    return replace(built, article=replace(built.article, date=day))


def _corpus(*articles: tuple[str, list[str], Numbers, dict[str, str] | None, str | None]) -> CorpusAnalysis:
    return CorpusAnalysis(articles=tuple(_dated(*spec, index) for index, spec in enumerate(articles)))


def _values(conflict) -> list[tuple[str, float]]:
    return sorted((m.ref.article, m.number.value) for m in conflict.mentions)


# --- the day a phrase names ----------------------------------------------------------------------------------


def test_a_weekday_is_the_last_such_day_on_or_before_the_article() -> None:
    monday = FRIDAY + 3
    assert phrase_day("on Friday evening", monday, None) == FRIDAY
    assert phrase_day("Monday", monday, None) == monday
    assert phrase_day("as of Sunday morning", monday, None) == FRIDAY + 2


def test_a_weekday_in_an_undated_article_is_the_nearest_to_the_story() -> None:
    assert phrase_day("on Monday", None, FRIDAY) == FRIDAY + 3
    assert phrase_day("Wednesday", None, FRIDAY) == FRIDAY - 2


def test_calendar_dates_and_relative_days() -> None:
    assert phrase_day("on 12 March", FRIDAY, None) == FRIDAY - 2
    assert phrase_day("Sept 18", FRIDAY, None) == date(2025, 9, 18).toordinal()
    assert phrase_day("2025-03-10", None, None) == date(2025, 3, 10).toordinal()
    assert phrase_day("yesterday", FRIDAY, None) == FRIDAY - 1
    assert phrase_day("so far", FRIDAY, None) is None


def test_an_earlier_figure_has_no_day_and_an_undated_article_takes_its_latest() -> None:
    corpus = _corpus(
        (
            "one",
            ["The toll rose to 100 on Monday, up from a previously announced 42, officials said."],
            [("100", 100.0, None, None), ("42", 42.0, None, None)],
            {"Monday": "DATE"},
            None,
        ),
        ("two", ["Officials said 21 people were killed."], [("21 people", 21.0, "people", None)], None, "2025-03-14"),
    )
    records = [r for r in figure_records(corpus) if r.measure]
    days = dict(zip(((r.ref.article, r.number.value) for r in records), record_days(corpus, records), strict=True))
    assert days[("one", 100.0)] == FRIDAY + 3
    assert days[("one", 42.0)] is None  # "previously": some earlier day
    assert days[("two", 21.0)] == FRIDAY


# --- conflicts by day ----------------------------------------------------------------------------------------


def test_a_dispute_on_one_day_is_its_own_conflict_beside_the_rise_across_days() -> None:
    said = "Officials said {} people were killed in the storm."
    corpus = _corpus(
        ("one", [said.format("21")], [("21 people", 21.0, "people", None)], None, "2025-03-14"),
        ("two", [said.format("33")], [("33 people", 33.0, "people", None)], None, "2025-03-14"),
        (
            "four",
            [said.format("more than 40")],
            [("more than 40 people", 40.0, "people", "more than")],
            None,
            "2025-03-14",
        ),
        (
            "three",
            [said.format("at least 100")],
            [("at least 100 people", 100.0, "people", "at least")],
            None,
            "2025-03-17",
        ),
    )
    conflicts = compare(corpus)[1]
    # Friday's dispute, whole: "more than 40" disagrees only with Friday's figures
    assert [("four", 40.0), ("one", 21.0), ("two", 33.0)] in [_values(c) for c in conflicts]
    # and the rise to Monday's "at least 100", said as a difference in time
    (across,) = [c for c in conflicts if ("three", 100.0) in _values(c)]
    assert ("four", 40.0) not in _values(across)
    assert across.explanation == "time" and across.explanation_text.startswith("by time: ")


def test_a_day_whose_dispute_the_conflict_across_days_shows_whole_is_not_told_twice() -> None:
    said = "Officials said {} people were killed in the storm."
    corpus = _corpus(
        ("one", [said.format("21")], [("21 people", 21.0, "people", None)], None, "2025-03-14"),
        ("two", [said.format("33")], [("33 people", 33.0, "people", None)], None, "2025-03-14"),
        ("three", [said.format("21")], [("21 people", 21.0, "people", None)], None, "2025-03-17"),
    )
    (conflict,) = compare(corpus)[1]
    assert ("two", 33.0) in _values(conflict)


def test_the_date_of_the_event_is_no_time_of_its_toll() -> None:
    corpus = _corpus(
        (
            "one",
            ["The toll from the crash on Friday was revised to 275, officials said."],
            [("275", 275.0, None, None)],
            {"Friday": "DATE"},
            "2025-03-16",
        ),
        ("two", ["Officials said 288 people were killed."], [("288 people", 288.0, "people", None)], None, None),
    )
    (record,) = [r for r in figure_records(corpus) if r.ref.article == "one"]
    assert record.time == "2025-03-16"


def test_the_figure_a_toll_was_revised_from_is_an_earlier_one() -> None:
    corpus = _corpus(
        (
            "one",
            ["The death toll was revised down from 288 after some bodies were counted twice."],
            [("288", 288.0, None, None)],
            None,
            "2025-03-16",
        ),
        ("two", ["Officials said 275 people were killed."], [("275 people", 275.0, "people", None)], None, None),
    )
    (record,) = [r for r in figure_records(corpus) if r.ref.article == "one"]
    assert record.time == "previously"


def test_the_figure_a_revision_replaces_is_an_earlier_one() -> None:
    sentences = ["The ministry revised the toll to 275 from 288 on Sunday.", "The toll is 275 and not 288, it said."]
    built = _dated("one", sentences, [], {"Sunday": "DATE"}, "2025-03-16", 0)
    text = built.article.text
    numbers = tuple(
        NumberMention(at, at + 3, text[at : at + 3], float(text[at : at + 3]), None, None)
        for at in sorted(i for figure in ("275", "288") for i in _all(text, figure))
    )
    corpus = CorpusAnalysis(articles=(replace(built, numbers=numbers),))
    assert [(r.number.value, r.time) for r in figure_records(corpus)] == [
        (275.0, "on Sunday"),
        (288.0, "previously"),
        (275.0, "2025-03-16"),
        (288.0, "previously"),
    ]


def _all(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def test_an_unconfirmed_count_is_no_rival_of_a_confirmed_one() -> None:
    corpus = _corpus(
        (
            "one",
            ["The governor said there were eight unconfirmed deaths in the county."],
            [("eight unconfirmed deaths", 8.0, "deaths", None)],
            None,
            "2025-03-14",
        ),
        (
            "two",
            ["Three deaths were reported in the county."],
            [("Three deaths", 3.0, "deaths", None)],
            None,
            "2025-03-14",
        ),
    )
    assert compare(corpus)[1] == ()


def test_a_floor_its_own_exact_figure_meets_is_no_second_voice() -> None:
    corpus = _corpus(
        (
            "one",
            ["More than 1,300 people were killed.", "The ministry said 1,305 people were killed."],
            [("More than 1,300 people", 1300.0, "people", "more than"), ("1,305 people", 1305.0, "people", None)],
            None,
            None,
        ),
        ("two", ["Officials said 1,037 people were killed."], [("1,037 people", 1037.0, "people", None)], None, None),
    )
    (conflict,) = compare(corpus)[1]
    assert _values(conflict) == [("one", 1305.0), ("two", 1037.0)]


def test_a_part_that_exceeds_its_whole_is_a_conflict() -> None:
    corpus = _corpus(
        (
            "one",
            ["The governor said more than 2,700 structures were destroyed."],
            [("more than 2,700 structures", 2700.0, "structures", "more than")],
            None,
            None,
        ),
        (
            "two",
            ["Maps show 2,207 structures damaged or destroyed."],
            [("2,207 structures", 2207.0, "structures", None)],
            None,
            None,
        ),
    )
    (conflict,) = compare(corpus)[1]
    assert _values(conflict) == [("one", 2700.0), ("two", 2207.0)]
    assert conflict.measure == "buildings damaged or destroyed"
    assert conflict.summary.startswith("Buildings destroyed beyond buildings damaged or destroyed: more than 2,700")


def test_a_breakdown_by_place_counts_what_its_total_counts() -> None:
    """ "At least 50 people died. 40 of these were in the capital, with another 6 in the north and at least 3 more
    abroad": each part of the breakdown counts the dead of its place, so the place's toll given elsewhere on another
    day is a count that rose (a conflict by time), not an unrelated number."""
    corpus = _corpus(
        (
            "one",
            [
                "As of Sunday morning, at least 50 people had died, officials said.",
                "40 of these were in Vantoria, with another 6 in Kelmar and at least 3 more in Ostrava.",
            ],
            [
                ("at least 50 people", 50.0, "people", "at least"),
                ("40", 40.0, None, None),
                ("6", 6.0, None, None),
                ("at least 3", 3.0, None, "at least"),
            ],
            {"Sunday": "DATE", "Vantoria": "LOC", "Kelmar": "LOC", "Ostrava": "LOC"},
            "2025-03-16",
        ),
        (
            "two",
            ["The storm killed two people in Ostrava on Wednesday, officials said."],
            [("two people", 2.0, "people", None)],
            {"Wednesday": "DATE", "Ostrava": "LOC"},
            "2025-03-12",
        ),
        *((name, ["The storm moved out to sea."], [], None, "2025-03-16") for name in ("x", "y", "z")),
    )
    parts = {r.number.value: (r.measure, r.scope) for r in figure_records(corpus) if r.ref.article == "one"}
    assert parts[40.0] == ("people killed", "Vantoria")
    assert parts[6.0] == ("people killed", "Kelmar")
    assert parts[3.0] == ("people killed", "Ostrava")
    (conflict,) = [c for c in compare(corpus)[1] if ("one", 3.0) in _values(c)]
    assert _values(conflict) == [("one", 3.0), ("two", 2.0)] and conflict.explanation.startswith("time")


def test_a_figure_an_article_reports_as_replaced_is_no_voice_for_it() -> None:
    """ "revised the toll to 275 from 288": the 288 is the article's history of the count; the outlet that gave 288
    as its own figure is that figure's voice in a conflict, not the one that reports it was replaced."""
    corpus = _corpus(
        (
            "one",
            ["Officials said 288 people were killed."],
            [("288 people", 288.0, "people", None)],
            None,
            "2025-03-15",
        ),
        (
            "two",
            ["The ministry revised the death toll to 275 from 288 on Sunday."],
            [("275", 275.0, None, None), ("288", 288.0, None, None)],
            {"Sunday": "DATE"},
            "2025-03-16",
        ),
        (
            "three",
            ["An officer said more than 300 people were killed on Sunday."],
            [("more than 300 people", 300.0, "people", "more than")],
            {"Sunday": "DATE"},
            "2025-03-16",
        ),
    )
    conflicts = compare(corpus)[1]
    assert conflicts and any(("one", 288.0) in _values(c) for c in conflicts)
    assert all(("two", 288.0) not in _values(c) for c in conflicts)


def test_a_headline_correction_with_an_ampersand_names_the_earlier_figure() -> None:
    """Headlines write "and" as "&": "Toll is 275 & not 288, clarifies ministry" still says 288 was the earlier
    count, not a second current one."""
    built = _dated("one", ["Toll is 275 & not 288, clarifies the ministry."], [], None, "2025-03-16", 0)
    text = built.article.text
    numbers = tuple(
        NumberMention(at, at + 3, figure, float(figure), None, None)
        for figure in ("275", "288")
        for at in _all(text, figure)
    )
    corpus = CorpusAnalysis(articles=(replace(built, numbers=numbers),))
    assert [(r.number.value, r.time) for r in figure_records(corpus)] == [(275.0, "2025-03-16"), (288.0, "previously")]


def test_a_total_broken_down_by_place_counts_beyond_the_story_s_own_place() -> None:
    """ "At least 50 died; 40 of these were in Vantoria, another 6 in Kelmar": when Vantoria is the story's own
    place, the 50 counts it and other places too, so it is no rival of another outlet's 40 for Vantoria."""
    breakdown = "40 of these were in Vantoria, with another 6 in Kelmar and at least 3 more in Ostrava."
    corpus = _corpus(
        (
            "one",
            ["As of Sunday morning, at least 50 people had died, officials said.", breakdown],
            [
                ("at least 50 people", 50.0, "people", "at least"),
                ("40", 40.0, None, None),
                ("6", 6.0, None, None),
                ("at least 3", 3.0, None, "at least"),
            ],
            {"Sunday": "DATE", "Vantoria": "LOC", "Kelmar": "LOC", "Ostrava": "LOC"},
            "2025-03-16",
        ),
        (
            "two",
            ["Officials said 40 people were killed in Vantoria on Sunday."],
            [("40 people", 40.0, "people", None)],
            {"Sunday": "DATE", "Vantoria": "LOC"},
            "2025-03-16",
        ),
    )
    (total,) = [r for r in figure_records(corpus) if r.number.value == 50.0]
    assert total.scope == "Vantoria and elsewhere"
    assert compare(corpus)[1] == ()
