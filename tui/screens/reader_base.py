"""What every part of the reader screen stands on: its panes, the focused view, the status line and jumping to a claim.

:class:`ReaderBase` is the typed ground the reader's key groups (``reader_marks``, ``reader_compare``,
``reader_dialogs``, ``reader_state``) are written against; :class:`~factdesk.tui.screens.reader.ReaderScreen`
mixes them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import Static

from factdesk.annotations.model import ArticleAnalysis, ClaimRef
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.widgets.article_view import ArticleView
from factdesk.tui.widgets.inspector import Inspector
from factdesk.tui.widgets.pane import Pane

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.review.review import Review
    from factdesk.tui.app import FactdeskApp

MAX_PANES = 3


def panes_for_width(width: int) -> int:
    """How many panes are on screen: three from 200 columns, two from 100, one below."""
    return 3 if width >= 200 else 2 if width >= 100 else 1


class ReaderBase(Screen[None]):
    """The reader's shared state (the review, the comparison, which pane has focus) and its primitives."""

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self.focused_pane = 0
        self.in_use = 2  # panes taking part: 3 from 200 columns, else 2 (one shown at a time below 100)
        self.cross: CrossIndex | None = None

    @property
    def factdesk_app(self) -> FactdeskApp:
        """The running app, typed: the reader only ever runs inside :class:`~factdesk.tui.app.FactdeskApp`."""
        return cast("FactdeskApp", self.app)

    @property
    def panes(self) -> list[Pane]:
        """The panes, found once: they are composed once and never change (a DOM query on every use cost a key
        more than its redraw)."""
        found: list[Pane] | None = getattr(self, "_panes", None)
        if not found:
            found = list(self.query(Pane))
            if len(found) == MAX_PANES:
                self._panes = found
        return list(found)

    @property
    def pane(self) -> Pane:
        return self.panes[self.focused_pane]

    @property
    def view(self) -> ArticleView:
        return self.pane.view

    def claim_for_dialog(self, missing: str | None = None) -> tuple[Review, ClaimRef, str] | None:
        """The review, the claim under the cursor and its text made safe to show, for a dialog about that claim;
        ``None`` (saying ``missing`` when given) when there is no claim here or no analysis yet."""
        view = self.view
        ref = view.current_ref
        if self.review is None or ref is None or view.analysis is None or view.current is None:
            if missing:
                self.notify(missing, severity="warning")
            return None
        return self.review, ref, strip_controls(view.analysis.sentence_text(view.current))

    @property
    def single_pane(self) -> bool:
        """True when the screen is too narrow for two panes: only the focused one is shown."""
        return panes_for_width(self.size.width) == 1

    def _show_in(self, pane: Pane, index: int, cursor: int = 0, *, keep_scroll: bool = False) -> None:
        assert self.review is not None and self.cross is not None
        articles = self.review.analysis.articles
        pane.show(articles[index], self.review, self.cross, index, len(articles), cursor, keep_scroll=keep_scroll)

    @staticmethod
    def _position(analysis: ArticleAnalysis, sentence_index: object) -> int | None:
        """Where sentence ``sentence_index`` is among the article's claims (None: not one of them)."""
        return analysis.claim_position(sentence_index) if isinstance(sentence_index, int) else None

    def _arrange(self, width: int) -> None:
        """Show as many panes as fit; below 100 columns only the focused one."""
        self.in_use = 3 if width >= 200 else 2
        self.focused_pane = min(self.focused_pane, self.in_use - 1)
        single = panes_for_width(width) == 1
        for number, pane in enumerate(self.panes):
            shown = number == self.focused_pane if single else number < self.in_use
            pane.set_class(not shown, "-hidden")

    def _show_status(self, message: str = "") -> None:
        app = self.factdesk_app
        # The latest message first: a long database path must never push "saved" off a narrow screen.
        parts = [message] if message else []
        if app.store.read_only:
            parts.append("READ-ONLY")
        parts += [f"reviewer: {strip_controls(app.reviewer) or '(not given yet)'}", f"db: {app.db_label}"]
        # Paths (the database, a saved brief) may hold control characters: shown visible and inert.
        # (One line high by CSS, so no layout: a layout on every key re-rendered every pane's scroll bar.)
        self.query_one("#status-line", Static).update(strip_controls(" · ".join(parts)), layout=False)

    def _refresh_inspector(self) -> None:
        if self.review is None:
            return
        view = self.view
        self.query_one(Inspector).show(view.analysis, view.current, view.cursor, self.review, self.cross)

    def _moved(self) -> None:
        """The focused pane's cursor moved: redraw the inspector (the reader screen adds step mode and saving)."""
        self._refresh_inspector()

    def _focus_pane(self, number: int) -> None:
        self.focused_pane = number % self.in_use
        self._arrange(self.size.width)
        self.view.focus()
        self._moved()

    def jump_to(self, ref: ClaimRef, pane: Pane | None = None) -> None:
        """Show ``ref`` in ``pane`` (default: the focused one) with the cursor on it."""
        assert self.review is not None
        pane = pane or self.pane
        for index, analysis in enumerate(self.review.analysis.articles):
            if analysis.article.id == ref.article:
                position = self._position(analysis, ref.sentence) or 0
                if pane.article_index != index or pane.view.analysis is not analysis:
                    self._show_in(pane, index, position)
                else:
                    pane.view.move_to(position)
                if pane is self.pane:
                    self._moved()
                return

    def jump_to_picked(self, ref: ClaimRef | None) -> None:
        """A dialog's answer: jump to the claim picked in it (None: the dialog was cancelled)."""
        if ref is not None:
            self.jump_to(ref)
