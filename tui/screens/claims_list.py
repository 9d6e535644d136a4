"""``l``: every claim of the corpus in one list, narrowed by filters that combine; ``enter`` jumps to the claim.

The filters (annotations/review/claim_filters.py) are toggled by key: ``v`` steps through the verdicts, ``r`` the
reviewers (``V``/``R`` pick several), ``o`` and ``e`` open a picker with type-ahead for outlets and entities, ``n``
has note, ``E`` has evidence, ``c`` in a conflict, ``u`` unreviewed, ``x`` clears them all. The line above the list
says which filters are on and how many claims they keep; the line under it gives each value's count given the other
filters, so a reviewer sees where a toggle leads before pressing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.claim_filters import (
    CONFLICT,
    ENTITY,
    EVIDENCE,
    FLAG_LABEL,
    FLAGS,
    NOTE,
    OUTLET,
    REVIEWER,
    UNREVIEWED,
    VERDICT,
    ClaimFilters,
    ClaimIndex,
)
from factdesk.annotations.review.verdicts import (
    DIFFERS_SYMBOL,
    VERDICT_SYMBOL,
    VERDICTS,
    current_scale,
    verdict_label,
)
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.widgets.claim_rows import ClaimRows

FLAG_KEYS = {NOTE: "n", EVIDENCE: "E", CONFLICT: "c", UNREVIEWED: "u"}
FLAG_SYMBOL = {NOTE: "✎", EVIDENCE: "§", CONFLICT: DIFFERS_SYMBOL, UNREVIEWED: VERDICT_SYMBOL[Status.UNREVIEWED]}
FLAG_WORD = {NOTE: "note", EVIDENCE: "evidence", CONFLICT: "conflict", UNREVIEWED: "unreviewed"}  # the counts line
KIND_WORD = {VERDICT: "verdict", REVIEWER: "reviewer", OUTLET: "outlet", ENTITY: "entity"}
NBSP = "\u00a0"
MAX_NAMED = 3  # a filter line names this many chosen values of a kind, then "+N"
MAX_PICKER_VALUES = 100  # a picker lists this many values that match what is typed (typing narrows them)
MAX_REVIEWERS_SHOWN = 4  # the counts line's reviewers (the R picker lists them all)

EntitySource = Callable[[], Iterable[tuple[str, Iterable[ClaimRef]]]]


def value_text(kind: str, value: object) -> str:
    """How a filter value reads: a verdict with its symbol, a name neutralised."""
    if kind == VERDICT and isinstance(value, Status):
        return f"{VERDICT_SYMBOL.get(value, '?')} {verdict_label(value)}"
    return strip_controls(str(value))


def filters_line(filters: ClaimFilters, shown: int, total: int) -> str:
    """ "312 of 60,128 claims · ✗ Disputed · outlet BBC, CNN · has note" (or "… · no filter")."""
    parts = [f"{shown:,} of {total:,} claims"]
    for kind in (VERDICT, REVIEWER, OUTLET, ENTITY):
        chosen = sorted(filters.chosen(kind), key=lambda value: _order(kind, value))
        if chosen:
            named = ", ".join(value_text(kind, value) for value in chosen[:MAX_NAMED])
            more = f" +{len(chosen) - MAX_NAMED}" if len(chosen) > MAX_NAMED else ""
            parts.append(named + more if kind == VERDICT else f"{KIND_WORD[kind]} {named}{more}")
    parts += [FLAG_LABEL[flag] for flag in FLAGS if flag in filters.flags]
    if not filters.active:
        parts.append("no filter")
    return " · ".join(parts)


def _order(kind: str, value: object) -> tuple[int, str]:
    if kind == VERDICT and value in VERDICTS:
        return (VERDICTS.index(value), "")
    return (len(VERDICTS), str(value).casefold())


def verdict_values(index: ClaimIndex) -> tuple[Status, ...]:
    """The verdicts to filter by, in the scale's order: those the team's scale offers, and any other a mark holds
    (a verdict trimmed from the scale still shows on the marks that have it)."""
    scale = current_scale()
    return tuple(s for s in VERDICTS if scale.offers(s) or index.by_verdict.get(s))


def counts_line(index: ClaimIndex, filters: ClaimFilters) -> Text:
    """Each toggle's key and what it would match given the other filters; the chosen ones stand out."""
    text = Text()
    chosen_style = "bold reverse"

    def value(label: str, count: int, chosen: bool) -> None:
        # (No-break spaces inside an item: a narrow screen wraps the line between items, never inside one.)
        text.append(f"{label}{NBSP}{count:,}", style=chosen_style if chosen else ("dim" if not count else ""))

    text.append(f"v{NBSP}", style="bold")
    verdicts = index.counts(filters, VERDICT)
    for number, status in enumerate(verdict_values(index)):
        if number:
            text.append(" ")
        value(VERDICT_SYMBOL.get(status, "?"), verdicts[status], status in filters.verdicts)
    reviewers = index.counts(filters, REVIEWER)
    text.append(f"  r{NBSP}", style="bold")
    if not reviewers:
        text.append("no reviewer yet", style="dim")
    ranked = sorted(reviewers, key=lambda name: (name not in filters.reviewers, -reviewers[name], name))
    for number, name in enumerate(ranked[:MAX_REVIEWERS_SHOWN]):
        if number:
            text.append(" ")
        value(strip_controls(name)[:12], reviewers[name], name in filters.reviewers)
    if len(ranked) > MAX_REVIEWERS_SHOWN:
        text.append(f" +{len(ranked) - MAX_REVIEWERS_SHOWN} (R)", style="dim")
    for flag in FLAGS:
        text.append(f"  {FLAG_KEYS[flag]}{NBSP}", style="bold")
        value(f"{FLAG_SYMBOL[flag]}{NBSP}{FLAG_WORD[flag]}", index.counts(filters, flag)[flag], flag in filters.flags)
    text.append(f"  o{NBSP}", style="bold")
    text.append("outlet…", style=chosen_style if filters.outlets else "")
    text.append(f"  e{NBSP}", style="bold")
    text.append("entity…", style=chosen_style if filters.entities else "")
    return text


class ClaimsListScreen(ModalScreen[ClaimRef | None]):
    """The claims list: filters by key, counts per value, rows drawn as they are seen, enter jumps."""

    BINDINGS = [
        Binding("v", "cycle('verdict')", "Verdict"),
        Binding("r", "cycle('reviewer')", "Reviewer"),
        Binding("o", "pick('outlet')", "Outlet"),
        Binding("e", "pick('entity')", "Entity"),
        Binding("n", "flag('note')", "Note"),
        Binding("E", "flag('evidence')", "Evidence"),
        Binding("c", "flag('conflict')", "Conflict"),
        Binding("u", "flag('unreviewed')", "Unreviewed"),
        Binding("x", "clear", "Clear"),
        Binding("V", "pick('verdict')", "Verdicts", show=False),
        Binding("R", "pick('reviewer')", "Reviewers", show=False),
        Binding("escape,q,l", "close", "Close", key_display="esc"),
    ]

    def __init__(
        self, index: ClaimIndex, filters: ClaimFilters | None = None, entities: EntitySource | None = None
    ) -> None:
        super().__init__()
        self.index = index
        self.filters = filters or ClaimFilters()
        self.entities = entities

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Claims", classes="dialog-title")
            yield Static("", id="claims-filters", markup=False)
            yield ClaimRows(self.index, id="claims-rows")
            yield Static("", id="claims-counts", markup=False)
            yield Label(
                "enter jump · j/k move · V/R pick several · x clear · escape close",
                classes="dialog-hint",
                markup=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClaimRows).focus()
        self.apply(self.filters)

    @property
    def rows(self) -> ClaimRows:
        return self.query_one(ClaimRows)

    def apply(self, filters: ClaimFilters) -> None:
        """Show what ``filters`` keep, with every value's count given the others."""
        self.filters = filters
        rows = self.index.matching(filters)
        self.rows.set_rows(rows)
        self.query_one("#claims-filters", Static).update(filters_line(filters, len(rows), self.index.size))
        self.query_one("#claims-counts", Static).update(counts_line(self.index, filters))

    # --- the toggles ----------------------------------------------------------------------------------------------

    def _values(self, kind: str) -> tuple[Any, ...]:
        if kind == VERDICT:
            return verdict_values(self.index)
        return tuple(sorted(self.index.values(kind), key=lambda v: _order(kind, v)))

    def action_cycle(self, kind: str) -> None:
        values = self._values(kind)
        if not values:
            self.notify(f"No {KIND_WORD[kind]} to filter by yet.")
            return
        self.apply(self.filters.cycled(kind, values))

    def action_flag(self, flag: str) -> None:
        self.apply(self.filters.flag_toggled(flag))

    def action_clear(self) -> None:
        self.apply(ClaimFilters())

    def action_pick(self, kind: str) -> None:
        if kind == ENTITY and not self.index.entities_known:
            if self.entities is None:
                self.notify("No entities to filter by.")
                return
            self.index.add_entities(self.entities())
        counts = self.index.counts(self.filters, kind)
        if not counts:
            self.notify(f"No {KIND_WORD[kind]} to filter by yet.")
            return

        def picked(value: object) -> None:
            if value is not None:
                self.apply(self.filters.toggled(kind, value))

        chosen = self.filters.chosen(kind)
        self.app.push_screen(FilterPickerScreen(kind, counts, chosen), picked)

    @on(ClaimRows.Picked)
    def _picked(self, event: ClaimRows.Picked) -> None:
        self.dismiss(event.ref)

    def action_close(self) -> None:
        self.dismiss(None)


class FilterPickerScreen(ModalScreen[object]):
    """Pick one value of a filter kind by typing part of it: enter adds it to the filter (or takes it out)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("down", "cursor(1)", "Next", show=False, priority=True),
        Binding("up", "cursor(-1)", "Previous", show=False, priority=True),
    ]

    def __init__(self, kind: str, counts: dict[Any, int], chosen: frozenset) -> None:
        super().__init__()
        self.kind = kind
        self.counts = counts
        self.chosen = chosen
        # Chosen first, then the most claims, then by name: the likely pick is at the top.
        self.ranked = sorted(
            counts,
            key=lambda v: (
                v not in chosen,
                _order(kind, v) if kind == VERDICT else (0, ""),
                -counts[v],
                str(v).casefold(),
            ),
        )
        self.shown: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Filter by {KIND_WORD[self.kind]} (counts: with the other filters)", classes="dialog-title")
            yield Input(placeholder="type to narrow…", id="picker-input")
            yield OptionList(id="picker-values")
            yield Label("enter add / remove · ↑/↓ choose · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._update("")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, typed: str) -> None:
        words = typed.casefold().split()
        self.shown = [v for v in self.ranked if all(w in value_text(self.kind, v).casefold() for w in words)]
        options = self.query_one(OptionList)
        options.clear_options()
        labels = []
        for value in self.shown[:MAX_PICKER_VALUES]:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("● " if value in self.chosen else "  ", style="bold")
            label.append(f"{self.counts[value]:>6,}  ", style="bold" if self.counts[value] else "dim")
            label.append(value_text(self.kind, value))
            labels.append(Option(label))
        if len(self.shown) > MAX_PICKER_VALUES:
            more = len(self.shown) - MAX_PICKER_VALUES
            labels.append(Option(Text(f"  … {more:,} more: type to narrow", style="dim"), disabled=True))
        options.add_options(labels)  # (one by one, each option re-measured the list: 500 outlets took seconds)
        if self.shown:
            options.highlighted = 0

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.shown:
            self.dismiss(self.shown[options.highlighted])
        else:
            self.app.bell()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
