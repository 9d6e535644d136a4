"""Direct quotes in news text: where each quoted span is and where its attribution ("…," said X) sits.

Why a module of its own: the reviewer's ``Q`` and the brief's "Quotes that differ across outlets" compare what one
speaker is quoted as saying by several outlets, and that starts with the text alone — the quoted spans (straight
``"…"``, curly ``“…”``, German ``„…“`` and ``«…»``), which may run across sentence ends, and the reporting verb
next to each with the side its speaker stands on. Which *entity* the speaker is (and "he" → the person named
before) is the comparison's business (:mod:`factdesk.annotations.compare.quotes`); here are only characters.

Everything is one pass over the quote marks plus bounded windows around each span (``CUE_WINDOW`` characters), so a
line of ten thousand quote marks or a megabyte with an unbalanced one costs what its length costs. Nothing here names
a person, place or event of any story: the cues are English reporting verbs and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_QUOTE_CHARS",
    "QuoteCue",
    "QuoteSpan",
    "paragraph_starts",
    "quote_cues",
    "quote_spans",
]

MAX_QUOTE_CHARS = 3000  # a "quote" longer than this is an unbalanced mark, not a quote
CUE_WINDOW = 200  # characters read before an opening mark for "X said, “…" / a partial quote's "X said the …"
AFTER_WINDOW = 120  # characters read after a closing mark for "…," said X / "…," X told Reuters
SPEAKER_GAP = 80  # the most text between a speaker after the quote and its verb ("Smith, the company's chief, said")

_MARKS = re.compile(r"[\"“”„«»]|\n(?:[ \t\r\f\v]*\n)+")
_OPENING = frozenset("“„«")
_REOPENING = frozenset('"“„«')
_LETTER = re.compile(r"\w")

# English reporting verbs (any story's): the verb is the cue, the speaker stands before or after it.
_VERBS = (
    r"said|says|say|told|tells|added|adds|adding|stated|states|stating|explained|explains|wrote|writes|warned|"
    r"warns|warning|insisted|insists|noted|notes|continued|continues|declared|declares|asked|asks|argued|argues|"
    r"replied|replies|recalled|recalls|claimed|claims|announced|announces|stressed|stresses|acknowledged|"
    r"conceded|admitted|admits|urged|urges|predicted|promised|vowed|vows|cautioned|observed|remarked|posted|"
    r"tweeted|wrote|commented|responded|suggested|maintained|confirmed|denied|called|calls|calling|described|"
    r"describes|describing|saying|telling|according to|According to"
)
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_AFTER_VERB_FIRST = re.compile(rf"^[\s,;:!?—–-]*(?P<verb>{_VERBS})\b")
_AFTER_SPEAKER_FIRST = re.compile(rf"^[\s,;:!?—–-]*(?P<who>[^\"“”„«».!?;]{{1,{SPEAKER_GAP}}}?)\s(?P<verb>{_VERBS})\b")
_PRONOUN = re.compile(r"^(?:he|she|He|She)$")
_PRONOUN_BEFORE_VERB = re.compile(r"\b(?P<pronoun>he|she|He|She)\s+(?:\w+ly\s+|also\s+|then\s+|later\s+)?$")
_PRONOUN_AFTER_VERB = re.compile(r"^\s+(?P<pronoun>he|she)\b")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class QuoteSpan:
    """One quoted span: ``start``/``end`` are the words inside the marks (trimmed), ``open``/``close`` the marks'
    own offsets (``close`` is the closing mark's index), ``paragraph`` where its paragraph starts; ``runs_on`` when
    it has no closing mark and the next paragraph reopens it (``close`` is then where its paragraph ends)."""

    start: int
    end: int
    open: int
    close: int
    paragraph: int
    runs_on: bool = False


Side = Literal["before", "after"]


@dataclass(frozen=True)
class QuoteCue:
    """The reporting verb next to a quote and where its speaker stands.

    ``speaker_start``/``speaker_end`` bound the text the speaker is read from (a name's entity inside it, the
    nearest to the verb when ``side`` is "before"); ``pronoun`` is set when that text is "he"/"she", and
    ``at`` is the offset the pronoun is resolved from (the person named last before it).
    """

    verb: str
    side: Side  # the speaker stands before the verb ("Smith said") or after it ("said Smith")
    speaker_start: int
    speaker_end: int
    pronoun: str = ""
    at: int = 0
    first: bool = False  # the speaker opens the text ("…," Smith, a manager at Acme, said): its first name


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph starts (a blank line separates paragraphs; a single newline is hard-wrapped copy)."""
    starts = [0]
    starts.extend(match.end() for match in re.finditer(r"\n(?:[ \t\r\f\v]*\n)+", text))
    return starts


def quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted span in ``text``, in order: one pass over the quote marks and paragraph breaks.

    A straight mark opens or closes by turns; a curly opening mark met while a quote is open starts it again (the
    earlier one was never closed), a closing mark with nothing open is dropped, and a paragraph break drops an open
    quote — unless the next paragraph opens with a quote mark, the news convention for a quote running over several
    paragraphs, where the open one ends with its paragraph (a quote never runs across paragraphs; a span longer than
    ``MAX_QUOTE_CHARS`` is no quote either). A span needs a letter or digit inside. Sentence ends inside a span do
    not end it: "“We will rebuild. We always have,” she said." is one quote.
    """
    spans: list[QuoteSpan] = []
    paragraph = 0
    opened = -1
    opener = ""
    for match in _MARKS.finditer(text):
        mark = match.group()
        at = match.start()
        if len(mark) > 1:  # a paragraph break
            if opened >= 0 and text[match.end() : match.end() + 1] in _REOPENING:
                _add_span(spans, text, opened, at, paragraph, runs_on=True)  # no closing mark, reopened
            paragraph = match.end()
            opened = -1
            continue
        if opened < 0:
            if mark == '"' or mark in _OPENING:
                opened, opener = at, mark
            continue
        closes = (
            mark == '"'
            or (mark == "”" and opener in '"“„')
            or (mark == "“" and opener == "„")
            or (mark == "»" and opener == "«")
        )
        if closes:
            _add_span(spans, text, opened, at, paragraph)
            opened = -1
        elif mark in _OPENING:
            opened, opener = at, mark
    return spans


def _add_span(
    spans: list[QuoteSpan], text: str, opened: int, close: int, paragraph: int, *, runs_on: bool = False
) -> None:
    if close - opened - 1 > MAX_QUOTE_CHARS:
        return
    start, end = opened + 1, close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if _LETTER.search(text, start, end):
        spans.append(QuoteSpan(start, end, opened, close, paragraph, runs_on))


def quote_cues(text: str, span: QuoteSpan, floor: int, ceiling: int) -> tuple[QuoteCue, ...]:
    """The attributions that may name ``span``'s speaker, the likelier first: after it ("…," said X / "…," X told
    Reuters / "…" X added), then before it in the same sentence (X said, "…" / X told Reuters: "…" / according
    to X, "…" / X called it a "…" failure).

    ``floor`` and ``ceiling`` bound the windows (the previous quote's closing mark or the paragraph's start; the
    next quote's opening mark or the paragraph's end), so a cue is never read across another quote. Both are
    returned when both are found: "… “a failure” and officials said …" has a verb after the quote with no name
    before it, and the caller then reads the one before.
    """
    after = _cue_after(text, span, min(ceiling, span.close + 1 + AFTER_WINDOW))
    before = _cue_before(text, span, max(floor, span.open - CUE_WINDOW))
    return tuple(cue for cue in (after, before) if cue is not None)


def _cue_after(text: str, span: QuoteSpan, limit: int) -> QuoteCue | None:
    inner_end = text[span.end - 1] if span.end > span.start else ""
    if inner_end == ".":  # “We will win.” The army said … — the next sentence's own attribution
        return None
    base = span.close + 1
    window = text[base:limit]
    match = _AFTER_VERB_FIRST.match(window)
    if match is not None:
        verb_end = base + match.end()
        rest = window[match.end() :]
        pronoun = _PRONOUN_AFTER_VERB.match(rest)
        if pronoun is not None:
            return QuoteCue(match["verb"], "after", verb_end, verb_end, pronoun["pronoun"], verb_end)
        stop = _SENTENCE_END.search(rest)
        end = verb_end + (stop.start() if stop else len(rest))
        return QuoteCue(match["verb"], "after", verb_end, min(end, verb_end + SPEAKER_GAP))
    match = _AFTER_SPEAKER_FIRST.match(window)
    if match is None or match["verb"].casefold() == "according to":
        return None
    who_start, who_end = base + match.start("who"), base + match.end("who")
    who = match["who"].strip(" ,")
    if _PRONOUN.match(who):
        return QuoteCue(match["verb"], "before", who_start, who_end, who, who_start)
    return QuoteCue(match["verb"], "before", who_start, who_end, first=True)


def _cue_before(text: str, span: QuoteSpan, floor: int) -> QuoteCue | None:
    window = text[floor : span.open]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    sentence = ends[-1] if ends else 0  # the quote's own sentence starts here in the window
    last = None
    for found in _VERB.finditer(window, sentence):
        last = found
    if last is None:
        return None
    verb, verb_start, verb_end = last.group(), floor + last.start(), floor + last.end()
    if verb.casefold() == "according to":
        return QuoteCue(verb, "after", verb_end, span.open)
    pronoun = _PRONOUN_BEFORE_VERB.search(window, sentence, last.start())
    if pronoun is not None:
        at = floor + pronoun.start()
        return QuoteCue(verb, "before", at, verb_start, pronoun["pronoun"], at)
    return QuoteCue(verb, "before", floor + sentence, verb_start)
