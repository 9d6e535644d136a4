"""The coverage view stays a readable table, and quick to open, when a corpus has more sources than columns fit."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from factdesk.annotations.compare import CoverageCell, CoverageRow
from factdesk.annotations.model import ClaimRef
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.tui.app import FactdeskApp
from factdesk.tui.screens.coverage import LIST_WIDTH, legend, source_list
from factdesk.tui.theming import default_variables
from factdesk.tui.verdict_style import styles_from_variables

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _row(states: list[str]) -> CoverageRow:
    cells = tuple(
        CoverageCell(f"a{n}", state, ClaimRef(f"a{n}", 0) if state != "absent" else None)  # type: ignore[arg-type]
        for n, state in enumerate(states)
    )
    return CoverageRow(representative=ClaimRef("a0", 0), text="claim", cells=cells, members=(), score=0.0)


def test_source_list_numbers_the_sources_that_address_the_fact() -> None:
    text = source_list(_row(["absent", "states", "absent", "differs", "states"]))
    assert isinstance(text, Text)
    assert text.plain == "2 ≠4 5"
    styles = {text.plain[span.start : span.end].strip(): span.style for span in text.spans}
    verdicts = styles_from_variables(default_variables())  # the theme's verdict colours, bold
    assert styles == {"2": verdicts.verified, "≠4": verdicts.disputed, "5": verdicts.verified}
    assert str(verdicts.verified) == f"bold {default_variables()['fd-verified']}"


def test_source_list_says_how_many_more_when_they_do_not_fit() -> None:
    states = ["states"] * 40
    text = source_list(_row(states), width=LIST_WIDTH)
    assert text.cell_len <= LIST_WIDTH
    shown = text.plain.split(" +")[0].split()
    assert text.plain.endswith(f" +{40 - len(shown)}")
    assert shown == [str(n) for n in range(1, len(shown) + 1)]


def test_legend_fits_its_lines_and_counts_the_rest() -> None:
    names = [f"source-{n}.txt" for n in range(1, 61)]
    text = legend(names, width=70, lines=2)
    assert len(text) <= 140
    assert text.startswith("Sources: 1 source-1.txt   2 source-2.txt")
    left_out = 60 - text.count(".txt")
    assert text.endswith(f"… {left_out} more (numbered as the panes)") and left_out > 0
    assert legend(names[:3], width=70) == "Sources: 1 source-1.txt   2 source-2.txt   3 source-3.txt"


def _many_sources(folder: Path, copies: int) -> Path:
    """The seeds, ``copies`` times over with a distinct first line: many sources that restate each other."""
    folder.mkdir()
    for copy in range(copies):
        for file in sorted(SEEDS.glob("*.txt")):
            text = file.read_text(encoding="utf-8")
            (folder / f"{copy}_{file.name}").write_text(f"Edition {copy}\n\n{text}", encoding="utf-8")
    return folder


async def test_many_sources_get_a_sources_column_and_rows_still_jump(tmp_path: Path) -> None:
    corpus = _many_sources(tmp_path / "corpus", 3)  # 15 sources: more than fit as columns at 80 wide
    app = FactdeskApp(load_corpus([corpus]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.reader()
        await pilot.press("c")
        await pilot.pause()
        coverage = app.screen
        assert type(coverage).__name__ == "CoverageScreen"
        table = coverage.query_one("DataTable")
        assert [str(column.label) for column in table.ordered_columns] == ["Src", "Sources", "Claim"]
        top = coverage.rows[0]
        listed = table.get_row_at(0)[1]
        assert listed.plain.split(" +")[0].split()[0] == str(
            1 + next(n for n, cell in enumerate(top.cells) if cell.state != "absent")
        )
        assert top.sources >= 3  # each fact is restated by the other editions
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader and reader.view.current_ref == top.representative


async def test_few_sources_keep_a_column_each(tmp_path: Path, seeds_copy: Path) -> None:
    app = FactdeskApp(load_corpus([seeds_copy]), Store.open(tmp_path / "marks.json"), reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert [str(column.label) for column in table.ordered_columns] == ["Src", "1", "2", "3", "4", "5", "Claim"]


def test_source_list_never_overflows_its_column() -> None:
    for count in range(1, 60):
        for states in (["states"] * count, ["differs", "states"] * count, ["absent"] * 240 + ["states"] * count):
            assert source_list(_row(states), width=LIST_WIDTH).cell_len <= LIST_WIDTH
    # The last source must fit too, not only those before a "+N" (this one is 25 wide written out whole).
    states = ["absent"] * 39
    for number in (1, 2, 24, 26, 28, 32, 35, 39):
        states[number - 1] = "states"
    for number in (2, 24, 26, 39):
        states[number - 1] = "differs"
    text = source_list(_row(states), width=LIST_WIDTH)
    assert text.cell_len <= LIST_WIDTH and text.plain.endswith(" +1")
