"""How long the mark store takes to save one mark, and to open, as the database grows.

Usage: ``python bench/store_bench.py [--sizes 100 1000 10000] [--writes 30] [--dir PATH]``

Prints, for each database size: the file size, the median time to open it (parse +
index + the once-per-session ``.bak`` copy), the time of the first save in a session
(nothing cached yet), and the median time to persist one mark (a durable atomic
write: temp file, fsync, rename, folder fsync). The goal is ≤ 20 ms at 10,000 marks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotations.atomic import atomic_write_text
from annotations.model import Anchor, Mark, Status
from annotations.store import SCHEMA, Store, mark_to_record

SENTENCE = (
    "Homs, a critical city connecting Damascus to the Mediterranean coast, has fallen to "
    "rebel forces after weeks of intense fighting."
)


def anchor(n: int) -> Anchor:
    return Anchor(
        quote=f"{SENTENCE} ({n})",
        prefix="Rebels Seize Strategic Homs\n",
        suffix="\nThe city’s capture not only sev",
        start=n * 200,
        end=n * 200 + len(SENTENCE) + 8,
    )


def build(path: Path, count: int) -> None:
    """Write a database of ``count`` realistic marks directly (saving 10,000 one by one is slow)."""
    records = {}
    for n in range(count):
        mark = Mark(
            article_id=f"{n % 50:016x}",
            anchor=anchor(n),
            status=Status.VERIFIED if n % 3 else Status.DISPUTED,
            note="Checked against SOHR and Reuters." if n % 4 == 0 else "",
            reviewer=("alice", "bob", "zoë")[n % 3],
            updated="2024-12-09T10:00:00Z",
        )
        records[str(n + 1)] = mark_to_record(mark)
    data = {"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}, "marks": records}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False))


def measure(folder: Path, count: int, writes: int) -> dict[str, float]:
    path = folder / f"factdesk-{count}.json"
    build(path, count)
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        Store.open(path).close()
        loads.append(time.perf_counter() - started)
    store = Store.open(path)
    started = time.perf_counter()
    store.set_status("bench", anchor(count), Status.VERIFIED, "bench")
    first = time.perf_counter() - started
    times = []
    for i in range(writes):
        # Alternate the three kinds of save: a new mark, a verdict change, a note.
        n = count + 1 + i // 3
        started = time.perf_counter()
        if i % 3 == 0:
            store.set_status("bench", anchor(n), Status.VERIFIED, "bench")
        elif i % 3 == 1:
            store.set_status("bench", anchor(n), Status.DISPUTED, "bench")
        else:
            store.set_note("bench", anchor(n), f"note {i}", "bench")
        times.append(time.perf_counter() - started)
    store.close()
    return {
        "size_mb": path.stat().st_size / 1e6,
        "load_ms": statistics.median(loads) * 1e3,
        "first_ms": first * 1e3,
        "median_ms": statistics.median(times) * 1e3,
        "p90_ms": statistics.quantiles(times, n=10)[-1] * 1e3,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None, help="folder to write in (default: temp)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        print(f"{'marks':>7} {'file MB':>8} {'open ms':>8} {'1st save':>9} {'save ms':>8} {'p90 ms':>7}")
        for count in args.sizes:
            r = measure(Path(tmp), count, args.writes)
            print(
                f"{count:>7,} {r['size_mb']:>8.2f} {r['load_ms']:>8.1f} {r['first_ms']:>9.1f} "
                f"{r['median_ms']:>8.1f} {r['p90_ms']:>7.1f}"
            )
        print("save = median time to persist one mark durably (goal: ≤ 20 ms at 10,000 marks)")


if __name__ == "__main__":
    main()
