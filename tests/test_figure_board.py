"""``b`` in the reader: the figure board opens, shows a row per measure × scope, jumps to a figure, and closes.

The analysis is the seeds' own with figure records written by hand (``figure_data``): each points at a number the
seeds really contain, so a jump is checked against the sentence the reader then shows.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from figure_data import figure_ref, seed_figures

import factdesk.tui.app as app_module
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp


@pytest.fixture
def board_app(seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FactdeskApp:
    monkeypatch.setattr(app_module, "analyze", lambda corpus, **_: seed_figures(analyze(corpus)))
    return FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")


async def _open_board(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    reader = pilot.app.reader()
    await pilot.press("b")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "FigureBoardScreen"
    return reader, pilot.app.screen


def _plain(cell) -> str:
    return getattr(cell, "plain", str(cell))


async def test_b_opens_a_board_with_a_row_per_measure_and_scope_and_a_column_per_outlet(board_app) -> None:
    async with board_app.run_test(size=(160, 48)) as pilot:
        _, board = await _open_board(pilot)
        table = board.query_one("DataTable")
        labels = [str(column.label) for column in table.ordered_columns]
        assert labels[0] == "Figure" and len(labels) == 6  # the five seeds each give a figure
        assert labels[2] == "2 iKurd.net" and labels[3] == "3 Reuters =1"  # 002 is a copy of 000's story
        rows = [_plain(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert rows[0] == "≠ people displaced\nSyria"  # the conflict first
        assert "distance from Damascus\nrebel forces" in rows and len(rows) == 5  # "Thousands" has no measure
        displaced = table.get_row_at(0)
        assert _plain(displaced[4]) == "nearly 300,000\nsince late November…"  # cut to the column; in full below
        assert _plain(displaced[5]).startswith("more than 370,000\nin just a week · ")
        detail = str(board.query_one("#figure-detail").render())
        assert "≠ by time: nearly 300,000 since late November" in detail and "SOHR 300,000 vs UN 370,000" in detail
        footer_actions = {binding.action for (_, binding, enabled, _) in board.active_bindings.values() if enabled}
        assert {"jump", "close"} <= footer_actions and board.query("Footer")


async def test_enter_on_a_cell_jumps_the_reader_to_that_figures_sentence(board_app) -> None:
    async with board_app.run_test(size=(160, 48)) as pilot:
        reader, board = await _open_board(pilot)
        await pilot.press("right", "right", "right", "right", "right")  # the displaced row, source 5's cell
        await pilot.pause()
        assert "5 004_ca4f9e456fb637fd.…: more than 370,000 (in just a week; the UN)" in str(
            board.query_one("#figure-detail").render()
        )
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is reader
        analysis = reader.review.analysis
        assert reader.view.current_ref == figure_ref(analysis, "004", 9)
        assert reader.view.analysis.article.path.name.startswith("004_")
        # Again: the distance row, on the copy's (Reuters) cell.
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("down", "right", "right", "right", "enter")
        await pilot.pause()
        assert reader.view.current_ref == figure_ref(analysis, "002", 14)


async def test_enter_on_an_empty_cell_stays_and_on_a_label_goes_to_the_rows_first_figure(board_app) -> None:
    async with board_app.run_test(size=(160, 48)) as pilot:
        reader, board = await _open_board(pilot)
        await pilot.press("right", "enter")  # source 1 gives no displaced figure
        await pilot.pause()
        assert pilot.app.screen is board
        assert "gives no figure for people displaced — Syria" in str(board.query_one("#figure-detail").render())
        await pilot.press("left", "enter")
        await pilot.pause()
        assert reader.view.current_ref == figure_ref(reader.review.analysis, "003", 9)


async def test_narrow_board_lists_a_line_per_figure_and_jumps(board_app) -> None:
    async with board_app.run_test(size=(80, 24)) as pilot:
        reader, board = await _open_board(pilot)
        table = board.query_one("DataTable")
        assert [str(c.label) for c in table.ordered_columns] == ["Figure", "Source", "Value · when · who"]
        assert table.row_count == 7  # a line per figure with a known measure
        assert _plain(table.get_row_at(1)[0]) == ""  # the row's label is on its first figure's line only
        assert _plain(table.get_row_at(1)[2]).startswith("more than 370,000\nin just a week")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert reader.view.current_ref == figure_ref(reader.review.analysis, "004", 9)


async def test_a_line_per_figure_names_each_outlet_whole_when_there_is_room(board_app) -> None:
    async with board_app.run_test(size=(110, 30)) as pilot:
        _, board = await _open_board(pilot)
        table = board.query_one("DataTable")
        assert [str(c.label) for c in table.ordered_columns][1] == "Source"  # a line per figure at this width
        sources = {_plain(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert "4 003_2f458b3b670532ec.txt" in sources and not any(s.endswith("…") for s in sources)


@pytest.mark.parametrize("key", ["escape", "q", "b"])
async def test_escape_q_and_b_close_the_board_where_the_reader_was(board_app, key: str) -> None:
    async with board_app.run_test(size=(120, 30)) as pilot:
        reader, _ = await _open_board(pilot)
        before = reader.view.current_ref
        await pilot.press("down", key)
        await pilot.pause()
        assert pilot.app.screen is reader and reader.view.current_ref == before
        assert pilot.app.is_running  # q closes the board, not factdesk


@pytest.mark.slow
async def test_board_is_offered_by_the_palette_and_listed_in_help(board_app) -> None:
    async with board_app.run_test(size=(160, 48)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=120, record=True, file=io.StringIO())
        console.print(pilot.app.screen.query_one("#help-body Static").content)
        assert re.search(r"^b +Figure board: each outlet.s figures per measure × scope", console.export_text(), re.M)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"figure board")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "FigureBoardScreen"


async def test_board_without_figures_says_so(seeds_copy: Path, tmp_path: Path, monkeypatch) -> None:
    from dataclasses import replace

    monkeypatch.setattr(app_module, "analyze", lambda corpus, **_: replace(analyze(corpus), figures=(), conflicts=()))
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        reader, board = await _open_board(pilot)
        assert "No figures to compare yet" in str(board.query_one("#figure-empty").render())
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert pilot.app.screen is reader


@pytest.mark.parametrize("size", [(160, 48), (80, 24)], ids=["columns", "lines"])
async def test_outlet_names_and_measures_are_shown_literally(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """An outlet called "[/b]" or a measure with markup or escape characters is text, never Rich markup."""
    from dataclasses import replace

    hostile = "[/b] [bold]Wire[/bold] \x1b[31m"

    def analysed(corpus, **_):
        analysis = seed_figures(analyze(corpus))
        articles = tuple(replace(a, article=replace(a.article, source=hostile)) for a in analysis.articles)
        figures = tuple(
            replace(f, measure=f"{f.measure} [i]" if f.measure else "", scope=hostile) for f in analysis.figures
        )
        return replace(analysis, articles=articles, figures=figures)

    monkeypatch.setattr(app_module, "analyze", analysed)
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=size) as pilot:
        _, board = await _open_board(pilot)
        table = board.query_one("DataTable")
        shown = " ".join(_plain(cell) for i in range(table.row_count) for cell in table.get_row_at(i))
        shown += " ".join(column.label.plain for column in table.ordered_columns)
        assert "[/b]" in shown and "[i]" in shown and "\x1b" not in shown
