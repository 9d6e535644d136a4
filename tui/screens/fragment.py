"""Fragment mode (``x``): a transparent layer over the reader that takes the mode's keys and shows them in its Footer.

Why a layer rather than a flag on the reader: ``l``, ``L``, ``h``, ``w``, ``v`` … mean other things in the reader;
here they move the selection and mark it, and the reader underneath stays exactly as it was (its text in view, the
pane's scroll kept, the selection drawn in it). ``escape`` or ``x`` leaves. The word steps are
:class:`~factdesk.annotations.review.fragments.Selection`; saving goes through the reader
(:class:`~factdesk.tui.screens.reader_fragments.FragmentActions`), which writes the store first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.fragments import Selection
from factdesk.annotations.review.verdicts import current_scale, verdict_label
from factdesk.annotations.text.textsafety import strip_controls

if TYPE_CHECKING:
    from factdesk.tui.screens.reader_fragments import FragmentActions

QUOTE_CHARS = 60  # the bar shows this much of a long selection, then "…"

#: The mode's keys: (keys, action, Footer label, shown in the Footer, key shown).
FRAGMENT_KEYS: tuple[tuple[str, str, str, bool, str | None], ...] = (  # (Footer order: an 80-column one shows ~8)
    ("l,right", "extend_end", "End →", True, "l"),
    ("h,left", "shrink_end", "End ←", True, "h"),
    ("v", "mark('verified')", "Verified", True, None),
    ("d", "mark('disputed')", "Disputed", True, None),
    ("escape,x", "leave", "Leave", True, "esc"),
    ("J", "two_sentences", "+Sentence", True, None),
    ("L,shift+right", "shrink_start", "Start →", True, "L"),
    ("H,shift+left", "extend_start", "Start ←", True, "H"),
    ("w", "next_word", "Next word", True, None),
    ("r", "rate", "Rate", True, None),
    ("n", "note", "Note", True, None),
    ("K", "one_sentence", "1 sentence", False, None),
    ("M", "mark('misleading')", "Misleading", False, None),
    ("U", "mark('unverifiable')", "Unverifiable", False, None),
    ("C", "mark('needs_context')", "Needs context", False, None),
    ("u", "mark('unreviewed')", "Clear", False, None),
)


class FragmentScreen(ModalScreen[None]):
    """The selection of one claim's words; the reader below draws it (``ArticleView.set_selection``)."""

    DEFAULT_CSS = """
    FragmentScreen { background: transparent; align-vertical: bottom; }
    FragmentScreen > #fragment-bar {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(keys, action, label, show=show, key_display=display, priority=True)
        for keys, action, label, show, display in FRAGMENT_KEYS
    ]

    def __init__(self, reader: FragmentActions, ref: ClaimRef, selection: Selection) -> None:
        super().__init__()
        self.reader = reader
        self.ref = ref
        self.selection = selection
        self.said = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="fragment-bar", markup=False)  # just above the Footer; the reader shows through above it
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    # --- the selection ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        analysis = self.reader.view.analysis
        return analysis.article.text if analysis is not None else ""

    def _select(self, selection: Selection, said: str = "") -> None:
        self.selection = selection
        self.said = said
        self.reader.view.set_selection(selection.span)
        self._show()

    def _show(self) -> None:
        quote = " ".join(strip_controls(self.selection.quote(self.text)).split())
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        words = self.selection.last - self.selection.first + 1
        parts = [f"Fragment: “{quote}”", f"{words} word{'s' if words != 1 else ''}"]
        if self.selection.two_sentences:
            parts.append("2 sentences")
        mark = self.reader.fragment_mark(self.ref, self.selection)
        if mark is not None and mark.status is not Status.UNREVIEWED:
            parts.append(f"marked {verdict_label(mark.status).lower()}")
        if self.said:
            parts.append(self.said)
        self.query_one("#fragment-bar", Static).update(" · ".join(parts))

    def action_extend_end(self) -> None:
        self._select(self.selection.extend_end())

    def action_shrink_end(self) -> None:
        self._select(self.selection.shrink_end())

    def action_extend_start(self) -> None:
        self._select(self.selection.extend_start())

    def action_shrink_start(self) -> None:
        self._select(self.selection.shrink_start())

    def action_next_word(self) -> None:
        self._select(self.selection.next_word())

    def action_two_sentences(self) -> None:
        following = self.reader.next_sentence_span(self.ref)
        if following is None:
            self._select(self.selection, "no next claim to reach into")
            return
        self._select(self.selection.spanning(self.text, following))

    def action_one_sentence(self) -> None:
        self._select(self.selection.one_sentence())

    # --- marking ----------------------------------------------------------------------------------

    def action_mark(self, value: str) -> None:
        status = Status(value)
        if status is not Status.UNREVIEWED and not current_scale().offers(status):
            self._select(self.selection, f"“{verdict_label(status)}” is not in your team's verdict scale")
            return
        if status is Status.UNREVIEWED and self.reader.fragment_mark(self.ref, self.selection) is None:
            self._select(self.selection, "no mark of yours on this fragment")
            return
        self._select(self.selection, self.reader.save_fragment(self.ref, self.selection, status=status))

    def action_rate(self) -> None:
        from factdesk.tui.screens.verdict_picker import VerdictPickerScreen  # loaded when first opened

        mark = self.reader.fragment_mark(self.ref, self.selection)

        def picked(status: Status | None) -> None:
            if status is not None:
                self.action_mark(status.value)

        current = mark.status if mark is not None else Status.UNREVIEWED
        self.app.push_screen(VerdictPickerScreen(strip_controls(self.selection.quote(self.text)), current), picked)

    def action_note(self) -> None:
        from factdesk.tui.screens.note import NoteScreen  # loaded when first opened

        mark = self.reader.fragment_mark(self.ref, self.selection)

        def done(note: str | None) -> None:
            if note is not None:
                said = self.reader.save_fragment(self.ref, self.selection, note=note.strip())
                self._select(self.selection, said)

        self.app.push_screen(
            NoteScreen(strip_controls(self.selection.quote(self.text)), mark.note if mark else ""), done
        )

    def action_leave(self) -> None:
        self.dismiss(None)
