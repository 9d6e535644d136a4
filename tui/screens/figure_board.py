"""``b``: the figure board — every measure × scope a row, each outlet's figures in it, conflicts marked.

The table comes from :func:`factdesk.annotations.review.figure_table.figure_table` (the brief's "Figures across
sources" is the same table). While a column per outlet fits beside the row labels, the board is that matrix (a
cell shows each figure with its bound, and its time and attribution on the line below); with more outlets than fit,
it lists one line per figure (row, outlet, value, time and attribution), so nothing is cut off or scrolled sideways.
The line under the table spells out the highlighted cell: every figure in full and the row's explanation. Enter jumps
the reader to the figure's sentence, as the coverage matrix does.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from factdesk.annotations.model import ClaimRef
from factdesk.annotations.review.figure_table import FigureColumn, FigureEntry, FigureRow, FigureTable
from factdesk.annotations.review.verdicts import DIFFERS_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.coverage import COPY_SYMBOL, short_source
from factdesk.tui.verdict_style import VerdictStyles, verdict_styles

LABEL_WIDTH = 26  # the row label ("≠ people killed" over its scope)
CELL_WIDTH = 20  # one outlet's column in the matrix
MAX_ROW_LINES = 3  # a matrix row is at most this tall; a cell with more says "+N more"
SOURCE_WIDTH = 16  # the long layout's "Source" column at its narrowest


def _cut(text: str, width: int) -> str:
    text = " ".join(strip_controls(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def column_label(column: FigureColumn, positions: dict[str, int], width: int = CELL_WIDTH) -> str:
    """ "3 Reuters", or "4 AP =3" for a copy of source 3's story (numbered as the panes and the coverage legend)."""
    copy = f" {COPY_SYMBOL}{positions[column.copy_of]}" if column.copy_of in positions else ""
    room = max(width - len(str(column.position)) - len(copy) - 1, 4)
    return f"{column.position} {short_source(column.outlet, room)}{copy}"


def row_label(row: FigureRow, styles: VerdictStyles, width: int = LABEL_WIDTH) -> Text:
    """The measure (after ``≠`` when the row is in conflict), its scope on the next line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if row.conflict:
        text.append(f"{DIFFERS_SYMBOL} ", style=styles.conflict)
    text.append(_cut(row.measure, width - (2 if row.conflict else 0)), style="bold")
    if row.scope:
        text.append("\n" + _cut(row.scope, width), style="italic")
    return text


def _context(entry: FigureEntry) -> str:
    return " · ".join(part for part in (entry.time, entry.attribution) if part)


def cell_text(
    entries: tuple[FigureEntry, ...], styles: VerdictStyles, lines: int = MAX_ROW_LINES, width: int = CELL_WIDTH
) -> Text:
    """An outlet's figures in one row: each value (in the conflict colour when a conflict names it) and, on the
    line below, its time and attribution; ``lines`` at most, the figures left out counted on the last."""
    shown: list[tuple[str, Style | str]] = []
    for number, entry in enumerate(entries):
        group: list[tuple[str, Style | str]] = [
            (_cut(entry.value, width), styles.conflict if entry.in_conflict else "bold")
        ]
        context = _context(entry)
        if context:
            group.append((_cut(context, width), "dim"))
        rest = len(entries) - number - 1
        if len(shown) + len(group) + (1 if rest else 0) > lines:
            shown = shown[: lines - 1] if len(shown) >= lines else shown
            shown.append((f"+{len(entries) - sum(1 for _, style in shown if style != 'dim')} more", "dim"))
            break
        shown += group
    text = Text(no_wrap=True)
    for number, (line, style) in enumerate(shown):
        text.append(("\n" if number else "") + line, style=style)
    return text


@dataclass(frozen=True)
class _Slot:
    """What one table row shows: the board row, and per table column the figures that column's cell holds."""

    row: FigureRow
    cells: tuple[tuple[FigureEntry, ...], ...]  # per table column (the label column first, empty)
    columns: tuple[FigureColumn | None, ...]  # the outlet behind each table column (None for the label)


class FigureBoardScreen(ModalScreen[ClaimRef | None]):
    BINDINGS = [
        Binding("enter", "jump", "Jump to the figure", priority=True),
        Binding("escape,q,b", "close", "Close", key_display="esc", priority=True),
    ]

    def __init__(self, table: FigureTable) -> None:
        super().__init__()
        self.table = table
        self.slots: list[_Slot] = []
        self.as_columns = True

    def compose(self) -> ComposeResult:
        table = self.table
        outlets = len(table.columns)
        independent = len({column.copy_of or column.article_id for column in table.columns})
        conflicts = sum(row.conflict for row in table.rows)
        with Vertical(classes="dialog wide-dialog"):
            yield Label(
                f"Figures across sources: {len(table.rows)} measure × scope rows, {outlets} outlets"
                + (f" ({independent} independent)" if independent != outlets else "")
                + (f", {conflicts} {DIFFERS_SYMBOL} in conflict" if conflicts else "")
                + " · conflicts first",
                classes="dialog-title",
                markup=False,
            )
            if not table.rows:
                yield Static(
                    "No figures to compare yet: the analysis found no figure with a known measure in the claims.",
                    id="figure-empty",
                )
            yield DataTable(id="figure-table", cursor_type="cell", zebra_stripes=True)
            yield Static("", id="figure-detail", markup=False)
            yield Label(
                f"{DIFFERS_SYMBOL} cannot all hold · {COPY_SYMBOL}N a copy of source N, counted once",
                classes="dialog-hint",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        styles = verdict_styles(self.app)
        # (The dialog's inner width: 95 % of the screen less its border and padding, see factdesk.tcss.)
        inner = max(int(self.app.size.width * 0.95) - 6, 30)
        self.as_columns = LABEL_WIDTH + len(self.table.columns) * (CELL_WIDTH + 2) <= inner
        if self.as_columns:
            self._matrix(table, styles)
        else:
            self._long(table, styles, inner)
        table.focus()
        self._show_detail()

    def _matrix(self, table: DataTable, styles: VerdictStyles) -> None:
        positions = {column.article_id: column.position for column in self.table.columns}
        table.add_column("Figure", key="figure")
        for column in self.table.columns:
            table.add_column(Text(column_label(column, positions)), key=column.article_id)  # Text: never markup
        for row in self.table.rows:
            cells = [cell_text(entries, styles) for entries in row.cells]
            height = max([1 + bool(row.scope), *(len(cell.plain.split("\n")) for cell in cells if cell.plain)])
            table.add_row(row_label(row, styles), *cells, height=min(height, MAX_ROW_LINES), key=str(len(self.slots)))
            self.slots.append(_Slot(row, ((), *row.cells), (None, *self.table.columns)))

    def _long(self, table: DataTable, styles: VerdictStyles, inner: int) -> None:
        """A line per figure: the row's label beside its first figure, then the outlet, the value over its time and
        attribution (a narrow screen, or more outlets than columns fit)."""
        positions = {column.article_id: column.position for column in self.table.columns}
        # Outlets are named whole when the screen has room ("www.shropshirestar.com.txt =6"), cut only when not.
        longest = max((len(column_label(c, positions, 200)) for c in self.table.columns), default=SOURCE_WIDTH)
        source_width = max(SOURCE_WIDTH, min(longest, inner - LABEL_WIDTH - CELL_WIDTH - 6))
        value_width = max(inner - LABEL_WIDTH - source_width - 6, CELL_WIDTH)
        for label, key in (("Figure", "figure"), ("Source", "source"), ("Value · when · who", "value")):
            table.add_column(label, key=key)
        table.cursor_type = "row"
        for row in self.table.rows:
            first = True
            for column, entries in zip(self.table.columns, row.cells, strict=True):
                for entry in entries:
                    value = cell_text((entry,), styles, width=value_width)
                    height = max(len(value.plain.split("\n")), 1 + bool(row.scope) if first else 1)
                    table.add_row(
                        row_label(row, styles) if first else Text(""),
                        Text(column_label(column, positions, source_width)),  # an outlet's name is never markup
                        value,
                        height=height,
                        key=str(len(self.slots)),
                    )
                    self.slots.append(_Slot(row, ((entry,),) * 3, (column,) * 3))
                    first = False

    # --- the highlighted cell ------------------------------------------------------------------------------------

    def _current(self) -> tuple[_Slot, tuple[FigureEntry, ...], FigureColumn | None] | None:
        table = self.query_one(DataTable)
        if not self.slots or not 0 <= table.cursor_coordinate.row < len(self.slots):
            return None
        slot = self.slots[table.cursor_coordinate.row]
        column = table.cursor_coordinate.column if self.as_columns else 1
        return slot, slot.cells[column], slot.columns[column]

    def _show_detail(self) -> None:
        detail = self.query_one("#figure-detail", Static)
        current = self._current()
        if current is None:
            detail.update("")
            return
        slot, entries, column = current
        positions = {c.article_id: c.position for c in self.table.columns}
        lines = []
        if column is None:  # the row's label
            row = slot.row
            copies = row.outlets - row.independent
            lines.append(
                f"{row.label}: {row.outlets} outlet{'s' if row.outlets != 1 else ''}"
                + (f" ({row.independent} independent, {copies} a copy)" if copies else "")
            )
        elif not entries:
            lines.append(f"{column_label(column, positions, 24)} gives no figure for {slot.row.label}")
        else:
            for entry in entries[:2]:
                lines.append(f"{column_label(column, positions, 24)}: {entry.describe()}")
            if len(entries) > 2:
                lines.append(f"… and {len(entries) - 2} more")
        if slot.row.conflict:
            lines.append(f"{DIFFERS_SYMBOL} {slot.row.explanation_line}")
        detail.update("\n".join(strip_controls(line) for line in lines))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def action_jump(self) -> None:
        """The highlighted figure's sentence; on a row's label, the row's first figure."""
        current = self._current()
        if current is None:
            return
        slot, entries, column = current
        target = entries[0] if entries else slot.row.first() if column is None else None
        if target is None:
            self.app.bell()
            return
        self.dismiss(target.ref)

    def action_close(self) -> None:
        self.dismiss(None)
