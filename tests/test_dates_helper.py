"""A very long article's dates and numbers read by a helper process while this one segments and tokenises it.

Why: on a 10 MB article ``factdesk analyze`` / ``export`` were at their 30 s target, and the dates and numbers (a
tenth of the work) need nothing of the sentences, so the second core reads them (``workers.DatesHelper``). These
tests hold the helped step to the plain one, and a helper that dies or gets ``ctrl+c`` to a clear end, never a hang
(``bench/long_article.py`` times it).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from factdesk.annotations.pipeline import articles as articles_module
from factdesk.annotations.pipeline import per_article, workers
from factdesk.annotations.pipeline.jobs import WorkerFailed
from factdesk.annotations.pipeline.workers import DatesHelper, LocalRunner
from factdesk.annotations.text.corpus import load_corpus

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seeds_text() -> str:
    """Every seed article, one after another: dates, figures, boilerplate (a copyright line) and headings."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def test_the_helped_step_gives_exactly_the_plain_steps_work() -> None:
    text = _seeds_text()
    plain, plain_doc = per_article.prepare(text)
    helper = DatesHelper(text)
    try:
        helped, helped_doc = per_article.prepare(text, helper.result)
    finally:
        helper.close()
    assert plain.numbers and plain.dates
    assert helped == plain
    assert helped_doc.sentences == plain_doc.sentences and helped_doc.stats.counts == plain_doc.stats.counts
    assert not helper.process.is_alive()


def test_a_long_article_is_helped_only_when_more_than_one_process_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Counting(DatesHelper):
        def __init__(self, text: str) -> None:
            started.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(workers, "DatesHelper", Counting)
    monkeypatch.setattr(workers, "HELPER_MIN_CHARS", 2_000)
    corpus = load_corpus([SEEDS]).articles
    serial = articles_module.article_works(corpus, use_cache=False, jobs=1)
    assert started == []
    helped = articles_module.article_works(corpus, use_cache=False, jobs=2)
    assert started == [len(a.text) for a in corpus if len(a.text) >= 2_000] and started
    assert helped == serial


def test_the_local_runner_without_helpers_reads_every_article_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "HELPER_MIN_CHARS", 0)
    monkeypatch.setattr(workers, "DatesHelper", None)  # would fail if called
    corpus = load_corpus([SEEDS]).articles[:1]
    works: workers.Works = {}
    LocalRunner().prepare(corpus, lambda _: None, works)
    assert set(works) == {corpus[0].id}


def test_a_helper_that_dies_is_a_clear_error_not_a_hang() -> None:
    helper = DatesHelper(_seeds_text() * 20)
    try:
        os.kill(helper.process.pid, signal.SIGKILL)  # as the OOM killer would, before it sends anything
        began = time.monotonic()
        with pytest.raises(WorkerFailed, match="helper process stopped"):
            helper.result()
        assert time.monotonic() - began < 30
        assert not helper.process.is_alive()
    finally:
        helper.close()


def test_a_helper_is_born_ignoring_ctrl_c_and_ends_with_its_caller() -> None:
    """The terminal sends ctrl+c to the whole process group: the helper must not print a traceback (the caller,
    interrupted too, closes it); closing a helper still at work ends it at once."""
    text = _seeds_text()
    helper = DatesHelper(text)
    try:
        os.kill(helper.process.pid, signal.SIGINT)
        dates, numbers = helper.result()
        assert (dates, numbers) == per_article.dates_and_numbers(text)
    finally:
        helper.close()
    busy = DatesHelper(text * 200)
    busy.close()
    assert not busy.process.is_alive() and busy.process.exitcode == -signal.SIGKILL


def test_entries_are_written_fast_and_those_written_at_the_old_level_still_read(tmp_path: Path) -> None:
    """The cache writes gzip's fastest level now (0.4 s less on a 10 MB article); an entry written before, at
    level 5, is the same entry."""
    import gzip

    from factdesk.annotations.pipeline import article_cache

    corpus = load_corpus([SEEDS]).articles[:2]
    works = articles_module.article_works(corpus, use_cache=True, folder=tmp_path)
    for article, work in zip(corpus, works, strict=True):
        entry = article_cache.entry_file(article.id, tmp_path)
        raw = entry.read_bytes()
        assert raw[8] == 4  # gzip's header flag for its fastest level
        entry.write_bytes(gzip.compress(gzip.decompress(raw), compresslevel=5, mtime=0))
        assert article_cache.load(article, tmp_path) == work
