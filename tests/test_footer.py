"""The Footer at the sizes reviewers use: the essential keys are never cut off on an 80x24 terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.commands import READER_COMMANDS

EXPECTED_ESSENTIALS = {"help", "export", "quit", "verify", "dispute", "note"}


async def visible_footer_actions(seeds_copy: Path, tmp_path: Path, size: tuple[int, int]) -> set[str]:
    """Actions whose Footer key is drawn whole, left of the palette key (what a reviewer can read)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = list(footer.query(FooterKey))
        palette = next(key for key in keys if key.has_class("-command-palette"))
        return {
            key.action
            for key in keys
            if not key.has_class("-command-palette") and key.region.right <= palette.region.x and key.region.width
        }


async def test_essential_keys_fit_an_80x24_footer(seeds_copy: Path, tmp_path: Path) -> None:
    visible = await visible_footer_actions(seeds_copy, tmp_path, (80, 24))
    assert not EXPECTED_ESSENTIALS - visible, f"cut from the Footer: {EXPECTED_ESSENTIALS - visible}"


async def test_every_footer_key_shows_at_160_columns(seeds_copy: Path, tmp_path: Path) -> None:
    visible = await visible_footer_actions(seeds_copy, tmp_path, (160, 48))
    assert visible == {command.action for command in READER_COMMANDS if command.show}


@pytest.mark.parametrize("action", sorted(EXPECTED_ESSENTIALS))
def test_essentials_are_footer_commands(action: str) -> None:
    from factdesk.tui.commands import ESSENTIAL_ACTIONS

    assert action in ESSENTIAL_ACTIONS
    assert next(c for c in READER_COMMANDS if c.action == action).show
