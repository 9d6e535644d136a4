"""find_claims: the domain search behind the reader's ``/`` (no Textual needed)."""

from __future__ import annotations

from builders import article, corpus

from factdesk.annotations.model import ClaimRef
from factdesk.annotations.review.search import MAX_RESULTS, find_claims


def test_every_word_must_appear_in_any_case() -> None:
    analysis = corpus(
        article("a", ["Rebels took the city of Homs.", "The army withdrew overnight."]),
        article("b", ["The ARMY said Homs was not taken."]),
    )
    found = find_claims(analysis, "army homs")
    assert found == [(ClaimRef("b", 0), "b", "The ARMY said Homs was not taken.")]
    assert [ref for ref, _, _ in find_claims(analysis, "the")] == [ClaimRef("a", 0), ClaimRef("a", 1), ClaimRef("b", 0)]


def test_an_empty_query_finds_nothing_and_results_are_capped() -> None:
    analysis = corpus(article("a", [f"Claim number {n} about prices." for n in range(MAX_RESULTS + 10)]))
    assert find_claims(analysis, "   ") == []
    assert len(find_claims(analysis, "prices")) == MAX_RESULTS
