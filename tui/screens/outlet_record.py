"""``R``: the outlet record — each outlet's verdict counts across every corpus in the database.

The reviewer's own track record of the outlets they read (not a third party's rating): a row per outlet, most
marks first, a column per verdict the marks hold (in the scale's order), the total, and how many articles and
corpora (folders) the marks come from. The counting is :func:`factdesk.annotations.review.outlet_record.outlet_record`
(``factdesk stats --outlets`` prints the same); ``r`` narrows it to one reviewer and cycles through them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from factdesk.annotations.model import Mark, Status
from factdesk.annotations.review.outlet_record import OutletRecord, outlet_record, verdict_heading
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.verdict_style import VerdictStyles, verdict_styles

MAX_WIDTH = 140  # the dialog's, as in DEFAULT_CSS
MAX_OUTLET_WIDTH = 32
MIN_OUTLET_WIDTH = 12
FIXED_COLUMNS = (("Total", 5), ("Articles", 8), ("Corpora", 7))


def _status(verdict: str) -> Status | None:
    try:
        return Status(verdict)
    except ValueError:
        return None


def _symbol(verdict: str) -> str:
    status = _status(verdict)
    return VERDICT_SYMBOL.get(status, "") if status is not None else ""


def column_headings(verdicts: Sequence[str], room: int) -> tuple[list[str], bool]:
    """Each verdict's heading: "✓ Verified" while every column fits in ``room`` cells, else the symbol alone
    (a verdict without one keeps its first letters); and whether the short form was taken (a legend says it)."""
    full = [f"{_symbol(v)} {verdict_heading(v)}".strip() for v in verdicts]
    if sum(len(heading) + 2 for heading in full) <= room:
        return full, False
    return [_symbol(v) or verdict_heading(v)[:4] for v in verdicts], True


def _cut(name: str, width: int) -> str:
    name = " ".join(strip_controls(name).split())
    return name if len(name) <= width else name[: width - 1] + "…"


class OutletRecordScreen(ModalScreen[None]):
    """The outlet record as a table; ``r`` cycles every reviewer → one reviewer → … ; escape, q or R close it."""

    BINDINGS = [
        Binding("r", "next_reviewer", "Reviewer", priority=True),
        Binding("escape,q,R", "close", "Close", key_display="esc", priority=True),
    ]

    DEFAULT_CSS = """
    OutletRecordScreen {
        align: center middle;
    }
    #outlet-record-dialog {  /* (not the app's .dialog: its width rules would win over a screen's own CSS) */
        width: 95%;
        max-width: 140;
        height: auto;  /* as tall as its rows, above the Footer: the view's own keys stay visible */
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    OutletRecordScreen DataTable {
        height: auto;
        max-height: 50vh;  /* a long record scrolls; a 24-row terminal keeps the title and the legend */
    }
    OutletRecordScreen .dialog-title, OutletRecordScreen .dialog-hint {
        width: 100%;  /* wrap rather than cut on a narrow terminal */
    }
    """

    def __init__(self, marks: Sequence[Mark], resolve: Callable[[Mark], str], reviewer: str = "") -> None:
        """``marks``: every mark of the database; ``resolve`` names a mark's outlet (an ``OutletResolver``);
        ``reviewer``: the reader's reviewer, the first one ``r`` narrows to."""
        super().__init__()
        self.marks = list(marks)
        self.resolve = resolve
        self.record = outlet_record(self.marks, resolve)
        others = [name for name in self.record.reviewers if name != reviewer]
        mine = [reviewer] if reviewer in self.record.reviewers else []
        self.choices: list[str | None] = [None, *mine, *others]  # None: every reviewer

    def compose(self) -> ComposeResult:
        with Vertical(id="outlet-record-dialog"):
            yield Label("", id="outlet-record-title", classes="dialog-title", markup=False)
            yield Static("No verdicts in the database yet.", id="outlet-record-empty", markup=False)
            yield DataTable(id="outlet-record-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="outlet-record-hint", classes="dialog-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._show(self.record)
        self.query_one(DataTable).focus()

    def _show(self, record: OutletRecord) -> None:
        """Fill the title, the table and the legend from ``record``."""
        self.record = record
        whose = "every reviewer" if record.reviewer is None else f"reviewer {strip_controls(record.reviewer)}"
        plural = "s" if record.total != 1 else ""
        self.query_one("#outlet-record-title", Label).update(
            f"Outlet record: {record.total} verdict{plural} by {whose}, across every corpus in the database"
            " · most marked first"
        )
        self.query_one("#outlet-record-empty", Static).display = not record.rows
        table = self.query_one(DataTable)
        table.display = bool(record.rows)
        table.clear(columns=True)
        # (The dialog's inner width: 95 % of the screen up to MAX_WIDTH, less its border, padding and the table's
        # cell padding.)
        inner = max(min(int(self.app.size.width * 0.95), MAX_WIDTH) - 8, 30)
        longest = max((len(strip_controls(row.outlet)) for row in record.rows), default=0)
        outlet_width = max(MIN_OUTLET_WIDTH, min(MAX_OUTLET_WIDTH, longest))
        fixed = sum(width + 2 for _, width in FIXED_COLUMNS)
        headings, short = column_headings(record.verdicts, inner - outlet_width - 2 - fixed)
        styles = verdict_styles(self.app)
        table.add_column(Text("Outlet"), key="outlet")
        for verdict, heading in zip(record.verdicts, headings, strict=True):
            table.add_column(Text(heading, style=self._style(verdict, styles)), key=verdict)
        for name, _ in FIXED_COLUMNS:
            table.add_column(Text(name), key=name.lower())
        for number, row in enumerate(record.rows):
            cells = [Text(_cut(row.outlet, outlet_width), no_wrap=True)]  # Text: a name is never markup
            for verdict in record.verdicts:
                count = row.count(verdict)
                style = self._style(verdict, styles) if count else "dim"
                cells.append(Text(str(count), style=style, justify="right"))
            cells.append(Text(str(row.total), style="bold", justify="right"))
            cells.append(Text(str(row.articles), justify="right"))
            cells.append(Text(str(row.corpora), justify="right"))
            table.add_row(*cells, key=str(number))
        legend = ""
        if short:
            pairs = zip(record.verdicts, headings, strict=True)
            legend = " · ".join(f"{heading} {verdict_heading(v)}" for v, heading in pairs) + "   "
        self.query_one("#outlet-record-hint", Label).update(
            f"{legend}Corpora: the folders the articles came from · r reviewer · escape close"
        )

    @staticmethod
    def _style(verdict: str, styles: VerdictStyles) -> Style | str:
        status = _status(verdict)
        return styles.status(status) if status is not None else ""

    def action_next_reviewer(self) -> None:
        """Every reviewer → the reader's reviewer → each other reviewer → every reviewer again."""
        at = self.choices.index(self.record.reviewer) if self.record.reviewer in self.choices else 0
        reviewer = self.choices[(at + 1) % len(self.choices)]
        self._show(outlet_record(self.marks, self.resolve, reviewer=reviewer))

    def action_close(self) -> None:
        self.dismiss(None)
