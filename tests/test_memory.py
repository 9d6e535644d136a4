"""What the analysis holds, and how long: the peak of 500 articles (``bench/memory.py``) rests on these.

Why these tests: memory is released by dropping the last reference to a table, which nothing checks but a weakref —
a new reference somewhere (a list kept for a later pass, a cache) silently brings the peak back. And every saving
here must leave the answers exactly as they were: the slices of the candidate search give the same pairs in the same
order with the same floats, step 2's stripped tokens tag and finish as the whole ones.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest
from builders import synthetic

from factdesk.annotations.compare import array_candidates
from factdesk.annotations.compare.array_candidates import array_candidate_pairs
from factdesk.annotations.compare.features import build_table
from factdesk.annotations.compare.matching import candidate_floor
from factdesk.annotations.model import Article
from factdesk.annotations.ner import lexicon as lexicon_module
from factdesk.annotations.pipeline import analysis, per_article, release
from factdesk.annotations.pipeline.analysis import analyze_articles, to_json
from factdesk.annotations.pipeline.per_article import CorpusTables, merged_casing
from factdesk.annotations.text.corpus import article_id

TEXTS = [
    "STORM HITS TARSALA\n\nMarwan Qadri, the regional envoy, said on Monday that 40 trucks reached Tarsala. "
    "The United Nations said 1,200 people fled the valley.\n",
    "Aid reaches valley\n\nQadri told reporters in Tarsala that 40 trucks had arrived. "
    "Officials of the United Nations said 1,200 people had fled.\n",
    "Envoy upbeat\n\nThe envoy Marwan Qadri thanked the donors in New York on Tuesday. "
    "He said 40 trucks arrived in Tarsala.\n",
]


def _articles() -> list[Article]:
    return [Article(article_id(t), Path(f"a-{i}.txt"), t, f"a{i}", f"outlet {i}") for i, t in enumerate(TEXTS)]


@pytest.mark.parametrize("screen", [False, True])
def test_the_candidate_search_in_slices_finds_the_same_pairs_in_the_same_order(
    screen: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature screen and the exact scores, a few entries and terms at a time: the very same list."""
    table = build_table(synthetic(120, 12, 5))
    whole = array_candidate_pairs(table, candidate_floor(), 0.1 if screen else 1.0, screen=screen)
    assert len(whole) > 500
    monkeypatch.setattr(array_candidates, "SIGNATURE_SLICE", 7)
    monkeypatch.setattr(array_candidates, "SCORED_TERMS", 5)
    assert array_candidate_pairs(table, candidate_floor(), 0.1 if screen else 1.0, screen=screen) == whole


def test_step_two_keeps_one_key_per_distinct_tags_and_no_casing_index() -> None:
    """After tagging, the tokens that wait for step 3 share their stripped keys and their words' objects."""
    works, docs = zip(*(per_article.prepare(text) for text in TEXTS), strict=True)
    tables = CorpusTables(merged_casing(works))
    for work, doc in zip(works, docs, strict=True):
        per_article.tag(work, doc, tables.casing)
    keys = [key for doc in docs for s in doc.sentences for key in s.keys]
    assert len({id(key) for key in keys}) == len({key[3] for key in keys}) < len(keys)
    assert all(doc.stats._variants is None for doc in docs)
    for doc in docs:
        for s in doc.sentences:
            assert all(word is seen for word, seen in zip(s.words, s.seen, strict=True) if word == seen)


def _alive_during_comparison(monkeypatch: pytest.MonkeyPatch, articles: list[Article]) -> dict[str, bool]:
    """Runs the analysis and tells, as the comparison starts, whether the per-article works and the lexicon live."""
    from factdesk.annotations import compare
    from factdesk.annotations.pipeline import articles as articles_module

    works: list[weakref.ref[object]] = []
    lexicons = [weakref.ref(lexicon_module.load_lexicon())]
    real_works, real_compare = articles_module.article_works, compare.compare_figures
    alive: dict[str, bool] = {}

    def article_works(*args: object, **kwargs: object) -> object:
        found = real_works(*args, **kwargs)  # type: ignore[arg-type]
        works.extend(weakref.ref(work) for work in found)
        return found

    def compare_figures(*args: object, **kwargs: object) -> object:
        alive["works"] = any(ref() is not None for ref in works)
        alive["lexicon"] = any(ref() is not None for ref in lexicons)
        return real_compare(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(articles_module, "article_works", article_works)
    monkeypatch.setattr(compare, "compare_figures", compare_figures)
    monkeypatch.setattr(analysis, "compare_figures", compare_figures, raising=False)  # (were it imported there)
    analyze_articles(articles)
    return alive


def test_the_per_article_tables_are_gone_before_the_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    alive = _alive_during_comparison(monkeypatch, _articles())
    assert alive == {"works": False, "lexicon": True}  # (a small corpus keeps the recogniser's models)


def test_a_large_corpus_drops_the_recogniser_models_before_the_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lexicon (and the tagger) are freed once the names are found; the results are those of keeping them."""
    articles = _articles()
    kept = to_json(analyze_articles(articles))
    monkeypatch.setattr(release, "NAME_MODELS_KEPT_BELOW", len(articles))
    alive = _alive_during_comparison(monkeypatch, articles)
    assert alive == {"works": False, "lexicon": False}
    assert to_json(analyze_articles(articles)) == kept  # and loaded again for the next analysis
    assert analysis.JSON_VERSION == 1
