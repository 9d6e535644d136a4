"""The note editor never drops a typed draft silently, and the f/o lists sit centred like every other dialog."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp


def make_app(corpus: Path, db: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([corpus]), Store.open(db), reviewer="alice")


async def ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def note_on_disk(db: Path) -> list[str]:
    store = Store.open(db)
    notes = [mark.note for mark in store.marks() if mark.note]
    store.close()
    return notes


@pytest.mark.slow
async def test_escape_with_a_typed_draft_asks_and_n_keeps_it(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("n", *"half a thought", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DiscardNoteScreen"
        assert "Discard the note draft? (y/n)" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("n")  # keep editing: the draft is still there, and saves
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteScreen"
        assert app.screen.query_one("TextArea").text == "half a thought"
        await pilot.press(*" finished", "ctrl+s")
        await pilot.pause()
        assert note_on_disk(db) == ["half a thought finished"]


@pytest.mark.slow
async def test_escape_then_y_discards_and_escape_on_an_unchanged_note_closes_at_once(
    seeds_copy: Path, tmp_path: Path
) -> None:
    db = tmp_path / "marks.json"
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("n", *"kept", "ctrl+s")
        await pilot.press("n", *" and more", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DiscardNoteScreen"
        await pilot.press("escape")  # escape on the question also goes back to the draft
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteScreen"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
        assert note_on_disk(db) == ["kept"]
        await pilot.press("n", "escape")  # nothing typed: closes at once, no question
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"


@pytest.mark.parametrize("key", ["f", "o"])
async def test_list_dialogs_are_centred_like_the_others(seeds_copy: Path, tmp_path: Path, key: str) -> None:
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen.query_one(".dialog").region
        await pilot.press("escape", key)
        await pilot.pause()
        dialog = app.screen.query_one(".dialog").region
        assert dialog.x == search.x and dialog.width == search.width  # centred across, like search
        assert dialog.x > 0 and dialog.y > 0
        assert dialog.bottom < 36 - 1 and abs(dialog.y - (36 - dialog.bottom)) <= 1  # centred down, not full height


async def test_a_long_dialog_keeps_its_closing_hint_on_an_80x24_terminal(seeds_copy: Path, tmp_path: Path) -> None:
    """The help list scrolls inside the dialog; the "escape / ? close" line below it stays on screen."""
    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen.query_one(".dialog").region
        hint = list(app.screen.query(".dialog-hint"))[-1]
        assert "close" in str(hint.render())
        assert hint.region.height and dialog.contains_region(hint.region)
