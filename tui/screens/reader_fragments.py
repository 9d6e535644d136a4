"""The reader's fragment key: ``x`` narrows the current claim to some of its words (or reaches into the next
sentence) and marks that fragment on its own.

The selection's word steps are :class:`~factdesk.annotations.review.fragments.Selection` (no Textual); the keys of
the mode are :class:`~factdesk.tui.screens.fragment.FragmentScreen`, a transparent layer over the reader (its text
stays in view, the pane keeps its scroll) with its own Footer. A fragment is saved through
:meth:`~factdesk.annotations.review.review.Review.save_fragment` (the store, on disk first) and redrawn through
``refresh_marks``, like every mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.verdicts import verdict_label
from factdesk.annotations.storage.errors import StoreError
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from collections.abc import Callable

    from factdesk.annotations.model import Mark
    from factdesk.annotations.review.fragments import Selection


class FragmentActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: ``x`` and saving what fragment mode marks."""

    # (The reader's, from MarkActions; declared for the type checker.)
    if TYPE_CHECKING:

        def with_reviewer(self, then: Callable[[], object]) -> None: ...

        def refresh_marks(self, status: str, changed: ClaimRef | None = None) -> None: ...

    def action_fragment_mode(self) -> None:
        self.with_reviewer(self._enter_fragment_mode)

    def _enter_fragment_mode(self) -> None:
        view = self.view
        ref, sentence = view.current_ref, view.current
        if self.review is None or ref is None or view.analysis is None or sentence is None:
            self.notify("No claim here to narrow.", severity="warning")
            return
        from factdesk.annotations.review.fragments import Selection  # (loaded when first used, not before the text)
        from factdesk.tui.screens.fragment import FragmentScreen

        selection = Selection.of(view.analysis.article.text, (sentence.start, sentence.end))
        view.set_selection(selection.span)
        self.app.push_screen(FragmentScreen(self, ref, selection), lambda _: view.set_selection(None))

    def next_sentence_span(self, ref: ClaimRef) -> tuple[int, int] | None:
        """The claim after ``ref`` in its article (what ``J`` reaches into), when there is one."""
        analysis = self.view.analysis
        if analysis is None or analysis.article.id != ref.article:
            return None
        position = analysis.claim_position(ref.sentence)
        if position is None or position + 1 >= len(analysis.claims):
            return None
        following = analysis.claims[position + 1]
        return following.start, following.end

    def fragment_mark(self, ref: ClaimRef, selection: Selection) -> Mark | None:
        """The reviewer's own mark on exactly this fragment, if any."""
        if self.review is None:
            return None
        start, _ = selection.span
        for fragment in self.review.fragments.on(ref):
            mark = fragment.mark
            if mark.reviewer == self.review.reviewer and fragment.span == selection.span and start == mark.anchor.start:
                return mark
        return None

    def save_fragment(
        self, ref: ClaimRef, selection: Selection, *, status: Status | None = None, note: str | None = None
    ) -> str:
        """Save a verdict and/or note on the fragment; what happened, as the status line says it."""
        review = self.review
        if review is None:
            return "the analysis is not ready"
        if selection.whole:
            return "the selection is the whole claim: mark the claim itself (escape, then v, d, r …)"
        generation = review.store.generation
        try:
            review.save_fragment(ref, selection.span, selection.claims, status=status, note=note)
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return f"Not saved: {error}"
        if status is Status.UNREVIEWED:
            message = "saved: fragment verdict cleared"
        elif status is not None:
            message = f"saved: fragment {verdict_label(status).lower()}"
        else:
            message = "saved: note on the fragment" if note else "saved: fragment note removed"
        self.refresh_marks(
            message, ref if review.store.generation == generation and not selection.two_sentences else None
        )
        return message
