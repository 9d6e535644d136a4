"""A terminal that goes away takes the reader with it: no orphaned process, marks and position on disk.

When sshd (or a terminal emulator) closes its side of the pty, the kernel hangs the terminal up and sends the
session leader SIGHUP and SIGCONT at once. Textual answers SIGCONT by restarting application mode on the dead
terminal; a shutdown that then writes to it used to block forever in the writer thread's queue, leaving a
process that ignored SIGTERM. These tests hang a real pty up at several moments and count survivors.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_terminal import REPO, Terminal

from factdesk.annotations.model import Status
from factdesk.annotations.storage.store import Store

SURVIVAL_WINDOW = 5.0  # seconds a hung-up reader may take to leave
RESTORE = b"\x1b[?1049l"  # leave the alternate screen: the first thing a terminal restore writes


def _take_controlling_terminal() -> None:
    """In the child, after setsid: make the pty its controlling terminal, as sshd does for a login shell."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Session(Terminal):
    """A reader on a pty. ``owned``: the pty is its controlling terminal, so closing it is a real hangup
    (SIGHUP + SIGCONT from the kernel); otherwise the terminal just vanishes (EOF/EIO, no signal)."""

    def __init__(self, args: list[str], env: dict[str, str], owned: bool = True, size=(120, 36)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=REPO,
            start_new_session=True,
            preexec_fn=_take_controlling_terminal if owned else None,
        )
        os.close(slave)
        self.output = b""
        self.master_open = True

    def wait_for_output(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.output and time.monotonic() < deadline:
            self.read(0.02)

    def hang_up(self, how: str) -> None:
        """``signals``: SIGHUP + SIGCONT to the process group first, as a shell forwards them; then (always)
        the other side of the pty goes away."""
        if how == "signals":
            os.killpg(self.process.pid, signal.SIGHUP)
            os.killpg(self.process.pid, signal.SIGCONT)
        os.close(self.master)
        self.master_open = False

    def survives(self, window: float = SURVIVAL_WINDOW) -> bool:
        try:
            self.process.wait(window)
            return False
        except subprocess.TimeoutExpired:
            return True

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        if self.master_open:
            os.close(self.master)


@dataclass(frozen=True)
class Moment:
    """When the terminal goes: ``delay`` seconds after the first byte of output, or after a shown claim / a mark."""

    name: str
    delay: float = 0.0


FIRST_PAINT = [Moment("paint", d) for d in (0.0, 0.1, 0.25, 0.5)]
CLAIM_SHOWN = Moment("claim")
AFTER_MARK = Moment("mark")
HOWS = ("close", "signals", "vanish")  # kernel hangup; signals forwarded, then closed; gone with no signal


def _reader(corpus: Path, db: Path, env: dict[str, str], owned: bool = True) -> Session:
    return Session([sys.executable, "-m", "factdesk", str(corpus), "--db", str(db)], env, owned=owned)


def _hang_up_once(corpus: Path, db: Path, env: dict[str, str], moment: Moment, how: str) -> str | None:
    """Start the reader, hang its terminal up at ``moment``; a description of what went wrong, or None."""
    session = _reader(corpus, db, env, owned=how != "vanish")
    try:
        session.wait_for_output()
        if moment.name == "paint":
            session.read(moment.delay)
        else:
            session.expect(r"Claim 1 of \d+")
        if moment.name == "mark":
            session.send("v")
            session.expect(r"saved: verified")
        session.hang_up(how)
        if session.survives():
            return f"{moment} ({how}): still running {SURVIVAL_WINDOW:.0f} s after the hangup"
    finally:
        session.close()
    if moment.name == "mark":
        store = Store.open(db)
        marks = [m.status for m in store.marks()]
        store.close()
        if marks != [Status.VERIFIED]:
            return f"{moment} ({how}): the mark is not on disk"
    elif db.exists():
        Store.open(db).close()  # never torn: it still opens
    return None


def _runs(moments: list[Moment], count: int) -> list[tuple[Moment, str]]:
    """``count`` runs spread over the moments, taking turns over the ways a terminal goes away."""
    return [(moments[i % len(moments)], HOWS[(i // len(moments)) % len(HOWS)]) for i in range(count)]


def _problems(corpus: Path, tmp_path: Path, env: dict[str, str], runs: list[tuple[Moment, str]]) -> list[str]:
    found = []
    for number, (moment, how) in enumerate(runs):
        problem = _hang_up_once(corpus, tmp_path / f"marks-{number}.json", env, moment, how)
        if problem:
            found.append(problem)
    return found


@pytest.fixture
def session_env(isolated_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(REPO))
    return env


def test_a_hangup_during_first_paint_and_after_a_mark_leaves_no_process(seeds_copy, tmp_path, session_env) -> None:
    runs = [(FIRST_PAINT[1], "signals"), (AFTER_MARK, "close")]
    problems = _problems(seeds_copy, tmp_path, session_env, runs)
    assert not problems, problems


def test_a_terminal_that_vanishes_without_a_signal_is_noticed(seeds_copy, tmp_path, session_env) -> None:
    problems = _problems(seeds_copy, tmp_path, session_env, [(AFTER_MARK, "vanish")])
    assert not problems, problems


@pytest.mark.slow
def test_twenty_hangups_at_several_moments_leave_no_process(seeds_copy, tmp_path, session_env) -> None:
    runs = _runs([*FIRST_PAINT, CLAIM_SHOWN, AFTER_MARK], 20)
    problems = _problems(seeds_copy, tmp_path, session_env, runs)
    assert not problems, f"{len(problems)} of {len(runs)} runs went wrong: {problems}"


def _position(corpus: Path, db: Path) -> dict | None:
    from factdesk.annotations.text.corpus import load_corpus

    store = Store.open(db)
    try:
        return store.get_state(load_corpus([corpus]).key)
    finally:
        store.close()


def test_a_hangup_saves_the_position_and_writes_nothing_more(seeds_copy, tmp_path, session_env) -> None:
    db = tmp_path / "marks.json"
    session = _reader(seeds_copy, db, session_env)
    try:
        session.expect(r"Claim 1 of \d+")
        session.send("j")
        session.expect(r"Claim 2 of \d+")
        session.read(0.3)
        before = len(session.output)
        os.kill(session.process.pid, signal.SIGHUP)  # the terminal itself stays readable: what arrives?
        assert session.process.wait(SURVIVAL_WINDOW) == 0
        session.read(0.3)
        assert RESTORE not in session.output[before:], "a hung-up reader wrote to its terminal"
    finally:
        session.close()
    state = _position(seeds_copy, db)
    assert state and state["panes"][0]["claim"] is not None


def test_sigterm_with_a_live_terminal_restores_it_and_exits(seeds_copy, tmp_path, session_env) -> None:
    db = tmp_path / "marks.json"
    session = _reader(seeds_copy, db, session_env)
    try:
        session.expect(r"Claim 1 of \d+")
        session.send("v")
        session.expect(r"saved: verified")
        session.read(0.3)
        before = len(session.output)
        os.kill(session.process.pid, signal.SIGTERM)
        assert session.process.wait(15) == 0
        session.read(0.3)
        assert RESTORE in session.output[before:], "the terminal was left in the reader's screen"
    finally:
        session.close()
    store = Store.open(db)
    assert [m.status for m in store.marks()] == [Status.VERIFIED]
    store.close()
    assert _position(seeds_copy, db) is not None
