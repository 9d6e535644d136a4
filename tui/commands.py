"""Every reader command, defined once: its keys, Footer label, help text and palette entry.

The reader screen builds its BINDINGS from this list, the help screen lists it and
the palette provider offers it, so a key, its hint and its palette entry cannot drift
apart (the pattern of davep/hike).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from textual.binding import Binding

from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import VERDICT_LABEL


@dataclass(frozen=True)
class Command:
    action: str  # the screen action, without "action_"
    keys: str  # Textual key names, comma-separated; the first is shown
    label: str  # short Footer label
    help: str  # one line for the help screen and the palette
    show: bool = True  # shown in the Footer
    key_display: str | None = None
    group: str | None = None  # Footer keys of one group share its label ("E L F Evidence"): see FOOTER_GROUPS

    @property
    def id(self) -> str:
        return self.action

    def binding(self) -> Binding:
        # Priority: the article view (a ScrollView) would otherwise take up/down/home/end for scrolling.
        # The reader screen has no text inputs, and modal screens are outside its binding chain.
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            key_display=self.key_display,
            id=self.id,
            priority=True,
            group=FOOTER_GROUPS.get(self.group) if self.group else None,
        )


# Twenty keys deserve a Footer hint, and a 160-column Footer holds about sixteen: related keys share one label
# (Textual's binding groups), so every one of them shows — the help screen and the palette still list each alone.
FOOTER_GROUPS: dict[str, Binding.Group] = {
    "evidence": Binding.Group("Evidence"),
    "compare": Binding.Group("Sources"),
    "lists": Binding.Group("Lists"),
}


READER_COMMANDS: tuple[Command, ...] = (
    Command("next_claim", "j,down", "Next", "Move to the next claim", show=False, key_display="j"),
    Command("previous_claim", "k,up", "Prev", "Move to the previous claim", show=False, key_display="k"),
    Command("first_claim", "g,home", "First", "Go to the first claim of the article", show=False),
    Command("last_claim", "G,end", "Last", "Go to the last claim of the article", show=False, key_display="G"),
    Command("next_pane", "tab", "Pane", "Focus the other pane", show=False),
    Command("previous_pane", "shift+tab", "Pane", "Focus the previous pane", show=False),
    # (navigation keys stay out of the Footer, as j/k/tab do: the pane title's "1/5" says there are more articles)
    Command(
        "next_article",
        "right_square_bracket",
        "Article",
        "Show the next article in this pane",
        show=False,
        key_display="]",
    ),
    Command(
        "previous_article",
        "left_square_bracket",
        "Article",
        "Show the previous article in this pane",
        show=False,
        key_display="[",
    ),
    Command("verify", "v", VERDICT_LABEL[Status.VERIFIED], "Mark the claim verified"),
    Command("dispute", "d", VERDICT_LABEL[Status.DISPUTED], "Mark the claim disputed"),
    Command("rate", "r", "Rate", "Pick any verdict of the scale (a digit picks): verified … needs context"),
    Command("misleading", "M", VERDICT_LABEL[Status.MISLEADING], "Mark the claim misleading", show=False),
    Command("unverifiable", "U", VERDICT_LABEL[Status.UNVERIFIABLE], "Mark the claim unverifiable", show=False),
    Command("needs_context", "C", VERDICT_LABEL[Status.NEEDS_CONTEXT], "Mark the claim as needing context", show=False),
    Command("clear_mark", "u", "Clear", "Clear the claim's mark (a note is kept)"),
    Command("note", "n", "Note", "Write a note on the claim"),
    Command(
        "fragment_mode",
        "x",
        "Fragment",
        "Fragment mode: narrow the claim to some words (l/h end, H/L start, J next sentence, w next word), mark them",
    ),
    Command(
        "evidence", "E", "Evidence", "Evidence on the claim: add a URL or a citation, list, remove", group="evidence"
    ),
    Command(
        "link_claim",
        "L",
        "Link",
        "Link this claim to the other pane's claim: supports, contradicts, updates, same source",
        group="evidence",
    ),
    Command(
        "follow_link",
        "F",
        "Follow",
        "Follow the claim's links: the linked claim opens in the other pane (again: the next)",
        group="evidence",
    ),
    Command("next_worthy", "w", "Worthy", "Next unreviewed claim, most check-worthy first"),
    Command("entities", "p", "Entities", "Entity panel: pick a name, jump through its mentions", show=False),
    Command("best_match", "m", "Match", "Show the best match in the other pane (again: the next)", group="compare"),
    Command("step_mode", "s", "Step", "Step mode: the other pane follows the best match", show=False),
    Command("coverage", "c", "Coverage", "Coverage matrix: which source states which fact", group="compare"),
    Command("figure_board", "b", "Board", "Figure board: each outlet's figures per measure × scope", group="compare"),
    Command(
        "quotes", "Q", "Quotes", "The claim's quotes beside the same speaker's words in other outlets", group="compare"
    ),
    Command(
        "apply_to_matches",
        "a",
        "Apply",
        "Apply this claim's verdict to its near-certain matches (lists them, asks first)",
        show=False,
    ),
    Command("undo", "ctrl+z", "Undo", "Undo your last change in this session", show=False),
    Command("redo", "ctrl+y", "Redo", "Redo the change you undid", show=False),
    Command("disagreements", "f", "Disagree", "Filter: claims where reviewers disagree", group="lists"),
    Command(
        "adjudicate",
        "A",
        "Final",
        "Curator: set the final verdict of a claim reviewers disagree on, with the reason",
    ),
    Command("orphans", "o", "Orphans", "Marks whose claim changed (kept, never dropped)", show=False),
    Command("search", "slash", "Search", "Search claims in every article", key_display="/"),
    Command("clear_search", "escape", "Clear search", "Clear the search's highlighted words", show=False),
    Command(
        "claims_list",
        "l",
        "List",
        "Claims list: filter by verdict, reviewer, outlet, entity, note, conflict…",
        group="lists",
    ),
    Command("export", "e", "Export", "Export the brief: save to a file or copy"),
    Command("copy_claim", "y", "Copy", "Copy the claim with its source", show=False),
    Command("set_outlet", "O", "Outlet", "Set the article's outlet (kept in the database)", show=False),
    Command(
        "outlet_record",
        "R",
        "Record",
        "Outlet record: each outlet's verdict counts across every corpus in the database",
        group="lists",
    ),
    Command("help", "question_mark", "Help", "Show the keys", key_display="?"),
    Command("quit", "q", "Quit", "Quit factdesk (every mark is already saved)"),
)

PALETTE_ONLY_HELP = (
    ("ctrl+p", "Open the command palette (every command, themes)"),
    ("mouse", "Click a sentence to select it; the wheel scrolls"),
)


# The Footer shows these first, in this order: on an 80-column terminal it has room for about seven keys, and a
# new reviewer must see how to mark, get help, export and quit. The other Footer keys follow in the order of
# READER_COMMANDS (the help screen and the palette keep that order); at 160 columns every one of them shows.
ESSENTIAL_ACTIONS: tuple[str, ...] = ("help", "verify", "dispute", "clear_mark", "note", "export", "quit")


def footer_order(commands: tuple[Command, ...] = READER_COMMANDS) -> list[Command]:
    """``commands`` with the essential ones first (a stable sort: the rest keep their order, except that a Footer
    group's keys follow its first one, so that they share one label)."""
    rank = {action: number for number, action in enumerate(ESSENTIAL_ACTIONS)}
    first: dict[str | None, int] = {}
    for number, command in enumerate(commands):
        first.setdefault(command.group, number)
    place = {command.action: first[command.group] if command.group else n for n, command in enumerate(commands)}
    return sorted(commands, key=lambda command: (rank.get(command.action, len(rank)), place[command.action]))


# What works before the analysis arrives: reading the text (j/k scroll it line by line), panes, articles, help, quit.
TEXT_PHASE_ACTIONS = frozenset(
    {
        "next_claim",
        "previous_claim",
        "first_claim",
        "last_claim",
        "next_pane",
        "previous_pane",
        "next_article",
        "previous_article",
        "help",
        "quit",
    }
)


@cache
def reader_key_actions() -> dict[str, str]:
    """Each reader key (as Textual names it) → its action (built once: it is read on key presses)."""
    return {key: command.action for command in READER_COMMANDS for key in command.keys.split(",")}


def reader_bindings() -> list[Binding]:
    """The reader's bindings, in Footer order (the Footer lists a screen's bindings in the order they are given)."""
    return [command.binding() for command in footer_order()]


def display_keys(command: Command) -> str:
    """Keys as a person reads them: 'j / down'."""
    names = {
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "slash": "/",
        "question_mark": "?",
    }
    return " / ".join(names.get(key, key) for key in command.keys.split(","))
