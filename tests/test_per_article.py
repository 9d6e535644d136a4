"""The analysis per article: cached by (content hash, analysis version), corpus passes over the results.

Holds the split to the whole-corpus recogniser (the same entities, exactly), the cache to its promises (adding one
article analyses that article once; a damaged entry is recomputed, never an error), and the CLI's ``--jobs``,
``--article`` and progress to theirs.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from factdesk.annotations.model import Article
from factdesk.annotations.ner.entities import recognize_corpus
from factdesk.annotations.pipeline import article_cache, per_article
from factdesk.annotations.pipeline.analysis import analyze, to_json
from factdesk.annotations.pipeline.articles import article_works
from factdesk.annotations.pipeline.cache import cache_file
from factdesk.annotations.pipeline.workers import PoolRunner, WorkerFailed, _remote
from factdesk.annotations.text.corpus import article_id, load_corpus
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.segment import segment

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


# Three articles that read each other: the first writes the envoy's name and the town only in a shouted heading (its
# truecasing asks the corpus's casing table), and names "Qadri" alone once (the corpus's votes make it a PERSON).
COUPLED = [
    "MARWAN QADRI SEES TALKS AT TARSALA\n\nTalks resumed on Monday. Qadri said the aid convoy would reach the valley. "
    "Residents welcomed the news.\n",
    "Aid reaches valley\n\nMarwan Qadri, the regional envoy, said on Tuesday that talks in Tarsala went well. "
    "Marwan Qadri met elders in Tarsala. Residents said 40 trucks arrived.\n",
    "Envoy upbeat\n\nThe envoy Marwan Qadri told reporters in Tarsala that 40 trucks had arrived. "
    "Qadri thanked the donors.\n",
]


def _coupled() -> list[Article]:
    return [Article(article_id(t), Path(f"coupled-{i}.txt"), t, f"c{i}", f"outlet {i}") for i, t in enumerate(COUPLED)]


def _dispatches(folder: Path, count: int) -> Path:
    """``count`` articles: the seeds in turn, each under its own first line (so each has its own content hash)."""
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for number in range(count):
        text = f"Dispatch {number + 1}\n" + texts[number % len(texts)]
        (folder / f"dispatch-{number:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(per_article, name)

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(per_article, name, counted)
    return calls


def test_per_article_entities_are_those_of_the_whole_corpus_recogniser(tmp_path: Path) -> None:
    """The corpus's casing table and its consistency pass reach every article exactly as in one corpus-wide run
    (an article given twice counting twice, as it does there)."""
    loaded = load_corpus([*sorted(SEEDS.glob("*.txt")), _dispatches(tmp_path / "more", 3)]).articles
    articles = [*loaded, *_coupled(), loaded[1]]  # load_corpus drops a copy, analyze_articles may be given one
    texts = [a.text for a in articles]
    sentences = [segment(text) for text in texts]
    expected = recognize_corpus(texts, sentences, [find_dates(text) for text in texts])
    works = article_works(articles, use_cache=False)
    assert [list(w.entities) for w in works] == expected
    assert [list(w.sentences) for w in works] == sentences


def test_adding_one_article_runs_the_per_article_step_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _dispatches(tmp_path / "corpus", 6)
    added = folder / "dispatch-005.txt"
    text = added.read_text(encoding="utf-8")
    added.unlink()
    analyze(load_corpus([folder]))
    added.write_text(text, encoding="utf-8")
    prepared = _count_calls(monkeypatch, "prepare")
    grown = load_corpus([folder])
    result = to_json(analyze(grown))
    assert len(prepared) == 1  # the new article alone; the other five come from their entries
    assert result == to_json(analyze(grown, use_cache=False))


def test_adding_one_article_reads_the_figures_of_that_article_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article's figure records read nothing of the corpus but the story's year: a cached article's come from
    its entry, so one added article costs its own records, not the corpus's."""
    from factdesk.annotations.compare import figures

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _dispatches(tmp_path / "corpus", 6)
    added = folder / "dispatch-005.txt"
    text = added.read_text(encoding="utf-8")
    added.unlink()
    analyze(load_corpus([folder]))
    added.write_text(text, encoding="utf-8")
    asked: list[str] = []
    original = figures.records_in

    def counted(analysis: Any, *args: Any) -> Any:
        asked.append(analysis.article.id)
        return original(analysis, *args)

    monkeypatch.setattr(figures, "records_in", counted)
    grown = load_corpus([folder])
    result = to_json(analyze(grown))
    assert asked and set(asked) == {article_id(text)}
    monkeypatch.undo()
    assert result == to_json(analyze(grown, use_cache=False))


def test_cached_figures_follow_the_story_year_and_the_outlet(tmp_path: Path) -> None:
    """An undated article's figures are read in the story's year (a figure of another year is scoped to it): when
    the corpus's dates change that year, or the article's outlet changes with its file name, they are read again."""
    text = (
        "Quake toll\n\nOfficials said 40 people were killed in the quake on 5 March 2019, according to the ministry.\n"
    )
    undated = Article(article_id(text), Path("a.txt"), text, "t", "outlet a")
    other = "Storm\n\nThe storm killed 12 people in Derna, officials said.\n"
    dated = Article(article_id(other), Path("b.txt"), other, "t", "outlet b", date="2024-03-01")
    (alone,) = article_works([undated], use_cache=True, folder=tmp_path)
    assert [r.scope for r in alone.figures or ()] == [""]
    together = article_works([undated, dated], use_cache=True, folder=tmp_path)
    assert [r.scope for r in together[0].figures or ()] == ["(2019)"]
    assert together == article_works([undated, dated], use_cache=False)
    renamed = Article(undated.id, Path("c.txt"), text, "t", "outlet c")
    (moved,) = article_works([renamed], use_cache=True, folder=tmp_path)
    assert [(r.scope, r.outlet) for r in moved.figures or ()] == [("", "outlet c")]
    assert [moved] == article_works([renamed], use_cache=False)


def test_a_reopen_reads_no_figures_again_unless_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus's entry carries the figure records with what they were read with (dates, outlets, order): a reopen
    reads none again; a renamed file (its outlet is its file name) or another order reads them again, exactly."""
    from factdesk.annotations.compare import figures

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _dispatches(tmp_path / "corpus", 4)
    first = to_json(analyze(load_corpus([folder])))
    asked: list[str] = []
    original = figures.records_in

    def counted(analysis: Any, *args: Any) -> Any:
        asked.append(analysis.article.id)
        return original(analysis, *args)

    monkeypatch.setattr(figures, "records_in", counted)
    assert to_json(analyze(load_corpus([folder]))) == first
    assert asked == []
    (folder / "dispatch-000.txt").rename(folder / "dispatch-zzz.txt")
    renamed = load_corpus([folder])
    result = to_json(analyze(renamed))
    assert asked  # read again: the first article's outlet is now another file name (and it comes last)
    monkeypatch.undo()
    assert result["figures"] == to_json(analyze(renamed, use_cache=False))["figures"]
    assert {f["outlet"] for f in result["figures"]} != {f["outlet"] for f in first["figures"]}


def test_an_entry_whose_corpus_answers_changed_is_analysed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first article cached alone read no casing and no votes from the others; beside them it must be re-tagged
    (its sentences, dates and numbers still from its entry), and the result is that of a fresh analysis."""
    first, *others = _coupled()
    article_works([first], use_cache=True, folder=tmp_path)
    prepared, tagged = _count_calls(monkeypatch, "prepare"), _count_calls(monkeypatch, "tag")
    together = article_works([first, *others], use_cache=True, folder=tmp_path)
    assert (len(prepared), len(tagged)) == (2, 3)
    monkeypatch.undo()
    assert together == article_works([first, *others], use_cache=False)
    assert [(e.text, e.label) for e in together[0].entities if e.label != "DATE"] == [
        ("MARWAN QADRI", "PERSON"),
        ("TARSALA", "LOC"),
        ("Qadri", "PERSON"),
    ]
    prepared, tagged = _count_calls(monkeypatch, "prepare"), _count_calls(monkeypatch, "tag")
    assert article_works([first, *others], use_cache=True, folder=tmp_path) == together
    assert (prepared, tagged) == ([], [])  # every answer holds: nothing analysed again


def test_an_entry_whose_names_changed_is_finished_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alone, the model reads "Zubair" as a place; beside an article naming Hamid Zubair three times the consistency
    pass makes it that person. The casing answers of the first article still hold, its label answers do not."""
    texts = [
        "Road closed\n\nOn Monday the road was closed on both sides, and later that day Zubair said the road would "
        "stay closed.\n",
        "Commander Hamid Zubair spoke\n\nCommander Hamid Zubair said on Tuesday the army would withdraw. "
        "Hamid Zubair repeated it.\n",
    ]
    first, second = (Article(article_id(t), Path(f"{i}.txt"), t, "t", "s") for i, t in enumerate(texts))
    (alone,) = article_works([first], use_cache=True, folder=tmp_path)
    assert ("Zubair", "LOC") in [(e.text, e.label) for e in alone.entities]
    prepared, tagged = _count_calls(monkeypatch, "prepare"), _count_calls(monkeypatch, "tag")
    together = article_works([first, second], use_cache=True, folder=tmp_path)
    assert (len(prepared), len(tagged)) == (1, 2)  # the new article; the first one's tokens again, to relabel them
    assert ("Zubair", "PERSON") in [(e.text, e.label) for e in together[0].entities]
    monkeypatch.undo()
    assert together == article_works([first, second], use_cache=False)


def test_removing_and_editing_an_article_reuse_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _dispatches(tmp_path / "corpus", 6)
    analyze(load_corpus([folder]))
    (folder / "dispatch-000.txt").unlink()
    expected = to_json(analyze(load_corpus([folder]), use_cache=False))
    prepared = _count_calls(monkeypatch, "prepare")
    assert to_json(analyze(load_corpus([folder]))) == expected
    assert prepared == []  # a removed article: every other one from its entry
    edited = folder / "dispatch-001.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOfficials in Derna said 12 more bodies were found.\n")
    result = to_json(analyze(load_corpus([folder])))
    assert len(prepared) == 1  # the edited article alone
    monkeypatch.undo()
    assert result == to_json(analyze(load_corpus([folder]), use_cache=False))


def test_an_article_entry_survives_a_round_trip_exactly() -> None:
    corpus = load_corpus([SEEDS])
    works = article_works(corpus.articles, use_cache=False)
    for article, work in zip(corpus.articles, works, strict=True):
        data = json.loads(json.dumps(article_cache.encode(work)))
        assert article_cache.decode(data, article) == work


def _flip(raw: bytes, seed: int) -> bytes:
    data = bytearray(raw)
    position = (seed * 7919) % len(data)
    data[position] ^= 1 << (seed % 8)
    return bytes(data)


def test_every_damaged_article_entry_is_no_entry(tmp_path: Path) -> None:
    corpus = load_corpus([SEEDS])
    article = corpus.articles[0]
    (work,) = article_works([article], use_cache=True, folder=tmp_path)
    entry = article_cache.entry_file(article.id, tmp_path)
    good = entry.read_bytes()
    for seed in range(200):
        entry.write_bytes(_flip(good, seed))
        found = article_cache.load(article, tmp_path)  # never an exception
        assert found is None or found == work, seed
    for size in (0, 1, 10, len(good) // 2, len(good) - 1):
        entry.write_bytes(good[:size])
        assert article_cache.load(article, tmp_path) is None, size
    data = json.loads(gzip.decompress(good))
    damages = {
        "a field missing": lambda d: d.pop("votes"),
        "an entity past the text": lambda d: d["entities"].append([0, 10**9, "LOC"]),
        "a label the analysis does not use": lambda d: d["entities"].__setitem__(0, [0, 1, "WEAPON"]),
        "a date that is no DATE": lambda d: d["dates"].__setitem__(0, [d["dates"][0][0], d["dates"][0][1], "LOC"]),
        "a casing answer of a wrong kind": lambda d: d["casing"].append(["e", "word", "x"]),
        "a count that is not a count": lambda d: d["counts"].__setitem__("Derna", -1),
        "a vote that is not finite": lambda d: d["votes"][0].__setitem__(2, "inf"),
        "a first-word answer of a wrong shape": lambda d: d["first"].append(["Derna", [0]]),
        "sentences out of order": lambda d: d["sentences"].reverse(),
        "a figure of a claim that does not exist": lambda d: d["figures"][1][0].__setitem__(0, 10**6),
        "a figure with a bound the analysis does not use": lambda d: d["figures"][1][0].__setitem__(4, "roughly"),
        "a figure end that is not a number": lambda d: d["figures"][1][0].__setitem__(3, "many"),
        "figures without their basis": lambda d: d["figures"].pop(0),
    }
    for name, damage in damages.items():
        damaged = json.loads(json.dumps(data))
        damage(damaged)
        entry.write_bytes(gzip.compress(json.dumps(damaged).encode()))
        assert article_cache.load(article, tmp_path) is None, name


def test_a_damaged_article_entry_is_recomputed_and_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus = load_corpus([SEEDS])
    expected = to_json(analyze(corpus, use_cache=False))
    analyze(corpus)
    cache_file(corpus.articles).unlink()  # the whole corpus's entry gone: the per-article entries answer
    entry = article_cache.entry_file(corpus.articles[2].id)
    entry.write_bytes(_flip(entry.read_bytes(), 3))
    prepared = _count_calls(monkeypatch, "prepare")
    assert to_json(analyze(corpus)) == expected
    assert len(prepared) == 1
    assert article_cache.load(corpus.articles[2]) is not None  # replaced by a sound entry


@pytest.mark.parametrize("use_cache", [False, True])
def test_progress_reports_sane_stages_with_monotone_counts(
    use_cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    corpus = load_corpus([_dispatches(tmp_path / "corpus", 7)])
    calls: list[tuple[str, int, int]] = []
    analyze(corpus, use_cache=use_cache, progress=lambda *call: calls.append(call))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    expected = ["reading articles", "analysing articles"]
    if use_cache:
        expected = ["reading cache", "reading cached articles", *expected]
    assert stages[: len(expected)] == expected
    assert "comparing sources" in stages
    for stage in stages:
        counts = [(done, total) for name, done, total in calls if name == stage]
        assert all(stage == stage.lower() and 0 <= done <= total for done, total in counts)
        assert [done for done, _ in counts] == sorted(done for done, _ in counts), stage
        assert len({total for _, total in counts}) == 1, stage
    assert ("analysing articles", 7, 7) in calls


# -- the command ------------------------------------------------------------------------------------------------


def _cli_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(XDG_CACHE_HOME=str(cache), PYTHONPATH=str(REPO))
    env.pop("CI", None)
    return env


def _analyze_json(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", "analyze", *args], capture_output=True, text=True, env=env, timeout=300
    )


# Both in the slow step (10 s and 50 s): 20 articles run in one process whatever --jobs says, 220 start a worker;
# tests/test_per_article.py::test_two_processes_give_the_work_of_one checks the workers in the fast suite.
@pytest.mark.slow
@pytest.mark.parametrize("count", [20, 220])
def test_jobs_2_gives_the_json_of_jobs_1(count: int, tmp_path: Path) -> None:
    folder = _dispatches(tmp_path / "corpus", count)
    one = _analyze_json([str(folder), "--json", "--jobs", "1"], _cli_env(tmp_path / "cache-1"))
    two = _analyze_json([str(folder), "--json", "--jobs", "2"], _cli_env(tmp_path / "cache-2"))
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert json.loads(two.stdout) == json.loads(one.stdout)
    assert one.stderr == two.stderr == ""  # no progress bar in a pipe


@pytest.mark.slow
def test_two_processes_give_the_work_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factdesk.annotations.pipeline import articles

    corpus = load_corpus([_dispatches(tmp_path / "corpus", 20)])
    pools: list[int] = []

    class CountedPool(PoolRunner):
        def __init__(self, jobs: int, known: dict[str, Any], local: Any = None) -> None:
            pools.append(jobs)
            super().__init__(jobs, known, local)

    monkeypatch.setattr(articles, "PoolRunner", CountedPool)
    monkeypatch.setattr(articles, "MIN_ARTICLES_FOR_WORKERS", 0)  # a worker even for 20 articles
    monkeypatch.setattr(articles, "ARTICLES_PER_PROCESS", 1)
    one = article_works(corpus.articles, use_cache=False, jobs=1)
    assert pools == []
    assert article_works(corpus.articles, use_cache=False, jobs=2) == one
    assert pools == [2]  # a worker process did part of the articles
    # the map step's entries (each article cached alone) re-tagged in the reduce: with workers too
    for article in corpus.articles:
        article_works([article], use_cache=True, folder=tmp_path / "cache")
    assert article_works(corpus.articles, use_cache=True, jobs=2, folder=tmp_path / "cache") == one
    assert pools == [2, 2]


@pytest.mark.parametrize("jobs", ["0", "two", "-1"])
def test_a_bad_job_count_is_one_line(jobs: str, tmp_path: Path) -> None:
    run = _analyze_json(["--jobs", jobs], _cli_env(tmp_path / "cache"))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "--jobs" in run.stderr


def test_article_fills_the_cache_that_analyze_then_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factdesk.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = _dispatches(tmp_path / "corpus", 4)
    for path in sorted(folder.glob("*.txt")):  # as GNU parallel or a Slurm array would, one file per run
        assert main(["analyze", "--article", str(path), "--jobs", "1"]) == 0
    assert all(article_cache.entry_file(a.id).exists() for a in load_corpus([folder]).articles)
    prepared = _count_calls(monkeypatch, "prepare")
    result = to_json(analyze(load_corpus([folder])))
    assert prepared == []  # every article's own step came from the cache
    assert result == to_json(analyze(load_corpus([folder]), use_cache=False))


def test_article_refuses_paths_beside_it(tmp_path: Path) -> None:
    run = _analyze_json(["--article", str(sorted(SEEDS.glob("*.txt"))[0]), str(SEEDS)], _cli_env(tmp_path / "cache"))
    assert run.returncode == 1 and run.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["analyze --jobs 1 --json", "export --format json --db {db}"])
def test_progress_is_drawn_on_a_terminal(command: str, tmp_path: Path) -> None:
    from tests.test_terminal import Terminal

    folder = _dispatches(tmp_path / "corpus", 12)
    env = _cli_env(tmp_path / "cache")
    env.update(TERM="xterm-256color")
    out = tmp_path / "out.json"
    name, *options = command.format(db=tmp_path / "marks.json").split()
    line = f'"{sys.executable}" -m factdesk {name} "{folder}" {" ".join(options)} > "{out}"'  # stdout to a file
    term = Terminal(["sh", "-c", line], env)
    try:
        term.expect(r"(reading|analysing) articles")
        assert term.process.wait(120) == 0
    finally:
        term.close()
    assert json.loads(out.read_text())


def test_export_draws_no_progress_in_a_pipe(tmp_path: Path) -> None:
    folder = _dispatches(tmp_path / "corpus", 12)
    command = [sys.executable, "-m", "factdesk", "export", str(folder), "--db", str(tmp_path / "marks.json")]
    run = subprocess.run(command, capture_output=True, text=True, env=_cli_env(tmp_path / "cache"), timeout=300)
    assert run.returncode == 0 and run.stdout
    assert run.stderr == ""


def test_ctrl_c_during_a_parallel_analysis_ends_quietly(tmp_path: Path) -> None:
    """The terminal sends ctrl+c to every process of the command: the workers leave it to the analysis process,
    which stops them and exits 130, without a traceback from any of them."""
    from tests.test_terminal import Terminal

    folder = _dispatches(tmp_path / "corpus", 220)  # enough for a worker process
    env = _cli_env(tmp_path / "cache")
    env.update(TERM="xterm-256color")
    term = Terminal([sys.executable, "-m", "factdesk", "analyze", str(folder), "--jobs", "2"], env)
    try:
        term.expect(r"reading articles")
        term.read(0.3)
        os.killpg(term.process.pid, signal.SIGINT)
        assert term.process.wait(30) == 130
        term.read(1.0)
    finally:
        term.close()
    assert "Traceback" not in term.text() and "KeyboardInterrupt" not in term.text()


def test_a_worker_that_dies_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    corpus = load_corpus([SEEDS])
    runner = PoolRunner(2, {a.id: a for a in corpus.articles})
    try:
        runner.executors[0].submit(_remote, "reset").result(timeout=120)
        for pid in list(runner.executors[0]._processes):  # the worker is killed, as the OOM killer would
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60  # (under load the pool may take a while to see its worker gone)
        while not runner.executors[0]._broken and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(WorkerFailed, match="worker process stopped"):
            runner.prepare(corpus.articles, lambda _: None, {})
    finally:
        runner.close()


def test_article_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    run = _analyze_json(["--article", str(tmp_path / "nowhere.txt")], _cli_env(tmp_path / "cache"))
    assert run.returncode == 1 and "Traceback" not in run.stderr


def test_the_default_job_count_is_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from factdesk.annotations.pipeline.articles import default_jobs

    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1, 2, 3})
    assert default_jobs() == 4
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {5})
    assert default_jobs() == 1
