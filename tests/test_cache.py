from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.compare import syndication
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
    calls = _count_copy_searches(monkeypatch)
    fresh = analyze(corpus)
    assert fresh.copy_groups == () and len(calls) == 1
    assert to_json(analyze(load_corpus([only]))) == to_json(fresh)  # the reopen is the same analysis
    assert len(calls) == 1  # ... read from the entry: "no copies" is kept as an answer too


def _count_copy_searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the copy search's runs (its pairwise step, whichever name the caller reached the search by)."""
    calls: list[int] = []
    real = syndication.copy_pairs

    def counting(articles):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(articles)

    monkeypatch.setattr(syndication, "copy_pairs", counting)
    return calls


def _with_a_copy(folder: Path) -> None:
    """A second outlet running the first seed's story under a paragraph of its own: one copy group."""
    first = sorted(folder.glob("*.txt"))[0]
    lines = first.read_text(encoding="utf-8").splitlines()
    copy = [lines[0], "", "Our desk carries the wire report below, lightly trimmed for length.", *lines[1:]]
    (folder / "zz-copy.txt").write_text("\n".join(copy) + "\n", encoding="utf-8")


def test_a_reopened_corpus_reads_its_copy_groups_from_the_entry(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy search is 0.3-0.4 s of reopening 500 articles: the entry keeps its answer."""
    _with_a_copy(seeds_copy)
    first = analyze(load_corpus([seeds_copy]))
    assert len(first.copy_groups) == 1
    calls = _count_copy_searches(monkeypatch)
    again = analyze(load_corpus([seeds_copy]))
    assert calls == [] and again.copy_groups == first.copy_groups


def test_reordered_files_find_their_copy_groups_again(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A group lists its articles in corpus order: the same texts in another order hit the entry, whose groups no
    longer hold, so they are found again — as a fresh analysis of the reordered corpus finds them."""
    _with_a_copy(seeds_copy)
    analyze(load_corpus([seeds_copy]))
    copy = seeds_copy / "zz-copy.txt"
    copy.rename(seeds_copy / "00-copy.txt")  # now first in the corpus
    calls = _count_copy_searches(monkeypatch)
    reordered = analyze(load_corpus([seeds_copy]))
    assert calls == [1]
    assert reordered.copy_groups == analyze(load_corpus([seeds_copy]), use_cache=False).copy_groups
    assert reordered.copy_groups[0].articles[0] == reordered.articles[0].article.id


def test_reopening_a_cached_corpus_imports_no_comparison(seeds_copy: Path, tmp_path: Path) -> None:
    """The corpus passes (numpy, the comparison's rules: about 0.4 s) are imported only where they run."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "factdesk", "analyze", "--jobs", "1", str(seeds_copy)]
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    probe = (
        "import sys; from factdesk.cli import main; main(['analyze', '--jobs', '1', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith(("
        "'factdesk.annotations.compare', 'factdesk.annotations.ner', 'factdesk.annotations.pipeline.per_article'))))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, str(seeds_copy)], check=True, capture_output=True, text=True, env=env, timeout=300
    )
    assert found.stdout.strip().splitlines()[-1] == "[]"
