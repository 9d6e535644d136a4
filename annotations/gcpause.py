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


def freeze_long_lived() -> None:
    """Keep every object alive now out of the collector's full passes (``gc.freeze``), until :func:`thaw`.

    Why: once a corpus's analysis is loaded it lives as long as the reader, and a full collection walks every
    live container — 0.35–0.6 s on 500 articles — whenever enough new objects have survived, i.e. in the middle
    of some key press. Frozen, the analysis is never walked again; only what is created after it is. The few
    thousand cycles of garbage that may exist at that moment stay until :func:`thaw` (measured: ~4,600 objects
    on 500 articles), which is why this does not collect first (that would cost the same half second).
    """
    gc.freeze()


def thaw() -> None:
    """Give the frozen objects back to the collector (``gc.unfreeze``): when the reader that froze them ends."""
    gc.unfreeze()
