"""Every article's own analysis for a corpus: from the per-article cache where it still holds, else computed.

The order of :mod:`.per_article`'s steps over a corpus, redoing only what changed:

1. read each article's cache entry; prepare the articles that have none (new, edited, or a damaged entry);
2. merge every article's casing counts; an entry whose recorded casing answers differ now is tagged again, with
   the new articles;
3. sum every article's votes into the label tables; an entry whose recorded label answers differ now is finished
   again (its tokens rebuilt first), with every article tagged in step 2;
4. read the figure records of the articles finished in step 3, and of those whose date, outlet or story year (the
   one corpus answer the records read, for an undated article) changed; the others' stand;
5. write the entries of the articles analysed.

Adding, editing or removing one article thus analyses that article, plus only the articles whose recogniser reads
something the change altered; the result is exactly that of analysing the corpus at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from factdesk.annotations.model import Article, ArticleAnalysis
from factdesk.annotations.pipeline import article_cache
from factdesk.annotations.pipeline.jobs import default_jobs as default_jobs  # (its old home; the CLI reads jobs.py)
from factdesk.annotations.pipeline.per_article import (
    ArticleWork,
    CorpusTables,
    casing_holds,
    labels_hold,
    merged_casing,
    set_labels,
)
from factdesk.annotations.pipeline.workers import LocalRunner, PoolRunner, Runner

Progress = Callable[[str, int, int], None]
# A worker process needs about a second to start (Python, NLTK's Punkt, the model): about what 100 articles' own
# analysis costs. So a worker per 100 articles to analyse, and none below 200, where it would not pay.
ARTICLES_PER_PROCESS = 100
MIN_ARTICLES_FOR_WORKERS = 200


class Throttle:
    """Passes progress on at most every ``interval`` seconds, plus each new stage and each stage's end.

    Why: the contract promises callers a call at most every ~50 ms or every article, whichever is rarer, so a
    progress bar never slows the analysis.
    """

    def __init__(self, progress: Progress | None, interval: float = 0.05) -> None:
        self.progress, self.interval = progress, interval
        self.stage, self.last = "", 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if stage != self.stage or done >= total or now - self.last >= self.interval:
            self.stage, self.last = stage, now
            self.progress(stage, done, total)


class _Counter:
    """Counts articles done within one stage and reports them."""

    def __init__(self, report: Throttle, stage: str, total: int) -> None:
        self.report, self.stage, self.total, self.done = report, stage, total, 0
        if total:
            report(stage, 0, total)

    def __call__(self, count: int) -> None:
        self.done += count
        self.report(self.stage, self.done, self.total)


def _processes(jobs: int, count: int) -> int:
    """How many processes analyse ``count`` articles with ``jobs`` allowed."""
    return 1 if count < MIN_ARTICLES_FOR_WORKERS else max(1, min(jobs, count // ARTICLES_PER_PROCESS))


def article_works(
    articles: Sequence[Article],
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    jobs: int = 1,
    folder: Path | None = None,
) -> list[ArticleWork]:
    """Each article's work, in order (an article given twice is analysed once and counts twice, as read)."""
    report = Throttle(progress)
    unique = list({a.id: a for a in articles}.values())
    works: dict[str, ArticleWork] = {}
    if use_cache:
        counter = _Counter(report, "reading cached articles", len(unique))
        for article in unique:
            found = article_cache.load(article, folder)
            if found is not None:
                works[article.id] = found
            counter(1)
    cached = [a for a in unique if a.id in works]
    fresh = [a for a in unique if a.id not in works]
    changed = set(_Analysis(jobs, unique, report).run(articles, cached, fresh, works))
    changed.update(_read_figures(articles, works, changed))
    if use_cache:
        for article in unique:
            if article.id in changed:
                article_cache.save(article.id, works[article.id], folder)
    return [works[a.id] for a in articles]


def _read_figures(articles: Sequence[Article], works: dict[str, ArticleWork], finished: set[str]) -> list[str]:
    """Each article's figure records, read again only where they may differ: the article's entities changed (it
    was finished again), or the date, outlet or story year they were read with did. The ids of those read.

    Why here: the records read nothing of the corpus but the story's year (``figures.article_figures``), so a
    cached article's stand, and one added article costs its own records, not the corpus's.
    """
    from factdesk.annotations.compare.figures import article_figures, dated_year, own_year

    year = dated_year(articles)  # (an article given twice counts twice, as in figures.story_year)
    read = []
    for article in {a.id: a for a in articles}.values():
        work = works[article.id]
        basis = (article.date or "", article.source, "" if own_year(article) else year or "")
        if work.figures is None or work.figure_basis != basis or article.id in finished:
            analysis = ArticleAnalysis(article, work.sentences, work.entities, work.numbers)
            work.figures, work.figure_basis = article_figures(analysis, year), basis
            read.append(article.id)
    return read


class _Analysis:
    """Steps 1–3 (see the module's docstring) on a runner: this process alone, or with workers once the articles to
    analyse are many — known only after step 1, when the cached articles whose casing answers changed are known."""

    def __init__(self, jobs: int, unique: Sequence[Article], report: Throttle) -> None:
        self.jobs, self.unique, self.report = jobs, unique, report
        self.runner: Runner = LocalRunner(helpers=jobs > 1)

    def _scale(self, count: int) -> None:
        """Workers from here on, if ``count`` articles are worth them and there are none yet."""
        processes = _processes(self.jobs, count)
        if processes > 1 and isinstance(self.runner, LocalRunner):
            self.runner = PoolRunner(processes, {a.id: a for a in self.unique}, local=self.runner)

    def run(
        self,
        articles: Sequence[Article],
        cached: Sequence[Article],
        fresh: Sequence[Article],
        works: dict[str, ArticleWork],
    ) -> list[str]:
        """The ids of the articles analysed; ``works`` holds every article's work."""
        try:
            return self._steps(articles, cached, fresh, works)
        finally:
            self.runner.close()

    def _steps(
        self,
        articles: Sequence[Article],
        cached: Sequence[Article],
        fresh: Sequence[Article],
        works: dict[str, ArticleWork],
    ) -> list[str]:
        report = self.report
        self._scale(len(fresh))
        self.runner.prepare(fresh, _Counter(report, "reading articles", len(fresh)), works)
        tables = CorpusTables(merged_casing([works[a.id] for a in articles]))
        retag = [a for a in cached if not casing_holds(works[a.id].casing, tables.casing)]
        self._scale(len(fresh) + len(retag))
        self.runner.retokenise(retag, _Counter(report, "reading articles again", len(retag)), works)
        tagging = [a.id for a in (*fresh, *retag)]
        self.runner.tables(tables)
        self.runner.tag(tagging, _Counter(report, "analysing articles", len(tagging)), works)
        set_labels(tables, [works[a.id] for a in articles])
        tagged = set(tagging)
        refinish = [a for a in cached if a.id not in tagged and not labels_hold(works[a.id].labels, tables)]
        if refinish:  # their tokens again, tagged as before (their casing answers hold, so their votes are unchanged)
            ids = [a.id for a in refinish]
            self.runner.retokenise(refinish, lambda _: None, works)
            self.runner.tables(tables)
            self.runner.tag(ids, _Counter(report, "rechecking names", len(ids)), works)
        finishing = [*tagging, *(a.id for a in refinish)]
        self.runner.tables(tables)
        self.runner.finish(finishing, _Counter(report, "naming entities", len(finishing)), works)
        return finishing
