"""Search claims across every article; ``enter`` jumps to the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from factdesk.annotations.model import ClaimRef, CorpusAnalysis
from factdesk.annotations.review.claim_numbers import ClaimNumbers, claim_label
from factdesk.annotations.review.search import find_claims
from factdesk.annotations.text.textsafety import strip_controls


def no_hits_message(query: str) -> str:
    """ "No claims match 'xyz'" (the query neutralised: it is shown on screen)."""
    return f"No claims match '{strip_controls(' '.join(query.split()))}'"


class SearchScreen(ModalScreen[ClaimRef | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("down", "cursor(1)", "Next", show=False, priority=True),
        Binding("up", "cursor(-1)", "Previous", show=False, priority=True),
    ]

    def __init__(self, analysis: CorpusAnalysis, query: str = "") -> None:
        super().__init__()
        self.analysis = analysis
        self.query_text = query
        self.refs: list[ClaimRef] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Search claims", classes="dialog-title")
            yield Input(self.query_text, placeholder="words to find in claims…", id="search-input")
            yield OptionList(id="search-results")
            yield Label("", id="search-empty", markup=False)
            yield Label("enter jump · ↑/↓ choose · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._update(self.query_text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, query: str) -> None:
        self.query_text = query
        results = find_claims(self.analysis, query)
        empty = self.query_one("#search-empty", Label)
        empty.update(no_hits_message(query) if query.split() and not results else "")
        empty.display = bool(query.split() and not results)
        self.refs = [ref for ref, _, _ in results]
        options = self.query_one(OptionList)
        options.clear_options()
        number = ClaimNumbers(self.analysis)  # "claim 3": the inspector's "Claim 3 of 20" and the brief's number
        for ref, source, text in results:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(strip_controls(source)[:24], style="bold")
            label.append(f"  {claim_label(number(ref))}  ", style="dim")
            label.append(strip_controls(text))
            options.add_option(Option(label))
        if results:
            options.highlighted = 0

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    @property
    def words(self) -> tuple[str, ...]:
        """The words searched for (what the reader highlights once a hit is jumped to)."""
        return tuple(self.query_text.split())

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.refs:
            self.dismiss(self.refs[options.highlighted])
        elif self.words:
            self.dismiss(None)  # a search with no hits: the reader's status line says so too

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.refs[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
