"""Pause Python's cyclic garbage collector around a bulk computation.

Why: the analysis and the comparison build millions of small containers (tokens,
feature keys, cached weight vectors, claims, term sets, candidate pairs) in bursts.
Every burst of allocations triggers a collection that walks *every live object* —
including the long-lived model tables — so on a 200-article corpus the collector
alone took a third of the analysis time (``bench/analysis_speed.py``). None of these
objects depend on cycle detection to be freed: reference counting frees them, and
whatever cycles there are get collected when the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its previous state after (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
