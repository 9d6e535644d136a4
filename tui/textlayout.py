"""Reflow an article into display lines of a given width, remembering file offsets.

Pure Python (no Textual) so it can be tested and benchmarked on its own. Every
display line is a slice ``[start, end)`` of the article's file text, so styling by
entity, number or sentence offsets needs no translation.

A Markdown article's syntax (``#``, ``**``, a link's address — ranges from
:func:`~factdesk.annotations.text.markup.markdown_markup`) stays inside those slices but is
*hidden*: it takes no cells when lines are wrapped, the view leaves it out when it draws a
line (:meth:`ArticleLayout.shown_runs`), and a click maps cells back to offsets skipping it.
So offsets are never translated; the hidden characters are simply not drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import starmap

from rich.cells import cell_len, get_character_cell_size

from factdesk.annotations.model import Sentence

_TOKEN = re.compile(r"\S+")
_SPAN = re.Match.span


@dataclass(frozen=True)
class DisplayLine:
    start: int
    end: int


class Hidden:
    """Ranges of the text that are not drawn (sorted, not overlapping), for drawing a line and reading a click."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = list(ranges)
        self._ends = [end for _, end in self.ranges]

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def shown_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The drawn parts of ``[start, end)``, in order."""
        if not self.ranges:
            return [(start, end)] if end > start else []
        runs: list[tuple[int, int]] = []
        position = start
        for number in range(bisect_right(self._ends, start), len(self.ranges)):
            hidden_start, hidden_end = self.ranges[number]
            if hidden_start >= end:
                break
            if hidden_start > position:
                runs.append((position, hidden_start))
            position = max(position, hidden_end)
        if position < end:
            runs.append((position, end))
        return runs

    def is_hidden(self, offset: int) -> bool:
        number = bisect_right(self._ends, offset)
        return number < len(self.ranges) and self.ranges[number][0] <= offset


@dataclass
class ArticleLayout:
    width: int
    lines: list[DisplayLine | None]  # None is the blank line between paragraphs
    sentence_lines: dict[int, tuple[int, int]] = field(default_factory=dict)  # sentence -> first, last line
    hidden: Hidden | None = None  # Markdown syntax: inside the lines' slices, never drawn

    def shown_runs(self, line: DisplayLine) -> list[tuple[int, int]]:
        """The parts of ``line`` that are drawn (all of it, unless some syntax is hidden)."""
        if not self.hidden:
            return [(line.start, line.end)]
        return self.hidden.shown_runs(line.start, line.end)

    def sentences_on(self, line: int, sentences: Sequence[Sentence]) -> list[Sentence]:
        """The sentences that have text on display line ``line``."""
        shown = self.lines[line] if 0 <= line < len(self.lines) else None
        if shown is None:
            return []
        return [s for s in sentences if s.start < shown.end and shown.start < s.end]

    def sentence_at(self, line: int, column: int, text: str, sentences: Sequence[Sentence]) -> Sentence | None:
        """The sentence under a click at (line, column), for the mouse."""
        shown = self.lines[line] if 0 <= line < len(self.lines) else None
        if shown is None:
            return None
        width = 0
        offset = shown.start
        hidden = self.hidden
        while offset < shown.end:
            # (A newline, tab or control character is drawn as one cell: a space or its symbol.)
            cells = 0 if hidden and hidden.is_hidden(offset) else _width(text[offset])
            if width + cells > column:
                break
            width += cells
            offset += 1
        for sentence in sentences:
            if sentence.start <= offset < sentence.end or (sentence.start <= offset == sentence.end == shown.end):
                return sentence
        candidates = self.sentences_on(line, sentences)
        return candidates[-1] if candidates else None


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


class _Cells:
    """Cells of slices of the text with the hidden ranges taking none, asked for in text order (as wrapping does).

    A cursor walks the ranges once per layout, so a Markdown article wraps in linear time.
    """

    def __init__(self, text: str, ranges: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.ranges = ranges
        self.next = 0  # the first range that may end after the slices still to come

    def width(self, start: int, end: int) -> int:
        ranges, number = self.ranges, self.next
        while number < len(ranges) and ranges[number][1] <= start:
            number += 1
        self.next = number
        total, position = 0, start
        while number < len(ranges) and ranges[number][0] < end:
            hidden_start, hidden_end = ranges[number]
            if hidden_start > position:
                total += _width(self.text[position:hidden_start])
            position = max(position, hidden_end)
            if hidden_end >= end:
                break
            number += 1
        if position < end:
            total += _width(self.text[position:end])
        return total


_ZERO_WIDTH_JOINERS = frozenset("\u200d\ufe0f")  # (rich measures a character with these as a cluster)


def _one_cell(character: str) -> bool:
    """True when ``character`` is whitespace (a gap: one cell per character) or always drawn one cell wide."""
    if character.isspace():
        return True
    if character.isascii():
        return character.isprintable()  # (an ASCII control: one cell in an ASCII word, none in cell_len)
    return character not in _ZERO_WIDTH_JOINERS and get_character_cell_size(character) == 1


@lru_cache(maxsize=4)
def _other_widths(text: str) -> re.Pattern[str] | None:
    """A pattern finding the characters of ``text`` that do not take exactly one cell; None when there are none.

    Read from the text's distinct characters (a set, built in C), so that each paragraph is then checked by one
    regex search rather than character by character; remembered for the last few texts (a resize lays the same
    article out again).
    """
    others = sorted(c for c in set(text) if not _one_cell(c))
    return re.compile("[" + "".join(re.escape(c) for c in others) + "]") if others else None


@lru_cache(maxsize=64)
def _greedy_lines(width: int) -> re.Pattern[str]:
    """One display line of text whose characters take a cell each: the most whole words that fit in ``width``
    cells (ending at a word's end), else — a word longer than the line — its first ``width`` characters.

    Exactly :func:`_wrap_words`'s greedy rule for such text, run by the regex engine instead of word by word
    (five times faster on a 10 MB article; ``tests/test_long_articles.py`` holds the two to each other).
    """
    return re.compile(rf"\S.{{0,{width - 1}}}(?<=\S)(?=\s|\Z)|\S{{{width}}}", re.S)


def _wrap(
    text: str, start: int, end: int, width: int, cells: _Cells | None, other_widths: re.Pattern[str] | None
) -> list[DisplayLine]:
    """Greedy word wrap of ``text[start:end]``; ``cells`` counts drawn cells when some syntax is hidden.

    ``other_widths`` (from :func:`_other_widths`) finds characters that are not one cell wide: a paragraph
    without any (most paragraphs of most articles) is wrapped by one regex, its characters counted as cells.
    """
    if cells is None and (other_widths is None or other_widths.search(text, start, end) is None):
        return list(starmap(DisplayLine, map(_SPAN, _greedy_lines(width).finditer(text, start, end))))
    return _wrap_words(text, start, end, width, cells)


def _wrap_words(text: str, start: int, end: int, width: int, cells: _Cells | None) -> list[DisplayLine]:
    """:func:`_wrap` word by word, measuring each word's cells (wide characters, hidden syntax)."""
    lines: list[DisplayLine] = []
    line_start: int | None = None
    line_end = start
    used = 0
    for token in _TOKEN.finditer(text, start, end):
        word_start, word_end = token.span()
        # The gap is drawn as it is in the file (a newline or tab as a space each): "end.  Next" takes two cells.
        if cells is None:
            gap, word = word_start - line_end, _width(token.group())
        else:
            gap, word = cells.width(line_end, word_start), cells.width(word_start, word_end)
        if line_start is not None and used + gap + word <= width:
            used += gap + word
            line_end = word_end
            continue
        if line_start is not None:
            lines.append(DisplayLine(line_start, line_end))
        while word > width:  # a word longer than the line: cut it
            cut, used = word_start, 0
            while cut < word_end:
                step = _width(text[cut]) if cells is None else cells.width(cut, cut + 1)
                if used + step > width:
                    break
                used += step
                cut += 1
            cut = max(cut, word_start + 1)
            lines.append(DisplayLine(word_start, cut))
            word_start = cut
            word = _width(text[word_start:word_end]) if cells is None else cells.width(word_start, word_end)
        line_start, line_end, used = word_start, word_end, word
    if line_start is not None and line_end > line_start:
        lines.append(DisplayLine(line_start, line_end))
    return lines


def layout_article(
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    sentences: Sequence[Sentence],
    width: int,
    hidden: Sequence[tuple[int, int]] = (),
) -> ArticleLayout:
    """Wrap every paragraph to ``width`` cells, a blank line between paragraphs; ``hidden`` ranges take no cells."""
    width = max(width, 8)
    cells = _Cells(text, hidden) if hidden else None
    other_widths = _other_widths(text) if cells is None else None
    lines: list[DisplayLine | None] = []
    for number, (start, end) in enumerate(paragraphs):
        if number:
            lines.append(None)
        lines.extend(_wrap(text, start, end, width, cells, other_widths))
    layout = ArticleLayout(width, lines, hidden=Hidden(hidden) if hidden else None)
    starts = [line.start if line else -1 for line in lines]
    numbers = [i for i, line in enumerate(lines) if line is not None]
    real_starts = [starts[i] for i in numbers]
    for sentence in sentences:
        first_pos = max(bisect_right(real_starts, sentence.start) - 1, 0)
        last_pos = max(bisect_right(real_starts, max(sentence.end - 1, sentence.start)) - 1, 0)
        if numbers:
            layout.sentence_lines[sentence.index] = (numbers[first_pos], numbers[last_pos])
    return layout
