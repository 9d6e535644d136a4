"""Whose name goes on marks: ``--reviewer``, else ``$FACTDESK_REVIEWER``, else the name remembered in the settings,
else the reader asks once (and remembers it) — never the login name ("Reviewer: root" in a brief)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.model import Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.locations import settings_path
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.cli.common import reviewer_name
from factdesk.tui.app import FactdeskApp

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user: no $FACTDESK_REVIEWER, nothing remembered yet."""
    monkeypatch.delenv("FACTDESK_REVIEWER", raising=False)


def remembered() -> object:
    return json.loads(settings_path().read_text("utf-8")).get("reviewer")


def test_the_login_name_is_never_used(no_name) -> None:
    assert reviewer_name(None) == ""


def test_flag_then_environment_then_settings(no_name, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"theme": "factdesk-light", "reviewer": "Dana"}), "utf-8")
    assert reviewer_name(None) == "Dana"
    monkeypatch.setenv("FACTDESK_REVIEWER", "envname")
    assert reviewer_name(None) == "envname"
    assert reviewer_name("flagname") == "flagname"


async def test_the_reader_asks_once_and_remembers(no_name, seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer=reviewer_name(None))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewerScreen"
        await pilot.press(*"Dana Reyes", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        await pilot.press("v")
        await pilot.pause()
        assert "reviewer: Dana Reyes" in str(app.screen.query_one("#status-line").render())
    assert remembered() == "Dana Reyes"
    assert [m.reviewer for m in Store.open(db).marks()] == ["Dana Reyes"]
    assert reviewer_name(None) == "Dana Reyes"  # next start: no question


async def test_a_skipped_question_comes_back_before_the_first_mark(no_name, seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(db), reviewer="")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")  # not now
        await pilot.pause()
        await pilot.press("j", "j")  # reading needs no name
        assert type(app.screen).__name__ == "ReaderScreen"
        await pilot.press("d")  # a mark does
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewerScreen"
        assert Store.open(db).marks() == []
        await pilot.press(*"Sam", "enter")
        await pilot.pause()
        marks = Store.open(db).marks()
        assert [(m.reviewer, m.status) for m in marks] == [("Sam", Status.DISPUTED)]  # the key went on once named


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_export_without_a_name_lists_the_marks_reviewers(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    corpus = load_corpus([seeds_copy])
    review = Review(analyze(corpus), Store.open(db), "bob")
    review.set_status(_first_ref(review), Status.VERIFIED)
    review.store.close()
    env = {k: v for k, v in os.environ.items() if k != "FACTDESK_REVIEWER"}
    result = run_cli("export", str(seeds_copy), "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr
    reviewers = next(line for line in result.stdout.splitlines() if line.startswith("- Reviewer"))
    assert reviewers == "- Reviewer: bob"  # from the marks; no name made up for whoever runs the export
    result = run_cli("export", str(seeds_copy), "--db", str(tmp_path / "empty.json"), env=env)
    assert result.returncode == 0, result.stderr
    assert "- Reviewers: none recorded" in result.stdout  # no login name made up for an empty brief


def _first_ref(review: Review):
    from factdesk.annotations.model import ClaimRef

    article = review.analysis.articles[0]
    return ClaimRef(article.article.id, article.claims[0].index)


def test_a_new_user_is_asked_in_a_real_terminal(seeds_copy: Path, tmp_path: Path) -> None:
    """``factdesk`` with no name anywhere: the question shows, the answer is on the marks and in the settings."""
    from test_terminal import Terminal  # the pty helper of tests/test_terminal.py

    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST")) and k != "FACTDESK_REVIEWER"}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PYTHONPATH=str(REPO))
    db = tmp_path / "marks.json"
    term = Terminal([sys.executable, "-m", "factdesk", str(seeds_copy), "--db", str(db)], env)
    try:
        term.expect(r"Your name on marks:")
        term.expect(r"Claim 1 of \d+")
        term.send("Kim Lee\r")
        term.expect(r"reviewer: Kim Lee")
        term.send("v")
        term.expect(r"saved: verified")
        term.send("q")
        assert term.process.wait(15) == 0
    finally:
        term.close()
    assert [m.reviewer for m in Store.open(db).marks()] == ["Kim Lee"]
    assert remembered() == "Kim Lee"
