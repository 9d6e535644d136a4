from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.pipeline import analysis as analysis_module
from factdesk.annotations.pipeline.analysis import analyze, to_json
from factdesk.annotations.pipeline.cache import cache_file
from factdesk.annotations.text.corpus import load_corpus


def test_reopening_a_corpus_does_no_analysis_work(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = load_corpus([seeds_copy])
    first = analyze(corpus)
    assert cache_file(corpus.articles).exists()

    def must_not_run(*_: object) -> None:
        raise AssertionError("analysis ran although the corpus is cached")

    monkeypatch.setattr(analysis_module, "analyze_articles", must_not_run)
    second = analyze(load_corpus([seeds_copy]))
    assert to_json(second) == to_json(first)  # identical, numbers' ranges and units included


def test_a_changed_article_misses_the_cache(seeds_copy: Path) -> None:
    corpus = load_corpus([seeds_copy])
    analyze(corpus)
    target = sorted(seeds_copy.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nA new sentence was added.", encoding="utf-8")
    changed = load_corpus([seeds_copy])
    assert cache_file(changed.articles) != cache_file(corpus.articles)
    assert "A new sentence was added." in analyze(changed).articles[0].article.text


def test_a_corrupt_cache_entry_is_recomputed(seeds_copy: Path) -> None:
    corpus = load_corpus([seeds_copy])
    expected = to_json(analyze(corpus, use_cache=False))
    cache_file(corpus.articles).parent.mkdir(parents=True, exist_ok=True)
    cache_file(corpus.articles).write_bytes(b"\x1f\x8b not gzip")
    assert to_json(analyze(corpus)) == expected


def test_a_first_analysis_finds_the_copies_once(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corpus with no copies gives an empty list: on a fresh analysis that is the answer, not a gap to fill by
    running the copy search again (0.85 s of a 10 MB article's analysis)."""
    only = sorted(seeds_copy.glob("*.txt"))[0]
    corpus = load_corpus([only])
    calls: list[int] = []
    real = analysis_module.copy_groups

    def counting(analysis):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(analysis)

    monkeypatch.setattr(analysis_module, "copy_groups", counting)
    fresh = analyze(corpus)
    assert fresh.copy_groups == () and len(calls) == 1
    assert to_json(analyze(load_corpus([only]))) == to_json(fresh)  # the reopen is the same analysis
