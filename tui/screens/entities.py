"""``p``: the entity panel — pick a person, place, organisation or group; jump through its mentions.

Spellings are grouped (Golani / Jolani, HTS / Hayat Tahrir al-Sham), so one entry covers
every article however it spells the name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from factdesk.annotations.model import ClaimRef, CorpusAnalysis
from factdesk.annotations.text.textsafety import strip_controls

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import EntityMentions

KIND = {"PERSON": "person", "ORG": "org", "LOC": "place", "NORP": "group"}


class EntityScreen(ModalScreen[ClaimRef | None]):
    BINDINGS = [Binding("escape,q", "close", "Close", priority=True)]

    def __init__(self, analysis: CorpusAnalysis, entities: list[EntityMentions], selected: int = 0) -> None:
        super().__init__()
        self.analysis = analysis
        self.entities = entities
        self.selected = min(selected, max(len(entities) - 1, 0))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Entities across the sources (spellings grouped)", classes="dialog-title")
            with Horizontal(id="entity-lists"):
                names = OptionList(id="entity-names")
                for item in self.entities:
                    label = Text(no_wrap=True, overflow="ellipsis")
                    label.append(f"{len(item.mentions):>3} ", style="bold")
                    label.append(strip_controls(item.group.canonical))
                    label.append(f"  {KIND.get(item.group.label, item.group.label)}", style="dim")
                    others = [v for v in item.group.variants if v != item.group.canonical]
                    if others:
                        label.append("  also: " + ", ".join(strip_controls(v) for v in others), style="italic")
                    names.add_option(Option(label))
                yield names
                yield OptionList(id="entity-mentions")
            yield Label("↑/↓ choose · enter or tab: its mentions · enter jump · escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        names = self.query_one("#entity-names", OptionList)
        if self.entities:
            names.highlighted = self.selected
        names.focus()

    @on(OptionList.OptionHighlighted, "#entity-names")
    def _show_mentions(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option_index
        mentions = self.query_one("#entity-mentions", OptionList)
        mentions.clear_options()
        for ref in self.entities[self.selected].mentions:
            article = self.analysis.by_id(ref.article)
            if article is None:
                continue
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(f"{strip_controls(article.article.source)[:16]}  ", style="bold")
            label.append(strip_controls(article.sentence_text(article.sentences[ref.sentence])))
            mentions.add_option(Option(label))
        if mentions.option_count:
            mentions.highlighted = 0

    @on(OptionList.OptionSelected, "#entity-names")
    def _open_mentions(self) -> None:
        self.query_one("#entity-mentions", OptionList).focus()

    @on(OptionList.OptionSelected, "#entity-mentions")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entities[self.selected].mentions[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)
