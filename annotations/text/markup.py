"""Where a Markdown article's syntax is: the character ranges a reader should not see.

A ``.md`` article is shown as text: ``#`` heading markers, ``**``/``__``/``*``/``_``/``~~`` emphasis, link
targets (``[text](url)`` shows "text"), code ticks, ``>`` quote markers, backslash escapes and code fences
are hidden. Nothing is rewritten: the ranges index the file text exactly as every other offset does, so
the reader hides those characters while sentences, entities, numbers and anchors keep their offsets.

Near-linear: each kind of syntax is one regex pass over the whole text (never a pass per line). Each pass
masks what it found in a working copy of the same length — the syntax itself, and text that must not be
read as syntax (code, link targets) — so later passes neither see it nor shift an offset.
Inline syntax never spans a line break (emphasis hard-wrapped across lines stays visible: safe, just plain).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown")

_Piece = tuple[int, int, str]  # start, end, and how the working copy masks it (HIDDEN or KEPT)

HIDDEN = "\x00"  # stands for syntax already found (not a space, not a delimiter)
KEPT = "x"  # stands for text that is shown but must not be read as syntax (code, link targets)

# A heading line: up to three spaces, one to six #, then a space or the line's end (CommonMark's ATX heading).
ATX_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)")

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n(?:.*\n)*?[ ]{0,3}\1[`~]*[ \t]*$", re.M)
_CODE_SPAN = re.compile(r"(`+)([^`\n](?:[^\n]*?[^`\n])?)(\1)(?!`)")
_ESCAPE = re.compile(r"(\\)([!-/:-@\[-`{-~])")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]+\S[^\n]*$", re.M)
_LINK = re.compile(  # "[" first (a literal start keeps the scan fast); an image's "!" is added by _opening
    r"(\[)([^\[\]\n]*)(\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\))"
)
_REFERENCE_LINK = re.compile(r"(\[)([^\[\]\n]+)(\]\[[^\[\]\n]*\])")
_AUTOLINK = re.compile(r"(<)((?:https?|ftp|mailto):[^<>\s]+)(>)", re.I)
_QUOTE_MARKERS = re.compile(r"^(?:[ ]{0,3}>[ ]?)+", re.M)
_HEADING_MARKER = re.compile(r"^(?:[ ]{0,3}" + HIDDEN + r"*)?[ ]{0,3}#{1,6}(?:[ \t]+|$)", re.M)
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$", re.M)
# Longest delimiters first; each pass sees the delimiters of the passes before it masked. Every pattern starts
# with its delimiter (the regex engine then skips ahead to it) and its text cannot contain the delimiter, so an
# opener without a closer costs a scan to the next delimiter, never to the end of the line.
_EMPHASIS = (  # (the delimiter, its pattern)
    ("**", re.compile(r"(\*\*)(?=[^\s*])((?:[^\n*]|\*(?!\*))*?[^\s*])(\*\*)")),
    ("__", re.compile(r"(__)(?<![\w_]__)(?=[^\s_])((?:[^\n_]|_(?!_))*?[^\s_])(__)(?![\w_])")),
    ("~~", re.compile(r"(~~)(?=[^\s~])((?:[^\n~]|~(?!~))*?[^\s~])(~~)")),
    ("*", re.compile(r"(\*)(?<!\*\*)(?=[^\s*])((?:[^\n*]|\*\*)*?[^\s*])(\*)(?!\*)")),
    ("_", re.compile(r"(_)(?<![\w_]_)(?=[^\s_])([^\n_]*?[^\s_])(_)(?![\w_])")),
)


def is_markdown(path: Path | str) -> bool:
    """Whether an article file is Markdown (its syntax is hidden when it is shown)."""
    return Path(path).suffix.lower() in MARKDOWN_SUFFIXES


def markdown_markup(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` ranges of Markdown syntax in ``text``: sorted, not overlapping, not touching."""
    found: list[tuple[int, int]] = []
    work = text

    def masked(pattern: re.Pattern[str], sign: str, hide: Callable[[re.Match[str]], list[_Piece]]) -> None:
        """One pass of ``pattern`` (skipped without ``sign`` in the text); ``hide`` sorts out a match's pieces."""
        nonlocal work
        if sign not in work:
            return
        pieces: list[str] = []
        position = 0
        for match in pattern.finditer(work):
            for start, end, how in hide(match):
                if end <= start:
                    continue
                pieces.append(work[position:start])
                pieces.append(_fill(work[start:end], how))
                if how == HIDDEN:
                    found.append((start, end))
                position = end
        pieces.append(work[position:])
        work = "".join(pieces)

    def syntax(*groups: int) -> Callable[[re.Match[str]], list[_Piece]]:
        """The match's ``groups`` are syntax (0: all of it); the rest is shown and read by later passes."""
        return lambda match: [(*match.span(group), HIDDEN) for group in groups]

    def link(match: re.Match[str]) -> list[_Piece]:
        return [_opening(work, match), (*match.span(3), HIDDEN)]

    heading_lines: list[int] = []

    def heading(match: re.Match[str]) -> list[_Piece]:
        heading_lines.append(match.start())
        return [(*match.span(), HIDDEN)]

    masked(_FENCE, "\n", _fence)
    masked(_CODE_SPAN, "`", lambda m: [(*m.span(1), HIDDEN), (*m.span(2), KEPT), (*m.span(3), HIDDEN)])
    masked(_ESCAPE, "\\", lambda m: [(*m.span(1), HIDDEN), (*m.span(2), KEPT)])
    masked(_REFERENCE_DEFINITION, "]:", syntax(0))
    masked(_LINK, "](", link)
    masked(_REFERENCE_LINK, "][", link)
    masked(_AUTOLINK, "<", syntax(1, 3))
    masked(_QUOTE_MARKERS, ">", syntax(0))
    masked(_HEADING_MARKER, "#", heading)
    for line_start in heading_lines:  # "## Title ##": the closing hashes are syntax too
        line_end = work.find("\n", line_start)
        closing = _CLOSING_HASHES.search(work, line_start, len(work) if line_end < 0 else line_end)
        if closing is not None:
            found.append(closing.span())
    for delimiter, pattern in _EMPHASIS:
        masked(pattern, delimiter, syntax(1, 3))
    return _merged(found)


def _fence(match: re.Match[str]) -> list[_Piece]:
    """A fenced code block: its two fence lines are syntax, the code between is shown as it is."""
    block = match.group()
    first_end = match.start() + block.index("\n")
    last_start = match.start() + block.rindex("\n") + 1
    return [(match.start(), first_end, HIDDEN), (first_end, last_start, KEPT), (last_start, match.end(), HIDDEN)]


def _opening(work: str, match: re.Match[str]) -> _Piece:
    """A link's "[" — with the "!" before it when the link is an image."""
    start = match.start(1)
    return (start - 1 if start and work[start - 1] == "!" else start, match.end(1), HIDDEN)


def _fill(piece: str, how: str) -> str:
    """``piece`` with every character but a line break replaced by ``how`` (same length: offsets stay)."""
    if "\n" not in piece:
        return how * len(piece)
    return "\n".join(how * len(line) for line in piece.split("\n"))


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges sorted, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def plain_text(text: str) -> str:
    """``text`` as a reader sees it: the Markdown syntax left out (for counting words, not for offsets)."""
    ranges = markdown_markup(text)
    if not ranges:
        return text
    pieces, position = [], 0
    for start, end in ranges:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
