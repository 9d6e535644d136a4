"""The reader's ``Q``: the claim's direct quotes beside the same speakers' words in other outlets.

The quotes are read from the analysis on the first ``Q`` (:func:`factdesk.annotations.compare.quotes.quote_index`,
kept per analysis object), never by the analysis pipeline; a claim without a quote says so on the status line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factdesk.annotations.model import ClaimRef
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.screens.reader_base import ReaderBase

if TYPE_CHECKING:
    from factdesk.annotations.compare.quotes import Quote


class QuoteActions(ReaderBase):
    """Part of :class:`~factdesk.tui.screens.reader.ReaderScreen`: the quotes across outlets (Q)."""

    def action_quotes(self) -> None:
        ref = self.view.current_ref
        if ref is None or self.review is None:
            return
        from factdesk.annotations.compare.quotes import quote_index
        from factdesk.annotations.review.claim_numbers import ClaimNumbers, claim_label
        from factdesk.tui.screens.quotes import QuotesScreen

        analysis = self.review.analysis
        index = quote_index(analysis)
        quotes = index.of_claim(ref)
        if not quotes:
            self._show_status("no direct quote in this claim")
            return
        numbers = ClaimNumbers(analysis)

        def source_of(article_id: str) -> str:
            found = analysis.by_id(article_id)
            return found.article.source if found is not None else article_id

        def where(quote: Quote) -> str:
            number = next((n for s in quote.sentences if (n := numbers(ClaimRef(quote.article_id, s)))), None)
            label = claim_label(number) or f"sentence {quote.sentences[0] + 1}"
            return f"{source_of(quote.article_id)}, {label}"

        rank = {"differs": 0, "partial": 1, "same": 2}  # wording that differs first, then how much is shared
        found = [
            (quote, sorted(index.counterparts(quote), key=lambda pair: (rank[pair.kind], -pair.overlap)))
            for quote in quotes
        ]
        self.app.push_screen(QuotesScreen(found, source_of, where), self._open_quote)
        paired = sum(1 for _, pairs in found if pairs)
        self._show_status(f"quotes: {len(quotes)} in this claim, {paired} also in other outlets")

    def _open_quote(self, quote: Quote | None) -> None:
        """The other outlet's quote picked in the dialog: its claim in the other pane, as ``m`` shows a match."""
        if quote is None or self.review is None:
            return
        analysis = self.review.analysis.by_id(quote.article_id)
        if analysis is None:
            return
        sentence = next((s for s in quote.sentences if analysis.claim_position(s) is not None), quote.sentences[0])
        target = self.panes[(self.focused_pane + 1) % self.in_use]
        self.jump_to(ClaimRef(quote.article_id, sentence), target)
        self._show_status(f"quote in {strip_controls(analysis.article.source)}: in the other pane")
        if self.single_pane:
            self._focus_pane(self.panes.index(target))
