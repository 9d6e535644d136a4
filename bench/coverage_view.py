#!/usr/bin/env python3
"""Time to open the coverage view (``c``) on a corpus with many sources.

    python bench/coverage_view.py [--copies 52] [--size 160x48] [--runs 3]

The corpus: the seeds, ``--copies`` times over with a distinct first line (52 copies = 260 sources that restate each
other, so the matrix has many rows and many sources). The app runs headless (Textual's ``run_test``) at
``--size``; the figure is the wall time from pressing ``c`` until the view is mounted and idle (the coverage rows
computed, the table built), as the median of ``--runs`` openings. The analysis is done before the timing starts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def many_sources(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        for file in sorted(SEEDS.glob("*.txt")):
            text = file.read_text(encoding="utf-8")
            (folder / f"{copy:03d}_{file.name}").write_text(f"Edition {copy}\n\n{text}", encoding="utf-8")
    return folder


async def measure(corpus: Path, size: tuple[int, int], runs: int, home: Path) -> tuple[list[float], int, str]:
    app = FactdeskApp(load_corpus([corpus]), Store.open(home / "marks.json"), reviewer="bench")
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            await pilot.press("c")
            await pilot.pause()
            times.append(time.perf_counter() - start)
            rows, columns = len(app.screen.rows), len(app.screen.query_one("DataTable").ordered_columns)
            await pilot.press("escape")
            await pilot.pause()
    return times, rows, f"{columns} columns"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=52)
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        os.environ["XDG_CACHE_HOME"] = str(home / "cache")
        corpus = many_sources(home / "corpus", args.copies)
        times, rows, shape = asyncio.run(measure(corpus, (width, height), args.runs, home))
    print(f"corpus: {args.copies * 5} sources (the seeds × {args.copies}); terminal {args.size}")
    print(f"coverage view open: median {statistics.median(times):.2f} s wall (runs {min(times):.2f}–{max(times):.2f})")
    print(f"  {rows} rows, {shape}")


if __name__ == "__main__":
    main()
