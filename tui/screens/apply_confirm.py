"""The question ``a`` asks before giving a verdict to matching claims: which claims it will change, yes or no.

Why: a verdict given to the wrong claim is worse than none, and the match score is a
probability, not a certainty. So ``a`` offers only matches scoring at least
``APPLY_THRESHOLD`` (their measured precision, see match_model.py), lists each claim it
would change (outlet, claim number, score and text) and applies nothing until the
reviewer confirms: ``y`` or ``enter`` applies, ``n`` or ``escape`` cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label

from factdesk.annotations.text.textsafety import strip_controls


@dataclass(frozen=True)
class ApplyLine:
    """One claim the verdict would go to, as the dialog lists it."""

    outlet: str
    claim_number: int
    score: float
    text: str


class ApplyConfirmScreen(ModalScreen[bool]):
    """Lists the claims ``a`` would change; dismisses with True (apply) or False (cancel)."""

    DEFAULT_CSS = """
    ApplyConfirmScreen {
        align: center middle;
    }
    ApplyConfirmScreen #apply-claims {
        height: auto;
        max-height: 50vh;
    }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Apply", priority=True),
        Binding("n,escape", "answer(False)", "Cancel", key_display="n/esc", priority=True),
    ]

    def __init__(self, verdict: str, lines: Sequence[ApplyLine]) -> None:
        super().__init__()
        self.verdict = verdict
        self.lines = tuple(lines)

    def compose(self) -> ComposeResult:
        count = len(self.lines)
        with Vertical(classes="dialog"):
            yield Label(
                f"Give “{self.verdict}” to {count} matching claim{'s' if count != 1 else ''}?",
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="apply-claims"):
                for line in self.lines:
                    text = strip_controls(line.text)
                    if len(text) > 160:
                        text = text[:159] + "…"
                    yield Label(
                        f"{strip_controls(line.outlet)}, claim {line.claim_number} (match {line.score:.2f}): {text}",
                        classes="apply-claim",
                        markup=False,
                    )
            yield Label("y or enter apply · n or escape cancel (nothing changes)", classes="dialog-hint")
        yield Footer()

    def action_answer(self, apply: bool) -> None:
        self.dismiss(apply)
