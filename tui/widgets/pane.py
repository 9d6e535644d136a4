"""A pane: one article's header (title, source, review counts) above its text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from factdesk.annotations.model import Article, ArticleAnalysis, Status
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.review.review import Review


def outlet_details(article: Article) -> str:
    """ " · 2023-09-14 · via AP" — the date and the credited wire, when the text states them.

    The wire is left out when it is the outlet itself, and the file name is
    added when the outlet came from the text, so the reviewer can still find the file.
    """
    parts: list[str] = []
    if article.date:
        parts.append(strip_controls(article.date))
    if article.wire and article.wire != article.source:
        parts.append(f"via {strip_controls(article.wire)}")
    if article.source != article.path.name:
        parts.append(strip_controls(article.path.name))
    return "".join(f" · {part}" for part in parts)


class PaneHeader(Static):
    """Title on the first line; source, counts and any decoding notice on the second."""

    def show(self, analysis: ArticleAnalysis, review: Review, position: int, total: int) -> None:
        article = analysis.article
        counts = review.counts(article.id)
        # Progress first on the outlet's line: claims with any verdict of the scale, from the review's running tally
        # (never a recount per key), where a narrow pane never cuts it off.
        lead = f"{counts.reviewed}/{counts.claims} reviewed · "
        from factdesk.annotations.text.language import ENGLISH, language_of, not_analysed_note  # (with the analysis)

        language = language_of(article)
        if language != ENGLISH:  # its names and claim cues are not read: said before the outlet, so never cut off
            lead += f"{not_analysed_note(language)} · "
        text = self._identity(article, lead=lead)
        text.append("  ")
        text.append(f"{VERDICT_SYMBOL[Status.VERIFIED]} {counts.verified}", style="bold")
        text.append("  ")
        text.append(f"{VERDICT_SYMBOL[Status.DISPUTED]} {counts.disputed}", style="bold")
        for status, count in counts.others:  # the rest of the scale, once used in this article
            text.append(f"  {VERDICT_SYMBOL[status]} {count}", style="bold")
        text.append(f"  / {counts.claims} claims")
        if article.notice:
            text.append(f"  ⚠ {article.notice}", style="italic")
        # Lay the screen out again only if the header's height changes (never, once shown: two unwrapped lines):
        # a layout on every verdict key re-rendered every pane's scroll bar.
        self.update(text, layout=self.size.height != len(text.plain.split("\n")))

    def show_text(self, article: Article) -> None:
        """The header before the analysis: title, outlet and a note that the counts are coming."""
        text = self._identity(article)
        text.append("  analysing…", style="italic")
        if article.notice:
            text.append(f"  ⚠ {article.notice}", style="italic")
        self.update(text)

    @staticmethod
    def _identity(article: Article, *, lead: str = "") -> Text:
        """Title on the first line; ``lead`` (the review's progress), the outlet and its details on the second."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(strip_controls(article.title), style="bold")
        text.append("\n")
        text.append(lead)
        text.append(strip_controls(article.source), style="italic")
        text.append(outlet_details(article))
        return text


class Pane(Vertical):
    """Shows one article at a time; ``]``/``[`` change which."""

    def __init__(self, number: int) -> None:
        super().__init__(id=f"pane-{number}")
        self.number = number
        self.article_index = 0

    def compose(self) -> ComposeResult:
        yield PaneHeader("", id=f"pane-header-{self.number}")
        yield ArticleView(id=f"article-{self.number}")

    @property
    def header(self) -> PaneHeader:
        return self.query_one(PaneHeader)

    @property
    def view(self) -> ArticleView:
        """The pane's article view, found once (the reader asks for it several times per key)."""
        found: ArticleView | None = getattr(self, "_view", None)
        if found is None:
            found = self._view = self.query_one(ArticleView)
        return found

    def show(
        self,
        analysis: ArticleAnalysis,
        review: Review,
        cross: CrossIndex,
        index: int,
        total: int,
        cursor: int = 0,
        *,
        keep_scroll: bool = False,
    ) -> None:
        self.article_index = index
        self.border_title = f"{index + 1}/{total}"
        self.view.show(analysis, review, cross, cursor, keep_scroll=keep_scroll)
        self.refresh_header()

    def show_text(self, article: Article, index: int, total: int) -> None:
        """The article's text before its analysis (see :meth:`ArticleView.show_text`)."""
        self.article_index = index
        self.border_title = f"{index + 1}/{total}"
        self.view.show_text(article)
        self.header.show_text(article)

    def refresh_header(self) -> None:
        view = self.view
        if view.analysis is not None and view.review is not None:
            total = len(view.review.analysis.articles)
            self.header.show(view.analysis, view.review, self.article_index, total)

    def on_descendant_focus(self) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")
