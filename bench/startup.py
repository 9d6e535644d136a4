#!/usr/bin/env python3
"""Time to first paint and keypress round trip of the real app in a real terminal (tmux).

    python bench/startup.py [--runs 5] [--size 160x48] [PATH ...]

First paint of the analysed corpus: from launching ``factdesk`` until the screen shows the first claim
count (the corpus is analysed and rendered; the text alone comes before it, see ``bench/first_text.py``) —
once with an empty analysis cache (the first run), then reopening (the other runs). Round trip: from sending
``j`` until the inspector shows the next claim, and from ``v`` until the gutter shows the verdict (which is on
disk before it is drawn). Prints medians. Needs tmux.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SESSION = "factdesk-bench"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(pattern: str, timeout: float = 30.0) -> float:
    rx = re.compile(pattern)
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if rx.search(tmux("capture-pane", "-p", "-t", SESSION)):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise TimeoutError(f"{pattern!r} did not appear:\n" + tmux("capture-pane", "-p", "-t", SESSION))


def one_run(paths: list[str], size: str, db: Path, cache: Path) -> tuple[float, float, float]:
    cols, rows = size.split("x")
    exe = shutil.which("factdesk") or f"{sys.executable} -m factdesk"
    environment = f"TERM=xterm-256color XDG_CACHE_HOME={cache} FACTDESK_REVIEWER=bench"  # (never asks a name)
    command = f"{environment} {exe} {' '.join(paths)} --db {db}"
    tmux("kill-session", "-t", SESSION)
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", cols, "-y", rows, command)
    wait_for(r"Claim 1 of \d+")
    first_paint = time.perf_counter() - started
    time.sleep(0.3)
    sent = time.perf_counter()
    tmux("send-keys", "-t", SESSION, "j")
    wait_for(r"Claim 2 of \d+")
    move = time.perf_counter() - sent
    sent = time.perf_counter()
    tmux("send-keys", "-t", SESSION, "v")
    wait_for(r"✓ Verified")
    mark = time.perf_counter() - sent
    tmux("send-keys", "-t", SESSION, "q")
    time.sleep(0.3)
    tmux("kill-session", "-t", SESSION)
    return first_paint, move, mark


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="160x48")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        print("tmux is needed for this benchmark", file=sys.stderr)
        return 1
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            results.append(one_run(args.paths, args.size, Path(folder) / f"bench-{run}.json", Path(folder) / "cache"))
    cold = results[0][0] * 1000
    paint, move, mark = (statistics.median(column) * 1000 for column in zip(*results[1:] or results, strict=True))
    print(f"runs: {args.runs}, terminal {args.size}, corpus: {' '.join(args.paths) or 'bundled seeds'}")
    print(f"first paint, first open (no cache):        {cold:7.0f} ms")
    print(f"first paint, reopening (analysis cached):  median {paint:7.0f} ms")
    print(f"keypress round trip j (cursor moves):     median {move:7.1f} ms")
    print(f"keypress round trip v (saved + shown):    median {mark:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
