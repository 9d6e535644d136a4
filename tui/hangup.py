"""Leaving when the terminal goes away: nothing more is written to it, and no process is left behind.

A hangup (an SSH drop, a closed terminal window) brings SIGHUP and SIGCONT together. Textual answers SIGCONT by
restarting application mode on the dead terminal: a new writer thread whose first write fails (EIO) and ends it.
Any later write fills that thread's queue (30 items) and blocks the event loop for good, so a shutdown that
restores the terminal never finishes and the process, its loop stuck, ignores SIGTERM as well. Hence, once the
terminal is gone: :func:`silence` the driver (writes go nowhere, a write stuck on the dead queue is released,
SIGCONT no longer restarts, the input threads stop), save on the event loop, and leave with ``os._exit``;
:func:`arm_deadline` ends the process even if the loop never gets there. A terminal can also vanish without a
signal (the process does not own it as its controlling terminal): :class:`TerminalWatch` notices that.
"""

from __future__ import annotations

import io
import os
import select
import sys
import termios
import threading
from collections.abc import Callable
from queue import Empty

from textual.driver import Driver
from textual.drivers._writer_thread import WriterThread
from textual.drivers.linux_driver import LinuxDriver

LEAVE_DEADLINE = 3.0  # seconds from a hangup to the end of the process, whatever happens
QUIT_DEADLINE = 10.0  # seconds from SIGTERM to the end, should restoring a live terminal block
WATCH_INTERVAL = 0.5  # seconds between checks that the terminal is still there


def started_on_a_terminal() -> bool:
    """Whether standard input is a terminal now: asked at start-up, before the terminal can have gone."""
    stdin = sys.__stdin__
    try:
        return stdin is not None and os.isatty(stdin.fileno())
    except (OSError, ValueError):
        return False


def terminal_fd(driver: Driver | None, started_on_tty: bool) -> int | None:
    """The terminal a real (non-headless) driver reads, or None (Pilot's headless driver, no tty at start).

    Not asked of the terminal itself: by the time the app mounts it may already be hung up.
    """
    if not started_on_tty or not isinstance(driver, LinuxDriver):
        return None
    return driver.fileno


def terminal_alive(fd: int | None) -> bool:
    """Whether ``fd`` is still a working terminal: a hung-up one answers every ioctl with an error."""
    if fd is None:
        return True  # nothing to lose: no terminal was ever there (headless)
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False
    return True


class _Discard(WriterThread):
    """Stands in for Textual's writer thread once the terminal is gone: takes every write, writes nothing."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())

    def write(self, text: str) -> None:
        return

    def stop(self) -> None:
        return


def silence(driver: Driver | None) -> None:
    """Stop ``driver`` from touching the terminal again. Safe from any thread and from a signal handler.

    Only Textual's own objects are swapped; a write already waiting on the dead writer's full queue is
    released by emptying that queue (its text was going nowhere anyway).
    """
    if driver is None:
        return
    driver._auto_restart = False  # SIGCONT no longer re-enters application mode on the dead terminal
    if not isinstance(driver, LinuxDriver):
        return
    writer = driver._writer_thread
    driver._writer_thread = _Discard()
    driver.exit_event.set()  # the input threads stop reading (a hung-up tty reads as endless EOF)
    if writer is not None and not isinstance(writer, _Discard):
        while True:
            try:
                writer._queue.get_nowait()
            except Empty:
                break


_deadline_lock = threading.Lock()
_deadline: threading.Timer | None = None


def arm_deadline(seconds: float) -> None:
    """End the process ``seconds`` from now whatever the event loop is doing (once; the first deadline holds).

    Marks are on disk before they are shown and every store write replaces the file atomically, so ending
    here loses at most the reader's position, never a mark, and never tears the database.
    """
    global _deadline
    with _deadline_lock:
        if _deadline is not None:
            return
        _deadline = threading.Timer(seconds, os._exit, args=(0,))
        _deadline.daemon = True
        _deadline.start()


class TerminalWatch(threading.Thread):
    """Calls ``on_gone`` once if the terminal at ``fd`` hangs up (poll reports POLLHUP/POLLERR or tcgetattr fails).

    Needed when no SIGHUP comes: the process was started without the pty as its controlling terminal.
    """

    def __init__(self, fd: int, on_gone: Callable[[], None]) -> None:
        super().__init__(name="factdesk-terminal-watch", daemon=True)
        self._fd = fd
        self._on_gone = on_gone
        self._stopped = threading.Event()

    def run(self) -> None:
        poller = select.poll()
        poller.register(self._fd, select.POLLHUP | select.POLLERR)
        while not self._stopped.is_set():
            try:
                events = poller.poll(WATCH_INTERVAL * 1000)
            except OSError:
                events = [(self._fd, select.POLLERR)]
            if self._stopped.is_set():
                return
            if events or not terminal_alive(self._fd):
                self._on_gone()
                return

    def stop(self) -> None:
        self._stopped.set()
