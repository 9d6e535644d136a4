"""Comparing sources from the reader: best match (m), step mode (s), check-worthy walk (w), entities (p), coverage (c),
the figure board (b).

Each reads the comparison (:class:`~factdesk.annotations.compare.crossref.CrossIndex`) and moves a pane's
cursor; none changes a mark (applying a verdict to the matches, a, is in ``reader_marks``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import EntityMentions
    from factdesk.tui.widgets.pane import Pane


class CompareActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: the keys that compare sources."""

    step_mode: bool = False
    _match_cycle: tuple[ClaimRef, int] | None = None  # the claim m was last pressed on, and which match it showed
    _ranked: list[tuple[ClaimRef, float]] | None = None  # every claim, most check-worthy first (computed once)
    _worthy_position: int | None = None  # where in _ranked w last brought the cursor
    _entities: list[EntityMentions] | None = None  # the entity panel's list (computed once)
    _entity_selected: int = 0  # the entity picked last: the panel reopens on it

    @property
    def other_pane(self) -> Pane:
        return self.panes[(self.focused_pane + 1) % self.in_use]

    def action_best_match(self) -> None:
        """Show the best match of the current claim in the other pane; again: the next match."""
        ref = self.view.current_ref
        if ref is None or self.cross is None or self.review is None:
            return
        matches = self.cross.matches(ref)
        if not matches:
            self.notify("No other source carries this claim.", severity="warning")
            return
        step = self._match_cycle[1] + 1 if self._match_cycle and self._match_cycle[0] == ref else 0
        step %= len(matches)
        self._match_cycle = (ref, step)
        other, score = matches[step]
        target = self.other_pane
        self.jump_to(other, target)
        source = next(a.article.source for a in self.review.analysis.articles if a.article.id == other.article)
        self._show_status(f"match {step + 1} of {len(matches)}: {strip_controls(source)} ({score:.2f})")
        if self.single_pane:
            self._focus_pane(self.panes.index(target))

    def action_step_mode(self) -> None:
        self.step_mode = not self.step_mode
        self._show_status("step mode on: the other pane follows the best match" if self.step_mode else "step mode off")
        if self.step_mode:
            self._follow()

    def _follow(self) -> None:
        """In step mode, put the other pane on the best match of the current claim (if it has one)."""
        ref = self.view.current_ref
        if not self.step_mode or ref is None or self.cross is None:
            return
        matches = self.cross.matches(ref)
        if matches:
            self.jump_to(matches[0][0], self.other_pane)

    def action_next_worthy(self) -> None:
        """Jump to the next unreviewed claim of the corpus in check-worthiness order."""
        if self.review is None:
            return
        if self._ranked is None:
            from factdesk.annotations.text.claims import ranked_claims

            self._ranked = ranked_claims(self.review.analysis)
        current = self.view.current_ref
        # Continue the walk from the claim w last brought us to; anywhere else, start from the top.
        start = (
            self._worthy_position + 1
            if self._worthy_position is not None and self._ranked[self._worthy_position][0] == current
            else 0
        )
        for position in range(start, len(self._ranked)):
            ref, score = self._ranked[position]
            if ref != current and self.review.status(ref) is Status.UNREVIEWED:
                self._worthy_position = position
                self.jump_to(ref)
                # A rank, not a claim number: "claim N" means the inspector's "Claim N of M" everywhere.
                self._show_status(f"check-worthy: rank {position + 1} of {len(self._ranked)} (score {score:.2f})")
                return
        self._worthy_position = None
        self._show_status("no unreviewed claim left below this one; w again starts from the top")

    def action_entities(self) -> None:
        """The entity panel; it reopens on the entity picked last, so its mentions can be walked one by one."""
        if self.review is None:
            return
        from factdesk.annotations.compare.crossref import entity_mentions
        from factdesk.tui.screens.entities import EntityScreen

        if self._entities is None:
            self._entities = entity_mentions(self.review.analysis)
        screen = EntityScreen(self.review.analysis, self._entities, self._entity_selected)

        def done(ref: ClaimRef | None) -> None:
            self._entity_selected = screen.selected
            self.jump_to_picked(ref)

        self.app.push_screen(screen, done)

    def action_coverage(self) -> None:
        """The coverage matrix: which source states which fact; enter jumps to the fact's claim."""
        if self.review is None or self.cross is None:
            return
        from factdesk.annotations.compare import coverage
        from factdesk.tui.screens.coverage import CoverageScreen

        analysis = self.review.analysis
        rows = coverage(analysis, analysis.matches, analysis.conflicts)
        self.app.push_screen(CoverageScreen(analysis, rows), self.jump_to_picked)

    def action_figure_board(self) -> None:
        """The figure board: each outlet's figures by measure × scope, conflicts explained; enter jumps to one."""
        if self.review is None:
            return
        from factdesk.annotations.review.figure_table import figure_table
        from factdesk.tui.screens.figure_board import FigureBoardScreen

        self.app.push_screen(FigureBoardScreen(figure_table(self.review.analysis)), self.jump_to_picked)
