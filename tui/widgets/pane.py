"""A pane: one article's header (title, source, review counts) above its text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from factdesk.annotations.compare.crossref import CrossIndex
from factdesk.annotations.model import Article, ArticleAnalysis, Status
from factdesk.annotations.review.review import Review
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.widgets.article_view import ArticleView


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
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(strip_controls(article.title), style="bold")
        text.append("\n")
        text.append(strip_controls(article.source), style="italic")
        text.append(outlet_details(article))
        text.append("  ")
        text.append(f"{VERDICT_SYMBOL[Status.VERIFIED]} {counts.verified}", style="bold")
        text.append("  ")
        text.append(f"{VERDICT_SYMBOL[Status.DISPUTED]} {counts.disputed}", style="bold")
        text.append(f"  / {counts.claims} claims")
        if article.notice:
            text.append(f"  ⚠ {article.notice}", style="italic")
        self.update(text)


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
        return self.query_one(ArticleView)

    def show(
        self, analysis: ArticleAnalysis, review: Review, cross: CrossIndex, index: int, total: int, cursor: int = 0
    ) -> None:
        self.article_index = index
        self.border_title = f"{index + 1}/{total}"
        self.view.show(analysis, review, cross, cursor)
        self.refresh_header()

    def refresh_header(self) -> None:
        view = self.view
        if view.analysis is not None and view.review is not None:
            total = len(view.review.analysis.articles)
            self.header.show(view.analysis, view.review, self.article_index, total)

    def on_descendant_focus(self) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("-focused")
