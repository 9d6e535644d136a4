"""How long the mark store takes to save one mark, and to open, as the database grows.

Usage: ``python bench/store_bench.py [--sizes 100 1000 10000] [--writes 30] [--dir PATH]``

Prints, for each database size: the file size, the median time to open it (parse +
index + the once-per-session ``.bak`` copy), the time of the first save in a session,
and the median time to persist one mark — everything a real save does: take the lock
file, check whether another process changed the database (a ``stat``), append the
change to the history, and write durably (temp file, fsync, rename, folder fsync).
Each database holds one history entry per mark, as a migrated or long-used one would.
The goal is ≤ 20 ms at 10,000 marks. ``--shared`` also times a save right after
another process wrote the file (the re-read path).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.storage.atomic import atomic_write_bytes
from factdesk.annotations.storage.history import entry_to_record
from factdesk.annotations.storage.layout import AtomicJSONStorage
from factdesk.annotations.storage.migrations import SCHEMA
from factdesk.annotations.storage.records import mark_to_record
from factdesk.annotations.storage.store import Store

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
    records, history = {}, {}
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
        history[str(n + 1)] = entry_to_record(
            at=mark.updated,
            reviewer=mark.reviewer,
            action="set",
            article_id=mark.article_id,
            anchor=mark.anchor,
            old=(Status.UNREVIEWED, ""),
            new=(mark.status, mark.note),
            session="0123456789ab",
        )
    data = {"meta": {"1": {"app": "factdesk", "schema": SCHEMA}}, "marks": records, "history": history}
    AtomicJSONStorage(path).write(data)  # the layout factdesk itself writes


def floor(path: Path, repeat: int = 9) -> float:
    """The disk's own cost for a file this size: write, fsync, rename, folder fsync (median, s)."""
    data = path.read_bytes()
    scratch = path.with_name("floor.bin")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        atomic_write_bytes(scratch, data)
        times.append(time.perf_counter() - started)
    scratch.unlink()
    return statistics.median(times)


def measure(folder: Path, count: int, writes: int, with_shared: bool = False) -> dict[str, float]:
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
    shared = []
    if with_shared:
        other = Store.open(path)
        for i in range(max(3, writes // 5)):
            other.set_note("other", anchor(count + 500 + i), f"theirs {i}", "other")
            started = time.perf_counter()
            store.set_note("bench", anchor(count + 900 + i), f"mine {i}", "bench")
            shared.append(time.perf_counter() - started)
        other.close()
    store.close()
    return {
        "floor_ms": floor(path) * 1e3,
        "shared_ms": statistics.median(shared) * 1e3 if shared else float("nan"),
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
    parser.add_argument("--shared", action="store_true", help="also time saves after another process wrote")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        extra = f" {'after other':>11}" if args.shared else ""
        print(
            f"{'marks':>7} {'file MB':>8} {'open ms':>8} {'1st save':>9} {'save ms':>8} {'p90 ms':>7}"
            f" {'disk ms':>8}{extra}"
        )
        for count in args.sizes:
            r = measure(Path(tmp), count, args.writes, args.shared)
            shared = f" {r['shared_ms']:>11.1f}" if args.shared else ""
            print(
                f"{count:>7,} {r['size_mb']:>8.2f} {r['load_ms']:>8.1f} {r['first_ms']:>9.1f} "
                f"{r['median_ms']:>8.1f} {r['p90_ms']:>7.1f} {r['floor_ms']:>8.1f}{shared}"
            )
        print("save = median time to persist one mark durably, with lock, change check and history append")
        print("(goal: ≤ 20 ms at 10,000 marks); disk = the same bytes written atomically by themselves")
        print("(the floor on this disk right now); after other = a save right after another session wrote")


if __name__ == "__main__":
    main()
