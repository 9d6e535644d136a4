"""``Q``: this claim's direct quotes, each beside the same speaker's words in other outlets, word-diffed.

For each quote of the claim: its speaker (and how it was found: named, "he/she", continuing the previous quote),
its wording, and for every other article quoting the speaker nearly the same way, the two wordings aligned — in this
article's line the words it changed or that the other leaves out, in the other's the words it changed or adds.
Each kind has its own style from the theme (changed in the note colour, added in the verified colour, dropped in
the disputed colour, struck through) and its own marker (``[~changed~]``, ``{+added+}``, ``[-dropped-]``), so the
difference reads under ``NO_COLOR`` too. At 120 columns and wider the two wordings stand side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static

from factdesk.annotations.compare.quote_diff import MARKERS, DiffPart
from factdesk.annotations.compare.quotes import Quote, QuotePair
from factdesk.annotations.text.textsafety import strip_controls

SIDE_BY_SIDE_WIDTH = 120  # from this many columns the two wordings stand side by side
KIND_WORDS = {"same": "same words", "partial": "a part of the same words", "differs": "wording differs"}
VIA_WORDS = {"name": "named", "pronoun": "“he/she”: the person named before", "continued": "continues the quote before"}


@dataclass(frozen=True)
class DiffStyles:
    changed: Style
    added: Style
    dropped: Style


def diff_styles(app: App) -> DiffStyles:
    """The three kinds in the theme's colours (``$fd-note``, ``$fd-verified``, ``$fd-disputed``), each also with
    its own text style, so they differ on a monochrome terminal as well."""
    variables = {**app.get_theme_variable_defaults(), **app.current_theme.variables}

    def colour(name: str, fallback: str) -> Color:
        try:
            return Color.parse(variables.get(name, fallback))
        except ColorParseError:
            return Color.parse(fallback)

    return DiffStyles(
        changed=Style(color=colour("fd-note", "#b86e00").rich_color, bold=True),
        added=Style(color=colour("fd-verified", "#2e7d32").rich_color, bold=True, underline=True),
        dropped=Style(color=colour("fd-disputed", "#c62828").rich_color, strike=True),
    )


def _clean(text: str) -> str:
    return " ".join(strip_controls(text).split())


def side_text(parts: Sequence[DiffPart], side: str, styles: DiffStyles) -> Text:
    """One wording with its differences marked: ``side`` "first" (this article: changed and dropped words) or
    "second" (the other: changed and added words)."""
    text = Text("“")
    for part in parts:
        words = _clean(part.old if side == "first" else part.new)
        if not words:
            continue
        if len(text) > 1:
            text.append(" ")
        if part.kind == "same":
            text.append(words)
            continue
        opening, closing = MARKERS[part.kind]
        style = {"changed": styles.changed, "added": styles.added, "dropped": styles.dropped}[part.kind]
        text.append(f"{opening}{words}{closing}", style=style)
    text.append("”")
    return text


def legend(styles: DiffStyles) -> Text:
    text = Text("")
    text.append(f"{MARKERS['changed'][0]}changed{MARKERS['changed'][1]}", style=styles.changed)
    text.append(" a word the other outlet words differently · ")
    text.append(f"{MARKERS['added'][0]}added{MARKERS['added'][1]}", style=styles.added)
    text.append(" only the other has · ")
    text.append(f"{MARKERS['dropped'][0]}dropped{MARKERS['dropped'][1]}", style=styles.dropped)
    text.append(" only this one has")
    return text


class QuotePairView(Vertical):
    """One pair: the other outlet's line and the two wordings. Focusable (tab moves between pairs), so enter can
    open the other outlet's claim; the focused pair has a bar on its left, visible without colour."""

    can_focus = True

    def __init__(self, pair: QuotePair) -> None:
        super().__init__(classes="quote-pair")
        self.pair = pair


class QuotesScreen(ModalScreen["Quote | None"]):
    """This claim's quotes and the same speakers' words in other outlets; enter opens the focused pair's other
    quote in the reader's other pane, escape closes."""

    DEFAULT_CSS = """
    QuotesScreen { align: center middle; }
    QuotesScreen .wide-dialog { height: 1fr; max-height: 90%; padding: 0 2; }
    QuotesScreen #quotes-body { height: 1fr; }
    QuotesScreen .quote-head { text-style: bold; margin-top: 1; }
    QuotesScreen .quote-pair-head { color: $text-muted; margin-top: 1; }
    QuotesScreen .quote-side { width: 1fr; padding-right: 2; }
    QuotesScreen Horizontal.quote-row { height: auto; }
    QuotesScreen .dialog-title, QuotesScreen .dialog-hint { width: 100%; }
    QuotesScreen .dialog-hint { margin-top: 0; }
    QuotesScreen QuotePairView { height: auto; border-left: blank; }
    QuotesScreen QuotePairView:focus { border-left: thick $accent; background: $boost; }
    """

    BINDINGS = [
        Binding("escape,q,Q", "close", "Close", key_display="esc", priority=True),
        Binding("enter", "open", "Open the other's claim"),
        Binding("tab", "app.focus_next", "Next pair", show=False),
        Binding("j", "scroll(1)", "Scroll", key_display="j/k"),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
    ]

    def __init__(
        self,
        quotes: Sequence[tuple[Quote, Sequence[QuotePair]]],
        source_of: Callable[[str], str],
        where: Callable[[Quote], str],
    ) -> None:
        super().__init__()
        self.quotes = list(quotes)
        self.source_of = source_of
        self.where = where

    def compose(self) -> ComposeResult:
        styles = diff_styles(self.app)
        wide = self.app.size.width >= SIDE_BY_SIDE_WIDTH
        paired = sum(1 for _, pairs in self.quotes if pairs)
        count = len(self.quotes)
        with Vertical(classes="dialog wide-dialog"):
            yield Label(
                f"Quotes in this claim: {count} · {paired} quoted by other outlets too",
                classes="dialog-title",
            )
            yield Static(legend(styles), classes="dialog-hint", id="quotes-legend")
            with VerticalScroll(id="quotes-body"):
                for number, (quote, pairs) in enumerate(self.quotes, 1):
                    yield Static(self._head(number, quote), classes="quote-head", markup=False)
                    if not pairs:
                        yield Static(self._alone(quote), markup=False, classes="quote-alone")
                        continue
                    for pair in pairs:
                        with QuotePairView(pair):
                            yield Static(self._pair_head(pair), classes="quote-pair-head", markup=False)
                            first = side_text(pair.diff, "first", styles)
                            second = side_text(pair.diff, "second", styles)
                            if wide:
                                with Horizontal(classes="quote-row"):
                                    yield Static(self._labelled("this", first), classes="quote-side quote-first")
                                    yield Static(self._labelled("other", second), classes="quote-side quote-second")
                            else:
                                yield Static(self._labelled("this ", first), classes="quote-first")
                                yield Static(self._labelled("other", second), classes="quote-second")
        yield Footer()

    def on_mount(self) -> None:
        pairs = self.query(QuotePairView)
        (pairs.first() if pairs else self.query_one("#quotes-body", VerticalScroll)).focus()

    def action_open(self) -> None:
        """Enter: the focused pair's other quote, for the reader to show in its other pane."""
        focused = self.focused
        if isinstance(focused, QuotePairView):
            self.dismiss(focused.pair.second)

    def _head(self, number: int, quote: Quote) -> Text:
        text = Text(f"{number}. ")
        if quote.speaker:
            text.append(_clean(quote.speaker), style="bold")
            text.append(f" ({VIA_WORDS.get(quote.via, quote.via)})", style="dim")
        else:
            text.append("Unknown speaker", style="italic")
        text.append(f" · {_clean(self.where(quote))}\n")
        text.append(f"“{_clean(quote.text)}”", style="italic")
        return text

    def _alone(self, quote: Quote) -> str:
        if quote.speaker_key is None:
            return "No speaker found next to this quote: not compared across outlets."
        return f"No other outlet quotes {_clean(quote.speaker)} saying nearly this."

    def _pair_head(self, pair: QuotePair) -> Text:
        text = Text("≈ ")
        text.append(_clean(self.where(pair.second)), style="bold")
        text.append(f" · {round(pair.overlap * 100)}% of the words shared · {KIND_WORDS[pair.kind]}")
        return text

    @staticmethod
    def _labelled(label: str, body: Text) -> Text:
        text = Text(f"{label}  ", style="dim")
        text.append_text(body)
        return text

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#quotes-body", VerticalScroll)
        body.scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
