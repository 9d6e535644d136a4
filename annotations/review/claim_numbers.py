"""How people number claims: the claim's 1-based place among its article's claims.

A sentence's ``index`` counts headings and boilerplate too, so "sentence 4" and the reader's "Claim 3 of 20" could
name the same claim. Everything a person reads — the reader's inspector, the brief, search results, the lists —
numbers claims this one way, so a claim quoted from the brief is found again in the reader; JSON keeps the
``sentence_index`` for tools and adds this ``claim_number``.
"""

from __future__ import annotations

from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis

__all__ = ["ClaimNumbers", "claim_label", "claim_number", "claim_numbers"]


def claim_numbers(analysis: ArticleAnalysis) -> dict[int, int]:
    """``{sentence index: claim number}`` for every claim of the article (one pass, for many look-ups)."""
    return {sentence.index: number for number, sentence in enumerate(analysis.claims, start=1)}


def claim_number(analysis: ArticleAnalysis, sentence_index: int) -> int | None:
    """The claim number of sentence ``sentence_index``; None when that sentence is not a claim."""
    position = analysis.claim_position(sentence_index)  # (a dict made once per analysis, not a scan per call)
    return None if position is None else position + 1


def claim_label(number: int | None) -> str:
    """ "claim 3", as every human-facing list writes it ("" when the sentence is not a claim)."""
    return f"claim {number}" if number else ""


class ClaimNumbers:
    """Claim numbers across a corpus, each article's counted once on first use (for lists of many claims)."""

    def __init__(self, corpus: CorpusAnalysis) -> None:
        self._articles = {a.article.id: a for a in corpus.articles}
        self._numbers: dict[str, dict[int, int]] = {}

    def __call__(self, ref: ClaimRef) -> int | None:
        numbers = self._numbers.get(ref.article)
        if numbers is None:
            article = self._articles.get(ref.article)
            numbers = claim_numbers(article) if article is not None else {}
            self._numbers[ref.article] = numbers
        return numbers.get(ref.sentence)
