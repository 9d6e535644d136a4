"""Write untrusted text into CommonMark so it renders as exactly that text.

Article sentences and reviewers' notes come from outside: a claim may contain
``**``, ``<script>``, ``[x](y)``, a line starting with ``# `` or ``1. ``. Pasted
into Markdown unescaped, that text would turn into markup (or into live HTML in
whoever renders the brief). These helpers backslash-escape what CommonMark (and
the common GFM extensions: tables, strikethrough) would interpret, so the
rendered text equals the source text up to whitespace.

Every helper also runs :func:`clean_text`: terminal control characters and
invisible/bidi format characters are made inert *before* escaping, so an
exported brief can never carry an escape sequence to the terminal that
``cat``\\s it. The policy is :func:`factdesk.annotations.text.textsafety.neutralise`'s, so the
export shows what the reader showed: C0 controls (except tab and newline) become
their visible control picture (ESC -> ``␛``, DEL -> ``␡``); C1 controls, bidi
embeddings/overrides/isolates and zero-width characters become U+FFFD. CR and
CRLF are first normalised to LF so Windows line endings are not flagged.
"""

from __future__ import annotations

import re

from factdesk.annotations.text.textsafety import neutralise

# Characters escaped wherever they appear. Each is ASCII punctuation, which
# CommonMark lets us backslash-escape, and each can open markup somewhere:
# \ escapes, ` code spans, * _ emphasis, [ ] ! links/images, < > HTML, autolinks
# and blockquotes, & entities, # headings (also a heading's closing sequence),
# | GFM tables, ~ GFM strikethrough and ~~~ fences.
_ALWAYS = frozenset("\\`*_[]!<>&#|~")
_ALWAYS_RE = re.compile("[" + re.escape("".join(sorted(_ALWAYS))) + "]")

# A line that starts like a list item, thematic break or setext underline.
# ``*``/``_``/``#``/``>`` are already escaped everywhere; ``-``, ``+``, ``=`` and
# the ``.``/``)`` after leading digits only matter at the start of a line.
_LEADING_MARKER = re.compile(r"^([-+=])")
_LEADING_ORDINAL = re.compile(r"^(\d+)([.)])")


def clean_text(text: str) -> str:
    """Normalise line endings and neutralise control/bidi characters; no Markdown escaping.

    Used for everything written out, Markdown or JSON, so both formats carry the
    same (inert) text.
    """
    return neutralise(text.replace("\r\n", "\n").replace("\r", "\n"))


def _escape_line(line: str) -> str:
    """Escape one line (no newlines) that may sit at the start of a Markdown line.

    Leading whitespace is dropped: four spaces would start an indented code
    block, and CommonMark strips a paragraph line's indentation anyway. Trailing
    whitespace is dropped so two trailing spaces cannot become a hard break.
    """
    line = line.strip(" \t")
    line = _ALWAYS_RE.sub(lambda m: "\\" + m.group(), line)
    line = _LEADING_MARKER.sub(r"\\\1", line)
    return _LEADING_ORDINAL.sub(r"\1\\\2", line)


def escape_inline(text: str) -> str:
    """Escape ``text`` for a one-line context: heading, list item, paragraph fragment.

    Newlines and tabs become spaces, because a line break there would end the
    heading or list item and let the rest of the text be parsed as new blocks.
    Line-start markers are escaped too, since the result may open a line
    (``"- " + escape_inline("1. x")`` must not become a nested list).
    """
    flat = clean_text(text).replace("\t", " ").replace("\n", " ")
    return _escape_line(flat)


def escape_table_cell(text: str) -> str:
    """Escape ``text`` for a GFM table cell: one line, ``|`` escaped.

    ``escape_inline`` already escapes ``|`` and ``\\``; GFM removes the backslash
    before ``|`` when splitting the row, and the doubled backslash that protects
    a literal ``\\`` survives as one, so ``a\\|b`` round-trips.
    """
    return escape_inline(text)


def blockquote(text: str) -> str:
    """Render ``text`` as a blockquote whose every line, including blank ones, is quoted.

    Multi-line text stays inside the quote: each line gets its own ``>`` prefix
    (so nothing relies on lazy continuation), blank lines become a bare ``>``
    (a paragraph break inside the same quote), and each line is escaped as a
    line start. Leading and trailing blank lines are dropped. The result has no
    trailing newline; callers separate blocks with a blank line.
    """
    lines = clean_text(text).split("\n")
    while lines and not lines[0].strip(" \t"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t"):
        lines.pop()
    if not lines:
        return ">"
    quoted = []
    for line in lines:
        escaped = _escape_line(line.replace("\t", " "))
        quoted.append(f"> {escaped}" if escaped else ">")
    return "\n".join(quoted)
