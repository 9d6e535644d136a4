#!/usr/bin/env python3
"""Time from launch to the article text on screen, against a bare Textual app, in one interleaved run.

    NLTK_DATA=../shared/nltk_data python bench/first_text.py [--runs 5] [--size 160x48] [--articles 500]

The floor is ``../shared/tools/floor_app.py`` (two files in plain Textual ``Static`` widgets, no analysis),
timed exactly as ``../shared/tools/first_paint.py`` does: a fresh tmux session per launch, the screen captured
every 5 ms until a pattern from the first article's text is on it, a warm-up launch of each command, then each once per
round (interleaved, so the machine's drift hits all alike), medians with the range and the ratio to the floor.

Commands, on the seeds and on a corpus of ``--articles`` (IE-ER newswire cycled with the seeds, as
``bench/analysis_speed.py`` builds it):

* ``floor``: the bare app on the corpus' first two files;
* ``warm``: factdesk with its analysis cache filled (by one ``factdesk analyze`` before timing);
* ``cold``: factdesk with an empty cache each launch (the text must come first, the analysis after).

Python's bytecode cache is warm for every command (the warm-up launches fill it), as for an installed app: with
``PYTHONDONTWRITEBYTECODE=1`` (set on the development machine) and factdesk's source tree (an editable install has
no ``__pycache__``), every factdesk launch compiled its own ~300 KB of source again (about 45 ms) while Textual's
came precompiled from site-packages, which no user pays. Each launch reads and writes bytecode in a private folder
(``PYTHONPYCACHEPREFIX``), floor and factdesk alike; ``--no-bytecode-cache`` measures the compiling launch instead.

Each factdesk launch gets a new database. Then, for the cold launches, the time until the analysis is on screen
too (the pane header's "/ N claims"): the whole first open, text and analysis, and the reader's peak resident
memory at that moment (VmHWM of its processes). Needs tmux.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis_speed import build_corpus
from first_frame_cost import bytecode_environment
from machine import describe

REPO = Path(__file__).resolve().parent.parent
FLOOR_APP = REPO.parent / "shared" / "tools" / "floor_app.py"
SESSION = f"factdesk-first-text-{os.getpid()}"  # its own: several runs may share the tmux server
ANALYSED = re.compile(r"/ \d+ claims")


def peak_rss_mb() -> float:
    """The largest peak resident set (VmHWM) among the processes running in the tmux session, in MB."""
    panes = subprocess.run(
        ["tmux", "list-panes", "-t", SESSION, "-F", "#{pane_pid}"], capture_output=True, text=True, check=False
    ).stdout.split()
    pids, peak = list(panes), 0.0
    while pids:
        pid = pids.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        pids += children
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peak = max(peak, int(found.group(1)) / 1024)
    return peak


def once(
    command: str, pattern: re.Pattern[str], size: str, timeout: float = 60.0, memory: list[float] | None = None
) -> float:
    """Seconds from starting ``command`` in a new tmux session until ``pattern`` is on its screen (first_paint.py);
    with ``memory``, the peak RSS of its processes at that moment is appended to it."""
    cols, rows = size.split("x")
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
    began = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", SESSION, "-x", cols, "-y", rows,
         f"env TERM=xterm-256color COLORTERM=truecolor {command}; sleep 60"],
        check=True,
    )  # fmt: skip
    while True:
        screen = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True, check=False
        ).stdout
        if pattern.search(screen):
            elapsed = time.perf_counter() - began
            if memory is not None:
                memory.append(peak_rss_mb())
            break
        if time.perf_counter() - began > timeout:
            elapsed = float("nan")
            break
        time.sleep(0.005)
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
    time.sleep(0.3)
    return elapsed


def first_words(path: Path) -> re.Pattern[str]:
    """A pattern for the start of the file's first line of text (both apps show it near the top, unwrapped)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 3:
            return re.compile(r"\s+".join(re.escape(word) for word in words[:3]))
    raise SystemExit(f"no text line in {path}")


def write_corpus(count: int, folder: Path) -> list[Path]:
    corpus = build_corpus(count)
    paths = []
    for number, article in enumerate(corpus.articles):
        path = folder / f"article-{number:04d}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


def measure(name: str, files: list[Path], work: Path, runs: int, size: str, bytecode: dict[str, str]) -> None:
    factdesk = shutil.which("factdesk") or f"{sys.executable} -m factdesk"
    python = sys.executable
    launcher = "env " + " ".join(f"{key}={shlex.quote(value)}" for key, value in bytecode.items())
    corpus = shlex.quote(str(files[0].parent))
    warm_cache = work / f"{name}-warm-cache"
    subprocess.run(
        [*shlex.split(factdesk), "analyze", str(files[0].parent)],
        env={**os.environ, **bytecode, "XDG_CACHE_HOME": str(warm_cache)},
        capture_output=True,
        check=True,
    )
    counter = iter(range(10_000))

    def fresh(kind: str) -> str:
        return shlex.quote(str(work / f"{name}-{kind}-{next(counter)}"))

    pattern = first_words(files[0])
    floor = f"{python} {shlex.quote(str(FLOOR_APP))} {shlex.quote(str(files[0]))} {shlex.quote(str(files[1]))}"
    commands = {
        "floor": lambda: f"{launcher} {floor}",
        "warm": lambda: (
            f"{launcher} XDG_CACHE_HOME={shlex.quote(str(warm_cache))} {factdesk} {corpus} "
            f"--db {fresh('db')}.json --reviewer bench"
        ),
        "cold": lambda: (
            f"{launcher} XDG_CACHE_HOME={fresh('cache')} {factdesk} {corpus} --db {fresh('db')}.json --reviewer bench"
        ),
    }
    for command in commands.values():  # warm-up: page cache, bytecode (each command's modules)
        once(command(), pattern, size)
    times: dict[str, list[float]] = {kind: [] for kind in commands}
    analysed: list[float] = []
    memory: list[float] = []
    for _ in range(runs):
        for kind, command in commands.items():
            times[kind].append(once(command(), pattern, size))
        analysed.append(once(commands["cold"](), ANALYSED, size, memory=memory))
    base = statistics.median(times["floor"])
    mode = "bytecode cached" if bytecode.get("PYTHONPYCACHEPREFIX") else "no bytecode cache (every module compiled)"
    print(
        f"{name}: {len(files)} articles, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB; {runs} rounds, {size}, "
        f"{mode}, load {os.getloadavg()[0]:.2f}"
    )
    for kind, values in times.items():
        middle = statistics.median(values)
        print(
            f"  first text {kind:5}  {middle:6.3f} s  (min {min(values):.3f}, max {max(values):.3f})  "
            f"×{middle / base:4.2f} the floor"
        )
    middle = statistics.median(analysed)
    print(f"  analysis on screen, cold  {middle:6.3f} s  (min {min(analysed):.3f}, max {max(analysed):.3f})")
    print(f"  peak RSS of the reader with its analysis  {statistics.median(memory):.0f} MB (max {max(memory):.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--articles", type=int, default=500, help="the large corpus (0: the seeds only)")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="every launch compiles its modules (PYTHONDONTWRITEBYTECODE=1)"
    )
    args = parser.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("needs tmux")
    with tempfile.TemporaryDirectory(prefix="factdesk-first-text-") as temp:
        work = Path(temp)
        bytecode = bytecode_environment(work, cached=not args.no_bytecode_cache)
        measure("seeds", sorted((REPO / "seeds").glob("*.txt")), work, args.runs, args.size, bytecode)
        if args.articles:
            folder = work / "corpus"
            folder.mkdir()
            corpus = write_corpus(args.articles, folder)
            measure(f"{args.articles} articles", corpus, work, args.runs, args.size, bytecode)
    print(describe())


if __name__ == "__main__":
    main()
