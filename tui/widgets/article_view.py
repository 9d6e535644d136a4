"""One article, rendered line by line with highlights, gutter marks and a claim cursor.

A ``ScrollView`` using Textual's line API (as Textualize/toolong does): only the
visible lines are rendered, each into a ``Strip`` cached under a key of everything
it depends on, so a 10 MB article scrolls as fast as a short one and moving the
cursor re-renders only the lines whose state changed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from factdesk.annotations.model import Article, ArticleAnalysis, ClaimRef, Sentence
from factdesk.annotations.review.verdicts import DIFFERS_SYMBOL, VERDICT_SYMBOL, VERDICTS
from factdesk.annotations.text.markup import is_markdown, markdown_markup
from factdesk.annotations.text.segment import paragraphs
from factdesk.annotations.text.textsafety import neutralise
from factdesk.tui.textlayout import ArticleLayout, layout_article
from factdesk.tui.verdict_style import verdict_styles

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.review.review import Review

FIRST_LAYOUT_CHARS = 200_000  # a longer text is wrapped in two steps: this much before the first frame, then all
GUTTER = 6  # cursor bar, verdict, note marker, sources badge, conflict marker, space
SEARCH_REACH = 64  # characters either side of a line searched for the highlighted words
LABEL_CLASS = {
    "PERSON": "article--person",
    "ORG": "article--org",
    "LOC": "article--loc",
    "NORP": "article--norp",
    "DATE": "article--date",
}
GUTTER_VERDICTS = frozenset(VERDICTS)  # every verdict of the scale; an unreviewed claim leaves the gutter blank


_MARKUP_CACHE: LRUCache[str, list[tuple[int, int]]] = LRUCache(16)


def _markup_of(analysis: ArticleAnalysis) -> list[tuple[int, int]]:
    """The article's Markdown syntax ranges, found once per article (a pane switch need not scan it again)."""
    article = analysis.article
    found = _MARKUP_CACHE.get(article.id)
    if found is None:
        found = markdown_markup(article.text)
        _MARKUP_CACHE[article.id] = found
    return found


_PARAGRAPH_CACHE: LRUCache[str, list[tuple[int, int]]] = LRUCache(16)


def _paragraphs_of(analysis: ArticleAnalysis) -> list[tuple[int, int]]:
    """The article's paragraphs, found once per text: its text shown first and then again with its analysis,
    or in another pane, need not be split again (a 10 MB article: a quarter of a second each time).

    Keyed by the text itself (its hash is computed once and kept by the string), not by the article id, which a
    hand-built article need not derive from its text."""
    text = analysis.article.text
    found = _PARAGRAPH_CACHE.get(text)
    if found is None:
        found = paragraphs(text)
        _PARAGRAPH_CACHE[text] = found
    return found


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    component: str


class ArticleView(ScrollView, can_focus=True):
    """The text of one article; the cursor walks its claims."""

    COMPONENT_CLASSES = {
        *LABEL_CLASS.values(),
        "article--number",
        "article--heading",
        "article--boilerplate",
        "article--current",
        "article--current-inactive",
        "article--gutter-current",
        "article--note",
        "article--badge",
        "article--search",
        "article--fragment",
    }  # (verdict and conflict colours: factdesk.tui.verdict_style)

    class ClaimClicked(Message):
        def __init__(self, view: ArticleView, position: int) -> None:
            super().__init__()
            self.view = view
            self.position = position

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.analysis: ArticleAnalysis | None = None
        self.review: Review | None = None
        self.cross: CrossIndex | None = None
        self.cursor = 0  # position in analysis.claims
        self.placeholder = "Analysing…"
        self._layout: ArticleLayout | None = None
        self._paragraphs: list[tuple[int, int]] = []
        self._layout_partial = False  # only the first paragraphs of a huge text are wrapped yet
        self._layout_pending = False  # and the rest is scheduled
        self._hidden: list[tuple[int, int]] = []  # a Markdown article's syntax: never drawn
        self._spans: list[_Span] = []
        self._span_starts: list[int] = []
        self._line_sentences: list[tuple[Sentence, ...]] = []
        self._cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._search: re.Pattern[str] | None = None  # the last search's words, highlighted until it is cleared
        self._selection: tuple[int, int] | None = None  # fragment mode's selection (text offsets), drawn reversed

    # --- content -----------------------------------------------------------------------------

    def show_text(self, article: Article) -> None:
        """Display the article's text alone, before its analysis exists: no sentences, highlights or cursor.

        The reader shows this at once; :meth:`show` replaces it when the analysis arrives.
        """
        self.show(ArticleAnalysis(article, (), (), ()), None, None)

    @property
    def text_only(self) -> bool:
        """True while the view shows the text without its analysis (see :meth:`show_text`)."""
        return self.analysis is not None and self.review is None

    def show(
        self,
        analysis: ArticleAnalysis,
        review: Review | None,
        cross: CrossIndex | None,
        cursor: int = 0,
        *,
        keep_scroll: bool = False,
    ) -> None:
        """Display ``analysis`` with the claim cursor at position ``cursor``.

        ``keep_scroll``: stay where the reader scrolled to (the analysis arriving under text already shown) and
        put the cursor on the first claim in view, rather than scrolling to the cursor.
        """
        scrolled = self.scroll_offset.y
        self.analysis = analysis
        self.review = review
        self.cross = cross
        self.cursor = max(0, min(cursor, len(analysis.claims) - 1))
        self._paragraphs = _paragraphs_of(analysis)
        self._hidden = _markup_of(analysis) if is_markdown(analysis.article.path) else []
        spans = [_Span(e.start, e.end, LABEL_CLASS.get(e.label, "article--person")) for e in analysis.entities]
        spans += [_Span(n.start, n.end, "article--number") for n in analysis.numbers]
        self._spans = sorted(spans, key=lambda s: s.start)
        self._span_starts = [s.start for s in self._spans]
        self._layout = None
        self._cache.clear()
        if keep_scroll and scrolled:
            self._relayout()
            self.cursor = self._first_claim_from(scrolled)
            self.scroll_to(0, scrolled, animate=False, immediate=True)
            return
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._relayout()
        self.reveal_cursor()

    def _first_claim_from(self, line: int) -> int:
        """The position of the first claim that starts on display line ``line`` or below (else the last claim)."""
        claims = self.claims
        if self._layout is None or not claims:
            return 0
        for position, sentence in enumerate(claims):
            first, _ = self._layout.sentence_lines.get(sentence.index, (0, 0))
            if first >= line:
                return position
        return len(claims) - 1

    @property
    def claims(self) -> tuple[Sentence, ...]:
        return self.analysis.claims if self.analysis else ()

    @property
    def current(self) -> Sentence | None:
        claims = self.claims
        return claims[self.cursor] if claims else None

    @property
    def current_ref(self) -> ClaimRef | None:
        sentence = self.current
        if sentence is None or self.analysis is None:
            return None
        return ClaimRef(self.analysis.article.id, sentence.index)

    def move_to(self, position: int) -> bool:
        """Put the cursor on claim ``position`` (clamped); True when it moved."""
        claims = self.claims
        if not claims:
            return False
        position = max(0, min(position, len(claims) - 1))
        if position == self.cursor:
            self.reveal_cursor()
            return False
        previous = self.current
        self.cursor = position
        self.refresh_sentence(previous)  # only the lines of the claim left and the claim reached (a scroll,
        self.refresh_sentence(self.current)  # if the cursor needs one, repaints the rest)
        self.reveal_cursor()
        return True

    def refresh_sentence(self, sentence: Sentence | None) -> None:
        """Repaint only the display lines of ``sentence`` (all of them when there is no layout yet).

        Why: a key changes one or two claims; repainting the whole view made every key re-render a screenful.
        """
        lines = self._layout.sentence_lines.get(sentence.index) if sentence and self._layout else None
        if lines is None:
            self.refresh()
            return
        self.refresh_lines(lines[0], lines[1] - lines[0] + 1)

    def position_of(self, sentence_index: int) -> int | None:
        """The cursor position of claim ``sentence_index`` (a dict look-up made once per analysis)."""
        return self.analysis.claim_position(sentence_index) if self.analysis else None

    def marks_changed(self, sentence_index: int | None = None) -> None:
        """Marks changed: repaint claim ``sentence_index``'s lines (``None``: any claim may have, repaint all)."""
        sentences = self.analysis.sentences if self.analysis else ()
        if sentence_index is None or not 0 <= sentence_index < len(sentences):
            self.refresh()
            return
        self.refresh_sentence(sentences[sentence_index])

    def highlight_words(self, words: tuple[str, ...]) -> None:
        """Highlight every occurrence of ``words`` in the text (case-insensitive, as the search matches them); an
        empty tuple clears the highlight. Repaints only when it changes."""
        pattern = (
            re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE)
            if any(words)
            else None
        )
        if (pattern and pattern.pattern) == (self._search and self._search.pattern):
            return
        self._search = pattern
        self._cache.clear()  # (the cached lines were drawn with the old words)
        self.refresh()

    def set_selection(self, span: tuple[int, int] | None) -> None:
        """Draw fragment mode's selection (``None``: no selection): it lies in the current claim and at most the next
        one, so only their lines repaint (no walk over the article's sentences on a key)."""
        if self._selection == span:
            return
        self._selection = span
        claims = self.claims
        for sentence in claims[self.cursor : self.cursor + 2]:
            self.refresh_sentence(sentence)

    @property
    def selection(self) -> tuple[int, int] | None:
        return self._selection

    @property
    def highlighted_words(self) -> str | None:
        """The highlight's pattern (None: no search highlighted)."""
        return self._search.pattern if self._search else None

    # --- layout ------------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER, 8)

    def _relayout(self) -> None:
        if self.analysis is None or self.scrollable_content_region.width <= 0:
            # (No width yet, before the first layout: wrapping the text to a guess would be thrown away — for a
            # 10 MB article, seconds of it. on_resize lays it out once the width is known.)
            self.virtual_size = Size(0, 0)
            return
        width = self._text_width()
        if self._layout is not None and self._layout.width == width and not self._layout_partial:
            return
        text = self.analysis.article.text
        paragraphs = self._paragraphs
        self._layout_partial = False
        if self.review is None and not self._layout_pending and len(text) > FIRST_LAYOUT_CHARS:
            # A huge article's text first: wrap the paragraphs that fill the first screens now and the rest just
            # after that frame (wrapping is paragraph by paragraph, so the first lines are the same either way).
            count = next((k for k, (start, _) in enumerate(paragraphs) if start >= FIRST_LAYOUT_CHARS), len(paragraphs))
            if count < len(paragraphs):
                paragraphs, self._layout_partial, self._layout_pending = paragraphs[:count], True, True
                self.call_after_refresh(self._complete_layout)
        self._layout = layout_article(text, paragraphs, self.analysis.sentences, width, self._hidden)
        # Each line's sentences, in order; a line holds few, and the text shown before its analysis none at all
        # (one shared empty tuple per line rather than a list each: a 10 MB article has 340,000 lines).
        by_line: list[tuple[Sentence, ...]] = [()] * len(self._layout.lines)
        for sentence in self.analysis.sentences:
            first, last = self._layout.sentence_lines.get(sentence.index, (0, -1))
            for line in range(first, last + 1):
                by_line[line] += (sentence,)
        self._line_sentences = by_line
        self._cache.clear()
        self.virtual_size = Size(width + GUTTER, len(self._layout.lines))

    def _complete_layout(self) -> None:
        """The rest of a huge article's text, wrapped after its first screens were drawn (see :meth:`_relayout`)."""
        self._layout_pending = False
        if self._layout_partial:
            self._relayout()
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.reveal_cursor()

    def reveal_cursor(self) -> None:
        """Scroll so the whole current claim is in view (its first line if it is taller than the view)."""
        sentence = self.current
        if sentence is None or self._layout is None:
            return
        first, last = self._layout.sentence_lines.get(sentence.index, (0, 0))
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        if first < top + 1 or last >= top + height - 1:
            if last - first + 3 >= height or first < top + 1:
                target = max(first - 1, 0)
            else:
                target = last - height + 2
            self.scroll_to(y=max(target, 0), animate=False, immediate=True)

    # --- rendering ---------------------------------------------------------------------------

    def _sentence_state(self, sentence: Sentence) -> tuple:
        current = self.current
        is_current = current is not None and sentence.index == current.index
        if sentence.kind != "claim" or self.review is None or self.analysis is None:
            return (sentence.index, is_current)
        ref = ClaimRef(self.analysis.article.id, sentence.index)
        mark = self.review.mark(ref)
        parts = (
            tuple((f.span, f.mark.status) for f in self.review.fragments.on(ref))
            if self.review.fragments.has(ref)
            else ()
        )
        selected = (
            self._selection
            if self._selection and sentence.start < self._selection[1] and sentence.end > self._selection[0]
            else None
        )
        return (sentence.index, is_current, mark.status if mark else None, bool(mark and mark.note), parts, selected)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if self.analysis is None or self._layout is None:
            if y == 1:
                # (The padding styled too: a segment without a style breaks Textual's NO_COLOR filter.)
                return Strip([Segment(f"  {self.placeholder}", self.rich_style)]).extend_cell_length(
                    width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        if index >= len(self._layout.lines) or self._layout.lines[index] is None:
            return Strip.blank(width, self.rich_style)
        if self.review is None:
            return self._text_line(index, width)
        sentences = self._line_sentences[index]
        key = (
            index,
            width,
            self.has_focus,
            self.app.theme,
            tuple(self._sentence_state(s) for s in sentences),
        )
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_line(index, sentences, width)
            self._cache[key] = strip
        return strip

    def _text_line(self, index: int, width: int) -> Strip:
        """A line of the text alone (before the analysis): no sentence, highlight or gutter mark to style, so no
        Rich ``Text`` to build — the first screen of an article is on screen sooner."""
        assert self.analysis is not None and self._layout is not None
        line = self._layout.lines[index]
        assert line is not None
        text = self.analysis.article.text
        shown = "".join(text[start:end] for start, end in self._layout.shown_runs(line))
        body = neutralise(shown).replace("\n", " ").replace("\t", " ")
        style = self.rich_style
        return Strip([Segment(" " * GUTTER, style), Segment(body, style)]).adjust_cell_length(width, style)

    def _render_line(self, index: int, sentences: tuple[Sentence, ...], width: int) -> Strip:
        assert self.analysis is not None and self._layout is not None
        line = self._layout.lines[index]
        assert line is not None
        text = self.analysis.article.text
        body = Text(neutralise(text[line.start : line.end]).replace("\n", " ").replace("\t", " "), end="")
        style = self.get_component_rich_style
        verdicts = verdict_styles(self.app)
        current = self.current
        gutter_bar, verdict, note, badge, conflict = " ", " ", " ", " ", " "
        verdict_style = note_style = bar_style = Style()
        for sentence in sentences:
            lo, hi = max(sentence.start, line.start) - line.start, min(sentence.end, line.end) - line.start
            if sentence.kind == "heading":
                body.stylize(style("article--heading"), lo, hi)
            elif sentence.kind == "boilerplate":
                body.stylize(style("article--boilerplate"), lo, hi)
            if current is not None and sentence.index == current.index:
                body.stylize(style("article--current" if self.has_focus else "article--current-inactive"), lo, hi)
                gutter_bar, bar_style = "▌", style("article--gutter-current")
            if sentence.kind == "claim" and self.review is not None and line.start <= sentence.start < line.end:
                mark = self.review.mark(ClaimRef(self.analysis.article.id, sentence.index))
                if mark and mark.status in GUTTER_VERDICTS and verdict == " ":
                    verdict = VERDICT_SYMBOL[mark.status]
                    verdict_style = verdicts.status(mark.status)
                if mark and mark.note:
                    note, note_style = "✎", style("article--note")
                if self.cross is not None:
                    ref = ClaimRef(self.analysis.article.id, sentence.index)
                    sources = self.cross.sources(ref)  # independent sources: a wire copy is not corroboration
                    if sources:
                        badge = str(sources) if sources < 10 else "+"
                    elif self.cross.copies(ref):
                        badge = "="  # only copies of the same story carry it
                    if self.cross.conflicts(ref):
                        conflict = DIFFERS_SYMBOL
        for span in self._spans_between(line.start, line.end):
            body.stylize(
                style(span.component), max(span.start, line.start) - line.start, min(span.end, line.end) - line.start
            )
        self._stylize_fragments(body, line.start, line.end, sentences)
        if self._search is not None:  # (searched a little past the line, so a word wrapped onto it is found)
            reach = SEARCH_REACH
            for found in self._search.finditer(text, max(line.start - reach, 0), min(line.end + reach, len(text))):
                lo, hi = max(found.start(), line.start), min(found.end(), line.end)
                if lo < hi:
                    body.stylize(style("article--search"), lo - line.start, hi - line.start)
        gutter = Text.assemble(
            (gutter_bar, bar_style),
            (verdict, verdict_style),
            (note, note_style),
            (badge, style("article--badge")),
            (conflict, verdicts.conflict),
            " ",
            end="",
        )
        runs = self._layout.shown_runs(line)
        if runs != [(line.start, line.end)]:  # leave the hidden Markdown syntax out, every style staying put
            body = Text("", end="").join(body[start - line.start : end - line.start] for start, end in runs)
        segments = list(Text.assemble(gutter, body, end="").render(self.app.console))
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def _stylize_fragments(self, body: Text, start: int, end: int, sentences: tuple[Sentence, ...]) -> None:
        """Marked fragments underlined in their verdict's colour; fragment mode's selection reversed over them."""
        assert self.analysis is not None
        if self.review is not None:
            verdicts = verdict_styles(self.app)
            seen: set[tuple[int, int, str]] = set()
            for sentence in sentences:
                ref = ClaimRef(self.analysis.article.id, sentence.index)
                for fragment in self.review.fragments.on(ref) if self.review.fragments.has(ref) else ():
                    key = (*fragment.span, fragment.mark.reviewer)
                    lo, hi = max(fragment.span[0], start), min(fragment.span[1], end)
                    if key in seen or lo >= hi:
                        continue
                    seen.add(key)
                    colour = verdicts.status(fragment.mark.status).color
                    body.stylize(Style(underline=True, color=colour), lo - start, hi - start)
        if self._selection is not None:
            lo, hi = max(self._selection[0], start), min(self._selection[1], end)
            if lo < hi:
                body.stylize(self.get_component_rich_style("article--fragment"), lo - start, hi - start)

    def _spans_between(self, start: int, end: int) -> list[_Span]:
        starts = self._span_starts
        lo = bisect_left(starts, start - 200)  # spans are short; this bounds the scan
        hi = bisect_left(starts, end, lo)  # (slicing to the end of the list copied the rest of the article's spans)
        return [span for span in self._spans[lo:hi] if span.end > start]

    # --- mouse -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if self.analysis is None or self._layout is None:
            return
        line = event.y + self.scroll_offset.y
        sentence = self._layout.sentence_at(
            line,
            event.x - GUTTER,
            self.analysis.article.text,
            self._line_sentences[line] if 0 <= line < len(self._line_sentences) else (),
        )
        if sentence is None or sentence.kind != "claim":
            return
        position = self.position_of(sentence.index)
        if position is not None:
            self.post_message(self.ClaimClicked(self, position))

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()
