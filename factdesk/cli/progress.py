"""Progress of a long analysis on stderr: a rich progress bar on a terminal, nothing in pipes and CI.

Why only on a terminal: a bar redrawn with carriage returns and escape sequences is noise in a log or a pipe,
and scripts read stderr for the one-line failures (:mod:`factdesk.cli.common`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str, int, int], None]


def wants_progress() -> bool:
    """A person is watching stderr: it is a terminal, not a dumb one, and this is not a CI job."""
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False
    return terminal and os.environ.get("TERM") != "dumb" and not os.environ.get("CI")


@contextmanager
def stderr_progress() -> Iterator[Progress | None]:
    """A ``progress(stage, done, total)`` callback drawing a bar on stderr, or None when nobody watches.

    The bar is transient: it is gone when the work is done, leaving stderr as it was.
    """
    if not wants_progress():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        yield update
