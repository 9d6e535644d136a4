"""The curator's dialog (``A``): every reviewer's verdict and note on a contested claim, the final verdict picked
from the scale, and the reason, which is required.

Keyboard only: a digit (or up/down and enter) picks the verdict, tab moves to the reason, ctrl+s saves, escape
cancels. The final verdict is the curator's, kept apart from the reviewers' (``annotations.review.adjudication``).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from factdesk.annotations.model import Mark, Status
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL, current_scale, verdict_text
from factdesk.annotations.text.textsafety import strip_controls

WITHDRAW = "withdraw"
MAX_DIGITS = 9


class AdjudicateScreen(ModalScreen[tuple[Status, str] | None]):
    """Dismisses with (final verdict, reason) — ``Status.UNREVIEWED`` withdraws the final verdict — or ``None``."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        *(Binding(str(n), f"pick({n})", str(n), show=False) for n in range(1, MAX_DIGITS + 1)),
    ]

    def __init__(self, quote: str, verdicts: Mapping[str, Mark], final: Mark | None) -> None:
        super().__init__()
        self.quote = quote
        self.verdicts = dict(verdicts)
        self.final = final
        self.choices: list[Status] = [verdict.status for verdict in current_scale().offered][:MAX_DIGITS]
        if final is not None:
            self.choices.append(Status.UNREVIEWED)  # the last option withdraws the final verdict

    def compose(self) -> ComposeResult:
        scale = current_scale()
        lines = []
        for reviewer, mark in sorted(self.verdicts.items(), key=lambda item: (item[0].casefold(), item[0])):
            line = f"{strip_controls(reviewer) or '(no name)'}: {verdict_text(mark.status)}"
            if mark.note.strip():
                line += f" — {strip_controls(' '.join(mark.note.split()))[:160]}"
            lines.append(line)
        options = [
            Option(f"{number}  {VERDICT_SYMBOL[status]}  {scale.label(status)}", id=status.value)
            for number, status in enumerate(self.choices, 1)
            if status is not Status.UNREVIEWED
        ]
        if self.final is not None:
            options.append(Option(f"{len(self.choices)}  ·  Withdraw the final verdict", id=WITHDRAW))
        with Vertical(classes="dialog"):
            yield Label("Final verdict", classes="dialog-title")
            yield Label(self.quote, classes="dialog-quote")
            yield Static("\n".join(lines) or "No reviewer's verdict yet.", id="adjudicate-verdicts")
            yield OptionList(*options, id="adjudicate-options")
            yield Input(
                value=self.final.note if self.final is not None else "",
                placeholder="Why (required): the evidence that decides it",
                id="adjudicate-reason",
            )
            yield Label("1-9 pick · tab reason · ctrl+s save · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.final is not None and self.final.status in self.choices:
            options.highlighted = self.choices.index(self.final.status)
        else:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(Input).focus()  # picked: now the reason

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_pick(self, number: int) -> None:
        # (a digit typed into the reason is text: the focused Input takes the key before these bindings)
        if 1 <= number <= len(self.choices):
            self.query_one(OptionList).highlighted = number - 1
            self.query_one(Input).focus()

    def action_save(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is None:
            self.notify("Pick the final verdict first (a digit).", severity="warning")
            return
        status = self.choices[highlighted]
        reason = " ".join(self.query_one(Input).value.split())
        if status is not Status.UNREVIEWED and not reason:
            self.notify("A final verdict needs its reason.", severity="warning")
            self.query_one(Input).focus()
            return
        self.dismiss((status, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
