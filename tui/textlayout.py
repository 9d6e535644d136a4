"""Reflow an article into display lines of a given width, remembering file offsets.

Pure Python (no Textual) so it can be tested and benchmarked on its own. Every
display line is a slice ``[start, end)`` of the article's file text, so styling by
entity, number or sentence offsets needs no translation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len

from factdesk.annotations.model import Sentence

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class DisplayLine:
    start: int
    end: int


@dataclass
class ArticleLayout:
    width: int
    lines: list[DisplayLine | None]  # None is the blank line between paragraphs
    sentence_lines: dict[int, tuple[int, int]] = field(default_factory=dict)  # sentence -> first, last line

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
        while offset < shown.end and width + cell_len(text[offset]) <= column:
            width += cell_len(text[offset])
            offset += 1
        for sentence in sentences:
            if sentence.start <= offset < sentence.end or (sentence.start <= offset == sentence.end == shown.end):
                return sentence
        candidates = self.sentences_on(line, sentences)
        return candidates[-1] if candidates else None


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _wrap(text: str, start: int, end: int, width: int) -> list[DisplayLine]:
    lines: list[DisplayLine] = []
    line_start: int | None = None
    line_end = start
    used = 0
    for token in _TOKEN.finditer(text, start, end):
        word_start, word_end = token.span()
        word = _width(token.group())
        if line_start is not None and used + 1 + word <= width:
            used += 1 + word
            line_end = word_end
            continue
        if line_start is not None:
            lines.append(DisplayLine(line_start, line_end))
        while word > width:  # a word longer than the line: cut it
            cut, cells = word_start, 0
            while cut < word_end and cells + _width(text[cut]) <= width:
                cells += _width(text[cut])
                cut += 1
            cut = max(cut, word_start + 1)
            lines.append(DisplayLine(word_start, cut))
            word_start = cut
            word = _width(text[word_start:word_end])
        line_start, line_end, used = word_start, word_end, word
    if line_start is not None and line_end > line_start:
        lines.append(DisplayLine(line_start, line_end))
    return lines


def layout_article(
    text: str, paragraphs: Sequence[tuple[int, int]], sentences: Sequence[Sentence], width: int
) -> ArticleLayout:
    """Wrap every paragraph to ``width`` cells, a blank line between paragraphs."""
    width = max(width, 8)
    lines: list[DisplayLine | None] = []
    for number, (start, end) in enumerate(paragraphs):
        if number:
            lines.append(None)
        lines.extend(_wrap(text, start, end, width))
    layout = ArticleLayout(width, lines)
    starts = [line.start if line else -1 for line in lines]
    numbers = [i for i, line in enumerate(lines) if line is not None]
    real_starts = [starts[i] for i in numbers]
    for sentence in sentences:
        first_pos = max(bisect_right(real_starts, sentence.start) - 1, 0)
        last_pos = max(bisect_right(real_starts, max(sentence.end - 1, sentence.start)) - 1, 0)
        if numbers:
            layout.sentence_lines[sentence.index] = (numbers[first_pos], numbers[last_pos])
    return layout
