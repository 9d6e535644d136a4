#!/usr/bin/env python3
"""Peak resident memory of a first analysis of 500 articles: ``factdesk analyze`` and the reader.

    NLTK_DATA=../shared/nltk_data python bench/memory.py [--articles 500] [--runs 1] [--no-reader]

The corpus is ``bench/analysis_speed.py``'s (IE-ER newswire and the seeds, cycled), written to files, each run with
an empty cache of its own (the whole analysis, not a reopening):

* ``analyze --jobs 1`` and ``--jobs 2``: the peak RSS of the largest process (``wait4``'s rusage: the analysis
  process or one of its workers), as GNU time's ``%M`` reports it;
* the reader (in tmux, 160x48): the peak RSS (VmHWM) of its process once the analysis is on screen (the pane
  header's "/ N claims"), which is the peak while it analysed.

Memory is not disturbed by the machine's load, so one run says it; the median is printed when there are more.
Target (issue 15, 500 articles): ≤ 300 MB for each.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_speed import build_corpus

SESSION = f"factdesk-memory-{os.getpid()}"
ANALYSED = re.compile(r"/ \d+ claims")


def write_corpus(count: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, article in enumerate(build_corpus(count).articles):
        (folder / f"article-{number:04d}.txt").write_text(article.text, encoding="utf-8")
    return folder


def analyze_peak(corpus: Path, cache: Path, jobs: int) -> float:
    """Peak RSS (MB) of the largest process of one ``factdesk analyze`` with an empty cache."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    command = [sys.executable, "-m", "factdesk", "analyze", str(corpus), "--jobs", str(jobs)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise SystemExit(f"factdesk analyze failed: {child.stderr.read().decode() if child.stderr else status}")
    return usage.ru_maxrss / 1024


def _hwm(pid: int) -> float:
    """The largest VmHWM (MB) among ``pid`` and its descendants."""
    pids, peak = [str(pid)], 0.0
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            pids += Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peak = max(peak, int(found.group(1)) / 1024)
    return peak


def reader_peak(corpus: Path, work: Path, run: int, timeout: float = 120.0) -> float:
    """Peak RSS (MB) of the reader once its first analysis of ``corpus`` (empty cache) is on screen."""
    # (tmux starts the command in its server's environment, not this one: PYTHONPATH, to measure another copy of
    # the code, is passed on)
    path = f"PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])} " if os.environ.get("PYTHONPATH") else ""
    command = (
        f"env {path}XDG_CACHE_HOME={work / f'reader-cache-{run}'} TERM=xterm-256color "
        f"{sys.executable} -m factdesk {corpus} --db {work / f'reader-{run}.json'} --reviewer bench; sleep 60"
    )
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "160", "-y", "48", command], check=True)
    try:
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True, check=False
            ).stdout
            if ANALYSED.search(screen):
                pane = subprocess.run(
                    ["tmux", "list-panes", "-t", SESSION, "-F", "#{pane_pid}"], capture_output=True, text=True
                ).stdout.split()
                return max((_hwm(int(pid)) for pid in pane), default=float("nan"))
            time.sleep(0.05)
        return float("nan")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-reader", action="store_true", help="only the CLI (no tmux needed)")
    args = parser.parse_args()
    reader = not args.no_reader
    if reader and not shutil.which("tmux"):
        raise SystemExit("the reader's figure needs tmux (or pass --no-reader)")
    with tempfile.TemporaryDirectory(prefix="factdesk-memory-", ignore_cleanup_errors=True) as folder:
        work = Path(folder)
        corpus = write_corpus(args.articles, work / "corpus")
        figures: dict[str, list[float]] = {"analyze --jobs 1": [], "analyze --jobs 2": [], "reader": []}
        for run in range(args.runs):
            for jobs in (1, 2):
                figures[f"analyze --jobs {jobs}"].append(analyze_peak(corpus, work / f"cache-{jobs}-{run}", jobs))
            if reader:
                figures["reader"].append(reader_peak(corpus, work, run))
        print(f"{args.articles} articles, empty cache, {args.runs} run(s); peak RSS (target ≤ 300 MB):")
        for name, values in figures.items():
            if values:
                print(f"  {name:18} {statistics.median(values):6.0f} MB  (max {max(values):.0f})")


if __name__ == "__main__":
    main()
