"""``e``: export the brief — save it to a file (always possible) or copy it.

The file is named after the corpus (:func:`factdesk.annotations.export.brief_files.default_brief_name`) and a file
already there is replaced without a question only when it is this corpus' previous brief; anything else — the
user's own notes, another corpus' brief — gets a confirm step inside the dialog first (``y`` replace, ``n`` or
``escape`` back to the file name), keyboard-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from factdesk.annotations.export.brief_files import replace_problem
from factdesk.annotations.text.textsafety import strip_controls

HINT = "enter / ctrl+s save · ctrl+y copy · escape cancel"
CONFIRM_HINT = "y replace · n or escape keep it and pick another name"


@dataclass(frozen=True)
class ExportRequest:
    action: str  # "save" or "copy"
    path: Path | None
    include_unreviewed: bool


class ExportScreen(ModalScreen[ExportRequest | None]):
    DEFAULT_CSS = """
    ExportScreen #export-confirm {
        height: auto;
        margin-top: 1;
    }
    ExportScreen #export-confirm-text {
        width: 100%;
    }
    ExportScreen #export-confirm-buttons {
        height: auto;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+y", "copy", "Copy", priority=True),
        # Only while asking whether to replace a file (the file name field has no focus then, so typing is safe).
        Binding("y", "replace", "Replace", show=False),
        Binding("n", "keep", "Keep", show=False),
    ]

    def __init__(self, default_path: Path, summary: str, corpus_key: str = "") -> None:
        super().__init__()
        self.default_path = default_path
        self.summary = summary
        self.corpus_key = corpus_key
        self.confirming: ExportRequest | None = None  # the save waiting for "replace it?"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export the brief (Markdown)", classes="dialog-title")
            yield Label(self.summary, markup=False)
            yield Input(str(self.default_path), id="export-path")
            yield Checkbox("Also list unreviewed claims", id="export-all")
            with Vertical(id="export-confirm"):
                yield Label("", id="export-confirm-text", markup=False)
                with Horizontal(id="export-confirm-buttons"):
                    yield Button("Replace it (y)", id="export-replace", variant="warning")
                    yield Button("Keep it (n)", id="export-keep")
            with Horizontal(id="export-buttons"):
                yield Button("Save to file", id="export-save", variant="primary")
                yield Button("Copy to clipboard", id="export-copy")
                yield Button("Cancel", id="export-cancel")
            yield Label(HINT, id="export-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-confirm").display = False
        self.query_one(Input).focus()

    def _request(self, action: str) -> ExportRequest:
        text = self.query_one(Input).value.strip()
        path = Path(text).expanduser() if text else self.default_path
        if path.is_dir():  # a folder: the brief's own name inside it
            path = path / self.default_path.name
        return ExportRequest(action, path, self.query_one(Checkbox).value)

    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.confirming is not None:
            return  # the question on screen wants y or n
        request = self._request("save")
        assert request.path is not None
        problem = replace_problem(request.path, self.corpus_key)
        if problem is None:
            self.dismiss(request)
            return
        self.confirming = request
        self.query_one("#export-confirm-text", Label).update(strip_controls(f"{problem}. Replace it?"))
        self._asking(True)
        self.query_one("#export-keep", Button).focus()  # the safe answer is the default one

    def _asking(self, asking: bool) -> None:
        """Show the question (and its keys) in place of the save/copy buttons, or put them back."""
        self.query_one("#export-confirm").display = asking
        self.query_one("#export-buttons").display = not asking
        self.query_one("#export-hint", Label).update(CONFIRM_HINT if asking else HINT)

    def action_replace(self) -> None:
        if self.confirming is not None:
            self.dismiss(self.confirming)

    def action_keep(self) -> None:
        """Back to the file name, the existing file untouched."""
        if self.confirming is None:
            return
        self.confirming = None
        self._asking(False)
        self.query_one(Input).focus()

    def action_copy(self) -> None:
        self.dismiss(self._request("copy"))

    def action_cancel(self) -> None:
        if self.confirming is not None:
            self.action_keep()
            return
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-save":
            self.action_save()
        elif event.button.id == "export-copy":
            self.action_copy()
        elif event.button.id == "export-replace":
            self.action_replace()
        elif event.button.id == "export-keep":
            self.action_keep()
        else:
            self.action_cancel()
