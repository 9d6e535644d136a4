"""The note editor: multi-line, ``ctrl+s`` saves, ``escape`` cancels — never losing typed text silently.

Escape on an unchanged note closes at once; escape on a changed draft asks first
("Discard the note draft? (y/n)"), keyboard-only, so a reviewer who meant to save
does not lose a paragraph to one key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class DiscardNoteScreen(ModalScreen[bool]):
    """The one question before a changed draft is thrown away: ``y`` discards, ``n`` or ``escape`` goes back."""

    BINDINGS = [
        Binding("y", "answer(True)", "Discard", priority=True),
        Binding("n,escape", "answer(False)", "Keep editing", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Discard the note draft? (y/n)", classes="dialog-title")
            yield Label("y discard what you typed · n or escape keep editing", classes="dialog-hint")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class NoteScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self.quote = quote
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Note on this claim", classes="dialog-title")
            yield Label(self.quote, classes="dialog-quote", markup=False)
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · escape cancel · an empty note removes it", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def changed(self) -> bool:
        """The draft differs from the note the editor opened with."""
        return self.query_one(TextArea).text != self.note

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(DiscardNoteScreen(), answered)
