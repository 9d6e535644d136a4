"""The reader's dialogs that read the review without changing it: search (/), export (e), copy (y), lists (f, o).

Search and the disagreement list jump to the claim picked in them; export saves or copies the brief
(:mod:`factdesk.annotations.export.briefs`, the same text as ``factdesk export``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import PRIMARY, VERDICTS, verdict_label
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.clipboard import copy_text
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from factdesk.annotations.model import ClaimRef
    from factdesk.annotations.review.review import Review
    from factdesk.tui.screens.export import ExportRequest
    from factdesk.tui.screens.search import SearchScreen


def review_summary(review: Review) -> str:
    """The corpus' counts for the export dialog: '3 verified · 1 disputed · 40 unreviewed'."""
    totals = [review.counts(a.article.id) for a in review.analysis.articles]
    given: dict[Status, int] = {}
    for counts in totals:
        for status, count in ((Status.VERIFIED, counts.verified), (Status.DISPUTED, counts.disputed), *counts.others):
            given[status] = given.get(status, 0) + count
    claims = sum(c.claims for c in totals)
    reviewed = sum(c.reviewed for c in totals)
    shown = [status for status in VERDICTS if status in PRIMARY or given.get(status)]
    parts = [f"{given.get(status, 0)} {verdict_label(status).lower()}" for status in shown]
    return " · ".join([*parts, f"{claims - reviewed} unreviewed"])


class DialogActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: search, export, copy and the lists."""

    def action_search(self) -> None:
        if self.review is not None:
            from factdesk.tui.screens.search import SearchScreen  # each dialog loads when first opened

            screen = SearchScreen(self.review.analysis)
            self.app.push_screen(screen, lambda ref: self._searched(screen, ref))

    def _searched(self, screen: SearchScreen, ref: ClaimRef | None) -> None:
        """A search ended: a hit jumped to highlights the words in every pane until escape or the next search; a
        search with no hits says so (and clears the last one's highlight); a cancelled one changes nothing."""
        from factdesk.annotations.review.search import MAX_RESULTS
        from factdesk.tui.screens.search import no_hits_message

        if ref is not None:
            self.jump_to(ref)
            self._highlight(screen.words)
            words = strip_controls(" ".join(screen.words))
            found = f"{len(screen.refs)}+" if len(screen.refs) >= MAX_RESULTS else str(len(screen.refs))
            self._show_status(f"search '{words}': {found} claim(s) · escape clears the highlight")
        elif screen.words and not screen.refs:
            self._highlight(())
            self._show_status(no_hits_message(screen.query_text))

    def _highlight(self, words: tuple[str, ...]) -> None:
        for pane in self.panes:
            pane.view.highlight_words(words)

    def action_clear_search(self) -> None:
        """Escape: the search's highlighted words go (nothing else changes)."""
        if any(pane.view.highlighted_words for pane in self.panes):
            self._highlight(())
            self._show_status("search cleared")

    def default_export_path(self) -> Path:
        """``<corpus folder or first outlet>-brief.md`` in the current directory (where ``factdesk`` was started)."""
        from factdesk.annotations.export.brief_files import default_brief_name

        name = default_brief_name(self.review.analysis) if self.review is not None else "factdesk-brief.md"
        here = Path.cwd()
        return here / name if strip_controls(str(here)) == str(here) else Path(name)  # never show a hostile folder

    def action_export(self) -> None:
        if self.review is None:
            return

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request)

        from factdesk.annotations.export.brief_files import corpus_key
        from factdesk.tui.screens.export import ExportScreen

        dialog = ExportScreen(self.default_export_path(), review_summary(self.review), corpus_key(self.review.analysis))
        self.app.push_screen(dialog, done)

    def export(self, request: ExportRequest) -> None:
        """Save the brief to ``request.path`` (crash-safe) or copy it, as the export dialog asked."""
        from factdesk.annotations.export.briefs import brief_markdown
        from factdesk.annotations.storage.atomic import atomic_write_text

        assert self.review is not None
        text = brief_markdown(self.review, request.include_unreviewed)
        if request.action == "copy":
            self.notify(copy_text(self.app, text))
            return
        assert request.path is not None
        try:
            atomic_write_text(request.path, text)
        except OSError as error:
            self.notify(f"Could not save {request.path}: {error.strerror or error}", severity="error", timeout=10)
            return
        self.notify(f"Brief saved to {request.path}")
        self._show_status(f"brief saved to {request.path}")

    def action_copy_claim(self) -> None:
        view = self.view
        if view.analysis is None or view.current is None:
            return
        article = view.analysis.article
        claim = strip_controls(view.analysis.sentence_text(view.current))
        source, title, name = (strip_controls(part) for part in (article.source, article.title, article.path.name))
        text = f"“{claim}” — {source}, “{title}” ({name})"
        self.notify(copy_text(self.app, text))

    def action_disagreements(self) -> None:
        if self.review is not None:
            from factdesk.tui.screens.lists import DisagreementScreen

            self.app.push_screen(DisagreementScreen(self.review), self.jump_to_picked)

    def action_orphans(self) -> None:
        if self.review is not None:
            from factdesk.tui.screens.lists import OrphansScreen

            self.app.push_screen(OrphansScreen(self.review))
