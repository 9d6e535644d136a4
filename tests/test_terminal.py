"""The real app in a real pseudo-terminal: keys in, bytes out, signals — as a reviewer's SSH session sees it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from factdesk.annotations.model import Status
from factdesk.annotations.storage.store import Store

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_].*?\x1b\\|\x1b.")


class Terminal:
    """A child process on a pty of a fixed size; ``expect`` waits for text on its screen output."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (120, 36)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True
        )
        os.close(slave)
        self.output = b""

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def text(self) -> str:
        return ANSI.sub("", self.output.decode("utf-8", "replace"))

    def expect(self, pattern: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.1)
            if re.search(pattern, self.text()):
                return
        raise AssertionError(f"{pattern!r} never appeared; screen output ends with: {self.text()[-800:]!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        os.close(self.master)


@pytest.fixture
def terminal_env(isolated_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(REPO))
    return env


@pytest.mark.parametrize("hangup", [signal.SIGHUP, signal.SIGTERM])
def test_marks_survive_a_dropped_connection(seeds_copy: Path, tmp_path: Path, terminal_env, hangup) -> None:
    db = tmp_path / "marks.json"
    term = Terminal([sys.executable, "-m", "factdesk", str(seeds_copy), "--db", str(db)], terminal_env)
    try:
        term.expect(r"Claim 1 of \d+")
        term.send("v")
        term.expect(r"saved: verified")
        term.send("j")
        term.expect(r"Claim 2 of \d+")
        os.killpg(term.process.pid, hangup)  # the SSH session goes away
        assert term.process.wait(15) == 0
    finally:
        term.close()
    store = Store.open(db)
    assert [m.status for m in store.marks()] == [Status.VERIFIED]
    state = store.get_state(_corpus_key(seeds_copy))
    assert state and state["panes"][0]["claim"] is not None  # where the reviewer was is remembered too


def test_an_article_cannot_write_escape_sequences_to_the_terminal(tmp_path: Path, terminal_env) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    payload = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J"
    (folder / "a.txt").write_text(f"Headline Here\nThe minister said {payload} nothing at all. Then left.\n")
    (folder / "b.txt").write_text("A calm article. Nothing odd.\n")
    term = Terminal([sys.executable, "-m", "factdesk", str(folder), "--db", str(tmp_path / "db.json")], terminal_env)
    try:
        term.expect(r"minister said")
        term.read(0.5)
    finally:
        term.send("q")
        term.read(0.5)
        term.close()
    raw = term.output
    assert b"\x1b]52;c;cm0g" not in raw  # no clipboard write from the article
    assert b"\x1b]0;pwned" not in raw  # no window-title change
    assert "␛]52;c;cm0gLXJmIH4=" in term.text()  # shown, inert


def _corpus_key(folder: Path) -> str:
    from factdesk.annotations.text.corpus import load_corpus

    return load_corpus([folder]).key


def test_keys_typed_after_q_open_nothing_on_the_closing_app(seeds_copy: Path, tmp_path: Path, terminal_env) -> None:
    """Keys that arrive after q (a fast typist, a paste, a key name typed as letters) reached the closing app:
    "square" is q, then u a r e — and the export dialog `e` mounted on the closing app crashed it (NoMatches)."""
    db = tmp_path / "marks.json"
    term = Terminal([sys.executable, "-m", "factdesk", str(seeds_copy), "--db", str(db)], terminal_env)
    try:
        term.expect(r"Claim 1 of \d+")
        term.send("v")
        term.expect(r"saved: verified")
        term.send("square_bracket")
        code = term.process.wait(15)
        term.read(0.5)
    finally:
        term.close()
    assert "Traceback" not in term.text() and "NoMatches" not in term.text(), term.text()[-600:]
    assert code == 0
