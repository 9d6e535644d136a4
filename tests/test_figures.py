"""Figures as records (measure, scope, time, attribution, interval) and conflicts built from them.

Texts written for these tests; the seeds' invariants are in tests/test_compare.py.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from builders import FILLER
from builders import article as _article

from factdesk.annotations.compare import compare
from factdesk.annotations.compare.conflicts import apart, conflicts_from_records
from factdesk.annotations.compare.figures import comparable, figure_records
from factdesk.annotations.model import ArticleAnalysis, CorpusAnalysis, FigureRecord

Numbers = list[tuple[str, float | tuple[float, float], str | None, str | None]]


def _dated(analysis: ArticleAnalysis, date: str | None) -> ArticleAnalysis:
    return replace(analysis, article=replace(analysis.article, date=date))


def _one(
    sentence: str, numbers: Numbers, names: dict[str, str] | None = None, date: str | None = None
) -> list[FigureRecord]:
    analysis = _dated(_article("one", [sentence], names, numbers), date)
    return list(figure_records(CorpusAnalysis(articles=(analysis,))))


def _record(sentence: str, number: tuple, names: dict[str, str] | None = None, date: str | None = None):
    found = _one(sentence, [number], names, date)
    assert len(found) == 1, found
    return found[0]


def _corpus(*articles: tuple[str, str, Numbers, dict[str, str] | None, str | None]) -> CorpusAnalysis:
    built = []
    for index, (name, sentence, numbers, names, date) in enumerate(articles):
        filler = FILLER[index % 2 * 3 : index % 2 * 3 + 3]
        built.append(_dated(_article(name, [sentence, *filler], names, numbers), date))
    return CorpusAnalysis(articles=tuple(built))


# --- measure ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "number", "measure"),
    [
        ("Officials said 21 people were killed in the flood.", ("21 people", 21.0, "people", None), "people killed"),
        (
            "The death toll in the port city has soared to 4,200, the agency said.",
            ("4,200", 4200.0, None, None),
            "people killed",
        ),
        (
            "About 1.9 million customers were without power on Friday.",
            ("About 1.9 million customers", 1.9e6, "customers", "about"),
            "customers without power",
        ),
        (
            "More than 1,600 people have been rescued from the flooded streets.",
            ("More than 1,600 people", 1600.0, "people", "more than"),
            "people rescued",
        ),
        ("The Greens won 12 seats in the new parliament.", ("12 seats", 12.0, "seats", None), "seats"),
        ("Turnout was 59.9% across the country.", ("59.9%", 59.9, "%", None), "turnout"),
        ("The storm made landfall with 150 mph winds.", ("150 mph", 150.0, "mph", None), "wind speed"),
        (
            "Insured losses reached close to $63 billion, the firm said.",
            ("close to $63 billion", 6.3e10, "$", "close to"),
            "insured losses",
        ),
        ("A magnitude 6.8 quake struck the region.", ("6.8", 6.8, "magnitude", None), "magnitude"),
        (
            "The town had a population of about 40,000 before the quake.",
            ("about 40,000", 40000.0, None, "about"),
            "population",
        ),
        (
            "Officials said 55 children poisoned by dirty water were treated.",
            ("55 children", 55.0, "children", None),
            "children poisoned",
        ),
    ],
)
def test_the_measure_comes_from_the_counted_noun_and_the_words_around_it(sentence, number, measure) -> None:
    assert _record(sentence, number).measure == measure


@pytest.mark.parametrize(
    ("sentence", "number", "measure"),
    [
        ("The victim was a 73-year-old woman from the coast.", ("73-year-old", 73.0, "years", None), "age"),
        ("Rescuers searched for four days in the rubble.", ("four days", 4.0, "days", None), "duration"),
        ("The three-train crash shocked the nation.", ("three", 3.0, None, None), ""),
    ],
)
def test_an_age_a_duration_or_a_modifier_is_never_a_count(sentence, number, measure) -> None:
    record = _record(sentence, number)
    assert record.measure == measure
    assert not comparable(record.measure)


def test_ages_never_conflict() -> None:
    corpus = _corpus(
        ("one", "The victim was a 73-year-old woman.", [("73-year-old", 73.0, "years", None)], None, None),
        ("two", "The victim was a 64-year-old woman.", [("64-year-old", 64.0, "years", None)], None, None),
    )
    _, conflicts = compare(corpus)
    assert conflicts == ()


def test_a_forecast_is_marked_projected_and_never_compared() -> None:
    record = _record("The mayor said the toll could reach 20,000 people.", ("20,000 people", 20000.0, "people", None))
    assert record.measure.endswith("(projected)")


# --- scope, time, attribution, interval ---------------------------------------------------------------------------


def test_the_scope_is_the_place_behind_a_locative_preposition() -> None:
    names = {"Charlotte County": "LOC", "the Observatory": "ORG"}
    record = _record(
        "There were 12 deaths in Charlotte County, the Observatory said.", ("12 deaths", 12.0, "deaths", None), names
    )
    assert record.scope == "Charlotte County"
    assert record.attribution == "the Observatory"


def test_a_speaker_or_a_modifier_before_the_figure_is_no_scope() -> None:
    names = {"UK": "LOC"}
    record = _record(
        "The UK-based monitor said 300 people were displaced.", ("300 people", 300.0, "people", None), names
    )
    assert record.scope == ""


@pytest.mark.parametrize(
    ("sentence", "number", "scope"),
    [
        (
            "The storm also killed about 170 people elsewhere in the country.",
            ("about 170 people", 170.0, "people", "about"),
            "elsewhere",
        ),
        ("Sixty-six of these were in the state.", ("Sixty-six", 66.0, None, None), "part"),
        ("Four other people died in crashes.", ("Four other people", 4.0, "people", None), "part"),
    ],
)
def test_other_places_and_parts_get_their_own_scope(sentence, number, scope) -> None:
    assert _record(sentence, number).scope == scope


def test_a_party_is_the_scope_of_seats() -> None:
    record = _record("Labour won 412 seats overnight.", ("412 seats", 412.0, "seats", None), {"Labour": "ORG"})
    assert (record.measure, record.scope) == ("seats", "Labour")


def test_a_figure_dated_in_another_year_is_about_another_event() -> None:
    record = _record(
        "He recalled the storm of 1928 that killed more than 2,500 people.",
        ("more than 2,500 people", 2500.0, "people", "more than"),
        {"1928": "DATE"},
        date="2022-09-30",
    )
    assert record.scope == "(1928)"
    assert record.time == "of 1928" or record.time.endswith("1928")


def test_the_time_is_the_phrase_next_to_the_figure_else_the_article_date() -> None:
    stated = _record(
        "Officials confirmed 24 deaths by Saturday afternoon.",
        ("24 deaths", 24.0, "deaths", None),
        {"Saturday afternoon": "DATE"},
        date="2022-10-01",
    )
    assert stated.time == "by Saturday afternoon"
    unstated = _record("Officials confirmed 24 deaths.", ("24 deaths", 24.0, "deaths", None), date="2022-10-01")
    assert unstated.time == "2022-10-01"
    duration = _record(
        "Over 370,000 people fled in just a week.",
        ("Over 370,000 people", 370000.0, "people", "over"),
    )
    # (the builder tags only the figure it is given; a duration the reader tags would be "in just a week")
    assert duration.measure == "people displaced"


def test_the_attribution_reads_according_to() -> None:
    record = _record(
        "At least 73 people died, according to the health ministry.",
        ("At least 73 people", 73.0, "people", "at least"),
    )
    assert record.attribution == "the health ministry"


@pytest.mark.parametrize(
    ("number", "bound", "low", "high"),
    [
        (("at least 5,000 people", 5000.0, "people", "at least"), "at least", 5000.0, math.inf),
        (("more than 200 people", 200.0, "people", "more than"), "more than", 200.0, math.inf),
        (("nearly 300 people", 300.0, "people", "nearly"), "nearly", 255.0, 300.0),
        (("up to 40 people", 40.0, "people", "up to"), "at most", 0.0, 40.0),
        (("200 to 300 people", (200.0, 300.0), "people", None), "range", 200.0, 300.0),
        (("about 100 people", 100.0, "people", "about"), "about", 85.0, 115.0),
        (("230 people", 230.0, "people", None), "exact", 230.0, 230.0),
    ],
)
def test_the_interval_reads_the_bound(number, bound, low, high) -> None:
    record = _record(f"Officials said {number[0]} were displaced.", number)
    assert (record.bound, record.low, record.high) == (bound, pytest.approx(low), pytest.approx(high))


# --- conflicts from records ------------------------------------------------------------------------------------


def _two(first: str, first_numbers: Numbers, second: str, second_numbers: Numbers, names=None, dates=(None, None)):
    return _corpus(("one", first, first_numbers, names, dates[0]), ("two", second, second_numbers, names, dates[1]))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("more than 200", 200.0, "more than"), ("230", 230.0, None)),
        (("over 11,000", 11000.0, "over"), ("11,300", 11300.0, None)),
        (("11,000", 11000.0, None), ("11,300", 11300.0, None)),  # a rounder figure stands for a precise one
        (("thousands of", 1000.0, "thousands"), ("4,200", 4200.0, None)),  # a vague figure is no count
    ],
)
def test_overlapping_bounds_and_rounding_are_no_conflict(first, second) -> None:
    corpus = _two(
        f"Officials said {first[0]} people were killed in the flood.",
        [(f"{first[0]} people", first[1], "people", first[2])],
        f"Officials said {second[0]} people were killed in the flood.",
        [(f"{second[0]} people", second[1], "people", second[2])],
    )
    assert compare(corpus)[1] == ()


def test_figures_rounded_alike_that_differ_conflict() -> None:
    records = _two(
        "Officials said 300,000 people were displaced.",
        [("300,000 people", 300000.0, "people", None)],
        "Officials said 310,000 people were displaced.",
        [("310,000 people", 310000.0, "people", None)],
    )
    found = figure_records(records)
    assert apart(found[0], found[1])
    assert len(compare(records)[1]) == 1


def test_a_part_and_its_total_do_not_conflict() -> None:
    corpus = _two(
        "Officials said 66 people were killed in the storm.",
        [("66 people", 66.0, "people", None)],
        "Officials said 12 people were killed in Charlotte County.",
        [("12 people", 12.0, "people", None)],
        {"Charlotte County": "LOC"},
    )
    assert compare(corpus)[1] == ()


def test_other_places_do_not_conflict() -> None:
    names = {"Turkey": "LOC", "Syria": "LOC"}
    corpus = _two(
        "Officials said 4,000 people were killed in Turkey.",
        [("4,000 people", 4000.0, "people", None)],
        "Officials said 1,500 people were killed in Syria.",
        [("1,500 people", 1500.0, "people", None)],
        names,
    )
    assert compare(corpus)[1] == ()


def test_one_conflict_per_measure_and_scope_never_a_mix() -> None:
    corpus = _two(
        "Officials said 21 people were killed and 300 people were injured.",
        [("21 people", 21.0, "people", None), ("300 people", 300.0, "people", None)],
        "Officials said 33 people were killed and 500 people were injured.",
        [("33 people", 33.0, "people", None), ("500 people", 500.0, "people", None)],
    )
    conflicts = compare(corpus)[1]
    assert sorted(c.measure for c in conflicts) == ["people injured", "people killed"]
    for conflict in conflicts:
        assert len(conflict.mentions) == 2
        assert {m.ref.article for m in conflict.mentions} == {"one", "two"}


@pytest.mark.parametrize(
    ("first", "second", "kind", "text"),
    [
        (
            ("on Wednesday", "the ministry"),
            ("on Saturday", "the ministry"),
            "time",
            "by time: 217 on Wednesday, 273 on Saturday",
        ),
        (
            ("on Wednesday", "the UN"),
            ("on Wednesday", "the Red Cross"),
            "source",
            "by source: the UN 217 vs the Red Cross 273",
        ),
        (("on Wednesday", "the UN"), ("on Saturday", "the Red Cross"), "time+source", "by time: 217 on Wednesday"),
        (("on Wednesday", "the ministry"), ("on Wednesday", "the ministry"), "none", ""),
    ],
)
def test_the_explanation_says_whether_time_or_source_may_explain_a_difference(first, second, kind, text) -> None:
    days = {"Wednesday": "DATE", "Saturday": "DATE"}
    corpus = _two(
        f"The toll reached 217 {first[0]}, according to {first[1]}.",
        [("217", 217.0, None, None)],
        f"The toll reached 273 {second[0]}, according to {second[1]}.",
        [("273", 273.0, None, None)],
        days,
    )
    (conflict,) = compare(corpus)[1]
    assert conflict.explanation == kind
    assert conflict.explanation_text.startswith(text)
    assert [(m.time, m.attribution) for m in conflict.mentions] == [first, second]
    if kind != "none":
        assert conflict.summary.endswith(conflict.explanation_text)


def test_a_source_that_gives_both_figures_takes_no_side() -> None:
    """An article reporting the revision ("revised to 275 from 288") stands in no conflict; those that differ do."""
    corpus = _corpus(
        (
            "one",
            "The toll was revised to 275 from 288.",
            [("275", 275.0, None, None), ("288", 288.0, None, None)],
            None,
            None,
        ),
        ("two", "The toll has reached 288, officials said.", [("288", 288.0, None, None)], None, None),
        ("three", "The toll stands at 275, officials said.", [("275", 275.0, None, None)], None, None),
    )
    (conflict,) = compare(corpus)[1]
    assert sorted(m.ref.article for m in conflict.mentions) == ["three", "two"]


def test_conflicts_from_records_are_the_analysis_conflicts() -> None:
    corpus = _two(
        "Officials said 21 people were killed.",
        [("21 people", 21.0, "people", None)],
        "Officials said 33 people were killed.",
        [("33 people", 33.0, "people", None)],
    )
    assert tuple(conflicts_from_records(corpus, figure_records(corpus))) == compare(corpus)[1]


# --- the JSON contract -------------------------------------------------------------------------------------------


def test_analyze_json_carries_figures_and_the_conflicts_new_fields(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "The death toll from the floods has risen to 2,100 on Wednesday, according to the Red Cross.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "The death toll from the floods has risen to 3,400 on Saturday, according to the health ministry.\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(run.stdout)
    assert {"articles", "matches", "conflicts", "aliases", "figures"} <= data.keys()
    figures = [f for f in data["figures"] if f["measure"] == "people killed"]
    assert len(figures) == 2
    assert set(figures[0]) == {
        "article", "sentence", "number", "low", "high", "bound", "measure", "scope", "time", "attribution", "outlet"
    }  # fmt: skip
    assert set(figures[0]["number"]) == {"start", "end", "value", "unit"}
    (conflict,) = data["conflicts"]
    assert {"summary", "mentions", "measure", "scope", "time", "attribution", "explanation", "explanation_text"} <= set(
        conflict
    )
    assert conflict["measure"] == "people killed"
    assert conflict["explanation"] == "time+source"
    assert conflict["time"] == ["on Wednesday", "on Saturday"]
    assert conflict["attribution"] == ["the Red Cross", "the health ministry"]
    for mention in conflict["mentions"]:
        assert {"article", "sentence", "number", "time", "attribution", "outlet"} <= set(mention)


def test_an_open_bound_is_null_in_json(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("At least 5,000 people were displaced by the fighting.\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", str(tmp_path / "a.txt"), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    (figure,) = json.loads(run.stdout)["figures"]
    assert (figure["low"], figure["high"], figure["bound"]) == (5000, None, "at least")
