"""How fast this machine runs Python right now: a fixed reference workload, timed.

Why: the benchmarks' budgets are CPU seconds, and a shared virtual machine's CPU
speed swings (on the development VM the same code measured 1.6 times slower in some
minutes than in others, with nothing else running in it). Printing the reference
beside a figure says which kind of minute it was measured in; compare figures only
at similar references.
"""

from __future__ import annotations

import statistics
import time


def _workload() -> int:
    """Dict and string work, the mix the analysis does (about 0.1 s on the development machine)."""
    counts: dict[str, int] = {}
    for i in range(600_000):
        key = str(i % 5000)
        counts[key] = counts.get(key, 0) + i
    return len(counts)


def reference_ms(runs: int = 5) -> float:
    """Median CPU milliseconds of the reference workload (lower is a faster minute)."""
    times = []
    for _ in range(runs):
        began = time.process_time()
        _workload()
        times.append(time.process_time() - began)
    return statistics.median(times) * 1000


def describe() -> str:
    return f"machine reference: {reference_ms():.0f} ms CPU (bench/machine.py; lower is faster)"
