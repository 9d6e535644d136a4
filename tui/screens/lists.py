"""Small list dialogs: claims where reviewers disagree (enter jumps), and orphaned marks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from factdesk.annotations.model import ClaimRef
from factdesk.annotations.review.claim_numbers import ClaimNumbers, claim_label
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.verdict_style import verdict_styles

if TYPE_CHECKING:
    from factdesk.annotations.review.review import Review


class DisagreementScreen(ModalScreen[ClaimRef | None]):
    """Claims on which reviewers gave different verdicts, each with every reviewer's verdict."""

    BINDINGS = [Binding("escape,q,f", "close", "Close", priority=True)]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review
        self.refs = review.disagreements()
        self.number = ClaimNumbers(review.analysis)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Claims where reviewers disagree ({len(self.refs)})", classes="dialog-title")
            options = OptionList(id="disagreements")
            for ref in self.refs:
                options.add_option(Option(self._label(ref)))
            if not self.refs:
                options.add_option(
                    Option("No disagreements: every claim marked by several reviewers agrees.", disabled=True)
                )
            yield options
            yield Label("enter jump · escape close", classes="dialog-hint")

    def _label(self, ref: ClaimRef) -> Text:
        analysis = self.review.analysis.by_id(ref.article)
        label = Text(no_wrap=True, overflow="ellipsis")
        verdicts = verdict_styles(self.app)
        for reviewer, mark in sorted(self.review.verdicts(ref).items()):
            label.append(
                f"{VERDICT_SYMBOL[mark.status]} {strip_controls(reviewer)}  ", style=verdicts.status(mark.status)
            )
        if analysis is not None:
            label.append(f"{strip_controls(analysis.article.source)[:20]}  ", style="bold")
            label.append(f"{claim_label(self.number(ref))}  ", style="dim")  # as in the brief
            label.append(strip_controls(analysis.sentence_text(analysis.sentences[ref.sentence])))
        return label

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self.refs:
            self.dismiss(self.refs[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)


class OrphansScreen(ModalScreen[None]):
    """Marks whose claim could not be found after an article changed: kept, shown, never dropped."""

    BINDINGS = [Binding("escape,q,o", "close", "Close", priority=True)]

    def __init__(self, review: Review) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        orphans = self.review.orphans
        body = Text()
        verdicts = verdict_styles(self.app)
        for number, mark in enumerate(orphans, start=1):
            article = self.review.orphan_article(mark)
            where = strip_controls(article.article.source) if article else strip_controls(mark.article_id)
            body.append(f"{number}. ", style="bold")
            body.append(VERDICT_SYMBOL[mark.status], style=verdicts.status(mark.status))
            body.append(f" {strip_controls(mark.reviewer)} · {where}\n", style="dim")
            body.append("   “" + strip_controls(mark.anchor.quote) + "”\n", style="italic")
            if mark.note:
                body.append("   Note: " + strip_controls(mark.note) + "\n")
            closest, diff = self.review.orphan_diff(mark)
            if closest:
                body.append("   Closest sentence now: ", style="bold")
                body.append(strip_controls(diff) + "\n")
            body.append("\n")
        if not orphans:
            body.append("Every mark is attached to its claim.")
        with Vertical(classes="dialog"):
            yield Label(f"Marks whose claim changed ({len(orphans)})", classes="dialog-title")
            with VerticalScroll(id="orphans-body"):
                yield Static(body)
            yield Label(
                "These marks stay in the database and in the brief's appendix. escape close",
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
