#!/usr/bin/env python3
"""Time ``factdesk analyze --json`` on hostile articles, each case in its own process.

    python bench/pathological.py [--cases NAME ...] [--timeout 300] [--max-rss-gb 4] [--list]

Why: every analysis step must be near-linear in its input. An article that repeats
one sentence 20,000 times (780 KB) once took over 300 s and 22.9 GB because figure
conflicts built every pair of figures sharing a name, including the pairs inside the
one article; a 222 KB run-on sentence took 16.8 s because the time frames rescanned the
sentence before every date. Each case here is such an input: a folder holding the
hostile article (plus one seed article, so that there is something to compare with),
analysed by the ``factdesk`` command in a fresh process with a fresh analysis cache.

For each case the wall time, the CPU time and the peak resident memory of that process are
printed (read with ``os.wait4``, so the figures are the child's own). A case that passes
``--timeout`` seconds or ``--max-rss-gb`` of memory is killed and reported as such,
so a regression cannot take the machine down. The budget the issue sets: the 780 KB
case in at most 30 s and 1 GB.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_b2a9280c56cfe527.txt"
REPEATED = "Homs, 1,200 people, Assad, December 9. "


def _repeat(count: int) -> Callable[[], list[str]]:
    return lambda: [REPEATED * count]


def _run_on() -> list[str]:
    """One 222 KB sentence: figures, names and dates joined by commas, no full stop until the end."""
    unit = "in Homs 1,200 people fled on December 9, Assad said, "
    return ["Rebels advanced " + unit * (222_000 // len(unit)) + "and then it ended."]


def _name(i: int) -> str:
    return "".join(chr(ord("a") + (i // 26**k) % 26) for k in range(3)).capitalize()


def _names() -> list[str]:
    """3,000 distinct names, each in a sentence with a figure (the alias grouping and the name keys)."""
    return [" ".join(f"General Mal{_name(i)} said {100 + i} soldiers died near Tal{_name(i)}." for i in range(3_000))]


def _shared_first_word() -> list[str]:
    """3,000 names that start with one word ("Abu Malaaa", "Abu Malbaa", …), each twice, between other uses of it."""
    return [" ".join(f"Abu Mal{_name(i)} said {i} soldiers died. Abu met Abu Mal{_name(i)} Abu." for i in range(3_000))]


def _spellings() -> list[str]:
    """3,000 names of one consonant skeleton, few spelled alike ("Bahiwoh…", "Bewuhah…"), each with a figure."""
    rng = random.Random(13)
    names = ["B" + "".join(rng.choice("aeiouy") + rng.choice("hw") for _ in range(12)) for _ in range(3_000)]
    return [" ".join(f"Mr {name} said {100 + i} people fled." for i, name in enumerate(names))]


def _capitals() -> list[str]:
    """One 300 KB sentence of capitalised words, and the same again shouted in capitals."""
    words = " ".join(f"Mal{_name(i)} Tal{_name(i // 7)} of Homs," for i in range(10_000))
    return ["Reports name " + words + " and others.", ("REPORTS NAME " + words + " AND OTHERS.").upper()]


def _numbers() -> list[str]:
    """40,000 figures with hedges and units, fifty to a sentence."""
    parts = []
    for i in range(20_000):
        parts.append(f"about {1_000 + i} people fled, {i % 90} km away")
        parts.append(". " if i % 25 == 24 else ", ")
    return ["".join(parts)]


def _escape_lines() -> list[str]:
    """Two articles, each one line of 40,000 ``ESC[7777m`` (the fuzz run's find: 80,000 figures in two claims)."""
    return ["\x1b[7777m" * 40_000, "Officials said: " + "\x1b[7777m" * 40_000]


def _dates() -> list[str]:
    """20,000 dates and durations, forty to a sentence."""
    months = ("January", "March", "June", "December")
    parts = []
    for i in range(10_000):
        parts.append(f"since {months[i % 4]} {1 + i % 28}, 2023 for {2 + i % 9} days 300 people fled")
        parts.append(". " if i % 20 == 19 else ", ")
    return ["".join(parts)]


def _no_spaces() -> list[str]:
    """One line of 1 MB without a space."""
    return ["x" * 500_000 + "1,200" * 100_000]


def _identical() -> list[str]:
    """Two articles of the same 2,000 sentences: every sentence matches every copy in the other article."""
    text = "Rebels said 300 people fled Homs on Monday. " * 2_000
    return [text, text]


def _copies() -> list[str]:
    """Two articles of 20 sentences repeated 500 times each: as many copies as the matcher may still pair."""
    sentences = [f"Rebels in Town{chr(65 + k)} said {300 + k} people fled Homs on Monday. " for k in range(20)]
    text = "".join(sentences) * 500
    return [text, text.replace("people fled", "people escaped")]


def _templates() -> list[str]:
    """Two articles of 10,000 sentences from one template with two slots of 30 towns each: 900 variants."""
    towns = [f"Tal{_name(k)}" for k in range(30)]
    texts = []
    for verb in ("fled", "escaped"):
        parts = []
        for n in range(10_000):
            parts.append(f"Rebels in {towns[n % 30]} said people {verb} {towns[(n // 30) % 30]} on Monday. ")
        texts.append("".join(parts))
    return texts


def _nested() -> list[str]:
    """Brackets and quotes nested 20,000 deep around a figure."""
    depth = 20_000
    return ["Officials said " + "(“'" * depth + "300 people fled Homs" + "'”)" * depth + "."]


def _headings() -> list[str]:
    """10,000 short heading lines with a figure each."""
    return ["\n".join(f"Update {i}: 300 Killed in Homs" for i in range(10_000))]


CASES: dict[str, Callable[[], list[str]]] = {
    "repeat-4000": _repeat(4_000),
    "repeat-20000": _repeat(20_000),
    "run-on-222k": _run_on,
    "names-3000": _names,
    "spellings-3000": _spellings,
    "first-word-3000": _shared_first_word,
    "capitals-2x300k": _capitals,
    "numbers-40000": _numbers,
    "escapes-2x40000": _escape_lines,
    "dates-20000": _dates,
    "no-spaces-1mb": _no_spaces,
    "identical-2x2000": _identical,
    "copies-2x20x500": _copies,
    "templates-2x10000": _templates,
    "nested-20000": _nested,
    "headings-10000": _headings,
}


def _peak_rss(pid: int) -> int:
    """Current resident memory of ``pid`` in bytes (0 when unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_case(texts: list[str], timeout: float, max_rss: int) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, outcome) of ``factdesk analyze --json`` on the texts plus one
    seed. (The CPU time is the child's own: on a shared machine it varies less than the wall time.)"""
    folder = Path(tempfile.mkdtemp(prefix="factdesk-pathological-"))
    try:
        for index, text in enumerate(texts):
            (folder / f"hostile_{index}.txt").write_text(text, encoding="utf-8")
        shutil.copy(SEED, folder / SEED.name)
        env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache"), XDG_DATA_HOME=str(folder / "data"))
        command = [sys.executable, "-m", "factdesk", "analyze", "--json", str(folder)]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        outcome = ""
        watched_peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            watched_peak = max(watched_peak, _peak_rss(process.pid))
            elapsed = time.perf_counter() - started
            if elapsed > timeout or watched_peak > max_rss:
                outcome = f"killed (over {timeout:.0f} s)" if elapsed > timeout else f"killed (over {max_rss >> 20} MB)"
                process.send_signal(signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        peak = max(watched_peak, usage.ru_maxrss * 1024)
        if not outcome:
            outcome = "ok" if process.returncode == 0 else f"exit {process.returncode}"
        if process.stderr:
            process.stderr.close()
        return wall, usage.ru_utime + usage.ru_stime, peak, outcome
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), help="cases to run (default: all)")
    parser.add_argument("--timeout", type=float, default=300.0, help="kill a case after this many seconds")
    parser.add_argument("--max-rss-gb", type=float, default=4.0, help="kill a case above this much memory")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, build in CASES.items():
            print(f"{name:20} {(build.__doc__ or 'the issue-13 article repeated').strip()}")
        return 0
    print(f"{'case':20} {'size':>9} {'wall':>8} {'cpu':>8} {'peak RSS':>9}  outcome")
    for name in args.cases or CASES:
        texts = CASES[name]()
        size = sum(len(t.encode()) for t in texts)
        wall, cpu, peak, outcome = run_case(texts, args.timeout, int(args.max_rss_gb * 2**30))
        print(f"{name:20} {size / 1000:7.0f}KB {wall:7.1f}s {cpu:7.1f}s {peak / 2**20:7.0f}MB  {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
