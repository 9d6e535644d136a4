"""How many processes an analysis may use, and the error when one of them dies.

Why a module of its own: the CLI needs both before it knows whether the analysis will run at all (a cached
corpus is only read), and importing them from the pipeline's workers would import the whole per-article
analysis (its rules compile hundreds of regular expressions) on a path that never uses it.
"""

from __future__ import annotations

import os


class WorkerFailed(RuntimeError):
    """A worker process ended before its work did (killed, out of memory): the analysis cannot finish."""


def default_jobs() -> int:
    """The cores this process may use (``--jobs``' default, as the issue asks: "default: the cores").

    On a machine other programs keep busy a second process can make the analysis slower rather than faster
    (``bench/incremental.py`` measured it on a shared 2-core box): ``--jobs 1`` is the answer there.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
