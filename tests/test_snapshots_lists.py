"""What the claims list (``l``) and a pane header's progress look like, at 160x48 and 80x24."""

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

    def make() -> FactdeskApp:
        store = Store.open(Path("marks.json"))
        store._clock = lambda: datetime(2024, 12, 9, 12, 0, tzinfo=UTC)  # stable times on screen
        return FactdeskApp(load_corpus([seeds_copy]), store, reviewer="alice", theme="factdesk-dark")

    return make


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["160x48", "80x24"])
def test_claims_list(snap_compare, app_factory, size: tuple[int, int]) -> None:
    """A verified, a disputed claim with a note, then the list filtered to disputed: the filter line, the counts
    line (each value's count given the others) and the rows (verdict, note marker, outlet, claim number, text)."""

    async def listed(pilot) -> None:
        await _settle(pilot)
        await pilot.press("v", "j", "d", "n", *"one source", "ctrl+s", "l")
        await pilot.pause()
        await pilot.press("v", "v")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=listed)


def test_claims_list_unfiltered_160x48(snap_compare, app_factory) -> None:
    async def listed(pilot) -> None:
        await _settle(pilot)
        await pilot.press("v", "j", "d", "l", "j", "j")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=listed)


def test_pane_header_progress_80x24(snap_compare, app_factory) -> None:
    """Two claims reviewed: the header reads "2/20 reviewed" before the outlet."""

    async def marked(pilot) -> None:
        await _settle(pilot)
        await pilot.press("v", "j", "d")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=marked)


def test_search_highlight_160x48(snap_compare, app_factory) -> None:
    """After a search's hit is jumped to, its words are highlighted in the text of every pane."""

    async def searched(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"damascus", "enter")
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(160, 48), run_before=searched)
