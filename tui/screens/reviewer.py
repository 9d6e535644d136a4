"""The question "Your name on marks:", asked once when no ``--reviewer``, ``$FACTDESK_REVIEWER`` or saved name is known.

Every mark carries a reviewer's name, and a brief lists them; the login name ("root" on a shared server)
would be wrong there. Enter gives the name (the reader saves it in the settings file), escape
leaves it for later: the question comes back before the first mark, never in the middle of one.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from factdesk.annotations.storage.settings import MAX_REVIEWER_LENGTH, clean_reviewer


class ReviewerScreen(ModalScreen[str | None]):
    """Asks for the reviewer's name; dismisses with the cleaned name, or None when put off (escape)."""

    BINDINGS = [Binding("escape", "later", "Later", priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your name on marks:", classes="dialog-title")
            yield Input(placeholder="e.g. Dana Reyes", max_length=MAX_REVIEWER_LENGTH, id="reviewer-name")
            yield Label(
                "enter save (remembered for next time; --reviewer or $FACTDESK_REVIEWER override it) · escape later",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = clean_reviewer(event.value)
        if name:
            self.dismiss(name)
        else:
            self.notify("Type your name, or press escape to mark nothing for now.", severity="warning")

    def action_later(self) -> None:
        self.dismiss(None)
