"""The figure board as data: every measure × scope a row, each outlet's figures in it, conflicts marked.

Why: a reviewer comparing outlets asks "who says how many of what, where, when, according to whom" — a death toll
per outlet, not one claim at a time. The analysis reads each number in a claim as a
:class:`~factdesk.annotations.model.FigureRecord` and flags figures that cannot all hold as a
:class:`~factdesk.annotations.model.Conflict`; this module lays both out as one table that the reader's board
(``b``) and the brief's "Figures across sources" (Markdown and JSON) show, so they cannot disagree.

Columns are the articles that give at least one figure, in corpus order; an article that is a syndicated copy of
an earlier one (:attr:`~factdesk.annotations.model.CorpusAnalysis.copy_groups`) says so (``copy_of``) and counts
once in a row's :attr:`FigureRow.independent`. Rows come conflicts first, then most independent outlets, then
most outlets, then in reading order. Figures no outlet can disagree on (no known measure, an age, a duration, a
rank) are left out.

One pass over the figures and the conflicts' mentions, then a sort of the rows: near-linear.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from factdesk.annotations.compare.figures import comparable
from factdesk.annotations.compare.syndication import Independence
from factdesk.annotations.model import ClaimRef, Conflict, CorpusAnalysis, FigureRecord, NumberMention, NumberValue
from factdesk.annotations.text.units import dimension, normalise_unit

__all__ = [
    "EXPLANATION_LABEL",
    "FigureColumn",
    "FigureEntry",
    "FigureRow",
    "FigureTable",
    "figure_table",
    "format_amount",
    "value_text",
]

UNKNOWN_MEASURE_CONFLICT = "figures that differ"  # the row of a conflict that names no measure
# How a row's conflict reads when its kind of explanation is all that is known.
EXPLANATION_LABEL: dict[str, str] = {
    "none": "not explained by time or source",
    "time": "counted at different times",
    "source": "given by different sources",
    "time+source": "counted at different times, by different sources",
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_NO_PREFIX_BOUNDS = {"", "exact", "range"}


@dataclass(frozen=True)
class FigureEntry:
    """One figure of one outlet in one row: how it reads, when, says who, and the claim to jump to."""

    ref: ClaimRef
    value: str  # the amount with its bound and unit: "nearly 300,000", "$63 billion", "10,000–20,000"
    written: str  # the number as the article writes it
    time: str = ""
    attribution: str = ""
    low: float = -math.inf
    high: float = math.inf
    bound: str = ""
    in_conflict: bool = False  # one of the figures a conflict names

    def describe(self) -> str:
        """ "nearly 300,000 (since late November; the SOHR)": the value, then its time and attribution."""
        context = "; ".join(part for part in (self.time, self.attribution) if part)
        return f"{self.value} ({context})" if context else self.value


@dataclass(frozen=True)
class FigureColumn:
    """An article that gives figures: its outlet name, and the earlier article it is a copy of (if any)."""

    article_id: str
    outlet: str
    position: int  # 1-based place of the article in the corpus (the reader's and the coverage legend's numbers)
    copy_of: str | None = None  # article id of the first article of its copy group, when this one is a later copy


@dataclass(frozen=True)
class FigureRow:
    """One measure × scope: each column's figures (empty when the outlet gives none) and the row's conflict."""

    measure: str
    scope: str
    cells: tuple[tuple[FigureEntry, ...], ...]  # one per column of the table, in the same order
    independent: int  # outlets giving a figure here, copies of one story counted once
    conflict: bool = False
    explanation: str = ""  # the conflict's kind ("none", "time", "source", "time+source"); "" without a conflict
    explanation_text: str = ""  # the conflicts' own words ("by time: 217 on Wednesday, 273 three days later")

    @property
    def label(self) -> str:
        """ "people killed — Libya"; the measure alone when the figure is for the story as a whole."""
        return f"{self.measure} — {self.scope}" if self.scope else self.measure

    @property
    def outlets(self) -> int:
        return sum(1 for cell in self.cells if cell)

    @property
    def explanation_line(self) -> str:
        """What the difference is put down to, in words (the conflict's own text, else its kind's)."""
        if not self.conflict:
            return ""
        return self.explanation_text or EXPLANATION_LABEL.get(self.explanation, self.explanation)

    def first(self) -> FigureEntry | None:
        """The row's first figure in column order: where enter on the row's label jumps."""
        return next((cell[0] for cell in self.cells if cell), None)


@dataclass(frozen=True)
class FigureTable:
    columns: tuple[FigureColumn, ...]
    rows: tuple[FigureRow, ...]

    def column_index(self, article_id: str) -> int | None:
        return next((i for i, column in enumerate(self.columns) if column.article_id == article_id), None)


def format_amount(value: float) -> str:
    """ "11,300", "1.5 million", "2.75": thousands grouped, scale words from a million up, no float noise."""
    if not math.isfinite(value):
        return "∞" if value > 0 else "-∞" if value < 0 else "?"
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{_plain(value / scale)} {word}"
    return _plain(value)


def _plain(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _with_unit(amount: str, unit: str | None) -> str:
    """The unit where a reader expects it: "$63 billion", "30 km", "40%", "45 °C"; counted nouns left out."""
    kind = dimension(unit)
    if kind is None:
        return amount
    unit = normalise_unit(unit) or ""
    if amount == "1" and unit.endswith("s"):  # "1 day", "1 week", not "1 days"
        unit = "century" if unit == "centuries" else unit[:-1]
    if kind.startswith("money:"):
        return f"{unit}{amount}"
    if unit == "%":
        return f"{amount}%"
    return f"{amount} {unit}"


def value_text(number: NumberMention, bound: str = "", low: float = -math.inf, high: float = math.inf) -> str:
    """How a figure reads in the table: its bound ("nearly", "at least" …), the amount, a unit of measure.

    A range reads "10,000–20,000" (from the number's own pair, else from ``low``/``high`` when both are finite).
    """
    value: NumberValue = number.value
    if not isinstance(value, tuple) and bound == "range" and math.isfinite(low) and math.isfinite(high):
        value = (low, high)
    if isinstance(value, tuple):
        amount = f"{format_amount(value[0])}–{format_amount(value[1])}"
    else:
        amount = format_amount(value)
    text = _with_unit(amount, number.unit)
    prefix = bound if bound not in _NO_PREFIX_BOUNDS else ""
    return f"{prefix} {text}" if prefix else text


def _figure_key(ref: ClaimRef, number: NumberMention) -> tuple[str, int, int, int]:
    return (ref.article, ref.sentence, number.start, number.end)


def _entry(figure: FigureRecord, in_conflict: bool) -> FigureEntry:
    return FigureEntry(
        ref=figure.ref,
        value=value_text(figure.number, figure.bound, figure.low, figure.high),
        written=figure.number.text,
        time=figure.time,
        attribution=figure.attribution,
        low=figure.low,
        high=figure.high,
        bound=figure.bound,
        in_conflict=in_conflict,
    )


def _combined_kind(kinds: Sequence[str]) -> str:
    """One kind for a row with several conflicts: an unexplained one wins; time and source add up."""
    found = set(kinds)
    if not found or "none" in found:
        return "none"
    if len(found) == 1:
        return kinds[0]
    return "time+source"


def _conflict_keys(
    conflict: Conflict, figure_rows: dict[tuple[str, int, int, int], tuple[str, str]]
) -> list[tuple[str, str]]:
    """The rows a conflict marks: its own measure × scope, and the rows of the figures it names (nested scopes)."""
    keys: dict[tuple[str, str], None] = {}
    if conflict.measure:
        keys[(conflict.measure, conflict.scope)] = None
    for mention in conflict.mentions:
        key = figure_rows.get(_figure_key(mention.ref, mention.number))
        if key is not None:
            keys[key] = None
    if not keys:
        keys[(UNKNOWN_MEASURE_CONFLICT, conflict.scope)] = None
    return list(keys)


def figure_table(analysis: CorpusAnalysis) -> FigureTable:
    """The board of ``analysis``: its figures by measure × scope and outlet, with its conflicts' explanations.

    A conflict whose figures are not among ``analysis.figures`` still gets its row, built from its mentions, so a
    flagged difference is never missing from the board.
    """
    position = {a.article.id: number for number, a in enumerate(analysis.articles, start=1)}
    outlet = {a.article.id: a.article.source for a in analysis.articles}
    independence = Independence(analysis.copy_groups)

    conflicting: set[tuple[str, int, int, int]] = {
        _figure_key(m.ref, m.number) for conflict in analysis.conflicts for m in conflict.mentions
    }
    # (measure, scope) → article id → entries; dicts keep first-seen order (reading order of the figures).
    grouped: dict[tuple[str, str], dict[str, list[FigureEntry]]] = {}
    figure_rows: dict[tuple[str, int, int, int], tuple[str, str]] = {}
    for figure in analysis.figures:
        if not comparable(figure.measure) or figure.ref.article not in position:
            continue  # an age, a duration, a rank or a count of nothing known compares with nothing
        key = (figure.measure, figure.scope)
        number_key = _figure_key(figure.ref, figure.number)
        figure_rows[number_key] = key
        grouped.setdefault(key, {}).setdefault(figure.ref.article, []).append(_entry(figure, number_key in conflicting))

    kinds: dict[tuple[str, str], list[str]] = {}
    texts: dict[tuple[str, str], list[str]] = {}
    from_mentions: set[tuple[str, str]] = set()  # rows made of conflict mentions (no figure records for them)
    for conflict in analysis.conflicts:
        keys = _conflict_keys(conflict, figure_rows)
        shown = [key for key in keys if key in grouped] or keys[:1]  # never a second row of the same figures
        for key in shown:
            kinds.setdefault(key, []).append(conflict.explanation or "none")
            if conflict.explanation_text and conflict.explanation_text not in texts.get(key, []):
                texts.setdefault(key, []).append(conflict.explanation_text)
            if key in grouped and key not in from_mentions:
                continue
            from_mentions.add(key)
            by_article = grouped.setdefault(key, {})  # a conflict with no figure records: its mentions are the row
            for mention in conflict.mentions:
                mention_key = _figure_key(mention.ref, mention.number)
                if mention.ref.article in position and mention_key not in figure_rows:
                    figure_rows[mention_key] = key
                    by_article.setdefault(mention.ref.article, []).append(
                        FigureEntry(
                            ref=mention.ref,
                            value=value_text(mention.number, mention.number.qualifier or ""),
                            written=mention.number.text,
                            time=mention.time,
                            attribution=mention.attribution,
                            in_conflict=True,
                        )
                    )

    used = sorted({article for by_article in grouped.values() for article in by_article}, key=position.__getitem__)
    columns = tuple(
        FigureColumn(
            article_id=article,
            outlet=outlet[article],
            position=position[article],
            copy_of=independence.key(article) if independence.key(article) != article else None,
        )
        for article in used
    )
    index = {column.article_id: i for i, column in enumerate(columns)}

    rows: list[tuple[tuple[bool, int, int, int], FigureRow]] = []
    for order, (key, by_article) in enumerate(grouped.items()):
        cells: list[tuple[FigureEntry, ...]] = [()] * len(columns)
        for article, entries in by_article.items():
            cells[index[article]] = tuple(entries)
        in_conflict = key in kinds
        row = FigureRow(
            measure=key[0],
            scope=key[1],
            cells=tuple(cells),
            independent=independence.count(list(by_article)),
            conflict=in_conflict,
            explanation=_combined_kind(kinds[key]) if in_conflict else "",
            explanation_text="; ".join(texts.get(key, ())),
        )
        rows.append(((not in_conflict, -row.independent, -len(by_article), order), row))
    rows.sort(key=lambda item: item[0])
    return FigureTable(columns=columns, rows=tuple(row for _, row in rows))
