"""The reader: articles side by side, a claim cursor, the inspector, every reader key.

Data flows one way: a key calls :class:`~factdesk.annotations.review.review.Review`, which writes the
store (on disk) first; only then are the views refreshed from the review.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import StoreError
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.clipboard import copy_text
from factdesk.tui.commands import reader_bindings
from factdesk.tui.screens.coverage import CoverageScreen
from factdesk.tui.screens.entities import EntityScreen
from factdesk.tui.screens.export import ExportRequest, ExportScreen
from factdesk.tui.screens.help import HelpScreen
from factdesk.tui.screens.lists import DisagreementScreen, OrphansScreen
from factdesk.tui.screens.note import NoteScreen
from factdesk.tui.screens.search import SearchScreen
from factdesk.tui.widgets.article_view import ArticleView
from factdesk.tui.widgets.inspector import Inspector
from factdesk.tui.widgets.pane import Pane

MAX_PANES = 3
STATE_SAVE_DELAY = 1.0  # seconds: the cursor position is saved shortly after it stops moving
STORE_POLL_INTERVAL = 1.0  # seconds between checks for another session's changes (one stat call)


def panes_for_width(width: int) -> int:
    """How many panes are on screen: three from 200 columns, two from 100, one below."""
    return 3 if width >= 200 else 2 if width >= 100 else 1


class ReaderScreen(Screen[None]):
    BINDINGS = reader_bindings()

    def __init__(self) -> None:
        super().__init__()
        self.review: Review | None = None
        self.focused_pane = 0
        self.in_use = 2  # panes taking part: 3 from 200 columns, else 2 (one shown at a time below 100)
        self.cross: CrossIndex | None = None
        self.step_mode = False
        self._match_cycle: tuple[ClaimRef, int] | None = None
        self._poll_failed = False
        self._ranked: list[tuple[ClaimRef, float]] | None = None
        self._worthy_position: int | None = None
        self._entities: list | None = None
        self._entity_selected = 0
        self._state_timer = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for number in range(MAX_PANES):
                yield Pane(number)
        yield Inspector("", id="inspector")
        yield Static("", id="status-line", markup=False)
        yield Footer()

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    @property
    def pane(self) -> Pane:
        return self.panes[self.focused_pane]

    @property
    def view(self) -> ArticleView:
        return self.pane.view

    def on_mount(self) -> None:
        self._arrange(self.app.size.width)
        self.panes[0].view.focus()

    def on_resize(self) -> None:
        self._arrange(self.size.width)
        self.set_class(self.size.height < 32, "-short")

    # --- loading ------------------------------------------------------------------------------

    def load(self, review: Review, state: dict | None) -> None:
        """Show the analysed corpus, resuming ``state`` (articles in panes, focus, cursor) if given."""
        self.review = review
        self.cross = CrossIndex(review.analysis)
        articles = review.analysis.articles
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
        self.focused_pane = focus if isinstance(focus, int) and 0 <= focus < MAX_PANES else 0
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

    def _show_in(self, pane: Pane, index: int, cursor: int = 0) -> None:
        assert self.review is not None and self.cross is not None
        articles = self.review.analysis.articles
        pane.show(articles[index], self.review, self.cross, index, len(articles), cursor)

    @staticmethod
    def _position(analysis, sentence_index) -> int | None:
        for position, sentence in enumerate(analysis.claims):
            if sentence.index == sentence_index:
                return position
        return None

    def _arrange(self, width: int) -> None:
        """Show as many panes as fit; below 100 columns only the focused one."""
        self.in_use = 3 if width >= 200 else 2
        self.focused_pane = min(self.focused_pane, self.in_use - 1)
        single = panes_for_width(width) == 1
        for number, pane in enumerate(self.panes):
            shown = number == self.focused_pane if single else number < self.in_use
            pane.set_class(not shown, "-hidden")

    def _show_status(self, message: str = "") -> None:
        app = self.app
        # The latest message first: a long database path must never push "saved" off a narrow screen.
        parts = [message] if message else []
        if app.store.read_only:  # type: ignore[attr-defined]
            parts.append("READ-ONLY")
        parts += [f"reviewer: {strip_controls(app.reviewer)}", f"db: {app.db_label}"]  # type: ignore[attr-defined]
        self.query_one("#status-line", Static).update(" · ".join(parts))

    # --- state --------------------------------------------------------------------------------

    def _refresh_inspector(self) -> None:
        if self.review is None:
            return
        view = self.view
        self.query_one(Inspector).show(view.analysis, view.current, view.cursor, self.review, self.cross)

    def _state(self) -> dict:
        panes = []
        for pane in self.panes:
            ref = pane.view.current_ref
            panes.append({"article": ref.article if ref else None, "claim": ref.sentence if ref else None})
        return {"panes": panes, "focus": self.focused_pane}

    def _schedule_state_save(self) -> None:
        if self._state_timer is not None:
            self._state_timer.stop()
        self._state_timer = self.set_timer(STATE_SAVE_DELAY, self.save_state)

    def save_state(self) -> None:
        if self.review is None or self.app.store.read_only:  # type: ignore[attr-defined]
            return
        try:
            self.app.store.set_state(self.app.corpus.key, self._state())  # type: ignore[attr-defined]
        except StoreError:
            pass  # losing the cursor position is harmless; marks are reported where they are written

    def _moved(self) -> None:
        self._follow()
        self._refresh_inspector()
        self._schedule_state_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.review is None and action not in ("help", "quit"):
            return None  # shown greyed out while the analysis runs
        return True

    # --- cursor ---------------------------------------------------------------------------------

    def action_next_claim(self) -> None:
        self.view.move_to(self.view.cursor + 1)
        self._moved()

    def action_previous_claim(self) -> None:
        self.view.move_to(self.view.cursor - 1)
        self._moved()

    def action_first_claim(self) -> None:
        self.view.move_to(0)
        self._moved()

    def action_last_claim(self) -> None:
        self.view.move_to(len(self.view.claims) - 1)
        self._moved()

    def _focus_pane(self, number: int) -> None:
        self.focused_pane = number % self.in_use
        self._arrange(self.size.width)
        self.view.focus()
        self._moved()

    def action_next_pane(self) -> None:
        self._focus_pane(self.focused_pane + 1)

    def action_previous_pane(self) -> None:
        self._focus_pane(self.focused_pane - 1)

    def _show_article(self, step: int) -> None:
        assert self.review is not None
        articles = self.review.analysis.articles
        index = (self.pane.article_index + step) % len(articles)
        self._show_in(self.pane, index, 0)
        self._moved()

    def action_next_article(self) -> None:
        self._show_article(1)

    def action_previous_article(self) -> None:
        self._show_article(-1)

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

    # --- comparing sources --------------------------------------------------------------------

    @property
    def other_pane(self) -> Pane:
        return self.panes[(self.focused_pane + 1) % self.in_use]

    def action_best_match(self) -> None:
        """Show the best match of the current claim in the other pane; again: the next match."""
        ref = self.view.current_ref
        if ref is None or self.cross is None:
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
        if panes_for_width(self.size.width) == 1:
            self._focus_pane(self.panes.index(target))

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
                self._show_status(f"check-worthy claim {position + 1} of {len(self._ranked)} (score {score:.2f})")
                return
        self._worthy_position = None
        self._show_status("no unreviewed claim left below this one; w again starts from the top")

    def action_entities(self) -> None:
        """The entity panel; it reopens on the entity picked last, so its mentions can be walked one by one."""
        if self.review is None:
            return
        from factdesk.annotations.compare.crossref import entity_mentions

        if self._entities is None:
            self._entities = entity_mentions(self.review.analysis)
        screen = EntityScreen(self.review.analysis, self._entities, self._entity_selected)

        def done(ref: ClaimRef | None) -> None:
            self._entity_selected = screen.selected
            if ref is not None:
                self.jump_to(ref)

        self.app.push_screen(screen, done)

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

    def action_coverage(self) -> None:
        if self.review is None or self.cross is None:
            return
        from factdesk.annotations.compare import coverage

        analysis = self.review.analysis
        rows = coverage(analysis, analysis.matches, analysis.conflicts)

        def done(ref: ClaimRef | None) -> None:
            if ref is not None:
                self.jump_to(ref)

        self.app.push_screen(CoverageScreen(analysis, rows), done)

    def action_apply_to_matches(self) -> None:
        """Give the matching claims the verdict just given to this one — only when asked, never silently."""
        ref = self.view.current_ref
        if self.review is None or self.cross is None or ref is None:
            return
        status = self.review.status(ref)
        if status is Status.UNREVIEWED:
            self.notify("Mark this claim first; a applies its verdict to the matching claims.", severity="warning")
            return
        applied, skipped = 0, 0
        for other, _ in self.cross.matches(ref):
            current = self.review.status(other)
            if current is status:
                continue
            if current is not Status.UNREVIEWED:
                skipped += 1
                continue
            try:
                self.review.set_status(other, status)
            except StoreError as error:
                self.notify(f"Not saved: {error}", severity="error", timeout=10)
                break
            applied += 1
        for pane in self.panes:
            pane.view.marks_changed()
            pane.refresh_header()
        self._refresh_inspector()
        message = f"{status.value} applied to {applied} matching claim(s)"
        if skipped:
            message += f"; {skipped} left alone (they carry another verdict)"
        self._show_status(message)

    @on(ArticleView.ClaimClicked)
    def _clicked(self, event: ArticleView.ClaimClicked) -> None:
        for number, pane in enumerate(self.panes):
            if pane.view is event.view:
                self.focused_pane = number
        event.view.focus()
        event.view.move_to(event.position)
        self._moved()

    def on_descendant_focus(self, event) -> None:
        for number, pane in enumerate(self.panes):
            if pane.view is event.widget:
                self.focused_pane = number
                self._refresh_inspector()

    # --- marks ----------------------------------------------------------------------------------

    def _change(self, change, success: str) -> None:
        """Run a store change for the current claim; views update only once it is on disk."""
        ref = self.view.current_ref
        if self.review is None or ref is None:
            self.notify("No claim here to mark.", severity="warning")
            return
        try:
            change(ref)
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return
        for pane in self.panes:
            if pane.view.analysis is not None and pane.view.analysis.article.id == ref.article:
                pane.view.marks_changed()
                pane.refresh_header()
        self._refresh_inspector()
        self._show_status(success)

    def _verdict(self, status: Status) -> None:
        message = f"saved: {status.value}"
        ref = self.view.current_ref
        if ref is not None and self.cross is not None:
            waiting = [o for o, _ in self.cross.matches(ref) if self.review.status(o) is Status.UNREVIEWED]
            if waiting:
                message += f" · press a to mark its {len(waiting)} unreviewed matching claim(s) {status.value} too"
        self._change(lambda r: self.review.set_status(r, status), message)

    def action_verify(self) -> None:
        self._verdict(Status.VERIFIED)

    def action_dispute(self) -> None:
        self._verdict(Status.DISPUTED)

    def action_clear_mark(self) -> None:
        self._change(lambda ref: self.review.clear(ref), "saved: mark cleared")

    def action_note(self) -> None:
        ref = self.view.current_ref
        if self.review is None or ref is None:
            return
        mark = self.review.mark(ref)
        quote = strip_controls(self.view.analysis.sentence_text(self.view.current))

        def done(note: str | None) -> None:
            if note is None:
                return
            note = note.strip()
            self._change(lambda r: self.review.set_note(r, note), "saved: note" if note else "saved: note removed")

        self.app.push_screen(NoteScreen(quote, mark.note if mark else ""), done)

    # --- search, export, copy, help -----------------------------------------------------------

    def action_search(self) -> None:
        if self.review is None:
            return

        def done(ref: ClaimRef | None) -> None:
            if ref is not None:
                self.jump_to(ref)

        self.app.push_screen(SearchScreen(self.review.analysis), done)

    def default_export_path(self) -> Path:
        return Path.cwd() / "factdesk-brief.md"

    def action_export(self) -> None:
        if self.review is None:
            return
        review = self.review
        totals = [review.counts(a.article.id) for a in review.analysis.articles]
        verified = sum(c.verified for c in totals)
        disputed = sum(c.disputed for c in totals)
        claims = sum(c.claims for c in totals)
        summary = f"{verified} verified · {disputed} disputed · {claims - verified - disputed} unreviewed"

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request)

        self.app.push_screen(ExportScreen(self.default_export_path(), summary), done)

    def export(self, request: ExportRequest) -> None:
        from factdesk.annotations.storage.atomic import atomic_write_text

        assert self.review is not None
        text = self.review.brief_markdown(request.include_unreviewed)
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
        text = f"“{claim}” — {strip_controls(article.source)}, “{strip_controls(article.title)}” ({article.path.name})"
        self.notify(copy_text(self.app, text))

    # --- history, other reviewers, other sessions ------------------------------------------------

    def _after_external_change(self) -> None:
        for pane in self.panes:
            pane.view.marks_changed()
            pane.refresh_header()
        self._refresh_inspector()

    def action_undo(self) -> None:
        self._history_step(undo=True)

    def action_redo(self) -> None:
        self._history_step(undo=False)

    def _history_step(self, undo: bool) -> None:
        if self.review is None:
            return
        try:
            ref = self.review.undo() if undo else self.review.redo()
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return
        if ref is None:
            self._show_status("nothing to undo" if undo else "nothing to redo")
            return
        self.jump_to(ref)
        self._after_external_change()
        self._show_status("undone" if undo else "redone")

    def poll_store(self) -> None:
        """Pick up marks another session wrote to the same database (called on a timer)."""
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
            self._after_external_change()
            self._show_status("marks updated from another session")

    def action_disagreements(self) -> None:
        if self.review is None:
            return

        def done(ref: ClaimRef | None) -> None:
            if ref is not None:
                self.jump_to(ref)

        self.app.push_screen(DisagreementScreen(self.review), done)

    def action_orphans(self) -> None:
        if self.review is not None:
            self.app.push_screen(OrphansScreen(self.review))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.app.db_label, self.app.reviewer))  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        self.save_state()
        self.app.exit()
