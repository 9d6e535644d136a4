"""``c``: the coverage matrix — which source states each fact, differs on it, or is silent."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from annotations.compare import CoverageRow
from annotations.model import ClaimRef, CorpusAnalysis
from annotations.textsafety import strip_controls

CELL = {"states": ("✓", "bold green"), "differs": ("≠", "bold red"), "absent": ("·", "dim")}


def short_source(name: str, width: int = 12) -> str:
    name = strip_controls(name)
    return name if len(name) <= width else name[: width - 1] + "…"


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
            legend = "   ".join(
                f"{number} {short_source(a.article.source, 18)}" for number, a in enumerate(self.analysis.articles, 1)
            )
            yield Label(f"Sources: {legend}", classes="dialog-hint", markup=False)
            yield DataTable(id="coverage-table", cursor_type="row", zebra_stripes=True)
            yield Label(
                "✓ states it · ≠ gives a different figure · · silent   enter jump · escape close", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Src", key="sources")
        for number, article in enumerate(self.analysis.articles, start=1):
            table.add_column(str(number), key=article.article.id)  # named in the legend above
        table.add_column("Claim", key="claim")
        # The claim takes what is left of the dialog's width, so every column fits without scrolling sideways.
        claim_width = max(self.app.size.width - 16 - 4 * len(self.analysis.articles), 20)
        for index, row in enumerate(self.rows):
            cells: list[Text | str] = [Text(f"{row.sources}" + ("≠" if row.contested else ""), style="bold")]
            for article in self.analysis.articles:
                cell = row.cell(article.article.id)
                symbol, style = CELL[cell.state if cell else "absent"]
                cells.append(Text(symbol, style=style, justify="center"))
            claim = strip_controls(row.text)
            cells.append(claim if len(claim) <= claim_width else claim[: claim_width - 1] + "…")
            table.add_row(*cells, key=str(index))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.rows[int(event.row_key.value)].representative)

    def action_close(self) -> None:
        self.dismiss(None)
