"""The reader's ``O``: name the outlet of the article in the focused pane; ``R``: the outlet record.

A reviewer's name wins over what the text says (:mod:`factdesk.annotations.storage.outlets`
keeps it by article hash); the panes and the inspector are redrawn at once.
"""

from __future__ import annotations

from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.reader_base import ReaderBase


class OutletActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: the outlet dialog (O), the outlet record (R)."""

    def action_outlet_record(self) -> None:
        """Each outlet's verdict counts over every mark in the database (every corpus, not only this one)."""
        if self.review is None:
            return
        from factdesk.annotations.review.outlet_record import OutletResolver
        from factdesk.annotations.storage.outlets import read_outlets
        from factdesk.tui.screens.outlet_record import OutletRecordScreen

        review = self.review
        shown = {a.article.id: a.article.source for a in review.analysis.articles}
        resolver = OutletResolver(read_outlets(review.store), shown)
        self.app.push_screen(OutletRecordScreen(review.store.marks(), resolver, review.reviewer))

    def action_set_outlet(self) -> None:
        view = self.view
        if self.review is None or view.analysis is None:
            return
        article = view.analysis.article
        detected = self.review.detected.by_id(article.id)
        shown = detected.article.source if detected is not None else article.source
        from factdesk.tui.screens.outlet import OutletScreen

        self.app.push_screen(OutletScreen(article.source, shown), lambda name: self._outlet_given(article.id, name))

    def _outlet_given(self, article_id: str, name: str | None) -> None:
        if name is None or self.review is None:
            return
        try:
            kept = self.review.set_outlet(article_id, name)
        except StoreError as error:
            self.notify(f"Outlet not saved: {strip_controls(str(error))}", severity="error")
            return
        from factdesk.annotations.compare.crossref import CrossIndex

        self.cross = CrossIndex(self.review.analysis)
        for pane in self.panes:
            if pane.view.analysis is not None:
                self._show_in(pane, pane.article_index, pane.view.cursor)
        self._refresh_inspector()
        self._show_status(f"outlet: {kept}" if kept else "outlet: as the text names it")
