"""Run blocking work on a daemon thread and await its result from the event loop.

Why not a Textual thread worker: those run on asyncio's default executor, which ``asyncio.run`` and the interpreter
wait for on exit, so `q` pressed while a large corpus is still "Analysing…" restored the terminal and then kept
the process alive until the analysis ended (7–11 s). A daemon thread is dropped at exit; the analysis writes
nothing the reviewer needs (its cache entry is replaced atomically, so an unfinished one is never read).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_daemon_thread(work: Callable[[], T], name: str) -> T:
    """``work()`` on a daemon thread named ``name``; its result or its exception, here."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():  # the awaiting worker was cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as caught:  # handed to the awaiting side, which reports it
            result, error = None, caught
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:
            pass  # the app has ended and its loop is closed: nobody is waiting

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future


class ProgressRelay:
    """Hands the analysis' progress (``progress(stage, done, total)``, called on its thread) to the event loop.

    Never blocks the analysis and never floods the loop: the latest report is kept and at most one delivery is
    pending at a time (the analysis already reports at most every ~50 ms, see ``pipeline.articles.Throttle``).
    Reports before :meth:`attach` or after the loop closed are dropped.
    """

    def __init__(self, deliver: Callable[[str, int, int], None]) -> None:
        self._deliver = deliver
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._latest: tuple[str, int, int] | None = None
        self._pending = False

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def __call__(self, stage: str, done: int, total: int) -> None:
        loop = self._loop
        if loop is None:
            return
        with self._lock:
            self._latest = (stage, done, total)
            if self._pending:
                return
            self._pending = True
        try:
            loop.call_soon_threadsafe(self._flush)
        except RuntimeError:
            pass  # the app has ended

    def _flush(self) -> None:
        with self._lock:
            latest, self._latest, self._pending = self._latest, None, False
        if latest is not None:
            self._deliver(*latest)
