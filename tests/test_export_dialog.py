"""The reader's export dialog (``e``) and claim numbers: what a reviewer reads on screen matches the brief.

Driven through Pilot like a user: the dialog names the file after the corpus, never replaces a file that is not
this corpus' previous brief without a keyboard confirmation, and "Claim 3 of 20" in the inspector is "claim 3" in
the brief, in search results and in the disagreement list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from factdesk.annotations.export.briefs import brief_markdown
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens.export import ExportScreen
from factdesk.tui.screens.reader import ReaderScreen


def make_app(corpus_folder: Path, db: Path) -> FactdeskApp:
    return FactdeskApp(load_corpus([corpus_folder]), Store.open(db), reviewer="alice")


async def ready(pilot) -> ReaderScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.reader()
    assert screen.review is not None
    return screen


async def open_export(pilot, path: Path | None = None) -> ExportScreen:
    await pilot.press("e")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    if path is not None:
        dialog.query_one("#export-path", Input).value = str(path)
    return dialog


@pytest.mark.slow
async def test_export_dialog_names_the_brief_after_the_corpus_and_asks_before_replacing(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(seeds_copy, tmp_path / "marks.json")
    mine = tmp_path / "notes.md"
    mine.write_text("my own notes\n", encoding="utf-8")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("v")
        dialog = await open_export(pilot)
        # Named after the corpus folder ("corpus"), in the current directory — not one shared factdesk-brief.md.
        assert dialog.query_one("#export-path", Input).value == str(tmp_path / "corpus-brief.md")

        dialog.query_one("#export-path", Input).value = str(mine)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and mine.read_text(encoding="utf-8") == "my own notes\n"  # asked, not written
        confirm = dialog.query_one("#export-confirm")
        assert confirm.display and "not a brief of this corpus" in str(
            dialog.query_one("#export-confirm-text").render()
        )
        await pilot.press("ctrl+s")  # saving again is not an answer
        await pilot.pause()
        assert app.screen is dialog and mine.read_text(encoding="utf-8") == "my own notes\n"
        await pilot.press("n")  # keep it: back to the file name
        await pilot.pause()
        assert app.screen is dialog and not confirm.display and dialog.focused is dialog.query_one("#export-path")
        await pilot.press("enter", "escape")  # escape answers the question too, and leaves the dialog open
        await pilot.pause()
        assert app.screen is dialog and not confirm.display
        assert mine.read_text(encoding="utf-8") == "my own notes\n"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # replace it
        await pilot.pause()
        assert app.screen is screen
        assert mine.read_text(encoding="utf-8") == brief_markdown(screen.review)

        # Our own previous brief of this corpus is replaced without a question.
        await pilot.press("j", "d")
        await open_export(pilot, mine)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert mine.read_text(encoding="utf-8") == brief_markdown(screen.review)
        assert "## Disputed claims (1)" in mine.read_text(encoding="utf-8")

        # A folder means the corpus-named file inside it.
        folder = tmp_path / "briefs"
        folder.mkdir()
        await open_export(pilot, folder)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert (folder / "corpus-brief.md").read_text(encoding="utf-8") == brief_markdown(screen.review)


@pytest.mark.slow
async def test_claim_numbers_agree_between_reader_brief_search_and_lists(seeds_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "marks.json"
    analysis = analyze(load_corpus([seeds_copy]))
    first = analysis.articles[0]
    third = first.claims[2]
    assert third.index == 3  # a heading comes before it: claim 3 is sentence 4
    text = first.sentence_text(third)
    with Store.open(db) as store:  # bob disputed it before alice opens the reader
        Review(analysis, store, "bob").set_status(ClaimRef(first.article.id, third.index), Status.DISPUTED)
    app = make_app(seeds_copy, db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "v")
        await pilot.pause()
        assert screen.view.analysis.sentence_text(screen.view.current) == text
        inspector = str(screen.query_one("#inspector").render())
        assert f"Claim 3 of {len(first.claims)}" in inspector

        brief = brief_markdown(screen.review)
        [heading] = [line for line in brief.splitlines() if line.startswith("### ") and "claim 3" in line]
        assert brief.index(heading) < brief.index(text[:40])
        assert "sentence 4" not in brief

        await pilot.press("slash", *"critical city connecting")
        await pilot.pause()
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == 1
        assert "claim 3" in str(results.get_option_at_index(0).prompt)
        await pilot.press("escape", "f")
        await pilot.pause()
        listed = app.screen.query_one("#disagreements", OptionList)
        assert "claim 3" in str(listed.get_option_at_index(0).prompt)


async def test_the_status_line_never_calls_a_rank_a_claim_number(seeds_copy: Path, tmp_path: Path) -> None:
    import re

    from textual.widgets import Static

    app = make_app(seeds_copy, tmp_path / "marks.json")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        await pilot.press("w")
        await pilot.pause()
        inspector = str(screen.query_one("#inspector").render())
        status = str(screen.query_one("#status-line", Static).render())
        [shown] = re.findall(r"Claim (\d+) of", inspector)
        assert "check-worthy" in status
        assert all(number == shown for number in re.findall(r"\bclaim (\d+)", status, re.IGNORECASE)), status
