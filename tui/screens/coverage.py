"""``c``: the coverage matrix — which source states each fact, differs on it, or is silent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from factdesk.annotations.compare import CoverageRow
from factdesk.annotations.model import ClaimRef, CorpusAnalysis
from factdesk.annotations.review.verdicts import COVERAGE_SYMBOL, DIFFERS_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.theming import default_variables
from factdesk.tui.verdict_style import VerdictStyles, styles_from_variables, verdict_styles

MIN_CLAIM_WIDTH = 20
LIST_WIDTH = 24  # the "Sources" column, when there are too many sources for a column each
LEGEND_LINES = 2  # the legend of source numbers never takes more of the dialog than this
COPY_SYMBOL = "="  # the source is a syndicated copy of an earlier source in the row: the same story, counted once


def short_source(name: str, width: int = 12) -> str:
    name = strip_controls(name)
    return name if len(name) <= width else name[: width - 1] + "…"


def source_list(row: CoverageRow, width: int = LIST_WIDTH, styles: VerdictStyles | None = None) -> Text:
    """The numbers of the sources that state the fact (``≠`` before those that give another figure), as many as
    fit in ``width``, then how many more: the row's cells when there is no room for a column per source.

    Coloured with ``styles`` (the app's theme; without it, the default theme's)."""
    styles = styles or styles_from_variables(default_variables())
    addressed = [
        (
            (COPY_SYMBOL if cell.copy_of is not None else "")
            + (DIFFERS_SYMBOL if cell.state == "differs" else "")
            + str(number),
            cell.state,
        )
        for number, cell in enumerate(row.cells, 1)
        if cell.state != "absent"
    ]
    shown = len(addressed)
    # The most that fit, with " +N" for the rest when some are left out (a sum of the shown lengths and spaces).
    while (
        shown
        and sum(len(label) + 1 for label, _ in addressed[:shown])
        - 1
        + (len(f" +{len(addressed) - shown}") if shown < len(addressed) else 0)
        > width
    ):
        shown -= 1
    text = Text(no_wrap=True)
    for index, (label, state) in enumerate(addressed[:shown]):
        text.append((" " if index else "") + label, style=styles.cell(state))
    if shown < len(addressed):
        text.append(f"{' ' if shown else ''}+{len(addressed) - shown}", style="dim")
    return text


def copy_marks(analysis: CorpusAnalysis) -> dict[int, int]:
    """Article position → the number (1-based, as in the legend) of the first article of its copy group."""
    position = {a.article.id: i for i, a in enumerate(analysis.articles)}
    marks: dict[int, int] = {}
    for group in analysis.copy_groups:
        found = [position[a] for a in group.articles if a in position]
        for other in found[1:]:
            marks[other] = found[0] + 1
    return marks


def legend(names: list[str], width: int, lines: int = LEGEND_LINES, copies: dict[int, int] | None = None) -> str:
    """ "Sources: 1 name   2 name =1 …", cut to ``lines`` lines of ``width`` with how many sources are left out.

    ``copies`` (from :func:`copy_marks`) marks a syndicated copy with the number of the source it copies."""
    copies = copies or {}
    text = "Sources:"
    for shown, name in enumerate(names):
        mark = f" {COPY_SYMBOL}{copies[shown]}" if shown in copies else ""
        piece = f"{'   ' if shown else ' '}{shown + 1} {short_source(name, 18)}{mark}"
        more = f"   … {len(names) - shown} more (numbered as the panes)"
        if len(text) + len(piece) + (len(more) if shown + 1 < len(names) else 0) > width * lines:
            return text + more
        text += piece
    return text


class CoverageScreen(ModalScreen[ClaimRef | None]):
    BINDINGS = [
        Binding("escape,c,q", "close", "Close", priority=True),
    ]

    def __init__(self, analysis: CorpusAnalysis, rows: list[CoverageRow]) -> None:
        super().__init__()
        self.analysis = analysis
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label(
                f"Coverage: {len(self.rows)} facts stated by two or more sources "
                "(most corroborated and most contested first)",
                classes="dialog-title",
            )
            names = [a.article.source for a in self.analysis.articles]
            copies = copy_marks(self.analysis)
            # (The dialog's inner width: 95 % of the screen less its border and padding, see factdesk.tcss.)
            inner = max(int(self.app.size.width * 0.95) - 6, 30)
            yield Label(legend(names, inner, copies=copies), id="coverage-legend", classes="dialog-hint", markup=False)
            yield DataTable(id="coverage-table", cursor_type="row", zebra_stripes=True)
            states, differs, absent = (COVERAGE_SYMBOL[state] for state in ("states", "differs", "absent"))
            yield Label(
                f"{states} states it · {differs} gives a different figure · {absent} silent"
                + (f" · {COPY_SYMBOL} a copy (counted once)" if copies else "")
                + "   enter jump · escape close",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        styles = verdict_styles(self.app)
        articles = self.analysis.articles
        table.add_column("Src", key="sources")
        # A column per source while they fit beside a readable claim; past that (a corpus of dozens or hundreds
        # of articles) one column lists each row's sources by number — a matrix wider than the screen reads as
        # dots, and a table of rows × sources cells takes seconds to build.
        room = self.app.size.width - 16
        as_columns = room - 4 * len(articles) >= MIN_CLAIM_WIDTH
        if as_columns:
            for number, article in enumerate(articles, start=1):
                table.add_column(str(number), key=article.article.id)  # named in the legend above
            claim_width = room - 4 * len(articles)
        else:
            table.add_column("Sources", key="source-list")
            claim_width = max(room - LIST_WIDTH - 2, MIN_CLAIM_WIDTH)
        table.add_column("Claim", key="claim")
        # The claim takes what is left of the dialog's width, so every column fits without scrolling sideways.
        for index, row in enumerate(self.rows):
            # "Src" counts independent sources: copies of one wire story are one source.
            cells: list[Text | str] = [
                Text(f"{row.independent}" + (DIFFERS_SYMBOL if row.contested else ""), style="bold")
            ]
            if as_columns:
                for cell in row.cells:  # (one per article, in corpus order)
                    symbol = COPY_SYMBOL if cell.copy_of is not None else COVERAGE_SYMBOL[cell.state]
                    cells.append(Text(symbol, style=styles.cell(cell.state), justify="center"))
            else:
                cells.append(source_list(row, styles=styles))
            claim = strip_controls(row.text)
            cells.append(claim if len(claim) <= claim_width else claim[: claim_width - 1] + "…")
            table.add_row(*cells, key=str(index))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:  # every row is added with its index as the key
            self.dismiss(self.rows[int(event.row_key.value)].representative)

    def action_close(self) -> None:
        self.dismiss(None)
