"""General rules for reading a figure's measure and scope that news copy needs (texts written for these tests).

Each rule is one a reviewer would state: an acronym's plural is a counted noun ("eight MPs"); "per cent of the
vote" names what a share is of, not a part of a total; "the worst since 1912" compares with 1912 and is about
now; a year after another figure is that figure's; seats "still to declare" belong to no party; a party before
its figure is the figure's, and a party named once in a sentence holds for its other party figures.
"""

from __future__ import annotations

from dataclasses import replace

from builders import article as _article

from factdesk.annotations.compare.figures import comparable, figure_records
from factdesk.annotations.model import CorpusAnalysis, FigureRecord
from factdesk.annotations.text.counted_nouns import counted_noun

Numbers = list[tuple[str, float | tuple[float, float], str | None, str | None]]


def _records(sentence: str, numbers: Numbers, names: dict[str, str] | None = None, date: str | None = None):
    analysis = _article("one", [sentence], names, numbers)
    analysis = replace(analysis, article=replace(analysis.article, date=date))
    return list(figure_records(CorpusAnalysis(articles=(analysis,))))


def _record(sentence: str, number: tuple, names: dict[str, str] | None = None, date: str | None = None) -> FigureRecord:
    (found,) = _records(sentence, [number], names, date)
    return found


def test_an_acronym_plural_is_a_counted_noun() -> None:
    text = "eight MPs were elected"
    assert counted_noun(text, len("eight"), True) == ("mps", len("eight MPs"))


def test_a_share_of_the_vote_is_no_part_of_a_total() -> None:
    record = _record(
        "The Greens took 9.5 per cent of the vote.", ("9.5 per cent", 9.5, "%", None), {"The Greens": "ORG"}
    )
    assert (record.measure, record.scope) == ("vote share", "The Greens")


def test_a_year_behind_since_is_a_baseline_not_another_event() -> None:
    record = _record(
        "The Liberals won only 98 seats, their worst result since the party was founded in 1912.",
        ("98 seats", 98.0, "seats", None),
        {"The Liberals": "ORG", "1912": "DATE"},
        date="2025-05-02",
    )
    assert record.scope == "The Liberals"


def test_a_baseline_year_before_a_figure_is_no_time_for_it() -> None:
    record = _record(
        "The Liberals had their worst night since the party was founded in 1912, winning only 98 seats.",
        ("98 seats", 98.0, "seats", None),
        {"The Liberals": "ORG", "1912": "DATE"},
        date="2025-05-02",
    )
    assert record.scope == "The Liberals"


def test_a_party_inside_the_figures_words_is_its_scope() -> None:
    record = _record(
        "The count gave 98 Liberal MPs a seat.", ("98 Liberal MPs", 98.0, "mps", None), {"Liberal": "NORP"}
    )
    assert (record.measure, record.scope) == ("seats", "Liberal")


def test_a_year_after_another_figure_is_that_figures() -> None:
    lost, before = _records(
        "The Liberals lost 180 seats, down from 300 in 2019.",
        [("180 seats", 180.0, "seats", None), ("300", 300.0, None, None)],
        {"The Liberals": "ORG", "2019": "DATE"},
        date="2025-05-02",
    )
    assert "2019" not in lost.scope and "2019" not in lost.time
    assert before.time.endswith("2019")


def test_seats_still_to_declare_are_no_partys_seats() -> None:
    record = _record(
        "Labour passed the winning line with more than 120 seats still to declare.",
        ("more than 120 seats", 120.0, "seats", "more than"),
        {"Labour": "ORG"},
    )
    assert record.measure != "seats"
    assert not comparable(record.measure)  # they change by the minute on election night


def test_a_percentage_of_nothing_named_is_never_compared() -> None:
    record = _record("It stayed above 70% for a long time.", ("above 70%", 70.0, "%", "above"))
    assert record.measure == "share"
    assert not comparable(record.measure)


def test_a_percentage_of_a_named_thing_is_a_share_of_it() -> None:
    searched = _record(
        "Crews have searched 60 percent of the flooded districts so far.", ("60 percent", 60.0, "%", None)
    )
    covered = _record("Only 5% of the affected district had been covered.", ("5%", 5.0, "%", None))
    assert searched.measure == covered.measure == "share of district"
    assert searched.scope == covered.scope == ""


def test_a_figure_after_since_year_when_is_that_years() -> None:
    now, then = _records(
        "Turnout fell to 52.1%, the lowest since 1998, when it slumped to 51.6%.",
        [("52.1%", 52.1, "%", None), ("51.6%", 51.6, "%", None)],
        {"1998": "DATE"},
        date="2025-05-02",
    )
    assert (now.measure, now.scope) == ("turnout", "")
    assert then.scope == "(1998)"


def test_a_party_before_a_relative_clause_is_its_figures_scope() -> None:
    record = _record(
        "The Greens, who took 9.5 per cent of the vote, gained two seats.",
        ("9.5 per cent", 9.5, "%", None),
        {"The Greens": "ORG"},
    )
    assert record.scope == "The Greens"


def test_a_party_after_a_comma_is_the_next_clauses() -> None:
    seven, _four = _records(
        "The Greens have seven seats, the Liberals are on four.",
        [("seven seats", 7.0, "seats", None), ("four", 4.0, None, None)],
        {"The Greens": "ORG", "Liberals": "ORG"},
    )
    assert seven.scope == "The Greens"


def test_a_party_named_once_holds_for_its_other_figures_in_the_sentence() -> None:
    sentence = (
        "The Liberals suffered their heaviest defeat in living memory, winning only 98 seats, representing "
        "a meagre national vote share of 21.5%."
    )
    seats, share = _records(
        sentence, [("98 seats", 98.0, "seats", None), ("21.5%", 21.5, "%", None)], {"The Liberals": "ORG"}
    )
    assert (share.measure, share.scope) == ("vote share", seats.scope)
    assert seats.scope == "The Liberals"


def test_the_figures_own_event_wins_over_a_verb_that_names_no_state() -> None:
    record = _record(
        "In all 640 injured people were referred to hospitals in the region.",
        ("640 injured people", 640.0, "people", None),
    )
    assert record.measure == "people injured"


def test_the_words_past_another_figure_are_that_figures() -> None:
    total, discharged = _records(
        "Of the 640 injured people taken to hospital, 410 have been discharged.",
        [("640 injured people", 640.0, "people", None), ("410", 410.0, None, None)],
    )
    assert total.measure == "people injured"
    assert discharged.measure == "people discharged"


def test_a_bare_count_in_a_state_only_people_are_in_counts_people() -> None:
    record = _record("Another 57 were still being treated on Monday.", ("57", 57.0, None, None))
    assert record.measure == "people in hospital"


def test_bodies_yet_to_be_identified_are_not_identified_ones() -> None:
    record = _record("Some 95 bodies are yet to be identified.", ("95 bodies", 95.0, "bodies", None))
    assert record.measure == "bodies"


def test_that_number_points_to_the_figure_just_given() -> None:
    sentences = [
        "Officials said 300 people were missing after the landslide.",
        "The mayor said about 70 people were killed.",
        "But a rescue worker put that number higher, at 95.",
    ]
    numbers: Numbers = [
        ("300 people", 300.0, "people", None),
        ("about 70 people", 70.0, "people", "about"),
        ("95", 95.0, None, None),
    ]
    analysis = _article("one", sentences, None, numbers)
    *_, higher = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert higher.measure == "people killed"


def test_a_bare_figure_listed_with_its_place_takes_the_lists_measure() -> None:
    names = {"Alder County": "LOC", "Birch County": "LOC", "Cedar County": "LOC"}
    first, second, third = _records(
        "The storm killed nine people in Alder County, four in Birch County and two in Cedar County.",
        [("nine people", 9.0, "people", None), ("four", 4.0, None, None), ("two", 2.0, None, None)],
        names,
    )
    assert [r.measure for r in (first, second, third)] == ["people killed"] * 3
    assert [r.scope for r in (first, second, third)] == ["Alder County", "Birch County", "Cedar County"]


def test_a_bulleted_list_item_states_its_figure() -> None:
    analysis = _article(
        "one",
        ["Deaths by county:", "• Four deaths in Alder County, according to the coroner"],
        {"Alder County": "LOC"},
        [("Four deaths", 4.0, "deaths", None)],
    )
    headings = tuple(replace(s, kind="heading") for s in analysis.sentences)
    analysis = replace(analysis, sentences=headings)
    (record,) = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert (record.measure, record.scope) == ("people killed", "Alder County")


def test_a_figure_across_two_places_is_about_both() -> None:
    record = _record(
        "The coroner reported nine drowning victims across Alder and Birch counties.",
        ("nine drowning victims", 9.0, "victims", None),
        {"Alder": "LOC", "Birch": "LOC"},
    )
    assert record.scope == "Alder and Birch"


def test_a_place_heading_scopes_the_figures_under_it() -> None:
    analysis = _article(
        "one",
        ["ALDER COUNTY", "Officials reported 14 deaths on Friday.", "STATE TOTALS", "Officials reported 90 deaths."],
        None,
        [("14 deaths", 14.0, "deaths", None), ("90 deaths", 90.0, "deaths", None)],
    )
    kinds = ("heading", "claim", "heading", "claim")
    analysis = replace(
        analysis, sentences=tuple(replace(s, kind=k) for s, k in zip(analysis.sentences, kinds, strict=True))
    )
    county, state = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert (county.scope, state.scope) == ("Alder County", "")


def test_a_count_said_not_to_belong_is_set_apart() -> None:
    counted, apart_ = _records(
        "The sheriff announced 11 storm deaths and three deaths that are not storm-related.",
        [("11 storm deaths", 11.0, "deaths", None), ("three deaths", 3.0, "deaths", None)],
    )
    assert counted.scope == ""
    assert apart_.scope == "part"


def test_thousands_grouped_by_plain_spaces_are_one_number() -> None:
    from factdesk.annotations.text.numbers import find_numbers

    found = find_numbers("The fire destroyed 3 415 homes and left 1 000 people homeless.")
    assert [(n.text, n.value) for n in found] == [("3 415 homes", 3415.0), ("1 000 people", 1000.0)]
    row = find_numbers("Final tally: 318 205 64 seats")  # a table row of three-digit figures is no one number
    assert [n.value for n in row] == [318.0, 205.0, 64.0]


def test_an_estimate_is_a_count_and_homeless_people_are_displaced() -> None:
    record = _record(
        "Officials estimate that about 12,000 people have been left homeless.",
        ("about 12,000 people", 12000.0, "people", "about"),
    )
    assert record.measure == "people displaced"


def test_a_place_behind_a_compass_adjective_is_the_scope() -> None:
    record = _record(
        "The storm crossed the Sea of Alba and tore into western Bresia, killing three people.",
        ("three people", 3.0, "people", None),
        {"Alba": "LOC", "Bresia": "LOC"},
    )
    assert record.scope == "Bresia"


def test_the_countys_figure_is_the_county_named_in_the_sentence() -> None:
    now, before = _records(
        "At least 31 people died in Alder County, up from the county's earlier toll of 20.",
        [("At least 31 people", 31.0, "people", "at least"), ("20", 20.0, None, None)],
        {"Alder County": "LOC"},
    )
    assert now.scope == before.scope == "Alder County"


def test_a_bare_count_unaccounted_for_is_people_missing() -> None:
    record = _record(
        "The governor said that more than 400 remained unaccounted for.", ("more than 400", 400.0, None, "more than")
    )
    assert record.measure == "people missing"


def test_put_it_points_to_the_figure_just_given() -> None:
    sentences = [
        "Officials said 70 people were killed.",
        "The mayor said 300 were missing.",
        "An adviser put it at 250.",
    ]
    numbers: Numbers = [("70 people", 70.0, "people", None), ("300", 300.0, None, None), ("250", 250.0, None, None)]
    analysis = _article("one", sentences, None, numbers)
    _first, second, third = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert second.measure == third.measure == "people missing"


def test_a_list_of_the_unaccounted_for_counts_missing_people() -> None:
    record = _record(
        "Police say the list of those unaccounted for after the fire stands at 640.", ("640", 640.0, None, None)
    )
    assert record.measure == "people missing"


def test_a_span_a_record_is_compared_over_is_no_time_for_it() -> None:
    found = _records(
        "The fire killed 93 people, the deadliest in more than 100 years.",
        [("93 people", 93.0, "people", None), ("100 years", 100.0, "years", "more than")],
        date="2023-08-13",
    )
    assert found[0].time == "2023-08-13"


def test_the_people_of_a_counted_group_of_places_are_a_part() -> None:
    record = _record(
        "Officials said 40 care homes evacuated 1,250 residents before the storm.",
        ("1,250 residents", 1250.0, "residents", None),
    )
    assert (record.measure, record.scope) == ("people evacuated", "part")


def test_a_place_and_its_region_after_a_comma_are_one_scope() -> None:
    record = _record(
        "The fire killed 85 people in Alder, Bresia last year.",
        ("85 people", 85.0, "people", None),
        {"Alder": "LOC", "Bresia": "LOC"},
    )
    assert record.scope == "Alder"


def test_a_list_of_places_closed_by_and_is_one_scope() -> None:
    record = _record(
        "The quake killed 640 people in Alder, Bresia and Corvo provinces.",
        ("640 people", 640.0, "people", None),
        {"Alder": "LOC", "Bresia": "LOC", "Corvo": "LOC"},
    )
    assert record.scope == "Alder and Bresia and Corvo"


def test_a_state_past_the_figures_verb_phrase_is_not_its_measure() -> None:
    record = _record(
        "The count of the dead climbed to 140 on Saturday as rescue teams reached the wreck.",
        ("140", 140.0, None, None),
    )
    assert record.measure != "people rescued"


def test_the_counted_noun_is_no_party() -> None:
    record = _record(
        "It would have more than 100 MPs.", ("more than 100 MPs", 100.0, "mps", "more than"), {"MPs": "ORG"}
    )
    assert record.scope == ""


def test_one_death_is_a_count() -> None:
    record = _record(
        "• One death in Alder County, according to the coroner",
        ("One death", 1.0, "deaths", None),
        {"Alder County": "LOC"},
    )
    assert (record.measure, record.scope, record.low) == ("people killed", "Alder County", 1.0)


def test_identified_of_the_dead_is_the_count_of_identified_people() -> None:
    record = _record("Nineteen of the dead had been identified by Sunday.", ("Nineteen", 19.0, None, None))
    assert (record.measure, record.scope) == ("people identified", "")


def test_the_party_is_the_party_of_the_last_party_figure() -> None:
    sentences = ["The Greens won 14 seats overnight.", "Yet the party ended up on 9.5 per cent of the vote."]
    numbers: Numbers = [("14 seats", 14.0, "seats", None), ("9.5 per cent", 9.5, "%", None)]
    analysis = _article("one", sentences, {"The Greens": "ORG"}, numbers)
    _seats, share = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert (share.measure, share.scope) == ("vote share", "The Greens")


def test_the_party_is_the_last_one_named_as_a_party() -> None:
    sentences = [
        "Jane Roe's Green Alliance party was the surprise of the night.",
        "Roe won her own seat at the fourth attempt.",
        "Yet the party ended up with only three seats on 11.5 per cent of the vote.",
    ]
    numbers: Numbers = [("three seats", 3.0, "seats", None), ("11.5 per cent", 11.5, "%", None)]
    analysis = _article("one", sentences, {"Green Alliance": "ORG", "Jane Roe": "PERSON", "Roe": "PERSON"}, numbers)
    seats, share = figure_records(CorpusAnalysis(articles=(analysis,)))
    assert (seats.measure, seats.scope) == ("seats", "Green Alliance")
    assert (share.measure, share.scope) == ("vote share", "Green Alliance")


def test_the_country_of_a_currency_is_no_scope() -> None:
    record = _record(
        "The cost to rebuild the town was estimated at US$5.5 billion.",
        ("US$5.5 billion", 5.5e9, "$", None),
        {"US": "LOC"},
    )
    assert (record.measure, record.scope) == ("cost", "")


def test_a_flattened_chart_under_year_columns_is_no_figure_of_this_year() -> None:
    """A results chart copied as text ("results 2019 2024 312 seats Blue 140 seats Green") lost its columns: each
    figure is one of the two years', so it is compared with neither (the earlier year's seats are no rival of this
    year's)."""
    records = _records(
        "Assembly election results 2019 2024 312 seats Blue 140 seats Green",
        [("312 seats", 312.0, "seats", None), ("140 seats", 140.0, "seats", None)],
        {"Blue": "ORG", "Green": "ORG"},
        "2024-07-05",
    )
    assert [r.scope.endswith("(2019 or 2024)") for r in records] == [True, True]
    assert [comparable(r.measure) for r in records] == [True, True]


def test_the_time_of_a_place_s_event_is_not_the_time_of_its_count() -> None:
    """ "two more in Ostrava, where the storm hit last Tuesday": the relative clause dates the storm's arrival
    there, not the count (which is the article's)."""
    record = _record(
        "Officials counted 12 deaths in Ostrava, where the storm hit on Tuesday.",
        ("12 deaths", 12.0, "deaths", None),
        {"Ostrava": "LOC", "Tuesday": "DATE"},
        "2025-03-16",
    )
    assert record.measure == "people killed" and record.time == "2025-03-16"
