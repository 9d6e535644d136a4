"""One line under the panes while the analysis runs: its stage, articles done of total, and a bar.

A plain widget rather than Textual's ``ProgressBar``: that one keeps a one-second timer (and an animation timer
while the total is unknown) running from the first frame, which an exit during the analysis must then stop —
this line has no timer; it redraws only when a report arrives.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

BAR_FULL, BAR_EMPTY = "━", "─"


class AnalysisProgress(Widget):
    """``Analysing: comparing sources  ━━━━━━━━━━━━────── 312/500 articles``."""

    DEFAULT_CSS = "AnalysisProgress { height: 1; }"
    COMPONENT_CLASSES = {"progress--bar", "progress--rest"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stage = "starting"
        self.done = 0
        self.total = 0
        self.failure: str | None = None  # the analysis failed: why (the line says so instead of a stage)

    def report(self, stage: str, done: int, total: int) -> None:
        """A report from the analysis (see ``factdesk.annotations.pipeline.analysis.analyze``'s ``progress``)."""
        if (stage, done, total) != (self.stage, self.done, self.total):
            self.stage, self.done, self.total = stage, done, total
            self.refresh()

    def failed(self, why: str) -> None:
        """The analysis ended with an error: the line says so for good (the text stays readable)."""
        self.failure = why
        self.refresh()

    @property
    def summary(self) -> str:
        """The line's words without the bar: what a key pressed too early is told."""
        if self.failure is not None:
            return f"Analysis failed: {self.failure}"
        return f"Analysing: {self.stage}{self._count}"

    @property
    def _count(self) -> str:
        """ " 312/500 articles" while articles are counted; nothing during a corpus pass."""
        return f" {self.done}/{self.total} articles" if self.total > 1 else ""

    def render(self) -> Text:
        if self.failure is not None:
            return Text(self.summary, end="", no_wrap=True, overflow="ellipsis")
        label = f"Analysing: {self.stage}  "
        count = self._count
        room = self.size.width - len(label) - len(count)
        text = Text(label, end="", no_wrap=True, overflow="ellipsis")
        if room >= 10 and self.total > 1:
            filled = room * min(self.done, self.total) // self.total
            text.append(BAR_FULL * filled, style=self.get_component_rich_style("progress--bar"))
            text.append(BAR_EMPTY * (room - filled), style=self.get_component_rich_style("progress--rest"))
        text.append(count)
        return text
