"""Hostile file and folder names: shown, copied and exported inert, as article text already is.

A file name is as untrusted as the text inside: it may carry an OSC sequence (``ESC ] 0 ; … BEL`` retitles the
terminal), a carriage return, a bidi override, or Textual markup (``[@click=app.quit]``) that a notification
would interpret. Each case goes through what the reviewer sees (Pilot: the notifications and the status line;
a real pty: the bytes the terminal receives), what ``y`` copies (the OSC 52 payload, decoded) and every export.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from test_terminal import Terminal

from factdesk.annotations.model import Anchor, ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
# Raw control/invisible characters that must never reach a terminal (tab and newline are layout).
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
OSC_TITLE = "x\x1b]0;PWNED\x07.txt"
CLICK = "[@click=app.quit]q.txt"
STYLE = "[bold red]alarm.txt"
RLO = "\u202eevil.txt"
CR = "cr\rname.txt"
NAMES = (OSC_TITLE, CLICK, STYLE, RLO, CR)
FOLDER = "desk \x1b]0;PWNED\x07 [b]"  # the database lands beside the articles: its path is shown too


@pytest.fixture
def hostile_names(tmp_path: Path) -> Path:
    """A seed article under each hostile name, each in cp1252 (so each gets a decoding notice that names it),
    and a duplicate of one under a markup name (so a skipped-file problem names it too)."""
    folder = tmp_path / FOLDER
    folder.mkdir()
    for name, seed in zip(NAMES, SEEDS, strict=False):
        text = "Café owners said 12 shops closed on Sunday.\n" + seed.read_text(encoding="utf-8")
        (folder / name).write_bytes(text.encode("cp1252", errors="replace"))
    (folder / "[@click=app.quit]dup.txt").write_bytes((folder / CLICK).read_bytes())
    return folder


def _active(text: str) -> list[str]:
    return ACTIVE.findall(text.replace("\n", "").replace("\t", ""))


def _app(folder: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([folder]), Store.open(folder / "factdesk.json"), reviewer="alice")


async def _ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert pilot.app.reader().review is not None


async def test_notifications_show_hostile_names_as_plain_inert_text(hostile_names: Path) -> None:
    from textual.widgets._toast import Toast

    app = _app(hostile_names)
    async with app.run_test(size=(200, 60), notifications=True) as pilot:
        await _ready(pilot)
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert len(shown) >= len(NAMES)  # a notice per article and the skipped duplicate
        assert not [t for t in shown if _active(t)], "a control character reached a notification"
        # Markup in a name is shown as typed, never interpreted (no click action, no style eating the name).
        assert any("[@click=app.quit]" in t for t in shown) and any(STYLE in t for t in shown)
        assert any("x␛]0;PWNED␇.txt" in t for t in shown)
        assert app.is_running
        status = str(app.reader().query_one("#status-line").render())
        assert not _active(status) and "PWNED" in status


async def test_copying_a_claim_copies_no_control_character(hostile_names: Path) -> None:
    app = _app(hostile_names)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(200, 60)) as pilot:
        await _ready(pilot)
        for _ in range(len(app.reader().review.analysis.articles)):  # type: ignore[union-attr]
            await pilot.press("y", "right_square_bracket")
            await pilot.pause()
    assert len(copied) == len(NAMES)
    assert not [c for c in copied if _active(c)], copied
    assert any("x␛]0;PWNED␇.txt" in c for c in copied) and any("cr␍name.txt" in c for c in copied)


@pytest.mark.slow
def test_hostile_names_never_reach_the_terminal_raw(hostile_names: Path, terminal_env) -> None:
    db = hostile_names / "factdesk.json"
    term = Terminal([sys.executable, "-m", "factdesk", str(hostile_names), "--db", str(db)], terminal_env)
    try:
        term.expect(r"Claim 1 of \d+")
        for _ in NAMES:
            term.send("y]")
            term.read(0.4)
        term.read(1.0)
    finally:
        term.send("q")
        term.read(0.5)
        term.close()
    raw = term.output
    assert b"\x1b]0;PWNED" not in raw, "a file name retitled the terminal"
    assert "\u202e".encode() not in raw and b"cr\rname" not in raw
    payloads = [base64.b64decode(p).decode() for p in re.findall(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)", raw)]
    assert len(payloads) == len(NAMES), "y sends the claim to the terminal's clipboard (OSC 52)"
    assert not [p for p in payloads if _active(p)], payloads


@pytest.fixture
def terminal_env(isolated_home: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(REPO))
    return env


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120, errors="surrogateescape")


def _assert_inert(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert not _active(result.stdout), _active(result.stdout)
    assert not _active(result.stderr), _active(result.stderr)


def test_every_export_of_hostile_names_is_inert(hostile_names: Path) -> None:
    store = Store.open(hostile_names / "factdesk.json")
    review = Review(analyze(load_corpus([hostile_names])), store, "alice")
    for article in review.analysis.articles:
        review.set_status(ClaimRef(article.article.id, article.claims[0].index), Status.VERIFIED)
    store.close()
    for fmt in ("markdown", "json", "annotations", "claimreview"):
        result = _run("export", str(hostile_names), "--format", fmt, "--all")
        assert result.returncode == 0, result.stderr
        _assert_inert(result)
        assert "skipped" in result.stderr  # the duplicate, named inertly
        if fmt == "markdown":
            tokens = MarkdownIt("commonmark").enable("table").parse(result.stdout)
            kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
            assert not {k for k in kinds if k.startswith("html")} and "link_open" not in kinds
        else:
            json.loads(result.stdout)
    _assert_inert(_run("analyze", str(hostile_names)))
    _assert_inert(_run("analyze", str(hostile_names), "--json"))


def test_command_line_errors_and_help_name_nothing_raw(hostile_names: Path) -> None:
    bad = _run("export", str(hostile_names), f"--{OSC_TITLE}")
    assert bad.returncode == 2
    _assert_inert(bad)
    assert "PWNED" in bad.stderr
    _assert_inert(_run("--help"))


def test_a_database_holding_hostile_text_is_inert_when_printed(tmp_path: Path) -> None:
    """Found by the fuzz run: a note with C1 controls or a bidi override was written raw into the database (JSON
    with non-ASCII kept), so ``cat factdesk.json`` fed them to the terminal. They are escaped; the value read back
    is the very same text."""
    hostile = "note \x9d0;PWNED\x9c \u202eevil \u200b end"
    db = tmp_path / "factdesk.json"
    anchor = Anchor("a quote", "", "", 0, 7)
    with Store.open(db) as store:
        store.set_note("article-1", anchor, hostile, "ed\u202e")
    raw = db.read_bytes().decode("utf-8")
    assert not ACTIVE.search(raw), "a terminal-active character reached the database file raw"
    with Store.open(db) as store:
        mark = store.mark("article-1", anchor, "ed\u202e")
        assert mark is not None and mark.note == hostile
