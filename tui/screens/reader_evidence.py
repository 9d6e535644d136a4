"""The reader's evidence keys: ``E`` (URLs and citations of the current claim), ``L`` (link it to the claim under the
other pane's cursor, with a relation) and ``F`` (follow its links: the linked claim opens in the other pane).

Every change goes through :meth:`~factdesk.annotations.review.review.Review.set_fields` (the store, on disk, logged as
``evidence``, undone by ctrl+z) and ends in ``refresh_marks``; the rules are in
:mod:`factdesk.annotations.review.evidence`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from factdesk.annotations.model import ClaimRef
from factdesk.annotations.review.evidence import (
    EVIDENCE_FIELD,
    RELATION_LABEL,
    EvidenceError,
    EvidenceItem,
    check_link,
    citation_item,
    evidence_of,
    link_item,
    resolve_link,
    stored_evidence,
    url_item,
    with_item,
    without_item,
)
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from collections.abc import Callable

    from factdesk.annotations.model import Mark
    from factdesk.tui.widgets.pane import Pane


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def claim_links(marks: dict[str, Mark], reviewer: str) -> list[EvidenceItem]:
    """Every typed link on a claim: the reviewer's own first, then the others' (by name), each in the order added."""
    order = sorted(marks, key=lambda name: (name != reviewer, name))
    return [item for name in order for item in evidence_of(marks[name]) if item.kind == "link"]


class EvidenceActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: E, L and F."""

    _link_cycle: tuple[ClaimRef, int] | None = None  # the claim F was last pressed on, and which link it showed

    # (The reader's, from MarkActions; declared for the type checker.)
    if TYPE_CHECKING:

        def with_reviewer(self, then: Callable[[], object]) -> None: ...

        def refresh_marks(self, status: str, changed: ClaimRef | None = None) -> None: ...

    def _next_pane(self) -> Pane:
        """The pane after the focused one (``m``'s other pane; the focused one itself when only one is in use)."""
        return self.panes[(self.focused_pane + 1) % self.in_use]

    # --- saving -------------------------------------------------------------------------------------

    def _save_evidence(self, ref: ClaimRef, evidence: list[object] | None, detail: str) -> str | None:
        """Store the claim's new evidence list (``None``: none left); an error message, or ``None`` once on disk."""
        review = self.review
        if review is None:
            return "the analysis is not ready"
        generation = review.store.generation
        try:
            review.set_fields(ref, {EVIDENCE_FIELD: evidence}, detail=detail, action="evidence")
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return f"Not saved: {error}"
        self.refresh_marks(f"saved: {detail}", ref if review.store.generation == generation else None)
        return None

    def _own_evidence(self, ref: ClaimRef) -> list[object]:
        review = self.review
        return stored_evidence(review.verdicts(ref).get(review.reviewer)) if review is not None else []

    # --- E --------------------------------------------------------------------------------------------

    def action_evidence(self) -> None:
        self.with_reviewer(self._open_evidence)

    def _open_evidence(self) -> None:
        found = self.claim_for_dialog("No claim here to add evidence to.")
        if found is None:
            return
        review, ref, quote = found
        reader = self  # (bound for the desk below)

        class Desk:
            def items(self) -> list[EvidenceItem]:
                return evidence_of(review.verdicts(ref).get(review.reviewer))

            def add(self, kind: str, text: str) -> str | None:
                try:
                    make = url_item if kind == "url" else citation_item
                    item = make(text, reviewer=review.reviewer, added=_now())
                    evidence = with_item(reader._own_evidence(ref), item)
                except EvidenceError as error:
                    return str(error)
                return reader._save_evidence(ref, evidence, item.detail("added"))

            def remove(self, item: EvidenceItem) -> str | None:
                try:
                    evidence = without_item(reader._own_evidence(ref), item.position)
                except EvidenceError as error:
                    return str(error)
                return reader._save_evidence(ref, evidence, item.detail("removed"))

        from factdesk.tui.screens.evidence import EvidenceScreen  # loaded when first opened

        sources = {a.article.id: a.article.source for a in review.analysis.articles}
        self.app.push_screen(EvidenceScreen(quote, Desk(), sources))

    # --- L --------------------------------------------------------------------------------------------

    def action_link_claim(self) -> None:
        self.with_reviewer(self._link_claim)

    def _link_claim(self) -> None:
        ref = self.view.current_ref
        review = self.review
        if review is None or ref is None or self.view.current is None:
            self.notify("No claim here to link.", severity="warning")
            return
        other = self._next_pane().view
        if other is self.view:
            self.notify("Open a second pane (a wider terminal) to link to its claim.", severity="warning")
            return
        try:
            target = check_link(ref, other.current_ref)
        except EvidenceError as error:
            self.notify(str(error), severity="warning")
            return
        analysis = other.analysis
        if analysis is None or other.current is None:
            return
        from factdesk.annotations.review.anchor import make_anchor
        from factdesk.annotations.review.claim_numbers import claim_label, claim_number
        from factdesk.tui.screens.evidence import RelationPickerScreen

        sentence = other.current
        anchor = make_anchor(analysis.article.text, sentence.start, sentence.end)
        where = f"{analysis.article.source}, {claim_label(claim_number(analysis, target.sentence))}"
        path = str(analysis.article.path.resolve())

        def picked(relation: str | None) -> None:
            if relation is None:
                self._show_status("no link made")
                return
            try:
                item = link_item(relation, target.article, anchor, path=path, reviewer=review.reviewer, added=_now())
                evidence = with_item(self._own_evidence(ref), item)
            except EvidenceError as error:
                self.notify(str(error), severity="warning")
                return
            self._save_evidence(ref, evidence, f"{item.detail('added')} to {where}")

        this = strip_controls(self.view.analysis.sentence_text(self.view.current)) if self.view.analysis else ""
        self.app.push_screen(
            RelationPickerScreen(this, strip_controls(analysis.sentence_text(sentence)), strip_controls(where)), picked
        )

    # --- F --------------------------------------------------------------------------------------------

    def action_follow_link(self) -> None:
        """The claim's first typed link opens in the other pane, the cursor on the linked claim; again: the next."""
        ref = self.view.current_ref
        review = self.review
        if review is None or ref is None:
            return
        links = claim_links(review.verdicts(ref), review.reviewer)
        if not links:
            self._show_status("no links on this claim: L links it to the other pane's claim")
            return
        step = self._link_cycle[1] + 1 if self._link_cycle and self._link_cycle[0] == ref else 0
        step %= len(links)
        self._link_cycle = (ref, step)
        link = links[step]
        relation = RELATION_LABEL.get(link.relation, link.relation)
        target = resolve_link(link, review.analysis)
        if target is None:
            quote = link.anchor.quote if link.anchor else ""
            self.notify(
                f"link {step + 1} of {len(links)} ({relation}): that claim is no longer found; it read “{quote}”",
                severity="warning",
                timeout=10,
            )
            self._show_status(f"link {step + 1} of {len(links)}: not found")
            return
        pane = self._next_pane()
        self.jump_to(target, pane)
        found = review.analysis.by_id(target.article)
        source = found.article.source if found is not None else "?"
        self._show_status(strip_controls(f"link {step + 1} of {len(links)}: {relation} · {source}"))
        if self.single_pane or pane is self.pane:
            self._focus_pane(self.panes.index(pane))
