"""`q` while a large corpus is still "Analysing…" ends the reader at once, in a real terminal.

Found while closing issue 13: the analysis runs in a worker thread, and Python waits for such threads before it
exits, so the terminal came back but the process lingered until the analysis was done (11 s on a 1.9 MB corpus).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from test_terminal import Terminal, terminal_env  # noqa: F401  (the fixture is used by name)


def _slow_corpus(folder: Path) -> None:
    """Two long articles of varied news-like sentences: several seconds of first analysis on any machine."""
    folder.mkdir()
    for number in range(2):
        lines = [
            f"In Town{i % 97} {1_000 + i} people fled on Monday, Mayor Alice Brown{i % 13} told reporters."
            for i in range(number, 12_000, 2)
        ]
        (folder / f"article{number}.txt").write_text("Long Report\n\n" + " ".join(lines) + "\n", encoding="utf-8")


def test_q_during_the_first_analysis_ends_the_process_at_once(tmp_path: Path, terminal_env) -> None:  # noqa: F811
    folder = tmp_path / "big"
    _slow_corpus(folder)
    env = {**terminal_env, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # never analysed before
    term = Terminal([sys.executable, "-m", "factdesk", str(folder), "--db", str(tmp_path / "db.json")], env)
    try:
        term.expect("Analysing")
        term.read(0.5)
        term.send("q")
        pressed = time.monotonic()
        while term.process.poll() is None and time.monotonic() - pressed < 20:
            term.read(0.1)
        waited = time.monotonic() - pressed
        assert term.process.poll() == 0, term.text()[-400:]
    finally:
        term.close()
    assert waited < 4, f"the process lingered {waited:.1f} s after q"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no half-written database
