#!/usr/bin/env python3
"""The analysis per article on 500 articles: full, reopened, and after one article is added, edited or removed.

    NLTK_DATA=../shared/nltk_data python bench/incremental.py [--articles 500] [--runs 3] [--baseline DIR]
        [--only SUBSTRING]

``--baseline DIR``: a copy of another version laid out as installed (e.g. ``.ci/package_view.py``'s mapping of an
older checkout, or this script's frozen copy kept from an earlier run) is timed too, interleaved run by run with
this tree's (or ``--code DIR``'s), each with its own caches. ``--only``: the scenarios whose name contains it.

The corpus is ``bench/analysis_speed.py``'s (IE-ER newswire and the seeds, cycled under numbered first lines),
written to files. Every figure is the wall time of a fresh ``factdesk analyze FILES...`` process (start-up and
reading the files included: what a user waits for until the analysis is complete), with its own cache folder
laid out beforehand as the scenario needs:

* full, ``--jobs 1`` and ``--jobs 2``: an empty cache;
* reopen: the cache of this very corpus;
* one added article: the cache of the corpus without its last article;
* one edited article: the cache of the corpus, one article's text changed;
* one removed article: the cache of the corpus, its first article left out.

The runs import a copy of the code taken at the start (the analysis version hashes the code: an edit in the
tree meanwhile would turn every cached scenario into a full analysis). Scenarios are interleaved run by run (a
shared machine drifts); medians and ranges are printed, with the peak RSS of the largest process (``wait4``'s
rusage: the analysis process or one of its workers). Targets (issue 15, 500 articles, 2 cores): full ≤ 10 s, one
added article ≤ 1 s, RSS ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_speed import build_corpus
from machine import describe

REPO = Path(__file__).resolve().parent.parent


def frozen_code(target: Path) -> Path:
    """A copy of the package as installed (``.ci/package_view.py``'s mapping), for the runs to import.

    Why: the analysis version hashes the code, and the shared tree changes under a long benchmark; a cache built
    by one version would miss for the next, and a reopen would time a full analysis.
    """
    sys.path.insert(0, str(REPO / ".ci"))
    from package_view import mapped_folders

    for package, folder in mapped_folders().items():
        destination = target.joinpath(*package.split("."))
        destination.mkdir(parents=True, exist_ok=True)
        for file in folder.iterdir():
            if file.is_file() and not file.name.endswith(".pyc"):
                shutil.copy2(file, destination / file.name)
    return target


CODE = REPO  # replaced by a frozen copy in main()


def run(paths: list[Path], cache: Path, jobs: int, code: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one ``factdesk analyze`` over ``paths`` with ``cache`` as its cache."""
    code = code or CODE
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONPATH=str(code))
    env.pop("CI", None)
    command = [sys.executable, "-m", "factdesk", "analyze", *map(str, paths), "--jobs", str(jobs)]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status:
        sys.exit(f"factdesk analyze failed: {child.stderr.read().decode()[-400:] if child.stderr else status}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another version's code (laid out as installed), interleaved")
    parser.add_argument("--only", default="", help="only the scenarios whose name contains this")
    parser.add_argument("--code", type=Path, help="time this copy of the code (laid out as installed), not the tree")
    args = parser.parse_args()
    global CODE
    work = Path(tempfile.mkdtemp(prefix="factdesk-incremental-"))
    try:
        CODE = args.code.resolve() if args.code else frozen_code(work / "code")
        corpus = build_corpus(args.articles)
        folder, edited = work / "corpus", work / "edited"
        folder.mkdir()
        edited.mkdir()
        paths = []
        for article in corpus.articles:
            path = folder / article.path.name
            path.write_text(article.text, encoding="utf-8")
            paths.append(path)
        middle = paths[len(paths) // 2]
        changed = edited / middle.name
        changed.write_text(middle.read_text(encoding="utf-8") + "\nOfficials said 12 more people were found.\n")
        with_edit = [changed if p == middle else p for p in paths]

        # the caches the scenarios start from, built once per version
        codes = {"": CODE} if args.baseline is None else {"": CODE, " [baseline]": args.baseline.resolve()}
        starts: dict[str, tuple[Path, Path]] = {}
        for label, code in codes.items():
            whole, without_last = work / f"cache-whole{len(starts)}", work / f"cache-without-last{len(starts)}"
            run(paths, whole, 2, code)
            run(paths[:-1], without_last, 2, code)
            starts[label] = whole, without_last

        def fresh_copy(source: Path | None) -> Path:
            target = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
            shutil.rmtree(target)
            if source is None:
                target.mkdir()
            else:
                shutil.copytree(source, target)
            return target

        scenarios: dict[str, tuple[list[Path], Path | None, int, Path]] = {}
        for label, (whole, without_last) in starts.items():
            code = codes[label]
            for name, scenario in {
                "full analysis, no cache, --jobs 1": (paths, None, 1, code),
                "full analysis, no cache, --jobs 2": (paths, None, 2, code),
                "reopen (cached)": (paths, whole, 2, code),
                "one added article": (paths, without_last, 2, code),
                "one edited article": (with_edit, whole, 2, code),
                "one removed article": (paths[1:], whole, 2, code),
            }.items():
                if args.only in name:
                    scenarios[name + label] = scenario
        scenarios = dict(sorted(scenarios.items()))  # each version's run of a scenario next to the other's
        walls: dict[str, list[float]] = {name: [] for name in scenarios}
        rss: dict[str, list[float]] = {name: [] for name in scenarios}
        for _ in range(args.runs):
            for name, (files, source, jobs, code) in scenarios.items():
                cache = fresh_copy(source)
                wall, peak = run(files, cache, jobs, code)
                shutil.rmtree(cache)
                walls[name].append(wall)
                rss[name].append(peak)
        print(f"{describe()}; {len(paths)} articles, {sum(len(a.text) for a in corpus.articles):,} characters")
        print(f"wall seconds of a fresh 'factdesk analyze' to a complete analysis, median of {args.runs} (range):")
        for name in scenarios:
            values = walls[name]
            print(
                f"  {name:48} {statistics.median(values):6.2f} s  ({min(values):.2f}–{max(values):.2f})"
                f"  peak RSS {max(rss[name]):4.0f} MB"
            )
        print("targets: full ≤ 10 s, one added article ≤ 1 s, RSS ≤ 300 MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
