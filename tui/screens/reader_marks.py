"""Every way marks change in the reader, and the one path that redraws the views after a change.

Your keys (v d u n), undo and redo, a verdict applied to the matching claims (a) and marks another
session wrote to the same database all go through :class:`~factdesk.annotations.review.review.Review`,
which writes the store on disk first; each then ends in :meth:`MarkActions.refresh_marks`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.verdicts import current_scale, verdict_label
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.settings import remember_reviewer
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from factdesk.annotations.review.review import Review

STORE_POLL_INTERVAL = 1.0  # seconds between checks for another session's changes (one stat call)


def __getattr__(name: str) -> object:
    """``APPLY_THRESHOLD`` on first use: it lives with the comparison, which the reader imports only after its first
    frame (a test may still set it here)."""
    if name == "APPLY_THRESHOLD":
        from factdesk.annotations.compare.match_model import APPLY_THRESHOLD

        return APPLY_THRESHOLD
    raise AttributeError(name)


def apply_threshold() -> float:
    """The score a match needs for `a` to offer it (``APPLY_THRESHOLD``, or what a test set here)."""
    return float(sys.modules[__name__].APPLY_THRESHOLD)


class MarkActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: the keys and events that change marks."""

    _poll_failed: bool = False

    def refresh_marks(self, status: str, changed: ClaimRef | None = None) -> None:
        """Marks changed (and are on disk): redraw the panes and the inspector from the review, then say ``status``.

        The only way the reader's views learn of a change of marks, whoever made it. ``changed``: only that claim's
        marks changed (a key on one claim), so only the panes showing its article redraw, and only its lines;
        ``None``: any mark may have changed, every pane redraws.
        """
        for pane in self.panes:
            if changed is None:
                pane.view.marks_changed()
            elif pane.view.analysis is None or pane.view.analysis.article.id != changed.article:
                continue  # a claim's mark shows only in its own article's pane (gutter and header counts)
            else:
                pane.view.marks_changed(changed.sentence)
            pane.refresh_header()
        self._refresh_inspector()
        self._show_status(status)

    # --- whose marks ----------------------------------------------------------------------------

    def with_reviewer(self, then: Callable[[], object]) -> None:
        """Run ``then`` once the reviewer's name is known: a mark carries it, so ask first (once; it is remembered).

        Put off (escape), nothing happens and the next mark asks again; named, ``then`` runs as if the key had
        just been pressed.
        """
        if self.factdesk_app.reviewer:
            then()
            return

        def named(name: str | None) -> None:
            if name:
                self.set_reviewer(name)
                then()

        from factdesk.tui.screens.reviewer import ReviewerScreen  # (only a reader without a name asks)

        self.app.push_screen(ReviewerScreen(), named)

    def set_reviewer(self, name: str) -> None:
        """``name`` makes the marks from now on; it is saved in the settings for the next sessions."""
        self.factdesk_app.reviewer = name
        if not remember_reviewer(name):
            self.notify("Your name could not be saved in the settings: you will be asked again.", severity="warning")
        if self.review is None:
            self._show_status()
            return
        self.review.reviewer = name
        self.review.reload()  # the mark shown on a claim is the reviewer's own, when there is one
        self.refresh_marks(f"marks are now made as {strip_controls(name)}")

    # --- the current claim ----------------------------------------------------------------------

    def _change(self, change: Callable[[Review, ClaimRef], object], success: str) -> None:
        """Run a store change for the current claim; views update only once it is on disk."""
        ref = self.view.current_ref
        if self.review is None or ref is None:
            self.notify("No claim here to mark.", severity="warning")
            return
        generation = self.review.store.generation
        try:
            change(self.review, ref)
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return
        self.refresh_marks(success, self._only(ref, generation))

    def _only(self, ref: ClaimRef, generation: int) -> ClaimRef | None:
        """``ref``, the one claim a save changed — unless the save also read another session's writes (the store
        re-read the file since ``generation``): then any mark may have changed (``None``, redraw them all)."""
        return ref if self.review is not None and self.review.store.generation == generation else None

    def _verdict(self, status: Status) -> None:
        self.with_reviewer(lambda: self._give_verdict(status))

    def _give_verdict(self, status: Status) -> None:
        word = verdict_label(status).lower()
        message = f"saved: {word}"
        ref = self.view.current_ref
        review = self.review
        if ref is not None and review is not None and self.cross is not None:
            # Only the matches `a` would offer (near-certain ones): hinting at the rest would promise what `a` refuses.
            waiting = [
                o
                for o, score in self.cross.matches(ref)
                if score >= apply_threshold() and review.status(o) is Status.UNREVIEWED
            ]
            if waiting:
                message += f" · press a to mark its {len(waiting)} unreviewed matching claim(s) {word} too"
        self._change(lambda session, claim: session.set_status(claim, status), message)

    def action_verify(self) -> None:
        self._verdict(Status.VERIFIED)

    def action_dispute(self) -> None:
        self._verdict(Status.DISPUTED)

    def action_misleading(self) -> None:
        self._scale_verdict(Status.MISLEADING)

    def action_unverifiable(self) -> None:
        self._scale_verdict(Status.UNVERIFIABLE)

    def action_needs_context(self) -> None:
        self._scale_verdict(Status.NEEDS_CONTEXT)

    def _scale_verdict(self, status: Status) -> None:
        """A verdict beyond the primary two: only when the team's scale offers it (settings may trim it)."""
        if not current_scale().offers(status):
            self.notify(
                f"“{verdict_label(status)}” is not in your team's verdict scale (settings).", severity="warning"
            )
            return
        self._verdict(status)

    def action_adjudicate(self) -> None:
        self.with_reviewer(self._adjudicate)

    def _adjudicate(self) -> None:
        """The curator's final verdict on a claim reviewers disagree on (A); the session's reviewer is the curator."""
        found = self.claim_for_dialog("No claim here to adjudicate.")
        if found is None:
            return
        review, ref, quote = found
        verdicts = {r: m for r, m in review.verdicts(ref).items() if m.status is not Status.UNREVIEWED}
        final = review.final(ref)
        if len({m.status for m in verdicts.values()}) < 2 and final is None:
            self.notify(
                "Reviewers do not disagree on this claim: nothing to adjudicate (f lists the claims where they do).",
                severity="warning",
            )
            return
        from factdesk.tui.screens.adjudicate import AdjudicateScreen  # loaded when first opened

        def decided(answer: tuple[Status, str] | None) -> None:
            if answer is None:
                return
            status, reason = answer
            word = "withdrawn" if status is Status.UNREVIEWED else verdict_label(status).lower()
            self._change(
                lambda session, claim: session.adjudicate(claim, status, reason), f"saved: final verdict {word}"
            )

        self.app.push_screen(AdjudicateScreen(quote, verdicts, final), decided)

    def action_rate(self) -> None:
        self.with_reviewer(self._pick_verdict)

    def _pick_verdict(self) -> None:
        found = self.claim_for_dialog("No claim here to mark.")
        if found is None:
            return
        review, ref, quote = found
        from factdesk.tui.screens.verdict_picker import VerdictPickerScreen  # loaded when first opened

        def picked(status: Status | None) -> None:
            if status is not None:
                self._give_verdict(status)

        self.app.push_screen(VerdictPickerScreen(quote, review.status(ref)), picked)

    def action_clear_mark(self) -> None:
        self.with_reviewer(lambda: self._change(lambda session, claim: session.clear(claim), "saved: mark cleared"))

    def action_note(self) -> None:
        self.with_reviewer(self._edit_note)  # asked before the editor opens, so no typed note waits on a name

    def _edit_note(self) -> None:
        found = self.claim_for_dialog()
        if found is None:
            return
        review, ref, quote = found
        mark = review.mark(ref)

        def done(note: str | None) -> None:
            if note is None:
                return
            note = note.strip()
            self._change(
                lambda session, claim: session.set_note(claim, note), "saved: note" if note else "saved: note removed"
            )

        from factdesk.tui.screens.note import NoteScreen  # loaded when first opened

        self.app.push_screen(NoteScreen(quote, mark.note if mark else ""), done)

    # --- the matching claims --------------------------------------------------------------------

    def action_apply_to_matches(self) -> None:
        self.with_reviewer(self._apply_to_matches)

    def _apply_to_matches(self) -> None:
        """Offer this claim's verdict to its likely-same matches; list them and apply only once confirmed.

        Only matches scoring at least ``APPLY_THRESHOLD`` are offered (their measured precision, see
        match_model.py); claims that already carry a verdict are left alone.
        """
        from factdesk.annotations.review.claim_numbers import claim_number

        ref = self.view.current_ref
        if self.review is None or self.cross is None or ref is None:
            return
        from factdesk.tui.screens.apply_confirm import ApplyConfirmScreen, ApplyLine

        threshold = apply_threshold()
        status = self.review.status(ref)
        if status is Status.UNREVIEWED:
            self.notify("Mark this claim first; a applies its verdict to the matching claims.", severity="warning")
            return
        review = self.review
        offered: list[ClaimRef] = []
        lines: list[ApplyLine] = []
        weaker = skipped = 0
        articles = {a.article.id: a for a in review.analysis.articles}
        for other, score in self.cross.matches(ref):
            current = review.status(other)
            if current is status:
                continue
            if score < threshold:
                weaker += 1
                continue
            if current is not Status.UNREVIEWED:
                skipped += 1
                continue
            analysis = articles[other.article]
            sentence = next(s for s in analysis.sentences if s.index == other.sentence)
            number = claim_number(analysis, other.sentence) or 0
            offered.append(other)
            lines.append(ApplyLine(analysis.article.source, number, score, analysis.sentence_text(sentence)))
        if not offered:
            reason = f"no match scores {threshold:.2f} or more (the score a verdict is given at)"
            if skipped:
                reason = f"{skipped} close match(es) carry another verdict"
            self.notify(f"Nothing to apply: {reason}.", severity="information")
            return

        def answered(apply: bool | None) -> None:
            if not apply:
                self.refresh_marks("nothing applied")
                return
            applied = 0
            for other in offered:
                try:
                    review.set_status(other, status)
                except StoreError as error:
                    self.notify(f"Not saved: {error}", severity="error", timeout=10)
                    break
                applied += 1
            message = f"{verdict_label(status).lower()} applied to {applied} matching claim(s)"
            if skipped:
                message += f"; {skipped} left alone (they carry another verdict)"
            if weaker:
                message += f"; {weaker} weaker match(es) not offered"
            self.refresh_marks(message)

        self.app.push_screen(ApplyConfirmScreen(verdict_label(status).lower(), lines), answered)

    # --- history, other sessions ----------------------------------------------------------------

    def action_undo(self) -> None:
        self._history_step(undo=True)

    def action_redo(self) -> None:
        self._history_step(undo=False)

    def _history_step(self, undo: bool) -> None:
        if self.review is None:
            return
        generation = self.review.store.generation
        try:
            ref = self.review.undo() if undo else self.review.redo()
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return
        if ref is None:
            self._show_status("nothing to undo" if undo else "nothing to redo")
            return
        self.jump_to(ref)
        self.refresh_marks("undone" if undo else "redone", self._only(ref, generation))

    def poll_store(self) -> None:
        """Pick up marks another session wrote to the same database (called every STORE_POLL_INTERVAL)."""
        if self.review is None:
            return
        try:
            changed = self.review.sync()
        except StoreError as error:
            if not self._poll_failed:
                self.notify(f"The database changed on disk and cannot be read: {error}", severity="error", timeout=30)
            self._poll_failed = True
            return
        self._poll_failed = False
        if changed:
            self.refresh_marks("marks updated from another session")
