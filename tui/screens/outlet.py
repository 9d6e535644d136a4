"""The question "Outlet of this article:", asked by ``O`` in the reader.

The text does not always say who published it, and a file name such as
``000_b2a9….txt`` tells the reviewer nothing; the name given here is kept in the
marks database by article hash and shown in the panes, the brief and ClaimReview.
Enter saves (an empty line goes back to the outlet the text names), escape cancels.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from factdesk.annotations.storage.outlets import MAX_OUTLET_LENGTH, clean_outlet
from factdesk.annotations.text.textsafety import strip_controls


class OutletScreen(ModalScreen[str | None]):
    """Asks for an article's outlet; dismisses with the cleaned name ("" = back to detected), or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True)]

    def __init__(self, current: str, detected: str) -> None:
        super().__init__()
        self.current = clean_outlet(current)
        self.detected = strip_controls(detected)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Outlet of this article:", classes="dialog-title")
            yield Input(
                value=self.current,
                placeholder="e.g. The Harbour Gazette",
                max_length=MAX_OUTLET_LENGTH,
                id="outlet-name",
            )
            yield Label(
                f"enter save (kept in the database) · empty: back to “{self.detected}” · escape cancel",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(clean_outlet(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
