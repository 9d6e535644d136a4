"""The whole verdict scale in one small dialog (``r``): a digit or enter picks, escape cancels.

Why a picker beside the direct keys (``v``, ``d``, ``M``, ``U``, ``C``): a team may rename or trim the scale
(``annotations.review.verdicts``), and a reviewer who does not remember a letter sees every verdict, its symbol and
its word here, numbered in the scale's order.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL, current_scale

MAX_DIGITS = 9


class VerdictPickerScreen(ModalScreen[Status | None]):
    """Dismisses with the picked verdict, or ``None`` when cancelled."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel", priority=True),
        *(Binding(str(n), f"pick({n})", str(n), show=False) for n in range(1, MAX_DIGITS + 1)),
    ]

    def __init__(self, quote: str, current: Status) -> None:
        super().__init__()
        self.quote = quote
        self.current = current
        self.choices = [verdict.status for verdict in current_scale().offered][:MAX_DIGITS]

    def compose(self) -> ComposeResult:
        scale = current_scale()
        options = [
            Option(
                f"{number}  {VERDICT_SYMBOL[status]}  {scale.label(status)}"
                + ("   (current)" if status is self.current else ""),
                id=status.value,
            )
            for number, status in enumerate(self.choices, 1)
        ]
        with Vertical(classes="dialog"):
            yield Label("Verdict", classes="dialog-title")
            yield Label(self.quote, classes="dialog-quote")
            yield OptionList(*options, id="verdict-options")
            yield Label("1-9 or enter pick · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.choices):
            self.dismiss(self.choices[number - 1])
        else:
            self.notify(f"The scale has {len(self.choices)} verdicts.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
