"""The array candidates (above LARGE_CORPUS claims) against the claim-by-claim loop they replace there.

Why these tests: the array version restates the loop's bounds as whole-array operations, where an off-by-one
in a posting-list offset or a rank limit loses pairs silently. With ``slack = 1`` and no signature screen both
must find exactly the same pairs with the same similarities; the scaled settings are held to the exact matches
by ``test_compare.py`` (and measured by ``bench/compare_speed.py --check``).
"""

from __future__ import annotations

import pytest
from builders import FILLER, article, synthetic

from factdesk.annotations.compare import matching
from factdesk.annotations.compare.array_candidates import array_candidate_pairs
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.matching import candidate_floor, candidate_pairs, similarity
from factdesk.annotations.model import ArticleAnalysis, CorpusAnalysis


def _exact_by_arrays(table) -> dict[tuple[int, int], float]:
    return {(j, i): value for j, i, value in array_candidate_pairs(table, candidate_floor(), 1.0, screen=False)}


def _exact_by_loop(table) -> dict[tuple[int, int], float]:
    return {(j, i): value for j, i, value in candidate_pairs(table, exact=True)}


@pytest.mark.parametrize(("articles", "sentences", "seed"), [(120, 12, 5), (60, 40, 3), (200, 8, 21)])
def test_arrays_find_the_same_pairs_as_the_loop(articles: int, sentences: int, seed: int) -> None:
    table = build_table(synthetic(articles, sentences, seed))
    expected = _exact_by_loop(table)
    found = _exact_by_arrays(table)
    assert len(expected) > 500  # enough pairs for the comparison to mean something
    assert found.keys() == expected.keys()
    assert all(found[key] == pytest.approx(expected[key], abs=1e-12) for key in expected)


def test_small_chunks_find_the_same_pairs(monkeypatch) -> None:
    """Entries are sifted a chunk at a time; a chunk never splits a prober's probes (its pairs met twice)."""
    table = build_table(synthetic(120, 12, 5))
    whole = _exact_by_arrays(table)
    scaled = sorted(candidate_pairs(table, exact=False))
    monkeypatch.setattr("factdesk.annotations.compare.array_candidates.CHUNK_ENTRIES", 37)
    assert _exact_by_arrays(table) == whole
    assert sorted(candidate_pairs(table, exact=False)) == scaled


def _article(article_id: str, sentences: list[str], figures: list[tuple[str, float, str]]) -> ArticleAnalysis:
    return article(article_id, sentences, None, [(surface, value, unit, None) for surface, value, unit in figures])


def test_a_figure_restated_in_another_unit_counts_in_the_array_score() -> None:
    """Pairs whose claims both have figures are scored by ``similarity`` (the unit-conversion bonus included)."""
    one = _article(
        "one",
        ["Rebel columns halted within 30 km of the coastal refinery overnight.", *FILLER[:2]],
        [("30 km", 30.0, "km")],
    )
    two = _article(
        "two",
        ["Rebel columns halted within 20 miles of the coastal refinery overnight.", *FILLER[2:]],
        [("20 miles", 20.0, "miles")],
    )
    table = build_table(CorpusAnalysis(articles=(one, two)))
    first = 0  # (claims are in corpus order: the first sentence of "one")
    second = next(i for i, c in enumerate(table.claims) if c.article == 1 and c.sentence.index == 0)
    a, b = table.claims[first], table.claims[second]
    with_bonus = similarity(table, a, b)
    plain = sum(table.squared[t] for t in a.terms & b.terms) / ((a.norm * b.norm) ** 0.5 * min(a.norm, b.norm))
    assert with_bonus > plain + 0.05  # the 30 km / 20 miles figure adds to the score
    for found in (_exact_by_arrays(table), _exact_by_loop(table)):
        assert found[(first, second)] == pytest.approx(with_bonus, abs=1e-12)


def test_large_corpora_take_the_array_path(monkeypatch) -> None:
    table = build_table(synthetic(20, 10, 4))
    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return []

    monkeypatch.setattr("factdesk.annotations.compare.array_candidates.array_candidate_pairs", spy)
    candidate_pairs(table)
    assert calls == []  # under LARGE_CORPUS: the loop
    monkeypatch.setattr(matching, "LARGE_CORPUS", len(table.claims) - 1)
    candidate_pairs(table)
    assert calls == [{"screen": True}]


def test_arrays_handle_corpora_with_nothing_to_pair() -> None:
    empty = build_table(CorpusAnalysis(articles=()))
    assert array_candidate_pairs(empty, candidate_floor(), 0.1, screen=True) == []
    lonely = build_table(CorpusAnalysis(articles=(_article("one", FILLER, []),)))
    assert array_candidate_pairs(lonely, candidate_floor(), 0.1, screen=True) == []  # one article: no cross pairs
    unrelated = build_table(CorpusAnalysis(articles=(_article("one", FILLER[:2], []), _article("two", FILLER[2:], []))))
    assert array_candidate_pairs(unrelated, candidate_floor(), 1.0, screen=False) == []


def _wire_story(copies: int) -> CorpusAnalysis:
    """``copies`` articles carrying one statement word for word, each with two sentences of its own."""
    statement = "The ministry confirmed that the northern pipeline reopened after repairs lasting eleven weeks."
    articles = []
    for n in range(copies):
        own = [f"Reporter{n} visited Village{n} near Lake{n} for Outlet{n}.", f"Mayor{n} praised Team{n} warmly."]
        articles.append(_article(f"outlet{n}", [statement, *own], []))
    return CorpusAnalysis(articles=tuple(articles))


@pytest.mark.parametrize("copies", [12, 50])
def test_a_statement_carried_by_more_sources_than_the_index_ceiling_still_matches(copies: int, monkeypatch) -> None:
    """Every word of the statement is in ``copies`` claims: past the ceiling (40) no term of it is indexed, so the
    claims fall back to probing their listed terms — by the loop and by the arrays alike."""
    table = build_table(_wire_story(copies))
    assert matching.index_ceiling(len(table.claims)) == 40
    statement = {i for i, c in enumerate(table.claims) if c.sentence.index == 0}
    expected = {(j, i) for j in statement for i in statement if j < i}
    loop, arrays = _exact_by_loop(table), _exact_by_arrays(table)
    scaled = {(j, i) for j, i, _ in candidate_pairs(table, exact=False)}
    assert expected <= loop.keys() and expected <= arrays.keys() and expected <= scaled
    assert loop.keys() == arrays.keys()
    monkeypatch.setattr(matching, "FALLBACK_FACTOR", 1)  # without the fallback, the many copies meet nothing
    import factdesk.annotations.compare.array_candidates as array_module

    monkeypatch.setattr(array_module, "FALLBACK_FACTOR", 1)
    found = _exact_by_loop(table).keys() | _exact_by_arrays(table).keys()
    assert (expected <= found) == (copies <= 40)


def test_a_wire_statement_in_fifty_sources_is_one_fully_corroborated_fact() -> None:
    from factdesk.annotations.compare import compare, coverage

    analysis = _wire_story(50)
    matches, conflicts = compare(analysis)
    statement_pairs = {(m.a.article, m.b.article) for m in matches if m.a.sentence == 0 and m.b.sentence == 0}
    assert len(statement_pairs) == 50 * 49 // 2
    top = coverage(analysis, matches, conflicts)[0]
    assert top.sources == 50 and top.text.startswith("The ministry confirmed")
