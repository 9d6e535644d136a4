"""What the reader shows, at the two sizes reviewers use most (160x48 and 80x24), in both bundled themes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp


@pytest.fixture
def app_factory(seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # the status line then shows a stable, relative db path

    def make(theme: str = "factdesk-dark") -> FactdeskApp:
        store = Store.open(Path("marks.json"))
        store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times on screen
        return FactdeskApp(load_corpus([seeds_copy]), store, reviewer="alice", theme=theme)

    return make


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_reader_160x48(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=_settle)


def test_reader_80x24(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=_settle)


@pytest.mark.slow
def test_reader_marks_and_note_160x48(snap_compare, app_factory) -> None:
    async def mark(pilot) -> None:
        await _settle(pilot)
        await pilot.press("v", "j", "d", "n", *"single source", "ctrl+s", "j", "tab", "j")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=mark)


def test_help_80x24(snap_compare, app_factory) -> None:
    async def help_screen(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=help_screen)


def test_reader_light_160x48(snap_compare, app_factory) -> None:
    """The light theme, with a verified and a disputed claim: gutter and inspector in its verdict colours."""

    async def mark(pilot) -> None:
        await _settle(pilot)
        await pilot.press("v", "j", "d")
        await pilot.pause()

    assert snap_compare(app_factory("factdesk-light"), terminal_size=(160, 48), run_before=mark)


def test_coverage_160x48(snap_compare, app_factory) -> None:
    async def coverage(pilot) -> None:
        await _settle(pilot)
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=coverage)


def test_search_160x48(snap_compare, app_factory) -> None:
    async def search(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"damascus")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=search)


def test_entities_160x48(snap_compare, app_factory) -> None:
    async def entities(pilot) -> None:
        await _settle(pilot)
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=entities)


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_figure_board(snap_compare, app_factory, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    """``b`` on figure records written by hand (tests/figure_data.py): a column per outlet at 160, a line per figure
    at 80; the conflict first with its explanation below the table."""
    from figure_data import seed_figures

    import factdesk.tui.app as app_module
    from factdesk.annotations.pipeline.analysis import analyze

    monkeypatch.setattr(app_module, "analyze", lambda corpus, **_: seed_figures(analyze(corpus)))

    async def board(pilot) -> None:
        await _settle(pilot)
        await pilot.press("b")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=board)
