"""Cross-source comparison: matching, conflicts, coverage — on the seeds and on hand-built corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import FILLER
from builders import article as _article
from builders import corpus as _corpus
from builders import synthetic as _synthetic

from factdesk.annotations.compare import compare, coverage, default_alias_key, differing_figures, matches_for
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.keys import variant_map
from factdesk.annotations.compare.matching import MATCH_SCORE, roles_differ, similarity
from factdesk.annotations.compare.quantities import interval, quantities_in
from factdesk.annotations.compare.text import term
from factdesk.annotations.model import (
    ClaimRef,
    CorpusAnalysis,
    Match,
    NumberMention,
)
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.text.corpus import load_corpus
from factdesk.annotations.text.units import convert, is_conversion, normalise_unit
from factdesk.annotations.training.compare_evaluation import GoldFact, evaluate, load_gold

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "data" / "gold_facts.json"


def _matched(matches, a: str, b: str) -> Match | None:
    return next((m for m in matches if {m.a.article, m.b.article} == {a, b}), None)


@pytest.fixture(scope="module")
def seeds() -> CorpusAnalysis:
    return analyze_articles(load_corpus([REPO / "seeds"]).articles)


@pytest.fixture(scope="module")
def seed_comparison(seeds):
    return compare(seeds)


def _ref(analysis: CorpusAnalysis, file_prefix: str, quote: str) -> ClaimRef:
    article = next(a for a in analysis.articles if a.article.path.name.startswith(file_prefix))
    at = article.article.text.index(quote)
    sentence = next(s for s in article.sentences if s.start <= at < s.end)
    return ClaimRef(article.article.id, sentence.index)


# --- the gold set ------------------------------------------------------------------------------


def test_gold_set_resolves_against_the_seeds(seeds) -> None:
    facts = load_gold(GOLD, seeds)
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    assert len(facts) == len(data["facts"]) >= 30
    for fact in facts:
        assert len({ref.article for ref in fact.refs}) >= 2, fact.id


def test_matching_reaches_recall_and_precision_on_the_gold_set(seeds, seed_comparison) -> None:
    """Regression guard a little under what the matcher reaches (0.84 fact recall, 0.83 pair precision).

    (Pair precision was 0.89 when the margin rule alone decided, its constants chosen on these seeds; the
    calibrated score, fitted on ten-outlet news events and the seeds together, trades a few seed pairs for
    twice the recall on unseen news: see match_model.py and bench/match_calibration.py.)
    """
    matches, _ = seed_comparison
    evaluation = evaluate(matches, load_gold(GOLD, seeds))
    assert evaluation.recall >= 0.81, evaluation.missed_facts
    assert evaluation.precision >= 0.80, evaluation.wrong_pairs


def test_a_sentence_stating_two_facts_matches_each_of_them(seeds, seed_comparison) -> None:
    """ "The rebel coalition, led by … HTS, claims to have entered Homs": the coalition is led by HTS (003) and the
    rebels entered Homs (002). The role check must not take "Homs" for the object of a verb two clauses away."""
    matches, _ = seed_comparison
    coalition = _ref(seeds, "004", "The rebel coalition, led by Islamist faction Hayat Tahrir al-Sham")
    led_by = _ref(seeds, "003", "The unexpected offensive initiated last week is led by a coalition")
    assert led_by in [ref for ref, _ in matches_for(matches, coalition)]


def test_named_paraphrases_from_the_seeds_match(seeds, seed_comparison) -> None:
    matches, _ = seed_comparison
    thirty_km = _ref(seeds, "000", "Rebel forces are now within 30 kilometers of Damascus")
    advanced = _ref(seeds, "002", "they have advanced to within 30 km (20 miles) of Damascus")
    assert advanced in [ref for ref, _ in matches_for(matches, thirty_km)]
    five_to_ten = _ref(seeds, "000", "could fall within five to ten days")
    timeframe = _ref(seeds, "002", "One U.S. official put the potential timeframe at five to 10 days")
    assert timeframe in [ref for ref, _ in matches_for(matches, five_to_ten)]


def test_matches_are_cross_article_unique_and_scored_in_unit_range(seed_comparison) -> None:
    matches, _ = seed_comparison
    assert matches
    pairs = [frozenset((m.a, m.b)) for m in matches]
    assert len(pairs) == len(set(pairs))
    assert all(m.a.article != m.b.article and 0.0 <= m.score <= 1.0 for m in matches)


def test_evaluation_counts_pairs_as_documented() -> None:
    a, b, c, d = (ClaimRef(x, 0) for x in "abcd")
    gold = [GoldFact("f", "", frozenset({a, b})), GoldFact("g", "", frozenset({c, d}))]
    matches = [Match(a, b, 0.9), Match(a, c, 0.5), Match(ClaimRef("x", 1), ClaimRef("y", 1), 0.5)]
    evaluation = evaluate(matches, gold)
    assert (evaluation.facts_found, evaluation.facts) == (1, 2)
    assert (evaluation.correct, evaluation.predicted) == (1, 2)  # x–y touches no gold claim: not judged
    assert evaluation.missed_facts == ("g",)


# --- conflicts ------------------------------------------------------------------------------------


def test_displacement_figures_are_flagged_as_a_conflict(seeds, seed_comparison) -> None:
    _, conflicts = seed_comparison
    displaced = [c for c in conflicts if c.summary.startswith("People displaced")]
    assert len(displaced) == 1
    conflict = displaced[0]
    assert {m.number.text for m in conflict.mentions} == {"nearly 300,000 people", "over 370,000"}
    assert "nearly 300,000 (003, since late November)" in conflict.summary
    assert "over 370,000 (004, in just a week)" in conflict.summary
    assert "1.5 million" not in conflict.summary  # a projection ("could be forced to flee") is not a count
    # Counted over different times by different bodies: still a conflict, with both explanations said.
    assert conflict.explanation == "time+source"
    assert "by time: nearly 300,000 since late November, over 370,000 in just a week" in conflict.explanation_text
    assert "Syrian Observatory for Human Rights nearly 300,000 vs the UN over 370,000" in conflict.explanation_text
    assert conflict.summary.endswith(conflict.explanation_text)
    assert [(m.time, m.attribution) for m in conflict.mentions] == [
        ("since late November", "Syrian Observatory for Human Rights"),
        ("in just a week", "the UN"),
    ]


def test_converted_units_never_conflict(seeds, seed_comparison) -> None:
    _, conflicts = seed_comparison
    assert not [c for c in conflicts if any(m.number.unit in {"km", "miles"} for m in c.mentions)]
    a = _ref(seeds, "000", "within 30 kilometers of Damascus")
    b = _ref(seeds, "002", "within 30 km (20 miles) of Damascus")
    assert differing_figures(seeds, a, b) == []


def test_differing_figures_for_the_inspector(seeds) -> None:
    a = _ref(seeds, "003", "nearly 300,000 people have been displaced")
    b = _ref(seeds, "004", "over 370,000 fleeing in just a week")
    pairs = differing_figures(seeds, a, b)
    assert [(x.text, y.text) for x, y in pairs] == [("nearly 300,000 people", "over 370,000")]


def _figure_corpus(first: str, second: str, numbers_first, numbers_second) -> CorpusAnalysis:
    names = {"Aleppo": "LOC"}
    return _corpus(
        _article("one", [first, *FILLER[:3]], names, numbers_first),
        _article("two", [second, *FILLER[3:]], names, numbers_second),
    )


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        (("nearly 300,000", 300000.0, "people", "nearly"), ("about 300,000", 300000.0, "people", "about"), False),
        (("nearly 300,000", 300000.0, "people", "nearly"), ("over 370,000", 370000.0, "people", "over"), True),
        (("200,000 to 300,000", (2e5, 3e5), "people", None), ("250,000", 250000.0, "people", None), False),
        (("300,000", 300000.0, "people", None), ("310,000", 310000.0, "people", None), True),
        (("at least 300,000", 300000.0, "people", "at least"), ("400,000", 400000.0, "people", None), False),
    ],
)
def test_qualifiers_and_ranges_decide_what_conflicts(first, second, conflict) -> None:
    analysis = _figure_corpus(
        f"Officials said {first[0]} people were displaced from Aleppo by the fighting.",
        f"Officials said {second[0]} people were displaced from Aleppo by the fighting.",
        [(f"{first[0]} people", *first[1:])],
        [(f"{second[0]} people", *second[1:])],
    )
    _, conflicts = compare(analysis)
    assert bool(conflicts) is conflict


NINE = "Officials said nine people were injured in Aleppo in April."
FORTY_FIVE = "Officials said 45 people were injured in Aleppo in 1994."
NINE_FIGURE = ("nine people", 9.0, "people", None)
FORTY_FIVE_FIGURE = ("45 people", 45.0, "people", None)


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ([NINE, FORTY_FIVE], [NINE, FORTY_FIVE], False),  # a story and its syndicated copy: both give both figures
        ([NINE], [FORTY_FIVE], True),
        ([NINE, FORTY_FIVE], [FORTY_FIVE], True),  # the second source gives 45 and never 9
    ],
)
def test_sources_that_each_give_both_figures_do_not_conflict(first, second, conflict) -> None:
    figures = {NINE: NINE_FIGURE, FORTY_FIVE: FORTY_FIVE_FIGURE}
    analysis = _corpus(
        _article("one", [*first, *FILLER[:3]], {"Aleppo": "LOC"}, [figures[s] for s in first]),
        _article("two", [*second, *FILLER[3:]], {"Aleppo": "LOC"}, [figures[s] for s in second]),
    )
    _, conflicts = compare(analysis)
    assert bool(conflicts) is conflict
    if conflict:
        assert conflicts[0].summary.startswith("People injured: nine (one")


def test_conflict_summaries_are_one_line() -> None:
    """A figure hard-wrapped in the article ("hundreds of\nmillions") is one line in the summary."""
    analysis = _figure_corpus(
        "Officials said nearly\n300,000 people were displaced from Aleppo by the fighting.",
        "Officials said over 370,000 people were displaced from Aleppo by the fighting.",
        [("nearly\n300,000 people", 300000.0, "people", "nearly")],
        [("over 370,000 people", 370000.0, "people", "over")],
    )
    _, conflicts = compare(analysis)
    assert len(conflicts) == 1
    assert conflicts[0].summary == "People displaced: nearly 300,000 (one) vs over 370,000 (two)"


def test_different_units_of_one_dimension_are_not_compared() -> None:
    analysis = _figure_corpus(
        "Rebel fighters are now within 30 km of Aleppo after a rapid advance.",
        "Rebel fighters are now within 20 miles of Aleppo after a rapid advance.",
        [("within 30 km", 30.0, "km", "within")],
        [("within 20 miles", 20.0, "miles", "within")],
    )
    matches, conflicts = compare(analysis)
    assert _matched(matches, "one", "two") is not None
    assert conflicts == ()


def test_same_unit_different_distance_is_a_conflict() -> None:
    analysis = _figure_corpus(
        "Rebel fighters are now within 30 km of Aleppo after a rapid advance.",
        "Rebel fighters are now within 50 km of Aleppo after a rapid advance.",
        [("within 30 km", 30.0, "km", "within")],
        [("within 50 km", 50.0, "km", "within")],
    )
    _, conflicts = compare(analysis)
    assert len(conflicts) == 1
    assert conflicts[0].summary == "Distance (km): within 30 km (one) vs within 50 km (two)"


def test_interval_reads_hedges() -> None:
    def mention(value, qualifier):
        return NumberMention(0, 1, "x", value, "people", qualifier)

    assert interval(mention(300000.0, "nearly")) == pytest.approx((255000.0, 300000.0))
    assert interval(mention(370000.0, "over"))[0] == 370000.0
    assert interval(mention(1000.0, "thousands")) == (1000.0, 10000.0)
    assert interval(mention((5.0, 10.0), None)) == (5.0, 10.0)


def test_projection_is_not_a_count() -> None:
    analysis = _article(
        "one",
        ["Nearly 300,000 people have been displaced, and as many as 1.5 million could be forced to flee."],
        numbers=[
            ("Nearly 300,000 people", 300000.0, "people", "nearly"),
            ("as many as 1.5 million", 1.5e6, None, "as many as"),
        ],
    )
    keys = [q.key for q in quantities_in(analysis, analysis.sentences[0])]
    assert keys == ["people displaced", "people displaced (projected)"]


# --- matching on hand-built corpora ------------------------------------------------------------


def test_ten_in_words_equals_ten_in_digits() -> None:
    assert term("ten") == term("10") == "#10"
    analysis = _corpus(
        _article("one", ["An official put the timeframe for the collapse at five to ten days.", *FILLER[:3]]),
        _article("two", ["An official put the timeframe for the collapse at five to 10 days.", *FILLER[3:]]),
    )
    matches, _ = compare(analysis)
    match = _matched(matches, "one", "two")
    # (The match score is a calibrated probability now, see match_model.py: a near-identical pair in a
    # two-article corpus scores about 0.85, so "> 0.9" was the old similarity's scale. That "ten" meets "10"
    # shows in the similarity, which is 1 only when every term is shared.)
    assert match is not None and match.score >= MATCH_SCORE
    table = build_table(analysis)
    first, second = (table.claim(ClaimRef(a, 0)) for a in ("one", "two"))
    assert first is not None and second is not None and similarity(table, first, second) > 0.99


def test_alias_key_links_names_that_share_no_word() -> None:
    first = "The UN said aid convoys reached the besieged town on Monday."
    second = "The United Nations said aid convoys reached the besieged town on Monday."
    analysis = _corpus(
        _article("one", [first, *FILLER[:3]], {"UN": "ORG"}),
        _article("two", [second, *FILLER[3:]], {"United Nations": "ORG"}),
    )

    def aliases(surface: str, label: str) -> str:
        return "united nations" if surface in {"UN", "United Nations"} else surface.casefold()

    def no_aliases(surface: str, label: str) -> str:
        return surface.casefold()

    with_aliases, _ = compare(analysis, alias_key=aliases)
    without, _ = compare(analysis, alias_key=no_aliases)
    assert _matched(with_aliases, "one", "two").score > _matched(without, "one", "two").score


def test_transliterated_names_fold_together() -> None:
    assert default_alias_key("Abu Mohammed al-Golani’s", "PERSON") == "abu mohammed golani"
    assert default_alias_key("the U.S.", "LOC") == "us"
    folded = variant_map({"deraa", "daraa", "golani", "jolani", "homs", "hamas"})
    assert folded.get("deraa", "deraa") == folded.get("daraa", "daraa")
    assert folded.get("jolani", "jolani") == folded.get("golani", "golani")
    assert folded.get("hamas", "hamas") != folded.get("homs", "homs")


def test_reversed_roles_score_lower_than_the_same_roles() -> None:
    names = {"Israel": "LOC", "Hezbollah": "ORG"}
    same = _corpus(
        _article("one", ["Israel attacked Hezbollah positions in southern Lebanon overnight.", *FILLER[:3]], names),
        _article("two", ["Israel attacked Hezbollah positions in southern Lebanon on Sunday.", *FILLER[3:]], names),
    )
    reversed_ = _corpus(
        _article("one", ["Israel attacked Hezbollah positions in southern Lebanon overnight.", *FILLER[:3]], names),
        _article("two", ["Hezbollah attacked Israel positions in southern Lebanon on Sunday.", *FILLER[3:]], names),
    )
    same_match = _matched(compare(same)[0], "one", "two")
    reversed_match = _matched(compare(reversed_)[0], "one", "two")
    assert same_match is not None
    assert reversed_match is None or reversed_match.score < same_match.score * 0.75


def test_roles_are_read_next_to_the_names_only() -> None:
    """A name is the agent or patient of a verb beside it, not of one in another clause."""
    names = {"Homs": "LOC", "Hezbollah": "ORG"}
    evacuated = "Government forces evacuated Homs in a hurried retreat, with commanders withdrawing by land."
    left = "Commanders left Homs by helicopter, while a large convoy withdrew by land overnight."
    analysis = _corpus(_article("one", [evacuated, *FILLER[:3]], names), _article("two", [left, *FILLER[3:]], names))
    table = build_table(analysis, alias_key=default_alias_key)
    one, two = table.claims[0], table.claims[4]
    homs = table.ids["E:homs"]
    assert table.roles(one) == {(homs, "withdraw"): "patient"}  # "evacuated Homs"
    assert table.roles(two) == {(homs, "leav"): "patient"}  # "withdrew" is five words away: no role from it
    assert not roles_differ(table, one, two)


def test_one_shared_name_is_no_match() -> None:
    names = {"Homs": "LOC"}
    analysis = _corpus(
        _article("one", ["Farmers near Homs harvested the olive crop early this autumn.", *FILLER[:3]], names),
        _article("two", ["A football derby in Homs ended without goals on Friday evening.", *FILLER[3:]], names),
    )
    table = build_table(analysis, alias_key=default_alias_key)
    assert similarity(table, table.claims[0], table.claims[4]) == 0.0
    assert compare(analysis)[0] == ()


def test_names_meet_across_labels_but_not_across_spellings_that_differ() -> None:
    """A recogniser may tag "Homs" LOC in one article and ORG in another; "Hamas" under a third label is still not
    "Homs" (the alias module's transliteration keys of the two are equal: "hms")."""
    one = _article(
        "one", ["Rebels entered Homs and freed prisoners from the central jail.", *FILLER[:3]], {"Homs": "LOC"}
    )
    two = _article("two", ["Rebels entered Homs and freed prisoners from the main jail.", *FILLER[3:]], {"Homs": "ORG"})
    three = _article("three", ["Rebels entered Hamas and freed prisoners from the main jail."], {"Hamas": "NORP"})
    table = build_table(_corpus(one, two, three))
    keys = [claim.entity_keys for claim in table.claims if claim.entity_keys]
    assert keys[0] == keys[1] != keys[2]


def test_the_analysis_alias_groups_are_read_not_redone(seeds) -> None:
    """With the analysis's groups, "Assad" keys to "Bashar al-Assad" without building an alias index again."""
    from factdesk.annotations.compare.keys import resolve_alias_key

    key, is_default = resolve_alias_key(None, seeds)
    assert not is_default
    assert key("Assad", "PERSON") == key("Bashar al-Assad", "PERSON") == "PERSON:bashar al-assad"
    assert key("HTS", "ORG") == key("Hayat Tahrir al-Sham", "ORG")


def test_what_a_figure_counts_is_a_term() -> None:
    analysis = _corpus(
        _article(
            "one",
            ["Nearly 300,000 people have been displaced since late November.", *FILLER[:3]],
            numbers=[("300,000 people", 300000.0, "people", "nearly")],
        ),
        _article(
            "two",
            ["Over 370,000 people fled their homes in just a week.", *FILLER[3:]],
            numbers=[("370,000 people", 370000.0, "people", "over")],
        ),
    )
    table = build_table(analysis, alias_key=default_alias_key)
    assert "Q:people displaced" in {table.vocabulary[t] for t in table.claims[0].terms & table.claims[4].terms}


def test_unrelated_sentences_do_not_match() -> None:
    analysis = _corpus(_article("one", FILLER[:3]), _article("two", FILLER[3:]))
    assert compare(analysis) == ((), ())


# --- the API around matches ---------------------------------------------------------------------


def test_matches_for_lists_both_directions_best_first() -> None:
    a, b, c = ClaimRef("a", 0), ClaimRef("b", 0), ClaimRef("c", 0)
    matches = [Match(a, b, 0.4), Match(c, a, 0.7), Match(b, c, 0.9)]
    assert matches_for(matches, a) == [(c, 0.7), (b, 0.4)]
    assert matches_for(matches, ClaimRef("z", 0)) == []


def test_coverage_rows_put_the_contested_displacement_fact_in_a_row(seeds, seed_comparison) -> None:
    matches, conflicts = seed_comparison
    rows = coverage(seeds, matches, conflicts)
    assert rows and all(row.sources >= 2 for row in rows)  # singletons are not rows
    assert [row.sources for row in rows] == sorted((row.sources for row in rows), reverse=True)
    contested = [row for row in rows if row.contested]
    assert len(contested) == 1
    row = contested[0]
    states = {seeds.by_id(cell.article).article.path.name[:3]: cell.state for cell in row.cells}
    assert {states["003"], states["004"]} == {"states", "differs"}  # the reference states, the other differs
    assert list(states.values()).count("differs") == 1
    assert len(row.cells) == len(seeds.articles)
    assert row.text == seeds.by_id(row.representative.article).sentence_text(
        next(s for s in seeds.by_id(row.representative.article).sentences if s.index == row.representative.sentence)
    )


# --- units ----------------------------------------------------------------------------------------


def test_units_normalise_and_convert() -> None:
    assert normalise_unit("kilometers") == "km"
    assert normalise_unit("week") == "weeks"
    assert convert(30.0, "km", "miles") == pytest.approx(18.64, abs=0.01)
    assert convert(1.0, "km", "days") is None
    km = NumberMention(0, 5, "30 km", 30.0, "km")
    miles = NumberMention(7, 15, "20 miles", 20.0, "miles")
    assert is_conversion(km, miles)
    assert not is_conversion(km, NumberMention(0, 5, "50 km", 50.0, "km"))


# --- candidate generation and speed machinery ---------------------------------------------------


def test_candidate_pairs_are_every_pair_over_the_floor() -> None:
    """Below LARGE_CORPUS the bounds only skip pairs that cannot pass: same pairs, same similarities as brute force
    (the role penalty is applied later, to the pairs that may match)."""
    from factdesk.annotations.compare.features import build_table
    from factdesk.annotations.compare.matching import (
        MAX_DF_FRACTION,
        MIN_MAX_DF,
        candidate_floor,
        candidate_pairs,
        similarity,
    )

    table = build_table(_synthetic(120, 12, 5))
    claims = table.claims
    max_df = max(MIN_MAX_DF, int(MAX_DF_FRACTION * len(claims)))
    indexed = {t for t, f in enumerate(table.frequency) if 1 < f <= max_df}
    expected = {}
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.article != b.article and not indexed.isdisjoint(a.terms & b.terms):
                score = similarity(table, a, b)
                if score >= candidate_floor():
                    expected[(i, j)] = score
    found = {(i, j): score for i, j, score in candidate_pairs(table)}
    assert len(expected) > 500  # the corpus makes enough pairs for the check to mean something
    assert found.keys() == expected.keys()
    assert all(found[key] == pytest.approx(expected[key], abs=1e-12) for key in expected)


def test_scaled_candidates_keep_almost_every_match() -> None:
    """Above LARGE_CORPUS the economies drop pairs that could only be weak: the matches barely change."""
    from factdesk.annotations.compare.features import build_table
    from factdesk.annotations.compare.matching import candidate_pairs, select

    table = build_table(_synthetic(150, 20, 9))
    exact = {(m.a, m.b) for m in select(table, candidate_pairs(table, exact=True))}
    scaled = {(m.a, m.b) for m in select(table, candidate_pairs(table, exact=False))}
    assert len(exact) > 300
    # (0.97 before the calibrated score: its features read each claim's best pair into the other article and its
    # typical similarity, so a weak pair the economies drop moves its neighbours' scores too — measured 0.94.)
    assert len(exact & scaled) >= 0.92 * len(exact)
    assert len(scaled - exact) <= 0.03 * len(exact)


def test_compare_pauses_the_collector_and_restores_it() -> None:
    import gc

    analysis = _corpus(_article("one", FILLER[:3]), _article("two", FILLER[3:]))
    assert gc.isenabled()
    compare(analysis)
    assert gc.isenabled()
    gc.disable()
    try:
        compare(analysis)
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()


def test_a_title_and_a_possessive_do_not_become_terms() -> None:
    """ "President Bashar al-Assad’s": the title and the name are one entity term, not words of the claim."""
    from factdesk.annotations.compare.features import build_table

    sentence = "Syrian President Bashar al-Assad’s forces withdrew from the city of Homs overnight."
    analysis = _corpus(
        _article("one", [sentence, *FILLER[:3]], {"Syrian": "NORP", "Bashar al-Assad": "PERSON", "Homs": "LOC"}),
        _article("two", FILLER[3:]),
    )
    table = build_table(analysis, alias_key=default_alias_key)
    claim = table.claims[0]
    words = {table.vocabulary[t] for t in claim.terms}
    assert {"presid", "bashar", "assad", "syrian", "homs"}.isdisjoint(words)
    assert {"E:bashar assad", "E:homs", "forc", "withdraw", "citi"} <= words
    assert table.roles(claim) == {(table.ids["E:bashar assad"], "withdraw"): "agent"}  # the title is no gap


def test_cross_index_answers_differing_figures_like_the_api() -> None:
    from pathlib import Path

    from factdesk.annotations.compare import differing_figures
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.text.corpus import load_corpus

    analysis = analyze(load_corpus([Path(__file__).resolve().parent.parent / "seeds"]))
    cross = CrossIndex(analysis)
    conflict = next(c for c in analysis.conflicts if "300,000" in c.summary)
    a, b = conflict.mentions[0].ref, conflict.mentions[-1].ref
    expected = differing_figures(analysis, a, b)
    assert expected and cross.differing(a, b) == expected
    assert cross.differing(a, b) == expected  # the second call reads the cached quantities
