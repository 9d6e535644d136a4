"""``l``: the claims list, from the reader — its index built once per opening, its filters kept between openings.

The list (:mod:`factdesk.tui.screens.claims_list`) answers with the claim picked; the reader shows it in the
focused pane, the cursor on it, scrolled into view (:meth:`ReaderBase.jump_to`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import EntityMentions
    from factdesk.annotations.model import ClaimRef
    from factdesk.annotations.review.claim_filters import ClaimFilters


class ListActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: the claims list."""

    _list_filters: ClaimFilters | None = None
    _entities: list[EntityMentions] | None = None  # the entity panel's list (CompareActions), made once for both

    def action_claims_list(self) -> None:
        if self.review is None:
            return
        from factdesk.annotations.review.claim_filters import index_review
        from factdesk.tui.screens.claims_list import ClaimsListScreen

        index = index_review(self.review)  # once per opening: the marks may have changed since the last
        screen = ClaimsListScreen(index, self._list_filters, self._entity_groups)

        def picked(ref: ClaimRef | None) -> None:
            self._list_filters = screen.filters
            self.jump_to_picked(ref)

        self.app.push_screen(screen, picked)

    def _entity_groups(self) -> Iterable[tuple[str, Iterable[ClaimRef]]]:
        """Each entity's name and the claims mentioning it: the entity panel's list (``p``), made once for both."""
        from factdesk.annotations.compare.crossref import entity_mentions

        assert self.review is not None
        found = self._entities
        if found is None:
            found = self._entities = entity_mentions(self.review.analysis)
        return [(item.group.canonical, item.mentions) for item in found]
