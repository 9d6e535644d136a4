"""``e``: export the brief — save it to a file (always possible) or copy it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label


@dataclass(frozen=True)
class ExportRequest:
    action: str  # "save" or "copy"
    path: Path | None
    include_unreviewed: bool


class ExportScreen(ModalScreen[ExportRequest | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+y", "copy", "Copy", priority=True),
    ]

    def __init__(self, default_path: Path, summary: str) -> None:
        super().__init__()
        self.default_path = default_path
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export the brief (Markdown)", classes="dialog-title")
            yield Label(self.summary, markup=False)
            yield Input(str(self.default_path), id="export-path")
            yield Checkbox("Also list unreviewed claims", id="export-all")
            with Horizontal(id="export-buttons"):
                yield Button("Save to file", id="export-save", variant="primary")
                yield Button("Copy to clipboard", id="export-copy")
                yield Button("Cancel", id="export-cancel")
            yield Label("enter / ctrl+s save · ctrl+y copy · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _request(self, action: str) -> ExportRequest:
        text = self.query_one(Input).value.strip()
        path = Path(text).expanduser() if text else self.default_path
        return ExportRequest(action, path, self.query_one(Checkbox).value)

    @on(Input.Submitted)
    def action_save(self) -> None:
        self.dismiss(self._request("save"))

    def action_copy(self) -> None:
        self.dismiss(self._request("copy"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-save":
            self.action_save()
        elif event.button.id == "export-copy":
            self.action_copy()
        else:
            self.action_cancel()
