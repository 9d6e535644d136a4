"""``?``: every key, from the same command list that feeds the bindings and the palette."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from factdesk.annotations.review.verdicts import VERDICT_SYMBOL, VERDICTS, verdict_label
from factdesk.tui.commands import PALETTE_ONLY_HELP, READER_COMMANDS, display_keys


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", priority=True),
    ]

    def __init__(self, db_path: str, reviewer: str) -> None:
        super().__init__()
        self.db_path = db_path
        self.reviewer = reviewer

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for command in READER_COMMANDS:
            table.add_row(display_keys(command), command.help)
        for keys, text in PALETTE_ONLY_HELP:
            table.add_row(keys, text)
        legend = Text()
        legend.append("Gutter: ")
        legend.append("▌", style="bold")
        verdicts = " · ".join(f"{VERDICT_SYMBOL[status]} {verdict_label(status).lower()}" for status in VERDICTS)
        legend.append(f" current claim · {verdicts} · ✎ has a note\n")
        legend.append(f"Marks are saved the moment you make them, in {self.db_path}\n")
        legend.append(f"Reviewer: {self.reviewer}")
        with Vertical(classes="dialog"):
            yield Label("factdesk keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(table)
                yield Static(legend, classes="dialog-hint")
            yield Label("escape / ? close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
