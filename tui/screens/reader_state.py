"""The reader's saved position: which article and claim each pane shows and which pane has focus.

Saved in the store under the corpus key shortly after the cursor stops moving (and on quit or a hang-up),
and resumed when the analysed corpus is loaded. Marks are never part of it: each is on disk before it shows.
"""

from __future__ import annotations

from textual.timer import Timer

from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.reader_state import PanePosition, ReaderState
from factdesk.tui.screens.reader_base import ReaderBase

STATE_SAVE_DELAY = 1.0  # seconds: the cursor position is saved shortly after it stops moving
UNREADABLE_NOTICE = "The saved position was unreadable and was ignored; marks are unaffected."


class SavedState(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: save and resume the reader's position."""

    _state_timer: Timer | None = None

    def _resume(self, state: dict | None) -> None:
        """Put each pane on its saved article and claim, and focus the saved pane.

        The saved position is untrusted (anyone can edit the file): one that is not what the reader writes is
        ignored with a notice. A pane whose article is gone shows the first article no other pane shows; a claim
        that is gone, the article's first (see :meth:`ReaderState.placement`).
        """
        assert self.review is not None
        articles = self.review.analysis.articles
        saved = ReaderState.from_json(state) if state is not None else ReaderState()
        if saved is None:
            saved = ReaderState()
            self.notify(UNREADABLE_NOTICE, severity="warning", timeout=10)
        claims = [(a.article.id, [s.index for s in a.claims]) for a in articles]
        placed = saved.placement(claims, len(self.panes))  # nothing for an empty corpus (never loaded: no articles)
        for pane, (index, cursor) in zip(self.panes, placed, strict=False):
            # A pane already showing this article's text keeps the place the reviewer read on to meanwhile.
            same_text = pane.view.text_only and pane.article_index == index
            self._show_in(pane, index, cursor, keep_scroll=same_text)
        self.focused_pane = saved.focus if saved.focus < len(self.panes) else 0

    def _state(self) -> dict:
        """The position as stored: each pane's article and claim, and the focused pane."""
        panes = []
        for pane in self.panes:
            ref = pane.view.current_ref
            panes.append(PanePosition(ref.article if ref else None, ref.sentence if ref else None))
        return ReaderState(tuple(panes), self.focused_pane).to_json()

    def _schedule_state_save(self) -> None:
        """Save the position once the cursor has been still for STATE_SAVE_DELAY (each move restarts the wait)."""
        if self._state_timer is not None:
            self._state_timer.stop()
        self._state_timer = self.set_timer(STATE_SAVE_DELAY, self.save_state)

    def save_state(self) -> None:
        """Write the position now (not in a read-only database, nor before the corpus is loaded)."""
        app = self.factdesk_app
        if self.review is None or app.store.read_only:
            return
        try:
            app.store.set_state(app.corpus.key, self._state())
        except StoreError:
            pass  # losing the cursor position is harmless; marks are reported where they are written
