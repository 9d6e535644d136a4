"""One line of thousands of numbers (a table pasted as prose, or escape codes built to be slow) is not a claim
outlets compare: it gets no figure records, so it cannot flood the figure board, the brief or the conflicts.

Found by bench/fuzz_hostile.py: an article of 86,000 repeated ``ESC[7777m`` made 86,000 figures; the reader spent
10 s building the figure board on `b` and did not answer `q` meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.figures import MAX_FIGURES_PER_CLAIM
from factdesk.annotations.model import Article
from factdesk.annotations.pipeline.analysis import analyze_articles
from factdesk.annotations.text.corpus import article_id


def _analysis(*texts: str):
    articles = [Article(article_id(t), Path(f"a{i}.txt"), t, f"a{i}", f"outlet {i}") for i, t in enumerate(texts)]
    return analyze_articles(articles)


def test_a_line_of_thousands_of_numbers_gets_no_figure_records() -> None:
    flood = "Officials said " + ", ".join(f"{n} people were evacuated" for n in range(100, 3100)) + "."
    normal = "Officials said 1,200 people were evacuated from the valley on Monday."
    analysis = _analysis(flood, normal)
    flood_id = analysis.articles[0].article.id
    assert len(analysis.articles[0].numbers) > MAX_FIGURES_PER_CLAIM  # still highlighted in the reader
    assert not [f for f in analysis.figures if f.ref.article == flood_id]
    assert [f.number.value for f in analysis.figures if f.ref.article != flood_id] == [1200]


def test_a_claim_listing_a_few_dozen_figures_keeps_them() -> None:
    listing = "Officials said " + ", ".join(f"{n} people were evacuated" for n in range(100, 100 + 40)) + "."
    analysis = _analysis(listing)
    assert len(analysis.figures) == 40


def test_claims_of_thousands_of_figures_are_not_compared_figure_by_figure() -> None:
    """Matching tested every figure of one claim against every figure of the other: two such lines in two
    articles (the fuzz run's 1.3 MB line of ``ESC[7777m``) ran for more than ten minutes."""
    flood = "Officials said " + ", ".join(f"{n} people were evacuated" for n in range(100, 3100)) + "."
    normal = "Officials said 1,200 people were evacuated from the valley on Monday."
    analysis = _analysis(flood, normal)
    claims = {c.ref.article: c for c in build_table(analysis).claims}
    assert claims[analysis.articles[0].article.id].quantities == ()
    assert [q.low for q in claims[analysis.articles[1].article.id].quantities] == [1200]
