"""How a conflict lists its figures: one per outlet and value, only outlets that take a side.

Why: a reviewer reads a conflict as "who says what"; an article repeating its figure in the headline, the lede
and the body is one voice, and listing every repetition buries the disagreement (and the other side's figures)
under copies. Texts written for these tests.
"""

from __future__ import annotations

from builders import FILLER
from builders import article as _article

from factdesk.annotations.compare import compare
from factdesk.annotations.model import CorpusAnalysis

Numbers = list[tuple[str, float | tuple[float, float], str | None, str | None]]


def _corpus(*articles: tuple[str, list[str], Numbers, dict[str, str] | None]) -> CorpusAnalysis:
    built = []
    for index, (name, sentences, numbers, names) in enumerate(articles):
        filler = FILLER[index % 2 * 3 : index % 2 * 3 + 3]
        built.append(_article(name, [*sentences, *filler], names, numbers))
    return CorpusAnalysis(articles=tuple(built))


def test_an_article_repeating_its_figure_is_listed_once() -> None:
    corpus = _corpus(
        (
            "one",
            ["Officials said 140 people were killed in the blast.", "The toll of 140 dead may still rise."],
            [("140 people", 140.0, "people", None), ("140 dead", 140.0, None, None)],
            None,
        ),
        ("two", ["Officials said 95 people were killed in the blast."], [("95 people", 95.0, "people", None)], None),
    )
    (conflict,) = compare(corpus)[1]
    assert [(m.ref.article, m.number.value) for m in conflict.mentions] == [("one", 140.0), ("two", 95.0)]


def test_a_floor_that_agrees_with_the_main_figure_takes_no_side() -> None:
    said = "Officials said {} people were killed in the blast."
    corpus = _corpus(
        ("one", [said.format("230")], [("230 people", 230.0, "people", None)], None),
        ("two", [said.format("230")], [("230 people", 230.0, "people", None)], None),
        ("three", [said.format("more than 200")], [("more than 200 people", 200.0, "people", "more than")], None),
        ("four", [said.format("150")], [("150 people", 150.0, "people", None)], None),
    )
    (conflict,) = compare(corpus)[1]
    assert sorted(m.ref.article for m in conflict.mentions) == ["four", "one", "two"]


def test_two_hedged_figures_apart_by_more_than_either_hedge_conflict() -> None:
    said = "Officials said {} people were displaced by the flood."
    corpus = _corpus(
        ("one", [said.format("about 30,000")], [("about 30,000 people", 30000.0, "people", "about")], None),
        ("two", [said.format("around 40,000")], [("around 40,000 people", 40000.0, "people", "around")], None),
        ("three", [said.format("about 32,000")], [("about 32,000 people", 32000.0, "people", "about")], None),
    )
    (conflict,) = compare(corpus)[1]
    assert sorted(m.ref.article for m in conflict.mentions) == ["one", "three", "two"]


def test_the_listed_copy_is_the_one_that_says_when_and_who() -> None:
    corpus = _corpus(
        (
            "one",
            ["In all 140 people were killed.", "The toll reached 140 dead on Tuesday, the ministry said."],
            [("140 people", 140.0, "people", None), ("140 dead", 140.0, None, None)],
            {"Tuesday": "DATE"},
        ),
        ("two", ["Officials said 95 people were killed in the blast."], [("95 people", 95.0, "people", None)], None),
    )
    (conflict,) = compare(corpus)[1]
    ours = [m for m in conflict.mentions if m.ref.article == "one"]
    assert [(m.ref.sentence, m.time) for m in ours] == [(1, "on Tuesday")]


def test_a_floor_is_no_main_figure() -> None:
    said = "Officials said {} people were killed in the storm."
    corpus = _corpus(
        ("one", [said.format("at least 24")], [("at least 24 people", 24.0, "people", "at least")], None),
        ("two", [said.format("at least 24")], [("at least 24 people", 24.0, "people", "at least")], None),
        ("three", [said.format("more than 40")], [("more than 40 people", 40.0, "people", "more than")], None),
        ("four", [said.format("21")], [("21 people", 21.0, "people", None)], None),
    )
    (conflict,) = compare(corpus)[1]
    assert "three" in {m.ref.article for m in conflict.mentions}
