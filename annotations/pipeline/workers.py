"""Run the per-article steps in this process or spread over worker processes (``factdesk analyze --jobs N``).

The three steps of :mod:`.per_article` each need the corpus's tables from the step before, so a process keeps its
articles' tokens between the steps: each worker is its own single-process executor ("spawn": no process with
threads is ever forked), the calling process works too, and an article's tokens stay where they were made unless
an article moves to balance the tagging. What crosses the pipe is plain
data — texts, sentence rows, the corpus tables as dicts, and each article's work as the per-article cache's JSON
(:func:`.article_cache.encode`) — never a pickled model object, and nothing is unpickled from disk.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from factdesk.annotations.model import Article
from factdesk.annotations.ner.document import TaggedDocument
from factdesk.annotations.ner.features import CaseStats
from factdesk.annotations.pipeline import per_article
from factdesk.annotations.pipeline.jobs import WorkerFailed
from factdesk.annotations.pipeline.per_article import ArticleWork, CorpusTables

CHUNK = 8  # articles per task: a progress report every few articles, little overhead per task
# An article this long has its dates and numbers read by a helper process (when more than one process is allowed):
# on a 10 MB article they are ~2.5 s of ~28 that the other core does, for ~0.4 s of start-up and transfer.
HELPER_MIN_CHARS = 1_000_000


# -- one process's articles between the steps -------------------------------------------------------------------


class State:
    """A process's articles between the steps: their tokens, their work, the corpus's tables."""

    def __init__(self) -> None:
        self.docs: dict[str, TaggedDocument] = {}
        self.works: dict[str, ArticleWork] = {}
        self.tables: CorpusTables | None = None

    def reset(self) -> None:
        self.docs.clear()
        self.works.clear()
        self.tables = None

    def prepare(
        self, items: Sequence[tuple[str, str]], found: Callable[[], per_article.Found] | None = None
    ) -> list[tuple[str, ArticleWork]]:
        """``found``: one item's dates and numbers, read elsewhere (``per_article.prepare``)."""
        out = []
        for article_id, text in items:
            work, doc = per_article.prepare(text, found)
            self.docs[article_id], self.works[article_id] = doc, work
            out.append((article_id, work))
        return out

    def retokenise(self, items: Sequence[tuple[str, str, ArticleWork]]) -> None:
        """Tokens again for articles whose work was made elsewhere (the cache, another process)."""
        for article_id, text, work in items:
            self.docs[article_id], self.works[article_id] = per_article.tokens_of(text, work), work

    def tag(self, ids: Sequence[str]) -> list[tuple[str, ArticleWork]]:
        assert self.tables is not None
        for article_id in ids:
            per_article.tag(self.works[article_id], self.docs[article_id], self.tables.casing)
        return [(article_id, self.works[article_id]) for article_id in ids]

    def finish(self, ids: Sequence[str]) -> list[tuple[str, ArticleWork]]:
        assert self.tables is not None
        for article_id in ids:
            per_article.finish(self.works[article_id], self.docs.pop(article_id), self.tables)
        return [(article_id, self.works.pop(article_id)) for article_id in ids]


_worker = State()  # in a worker process: its articles


def _start() -> None:
    """A worker's first act: no cyclic collector for its short life (see factdesk.annotations.gcpause), and no
    ``ctrl+c`` — the terminal sends it to the whole process group, and the caller's process, which gets it too, ends
    the workers (a worker interrupted while it waits for work would print a traceback)."""
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _set_tables(counts: dict[str, int], pairs: dict[str, int], labels: tuple[Any, Any, Any] | None) -> None:
    casing = CaseStats()
    casing.counts.update(counts)
    casing.pairs.update(pairs)
    _worker.tables = CorpusTables(casing)
    if labels is not None:
        _worker.tables.labels, _worker.tables.trusted, _worker.tables.first = labels


# Across processes the work travels as the cache's JSON rows, each step sending back the part it made.


def _plain(results: list[tuple[str, ArticleWork]], part: str) -> list[tuple[str, dict[str, Any]]]:
    from factdesk.annotations.pipeline.article_cache import encode

    return [(article_id, encode(work, part)) for article_id, work in results]


def _remote(step: str, *args: Any) -> Any:
    """A step run in a worker process: the same functions, the work's new part returned as plain data."""
    if step == "prepare":
        return _plain(_worker.prepare(*args), "own")
    if step == "retokenise":
        _worker.retokenise(_own_rows(args[0]))
        return []
    if step == "tables":
        return _set_tables(*args)
    if step == "tag":  # an article prepared by another process comes with its text and sentences, to tokenise here
        _worker.retokenise(_own_rows([item for item in args[0] if type(item) is not str]))
        return _plain(_worker.tag([item if type(item) is str else item[0] for item in args[0]]), "tagged")
    if step == "finish":
        return _plain(_worker.finish(*args), "named")
    _worker.reset()
    return None


def _own_rows(items: Sequence[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, ArticleWork]]:
    from factdesk.annotations.pipeline.article_cache import decode_part

    return [(i, text, decode_part("own", row, _article(i, text))) for i, text, row in items]


def _article(article_id: str, text: str) -> Article:
    from pathlib import Path

    return Article(article_id, Path(), text, "", "")


# -- a helper for one very long article --------------------------------------------------------------------------


def _ignoring_ctrl_c(start: Callable[[], None]) -> None:
    """``start`` a process born ignoring ``ctrl+c`` (an ignored signal stays ignored across exec, so not even a
    process still starting up can be interrupted into a traceback: the caller stops it)."""
    main = threading.current_thread() is threading.main_thread()  # only the main thread may set handlers
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        start()
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def _help(connection: Any, text: str) -> None:
    """The helper process: the article's dates and numbers, sent back as plain rows (the cache's)."""
    from factdesk.annotations.pipeline.cache import _number_out

    _start()
    dates, numbers = per_article.dates_and_numbers(text)
    connection.send(([[e.start, e.end, e.label] for e in dates], [_number_out(n) for n in numbers]))
    connection.close()


class DatesHelper:
    """One spawned process reading a very long article's dates and numbers (``per_article.dates_and_numbers``)
    while this one segments and tokenises it: the two need nothing of each other, and they are a tenth of the
    article's analysis. Its results come back as the cache's plain rows, checked as an entry is; a helper that dies
    is a :class:`WorkerFailed` (its end of the pipe closes), never a hang; ``close`` ends it whatever happened."""

    def __init__(self, text: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.text = text
        self.connection, theirs = context.Pipe(duplex=False)
        self.process = context.Process(target=_help, args=(theirs, text), daemon=True)
        try:
            _ignoring_ctrl_c(self.process.start)
        finally:
            theirs.close()  # the helper holds the only writing end: its death is an end of file here

    def result(self) -> per_article.Found:
        """The dates and numbers (waits for them); the helper is ended either way."""
        from factdesk.annotations.pipeline.cache import _entities_in, _numbers_in

        try:
            dates, numbers = self.connection.recv()
        except (EOFError, OSError) as error:
            self.process.join(5)
            code = self.process.exitcode
            raise WorkerFailed(
                f"an analysis helper process stopped before its work was done (exit code {code}, {error!r})"
            ) from None
        finally:
            self.close()
        return list(_entities_in(dates, self.text)), list(_numbers_in(numbers, self.text))

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


# -- the caller's side -------------------------------------------------------------------------------------------

Done = Callable[[int], None]  # told how many articles a finished task did
Works = dict[str, ArticleWork]


class LocalRunner:
    """The steps in this process (``--jobs 1``, and few articles to analyse). Each step fills ``works``.

    ``helpers``: whether an article of :data:`HELPER_MIN_CHARS` or more has its dates and numbers read by a
    :class:`DatesHelper` (more than one process allowed).
    """

    def __init__(self, helpers: bool = False) -> None:
        self.state = State()
        self.helpers = helpers

    def prepare(self, articles: Sequence[Article], done: Done, works: Works) -> None:
        for article in articles:
            if self.helpers and len(article.text) >= HELPER_MIN_CHARS:
                helper = DatesHelper(article.text)
                try:
                    works.update(self.state.prepare([(article.id, article.text)], helper.result))
                finally:
                    helper.close()
            else:
                works.update(self.state.prepare([(article.id, article.text)]))
            done(1)

    def retokenise(self, articles: Sequence[Article], done: Done, works: Works) -> None:
        for article in articles:
            self.state.retokenise([(article.id, article.text, works[article.id])])
            done(1)

    def tables(self, tables: CorpusTables) -> None:
        self.state.tables = tables

    def tag(self, ids: Sequence[str], done: Done, works: Works) -> None:
        for article_id in ids:
            works.update(self.state.tag([article_id]))
            done(1)

    def finish(self, ids: Sequence[str], done: Done, works: Works) -> None:
        for article_id in ids:
            works.update(self.state.finish([article_id]))
            done(1)

    def close(self) -> None:
        self.state = State()


class PoolRunner:
    """The steps over ``jobs`` processes — this one and ``jobs - 1`` workers (one process's start-up, about a
    second, saved). An article's tokens stay in the process that made them from step to step; the work is balanced
    twice: while the workers start up, this process prepares the articles they have not begun, and before tagging
    (the costliest step) articles move so every process tags as many, the receiver tokenising them again."""

    def __init__(self, jobs: int, articles: dict[str, Article], local: LocalRunner | None = None) -> None:
        """``local``: a runner whose articles (their tokens) this one takes over, in this process."""
        context = multiprocessing.get_context("spawn")
        self.executors = [
            ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start) for _ in range(jobs - 1)
        ]
        self.articles = articles  # every article this run may send, by id
        self.state = local.state if local is not None else State()  # this process's articles
        # where an article's tokens are: 0 this process, k self.executors[k - 1]
        self.held: dict[str, int] = dict.fromkeys(self.state.docs, 0)
        self._start_workers()

    def _start_workers(self) -> None:
        """Start every worker now, born ignoring ``ctrl+c`` (an ignored signal stays ignored across exec, so not
        even a worker still starting up can be interrupted into a traceback: the caller stops them)."""

        def start() -> None:  # a process executor starts its process on the first task; its end says it is up
            self.up = [executor.submit(_remote, "reset") for executor in self.executors]

        _ignoring_ctrl_c(start)

    def _spread(self, items: Sequence[Any]) -> dict[int, list[Any]]:
        """``items`` dealt to every process in turn."""
        batches: dict[int, list[Any]] = {}
        for position, item in enumerate(items):
            batches.setdefault(position % (1 + len(self.executors)), []).append(item)
        return batches

    def _run(self, step: str, batches: dict[int, list[Any]], done: Done, works: Works, steal: bool = False) -> None:
        """Runs ``step`` over each process's batch in chunks (each item's first field, or the item, its article's
        id) and puts the part of the work the step made into ``works``. With ``steal``, the chunks a worker has not
        begun when this process is done with its own are done here (their tokens then live here)."""
        from factdesk.annotations.pipeline.article_cache import decode_part

        part = {"prepare": "own", "tag": "tagged", "finish": "named"}.get(step, "")
        futures: dict[Future[Any], tuple[int, list[Any]]] = {}

        def collect(future: Future[Any]) -> None:
            for article_id, row in future.result():
                works[article_id] = decode_part(part, row, self.articles[article_id], works.get(article_id))
            done(len(futures.pop(future)[1]))

        def local(chunk: list[Any]) -> None:
            works.update(_local(self.state, step, chunk))
            done(len(chunk))
            for future in [f for f in futures if f.done()]:
                collect(future)

        try:
            for owner, batch in batches.items():
                for start in range(0, len(batch), CHUNK):
                    chunk = batch[start : start + CHUNK]
                    if owner:
                        futures[self.executors[owner - 1].submit(_remote, step, chunk)] = (owner, chunk)
            for start in range(0, len(batches.get(0, [])), CHUNK):
                local(batches[0][start : start + CHUNK])
            if steal:
                for future, (_, chunk) in reversed(list(futures.items())):
                    if future.cancel():  # not begun: the worker is still starting, or behind
                        del futures[future]
                        for item in chunk:
                            self.held[item[0]] = 0
                        local(chunk)
            for future in as_completed(list(futures)):
                collect(future)
        except BrokenProcessPool as error:
            raise WorkerFailed(f"an analysis worker process stopped before its work was done ({error})") from None

    def prepare(self, articles: Sequence[Article], done: Done, works: Works) -> None:
        batches = self._spread([(a.id, a.text) for a in articles])
        for owner, batch in batches.items():
            self.held.update((article_id, owner) for article_id, _ in batch)
        self._run("prepare", batches, done, works, steal=True)

    def retokenise(self, articles: Sequence[Article], done: Done, works: Works) -> None:
        from factdesk.annotations.pipeline.article_cache import encode

        batches = self._spread(articles)
        for owner, batch in batches.items():
            self.held.update((a.id, owner) for a in batch)
        rows = {
            owner: [(a.id, a.text, works[a.id] if owner == 0 else encode(works[a.id], "own")) for a in batch]
            for owner, batch in batches.items()
        }
        self._run("retokenise", rows, done, works)

    def tables(self, tables: CorpusTables) -> None:
        self.state.tables = tables
        labels = (tables.labels, tables.trusted, tables.first) if tables.labels or tables.first else None
        args = (dict(tables.casing.counts), dict(tables.casing.pairs), labels)
        try:
            for future in [executor.submit(_remote, "tables", *args) for executor in self.executors]:
                future.result()
        except BrokenProcessPool as error:
            raise WorkerFailed(f"an analysis worker process stopped before its work was done ({error})") from None

    def tag(self, ids: Sequence[str], done: Done, works: Works) -> None:
        from factdesk.annotations.pipeline.article_cache import encode

        processes = 1 + len(self.executors)
        batches: dict[int, list[str]] = {owner: [] for owner in range(processes)}
        for article_id in ids:
            batches[self.held[article_id]].append(article_id)
        # the processes that can take articles: this one, and the workers that are up (one still starting would
        # keep the others waiting)
        able = [0, *(k + 1 for k, up in enumerate(self.up) if up.done())]
        share = -(-len(ids) // len(able))  # as many articles for each able process, rounded up
        spare = [
            article_id for owner, batch in batches.items() for article_id in batch[share if owner in able else 0 :]
        ]
        items: dict[int, list[Any]] = {owner: batch[:share] for owner, batch in batches.items() if owner in able}
        for owner in able:
            while len(items[owner]) < share and spare:
                article_id = spare.pop()
                self.held[article_id] = owner
                work = works[article_id] if owner == 0 else encode(works[article_id], "own")
                items[owner].append((article_id, self.articles[article_id].text, work))
        self._run("tag", items, done, works)

    def finish(self, ids: Sequence[str], done: Done, works: Works) -> None:
        batches: dict[int, list[str]] = {}
        for article_id in ids:
            batches.setdefault(self.held[article_id], []).append(article_id)
        self._run("finish", batches, done, works)

    def close(self) -> None:
        for executor in self.executors:
            executor.shutdown(wait=True, cancel_futures=True)
        self.state = State()


def _local(state: State, step: str, chunk: list[Any]) -> list[tuple[str, ArticleWork]]:
    """A step's chunk in this process (the same functions as a worker's, no copying)."""
    if step == "prepare":
        return state.prepare(chunk)
    if step == "retokenise":
        state.retokenise(chunk)
        return []
    if step == "tag":  # an article a worker prepared comes with its work, to tokenise here
        state.retokenise([item for item in chunk if type(item) is not str])
        return state.tag([item if type(item) is str else item[0] for item in chunk])
    return state.finish(chunk)


Runner = LocalRunner | PoolRunner
