"""The reader's saved position: which article and claim each pane shows and which pane has focus.

Saved in the store under the corpus key shortly after the cursor stops moving (and on quit or a hang-up),
and resumed when the analysed corpus is loaded. Marks are never part of it: each is on disk before it shows.
"""

from __future__ import annotations

from textual.timer import Timer

from factdesk.annotations.storage.errors import StoreError
from factdesk.tui.screens.reader_base import ReaderBase

STATE_SAVE_DELAY = 1.0  # seconds: the cursor position is saved shortly after it stops moving


class SavedState(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: save and resume the reader's position."""

    _state_timer: Timer | None = None

    def _resume(self, state: dict | None) -> None:
        """Put each pane on its saved article and claim, and focus the saved pane.

        A pane whose article is gone shows the n-th article from its first claim; a claim that is gone, the first.
        """
        assert self.review is not None
        articles = self.review.analysis.articles
        total = len(articles)
        ids = [a.article.id for a in articles]
        saved = (state or {}).get("panes", [])
        for number, pane in enumerate(self.panes):
            index, cursor = min(number, total - 1), 0
            if number < len(saved) and saved[number].get("article") in ids:
                index = ids.index(saved[number]["article"])
                position = self._position(articles[index], saved[number].get("claim"))
                cursor = position if position is not None else 0
            self._show_in(pane, index, cursor)
        focus = (state or {}).get("focus", 0)
        self.focused_pane = focus if isinstance(focus, int) and 0 <= focus < len(self.panes) else 0

    def _state(self) -> dict:
        """The position as stored: each pane's article and claim, and the focused pane."""
        panes = []
        for pane in self.panes:
            ref = pane.view.current_ref
            panes.append({"article": ref.article if ref else None, "claim": ref.sentence if ref else None})
        return {"panes": panes, "focus": self.focused_pane}

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
