"""The evidence dialogs: ``E`` (URLs and citations of the current claim, listed and removable) and ``L``'s relation
picker (how this claim relates to the claim under the other pane's cursor).

Keyboard only. The dialog changes nothing itself: each add or removal is handed to the reader (an
:class:`EvidenceDesk`), which saves it through the review — on disk first — and the list is redrawn from what was
saved; a refused entry (a ``javascript:`` address, control characters) is said under the fields and stays typed.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from factdesk.annotations.review.evidence import LINK_SYMBOL, RELATION_LABEL, RELATIONS, EvidenceItem
from factdesk.annotations.text.textsafety import strip_controls

__all__ = ["EvidenceDesk", "EvidenceScreen", "RelationPickerScreen"]


class EvidenceDesk(Protocol):
    """What the dialog asks of the reader: the claim's items, and saving a change (an error message, or ``None``)."""

    def items(self) -> list[EvidenceItem]: ...

    def add(self, kind: str, text: str) -> str | None: ...

    def remove(self, item: EvidenceItem) -> str | None: ...


def item_line(item: EvidenceItem, source_of: dict[str, str] | None = None) -> str:
    """One list line: what the item is, then who added it and when (all made inert for the terminal)."""
    if item.kind == "link":
        where = (source_of or {}).get(item.article_id, "another article")
        quote = item.anchor.quote if item.anchor else ""
        what = f"{LINK_SYMBOL} {RELATION_LABEL.get(item.relation, item.relation)} · {where}: “{quote}”"
    else:
        what = item.label
    return strip_controls(f"{what}   ({item.reviewer} {item.added[:10]})")


class EvidenceScreen(ModalScreen[None]):
    """Add a URL (enter in the URL field), a citation (enter in the citation field); tab to the list, where ``d`` or
    delete removes the highlighted item; escape closes."""

    # Its own classes (the shared .dialog's margins would win over these): compact fields, one row each, and no spare
    # margins, so on an 80x24 terminal the list and the hint still show.
    DEFAULT_CSS = """
    EvidenceScreen { align: center middle; }
    EvidenceScreen .evidence-dialog {
        width: 80%; max-width: 110; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    EvidenceScreen .evidence-title { text-style: bold; color: $primary; }
    EvidenceScreen .evidence-quote { text-style: italic; max-height: 2; }
    EvidenceScreen .field-label { color: $foreground-muted; }
    EvidenceScreen Input { background: $boost; }
    EvidenceScreen #evidence-list { height: auto; max-height: 40vh; text-wrap: nowrap; text-overflow: ellipsis; }
    EvidenceScreen #evidence-error { color: $error; text-style: bold; height: auto; }
    EvidenceScreen .evidence-hint { width: 100%; color: $foreground-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", priority=True),
        Binding("d,delete", "remove", "Remove", show=False),
    ]

    def __init__(self, quote: str, desk: EvidenceDesk, source_of: dict[str, str] | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.desk = desk
        self.source_of = source_of or {}
        self.shown: list[EvidenceItem] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="evidence-dialog"):
            yield Label("Evidence on this claim", classes="evidence-title")
            yield Label(self.quote, classes="evidence-quote", markup=False)
            yield Label("URL (http, https, doi, file) — enter adds it", classes="field-label", markup=False)
            yield Input(placeholder="https://…", id="evidence-url", max_length=2048, compact=True)
            yield Label("Citation (one paragraph) — enter adds it", classes="field-label", markup=False)
            yield Input(placeholder="Author, title, where, when", id="evidence-citation", max_length=2000, compact=True)
            yield Label("", id="evidence-error", markup=False)
            yield OptionList(id="evidence-list")
            yield Label(
                "tab next field or the list · d / delete remove the highlighted item · escape close",
                classes="evidence-hint",
            )

    def on_mount(self) -> None:
        self._reload()
        self.query_one("#evidence-url", Input).focus()

    def _reload(self, keep: int | None = None) -> None:
        """List what is saved now (the reader's answer, never the dialog's own idea of it)."""
        self.shown = self.desk.items()
        options = self.query_one("#evidence-list", OptionList)
        options.clear_options()
        if self.shown:
            # One row each (cut with …): the list must fit a 24-row terminal; the inspector shows an item whole.
            options.add_options(
                [
                    Option(Text(item_line(item, self.source_of), no_wrap=True, overflow="ellipsis"))
                    for item in self.shown
                ]
            )
            options.highlighted = min(keep or 0, len(self.shown) - 1)
        else:
            options.add_option(Option("No evidence yet.", disabled=True))

    def _say(self, message: str) -> None:
        self.query_one("#evidence-error", Label).update(strip_controls(message))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        kind = "url" if event.input.id == "evidence-url" else "citation"
        error = self.desk.add(kind, event.value)
        if error is not None:
            self._say(error)
            return
        self._say("")
        event.input.value = ""
        self._reload()

    def action_remove(self) -> None:
        options = self.query_one("#evidence-list", OptionList)
        if not options.has_focus:
            return  # d is a letter in a field; only the list removes
        index = options.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return
        error = self.desk.remove(self.shown[index])
        self._say(error or "")
        self._reload(keep=index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":  # let a field take "d" as a letter
            return self.query_one("#evidence-list", OptionList).has_focus
        return True

    def action_close(self) -> None:
        self.dismiss(None)


class RelationPickerScreen(ModalScreen[str | None]):
    """How this claim relates to the other pane's: a digit or enter picks, escape cancels."""

    DEFAULT_CSS = """
    RelationPickerScreen { align: center middle; }
    RelationPickerScreen .dialog { max-width: 90; }
    RelationPickerScreen OptionList { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", priority=True),
        *(Binding(str(n), f"pick({n})", str(n), show=False) for n in range(1, len(RELATIONS) + 1)),
    ]

    def __init__(self, quote: str, other: str, where: str) -> None:
        super().__init__()
        self.quote = quote
        self.other = other
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Link this claim", classes="dialog-title")
            yield Label(self.quote, classes="dialog-quote", markup=False)
            yield Label(f"to {self.where}:", markup=False)
            yield Label(self.other, classes="dialog-quote", markup=False)
            yield OptionList(
                *(
                    Option(f"{number}  {LINK_SYMBOL} {RELATION_LABEL[relation]}", id=relation)
                    for number, relation in enumerate(RELATIONS, 1)
                ),
                id="relation-options",
            )
            yield Label("1-4 or enter pick · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(RELATIONS[event.option_index])

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(RELATIONS):
            self.dismiss(RELATIONS[number - 1])

    def action_cancel(self) -> None:
        self.dismiss(None)
