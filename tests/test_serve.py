"""``factdesk serve``: the reader in a browser through textual-serve, on loopback unless ``--public`` says so.

Like a user: the command runs as a subprocess on the seeds (private XDG folders, from conftest), prints its URL,
the page is fetched, the reader behind the page's websocket draws and takes a key, the mark is read back from
the database on disk, and Ctrl+C ends it all. Headless Chromium (Debian's ``chromium``) loads the page and its
screenshot must show the reader, not textual-serve's "starting" dialog.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from headless_chromium import Browser, chromium_available, png_pixels

from factdesk.annotations.model import Status
from factdesk.annotations.storage.store import Store
from factdesk.cli import main
from factdesk.cli.serve import host_refusal, is_loopback, reader_command, serve_parser

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
FIRST_BYTE = "document.body !== null && document.body.classList.contains('-first-byte')"
INTRO_BACKDROP = (0x0C, 0x18, 0x1F)  # textual-serve's page behind its "starting" dialog


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "factdesk", "serve", *args]


class Served:
    """``factdesk serve`` running in the background: its URL line read, stopped with Ctrl+C (SIGINT)."""

    def __init__(self, *args: str) -> None:
        # stderr: the request log, in a file (a pipe could fill up and block the server); closed by stop()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            serve_command(*args), cwd=REPO, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        assert ready, "no URL printed within 60 s"
        self.url = self.process.stdout.readline().decode().strip()
        assert self.url.startswith("http://"), self.stop()

    def stop(self) -> tuple[int, str]:
        """Ctrl+C to the server and the readers it started (one process group, as a terminal sends it): the exit
        code and everything it printed after its URL."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            out, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()
            raise AssertionError("factdesk serve did not stop within 30 s of Ctrl+C") from None
        self.log.seek(0)
        err = self.log.read()
        self.log.close()
        return self.process.returncode, (out + err).decode(errors="replace")  # a reader's stderr lands in stdout


def marks_on_disk(db: Path, timeout: float) -> list[Status]:
    """The database's mark statuses, waiting up to ``timeout`` for the first one to be written."""
    deadline = time.monotonic() + timeout
    while True:
        if db.exists():
            with Store.open(db, read_only=True) as store:
                statuses = [mark.status for mark in store.marks()]
            if statuses or time.monotonic() > deadline:
                return statuses
        elif time.monotonic() > deadline:
            return []
        time.sleep(0.2)


# --- which addresses it binds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost", "LocalHost", "::ffff:127.0.0.1"]
)
def test_loopback_hosts_need_no_flag(host: str) -> None:
    assert is_loopback(host)
    assert host_refusal(host, public=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "10.0.0.1", "2001:db8::1", "example.org", ""])
def test_other_hosts_are_refused_unless_public(host: str) -> None:
    refusal = host_refusal(host, public=False)
    assert refusal is not None and "--public" in refusal and "\n" not in refusal
    assert host_refusal(host, public=True) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5"])
def test_serve_refuses_a_non_loopback_host_and_binds_nothing(host: str) -> None:
    port = free_port()
    result = subprocess.run(
        serve_command("--host", host, "--port", str(port)), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""  # no URL: nothing is served
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"refusing to serve on '{host}'" in result.stderr and "--public" in result.stderr
    with socket.socket() as probe:  # the port is still free: nothing was bound
        probe.bind(("127.0.0.1", port))


def test_public_accepts_any_host_with_a_warning(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """With --public a non-loopback host goes on to be bound (stopped here, before anything listens)."""
    import factdesk.cli.serve as serve

    bound: list[tuple[str, int]] = []

    def bind(host: str, port: int) -> socket.socket:
        bound.append((host, port))
        raise serve.Failure("stopped before binding (test)")

    monkeypatch.setattr(serve, "bind", bind)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123", "--public"]) == 1
    assert bound == [("0.0.0.0", 8123)]
    warning = capsys.readouterr().err.splitlines()[0]
    assert "(--public)" in warning and "anyone who can reach this address can read and mark the articles" in warning


def test_a_port_in_use_is_one_line_and_no_url(seeds_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            serve_command(str(seeds_copy), "--port", str(port)), cwd=REPO, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"factdesk: cannot serve on '127.0.0.1' port {port}: Address already in use\n"


def test_what_would_stop_every_tab_is_said_before_serving(tmp_path: Path) -> None:
    """No readable article, a damaged database: one line and exit 1 now, not a page whose session ends at once."""
    missing = subprocess.run(
        serve_command(str(tmp_path / "none"), "--port", "0"), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 1 and missing.stdout == "" and "no readable articles" in missing.stderr
    damaged = tmp_path / "marks.json"
    damaged.write_text('{"not a factdesk database', encoding="utf-8")
    result = subprocess.run(
        serve_command("--db", str(damaged), "--port", "0"), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1 and result.stdout == "" and "not a factdesk database" in result.stderr
    assert "Traceback" not in missing.stderr + result.stderr


def test_bad_port_is_a_usage_error() -> None:
    result = subprocess.run(serve_command("--port", "70000"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not a port number" in result.stderr and "Traceback" not in result.stderr


def test_help_explains_the_flags() -> None:
    result = subprocess.run(serve_command("--help"), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for flag in ("--host HOST", "--port PORT", "--public", "--db FILE", "PATH"):
        assert flag in text
    assert "127.0.0.1" in text and "loopback" in text and "browser" in text


def test_the_command_imports_no_textual_or_textual_serve_until_it_serves() -> None:
    code = (
        "import sys; from factdesk.cli import subcommand; parser, run = subcommand('serve'); parser().parse_args([]); "
        "print(sorted(m for m in ('textual', 'textual_serve', 'aiohttp') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


# --- what it runs ---------------------------------------------------------------------------------------------


def test_the_served_command_is_the_reader_with_the_same_quoted_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    hostile = tmp_path / "a b; touch pwned $(touch pwned2) 'q\""
    hostile.mkdir()
    args = serve_parser().parse_args(["a b; touch pwned $(touch pwned2) 'q\"", "--db=-m.json", "--reviewer", "x;y"])
    command = reader_command(args)
    expected = [sys.executable, "-m", "factdesk", str(hostile), "--db", str(tmp_path / "-m.json"), "--reviewer", "x;y"]
    assert shlex.split(command) == expected
    # What a shell (textual-serve runs the command through one) hands the program: exactly these words.
    shown = subprocess.run(["sh", "-c", f"printf '%s\\0' {command}"], capture_output=True, check=True).stdout
    assert shown.decode().split("\0")[:-1] == expected
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


def test_serve_prints_its_url_serves_the_page_and_runs_the_reader(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    port = free_port()
    served = Served(str(seeds_copy), "--db", str(db), "--port", str(port))
    try:
        assert served.url == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(served.url, timeout=30) as response:
            assert response.status == 200
            page = response.read().decode()
        assert "factdesk" in page and f"ws://127.0.0.1:{port}/ws" in page
        # The page's websocket: the reader draws its first claim, and a key typed in the page marks it.
        started = time.monotonic()
        screen, statuses = asyncio.run(_type_in_a_session(f"ws://127.0.0.1:{port}/ws?width=120&height=36", "v", db))
        assert "Claim 1 of" in screen
        assert statuses == [Status.VERIFIED]
        print(f"first claim drawn and marked through the page in {time.monotonic() - started:.1f} s")
    finally:
        code, err = served.stop()
    assert code in (0, 130), err
    assert "Traceback" not in err
    assert marks_on_disk(db, timeout=0) == [Status.VERIFIED]


async def _type_in_a_session(url: str, keys: str, db: Path) -> tuple[str, list[Status]]:
    """What the reader draws in a browser's session until its first claim shows; then ``keys`` are typed and the
    session stays open until the database holds a mark (or 30 s): the marks then on disk."""
    import aiohttp

    drawn = b""
    statuses: list[Status] = []
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as websocket:
        deadline = time.monotonic() + 90
        while b"Claim 1 of" not in ANSI.sub(b"", drawn) and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout=1)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                drawn += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
        await websocket.send_str(json.dumps(["stdin", keys]))
        deadline = time.monotonic() + 30
        while not statuses and time.monotonic() < deadline:
            try:  # keep reading what the reader draws while waiting for its save
                await asyncio.wait_for(websocket.receive(), timeout=0.2)
            except TimeoutError:
                pass
            statuses = marks_on_disk(db, timeout=0)
    return ANSI.sub(b"", drawn).decode(errors="replace"), statuses


# --- in a real browser ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_headless_chromium_draws_the_reader_and_takes_its_keys(seeds_copy: Path, tmp_path: Path) -> None:
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    db = tmp_path / "marks.json"
    served = Served(str(seeds_copy), "--db", str(db), "--port", str(free_port()))
    browser = Browser(tmp_path / "chromium-profile")
    try:
        browser.open(served.url)
        assert browser.wait_for(FIRST_BYTE, timeout=60), "the page never received the reader's output"
        # Keys go to the terminal once it has the focus (a click on it does the same); the Footer then shows.
        browser.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        time.sleep(2)
        shot = browser.screenshot(scale=0.5)
        (tmp_path / "reader-in-chromium.png").write_bytes(shot)
        width, height, pixels = png_pixels(shot)
        colours = Counter(pixels)
        (top, count), *_ = colours.most_common(1)
        assert (width, height) == (640, 400)
        assert len(colours) > 100, "the page is blank"
        assert count < 0.7 * len(pixels), "one colour fills the page: the reader was not drawn"
        assert tuple(top[:3]) != INTRO_BACKDROP, "the page still shows textual-serve's starting dialog"
        # A verdict is taken once the analysis has found the claims (the page cannot say when): `v` again until
        # one is saved (setting verified twice leaves one verified mark).
        deadline, statuses = time.monotonic() + 90, []
        while not statuses and time.monotonic() < deadline:
            browser.call("Input.insertText", {"text": "v"})
            statuses = marks_on_disk(db, timeout=2)
        assert statuses == [Status.VERIFIED]
    finally:
        browser.close()
        code, err = served.stop()
    assert code in (0, 130), err
    assert "Traceback" not in err
