"""The claims list's rows: a virtual list over claim numbers, drawn a screenful at a time.

Why not a ``DataTable`` or an ``OptionList``: those build every row up front, and the list holds up to every claim
of the corpus (60,000 on 500 articles). This view keeps only the matched claim numbers (a list of ints) and draws a
row when it is on screen (Textual's line API, as ``ArticleView`` does), so a filter toggle costs the set operations
and one screen of rows, whatever the number of matches.

A row: the verdict symbol, the note marker (✎), the outlet, the article's title when there is room, "claim N" and
the claim's text cut to the width.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.review.claim_filters import NOTE, ClaimIndex
from factdesk.annotations.review.claim_numbers import claim_label
from factdesk.annotations.review.verdicts import VERDICT_SYMBOL
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.verdict_style import verdict_styles

OUTLET_WIDTH = 16
TITLE_WIDTH = 28  # shown from TITLE_FROM columns
TITLE_FROM = 120
NUMBER_WIDTH = 10  # "claim 1234"


def _cut(text: str, width: int) -> str:
    text = " ".join(strip_controls(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class ClaimRows(ScrollView, can_focus=True):
    """The matched claims, one per line; ``enter`` picks the one under the cursor."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "move_to(0)", "First", show=False),
        Binding("end,G", "move_to(-1)", "Last", show=False),
        Binding("enter", "pick", "Jump", priority=True),
    ]
    COMPONENT_CLASSES = {"claim-rows--cursor", "claim-rows--outlet", "claim-rows--number", "claim-rows--note"}

    class Picked(Message):
        """The reviewer chose a claim (enter)."""

        def __init__(self, ref: ClaimRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, index: ClaimIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.rows: list[int] = []
        self.cursor = 0

    def set_rows(self, rows: list[int]) -> None:
        """Show ``rows`` (claim numbers); the cursor stays on its claim when that is still listed, else on the
        first claim after it (a filter narrows the list around where the reviewer was)."""
        current = self.rows[self.cursor] if self.rows else None
        self.rows = rows
        if current is None or not rows:
            self.cursor = 0
        else:
            from bisect import bisect_left

            self.cursor = min(bisect_left(rows, current), len(rows) - 1)
        self.virtual_size = Size(0, len(rows))  # (never wider than the view: rows are cut to its width)
        self.refresh()
        self.reveal_cursor()

    @property
    def current(self) -> ClaimRef | None:
        return self.index.refs[self.rows[self.cursor]] if self.rows else None

    # --- keys ---------------------------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self._place(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._place(self.cursor + step * max(self.scrollable_content_region.height - 1, 1))

    def action_move_to(self, row: int) -> None:
        self._place(row if row >= 0 else len(self.rows) - 1)

    def action_pick(self) -> None:
        ref = self.current
        if ref is None:
            self.app.bell()
            return
        self.post_message(self.Picked(ref))

    def _place(self, row: int) -> None:
        if not self.rows:
            return
        row = max(0, min(row, len(self.rows) - 1))
        if row != self.cursor:
            before = self.cursor
            self.cursor = row
            top = self.scroll_offset.y
            self.refresh_lines(before - top)
            self.refresh_lines(row - top)
        self.reveal_cursor()

    def reveal_cursor(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))
        self.reveal_cursor()

    # --- drawing ------------------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        if not 0 <= row < len(self.rows):
            if row == 0:
                message = "  No claim matches these filters (x clears them)."
                return Strip([Segment(message, self.rich_style)]).adjust_cell_length(width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        text = self.row_text(self.rows[row], width)
        style = self.rich_style
        if row == self.cursor:  # a bar as well as the colour: the cursor shows under NO_COLOR too
            text = Text.assemble(("▌", "bold"), text[1:], no_wrap=True, end="")
            style += self.get_component_rich_style("claim-rows--cursor")
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width).apply_style(style)

    def row_text(self, number: int, width: int) -> Text:
        """One claim's row, ``width`` cells at most."""
        index = self.index
        ref = index.refs[number]
        article = index.analysis.articles[index.articles[number]]
        mark = index.shown.get(number)
        status = Status(mark.status) if mark is not None else Status.UNREVIEWED
        styles = verdict_styles(self.app)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        symbol = VERDICT_SYMBOL.get(status, "?") if status is not Status.UNREVIEWED else " "
        text.append(f" {symbol}", style=styles.status(status))
        text.append(
            "✎ " if number in index.by_flag[NOTE] else "  ",
            style=self.get_component_rich_style("claim-rows--note", partial=True),
        )
        text.append(f"{_cut(article.article.source, OUTLET_WIDTH):<{OUTLET_WIDTH}} ", style="bold")
        if width >= TITLE_FROM:
            text.append(f"{_cut(article.article.title, TITLE_WIDTH):<{TITLE_WIDTH}} ", style="italic")
        label = claim_label(index.positions[number] + 1)
        text.append(
            f"{label:>{NUMBER_WIDTH}}  ", style=self.get_component_rich_style("claim-rows--number", partial=True)
        )
        room = max(width - text.cell_len, 1)
        text.append(_cut(article.sentence_text(article.sentences[ref.sentence]), room))
        text.truncate(width)
        return text

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the row; a second click on it jumps (as enter does)."""
        row = event.y + self.scroll_offset.y
        if not 0 <= row < len(self.rows):
            return
        if row == self.cursor and event.chain > 1:
            self.action_pick()
            return
        self._place(row)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
