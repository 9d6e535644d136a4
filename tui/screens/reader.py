"""The reader screen: articles side by side in panes, the claim cursor and how it moves.

Data flows one way: a key calls :class:`~factdesk.annotations.review.review.Review`, which writes the
store (on disk) first; only then are the views refreshed from the review, always through
:meth:`~factdesk.tui.screens.reader_marks.MarkActions.refresh_marks`.

The screen's other keys live beside it, one group per module, each a subclass of
:class:`~factdesk.tui.screens.reader_base.ReaderBase` (the panes, status line and jumps they share)
mixed into :class:`ReaderScreen`:

- :mod:`~factdesk.tui.screens.reader_marks` — every change of marks (v d u n, undo/redo, a, another session);
- :mod:`~factdesk.tui.screens.reader_compare` — comparing sources (m s w p c);
- :mod:`~factdesk.tui.screens.reader_dialogs` — search, export, copy, the disagreement and orphan lists;
- :mod:`~factdesk.tui.screens.reader_lists` — the claims list (l);
- :mod:`~factdesk.tui.screens.reader_quotes` — a claim's quotes across outlets (Q);
- :mod:`~factdesk.tui.screens.reader_evidence` — evidence: URLs and citations (E), typed links (L), following them (F);
- :mod:`~factdesk.tui.screens.reader_fragments` — fragments: part of a claim, or two sentences, marked on its own (x);
- :mod:`~factdesk.tui.screens.reader_state` — the saved position (panes, cursor, focus).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.widgets import Footer, Static

from factdesk.annotations.storage.reader_state import ReaderState
from factdesk.tui.commands import TEXT_PHASE_ACTIONS, reader_bindings, reader_key_actions
from factdesk.tui.screens.reader_base import MAX_PANES
from factdesk.tui.screens.reader_compare import CompareActions
from factdesk.tui.screens.reader_dialogs import DialogActions
from factdesk.tui.screens.reader_evidence import EvidenceActions
from factdesk.tui.screens.reader_fragments import FragmentActions
from factdesk.tui.screens.reader_lists import ListActions
from factdesk.tui.screens.reader_marks import STORE_POLL_INTERVAL, MarkActions
from factdesk.tui.screens.reader_outlet import OutletActions
from factdesk.tui.screens.reader_quotes import QuoteActions
from factdesk.tui.screens.reader_state import SavedState
from factdesk.tui.widgets.article_view import ArticleView
from factdesk.tui.widgets.inspector import Inspector
from factdesk.tui.widgets.pane import Pane
from factdesk.tui.widgets.progress_line import AnalysisProgress

if TYPE_CHECKING:
    from factdesk.annotations.review.review import Review


class ReaderScreen(
    MarkActions,
    CompareActions,
    DialogActions,
    ListActions,
    OutletActions,
    QuoteActions,
    EvidenceActions,
    FragmentActions,
    SavedState,
):
    """Panes of articles, the inspector under them and a status line; every reader key (see commands.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [*reader_bindings()]

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for number in range(MAX_PANES):
                yield Pane(number)
        yield Inspector("", id="inspector")
        yield AnalysisProgress(id="analysis-progress")
        yield Static("", id="status-line", markup=False)
        # (The Footer is mounted just after the first frame: its keys cost a third of that frame, and the text comes
        # first. It docks at the bottom, so the screen looks the same whenever it arrives.)

    def on_mount(self) -> None:
        self._arrange(self.app.size.width)
        self.show_texts()
        # (The app's callback, not the screen's: while the analysis runs only the progress line redraws, and the
        # screen's own "after refresh" would wait for the analysis.)
        self.app.call_after_refresh(self._mount_footer)
        self.panes[0].view.focus()
        self.with_reviewer(lambda: None)  # no name known yet: ask once at start (read on while the analysis runs)

    async def _mount_footer(self) -> None:
        """The Footer, once the text is on screen; it lists the keys as they stand (a Footer mounted into a running
        screen shows nothing until the bindings change, so they are announced again)."""
        # Compact (one space between keys): every Footer key of the reader fits a 160-column terminal.
        await self.mount(Footer(compact=True))
        self.refresh_bindings()

    # --- before the analysis: the text alone ----------------------------------------------------

    def show_texts(self) -> None:
        """Put the articles' text in the panes at once (the saved articles, else the first ones), before any
        analysis: sentences, highlights and counts arrive with :meth:`load`."""
        app = self.factdesk_app
        articles = app.corpus.articles
        state = app.store.get_state(app.corpus.key)
        saved = ReaderState.from_json(state) if state is not None else None
        placed = (saved or ReaderState()).placement([(a.id, ()) for a in articles], len(self.panes))
        for pane, (index, _) in zip(self.panes, placed, strict=False):
            pane.show_text(articles[index], index, len(articles))
        if saved is not None and saved.focus < len(self.panes):
            self.focused_pane = saved.focus
            self._arrange(self.size.width or self.app.size.width)
        self._show_status()

    def show_progress(self, stage: str, done: int, total: int) -> None:
        """The analysis' progress: its stage, and articles done of total while it reads them one by one."""
        if self.review is None:
            self.query_one(AnalysisProgress).report(stage, done, total)

    def on_key(self, event: events.Key) -> None:
        """While the analysis runs, a key that needs it says so (rather than doing nothing)."""
        if self.review is not None:
            return
        action = reader_key_actions().get(event.key)
        if action is None or action in TEXT_PHASE_ACTIONS:
            return
        event.stop()
        progress = self.query_one(AnalysisProgress)
        state = "failed" if progress.failure is not None else "is running"
        self._show_status(f"{event.key}: needs the analysis, which {state} ({progress.summary})")

    def analysis_failed(self, why: str) -> None:
        """The analysis ended with an error: the text stays readable and the progress line says why."""
        self.query_one(AnalysisProgress).failed(why)

    def on_resize(self) -> None:
        self._arrange(self.size.width)
        self.set_class(self.size.height < 32, "-short")

    # --- loading ------------------------------------------------------------------------------

    def load(self, review: Review, state: dict | None) -> None:
        """Show the analysed corpus, resuming ``state`` (articles in panes, focus, cursor) if given."""
        from factdesk.annotations.compare.crossref import CrossIndex  # the analysis has loaded it by now

        self.review = review
        self.cross = CrossIndex(review.analysis)
        self.query_one("#analysis-progress").display = False
        self._resume(state)
        self._arrange(self.size.width or self.app.size.width)
        self.view.focus()
        self._refresh_inspector()
        self._show_status()
        self.set_interval(STORE_POLL_INTERVAL, self.poll_store)
        self._announce_reattachments(review)

    def _announce_reattachments(self, review: Review) -> None:
        if review.reattached:
            self.notify(f"{len(review.reattached)} mark(s) followed their claim into an edited article.", timeout=10)
        if review.orphans:
            self.notify(
                f"{len(review.orphans)} mark(s) lost their claim after an edit: kept — press o to see them.",
                severity="warning",
                timeout=15,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quitting:
            return False  # keys typed after q (a fast typist, a paste) never open a dialog on a closing app
        if self.review is None and action not in TEXT_PHASE_ACTIONS:
            return None  # shown greyed out while the analysis runs (and on_key says why when pressed)
        return True

    # --- cursor ---------------------------------------------------------------------------------

    def _moved(self) -> None:
        """The focused pane's cursor moved: step mode follows, the inspector redraws, the position is saved soon."""
        self._follow()
        super()._moved()
        self._schedule_state_save()

    def action_next_claim(self) -> None:
        if self.view.text_only:  # no claims yet: read on line by line
            self.view.scroll_relative(y=1, animate=False)
            return
        self.view.move_to(self.view.cursor + 1)
        self._moved()

    def action_previous_claim(self) -> None:
        if self.view.text_only:
            self.view.scroll_relative(y=-1, animate=False)
            return
        self.view.move_to(self.view.cursor - 1)
        self._moved()

    def action_first_claim(self) -> None:
        if self.view.text_only:
            self.view.scroll_home(animate=False)
            return
        self.view.move_to(0)
        self._moved()

    def action_last_claim(self) -> None:
        if self.view.text_only:
            self.view.scroll_end(animate=False)
            return
        self.view.move_to(len(self.view.claims) - 1)
        self._moved()

    def action_next_pane(self) -> None:
        self._focus_pane(self.focused_pane + 1)

    def action_previous_pane(self) -> None:
        self._focus_pane(self.focused_pane - 1)

    def _show_article(self, step: int) -> None:
        if self.review is None:  # before the analysis: the next article's text
            corpus = self.factdesk_app.corpus.articles
            index = (self.pane.article_index + step) % len(corpus)
            self.pane.show_text(corpus[index], index, len(corpus))
            return
        articles = self.review.analysis.articles
        index = (self.pane.article_index + step) % len(articles)
        self._show_in(self.pane, index, 0)
        self._moved()

    def action_next_article(self) -> None:
        self._show_article(1)

    def action_previous_article(self) -> None:
        self._show_article(-1)

    @on(ArticleView.ClaimClicked)
    def _clicked(self, event: ArticleView.ClaimClicked) -> None:
        for number, pane in enumerate(self.panes):
            if pane.view is event.view:
                self.focused_pane = number
        event.view.focus()
        event.view.move_to(event.position)
        self._moved()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        for number, pane in enumerate(self.panes):
            if pane.view is event.widget:
                self.focused_pane = number
                self._refresh_inspector()

    # --- help, quit -----------------------------------------------------------------------------

    def action_help(self) -> None:
        app = self.factdesk_app
        from factdesk.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(app.db_label, app.reviewer or "(not given yet)"))

    quitting = False

    async def action_quit(self) -> None:
        self.quitting = True
        self.save_state()
        self.app.exit()
