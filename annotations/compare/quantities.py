"""What a figure counts, what range of values it allows, and when it was counted.

Why: to say that two sources disagree we need to know that they count the *same*
thing ("nearly 300,000 people have been displaced" and "over 370,000 fleeing" are
both *people displaced*), that their values cannot both hold once hedges are taken
into account ("nearly 300,000" and "about 300,000" can; "nearly 300,000" and "over
370,000" cannot), and the time frames the reviewer needs to judge ("since late
November" vs "in just a week").

A quantity's key is its counted noun class plus the event the sentence attaches to
it (from a small cue lexicon: displaced/fled, killed/died, injured, detained, freed,
evacuated …), or its unit of measure. A figure under a modal ("could be forced to
flee") is a projection and gets its own key: a forecast does not contradict a count.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from factdesk.annotations.compare.text import word_set
from factdesk.annotations.model import ArticleAnalysis, Entity, NumberMention, Sentence
from factdesk.annotations.text.units import bounds, dimension, normalise_unit

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|[;:()—–]")
_CLAUSE_BREAK = {";", ":", "(", ")", "—", "–"}
WINDOW_AFTER = 6
WINDOW_BEFORE = 5
_NEAR = 160  # characters read next to a figure for its WINDOW_AFTER / WINDOW_BEFORE words
_DIRECT = 1024  # a sentence up to this long is searched for each time cue's lead word (see _Leads)

# Event cues by word prefix (lower case). Order matters only for readability.
_EVENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("displaced", ("displac", "flee", "fled", "uproot", "refugee")),
    ("killed", ("kill", "dead", "death", "died", "die", "dying", "fatalit", "slain")),
    ("injured", ("injur", "wound", "hurt")),
    ("detained", ("arrest", "detain", "imprison", "jailed", "abduct", "kidnap")),
    ("freed", ("freed", "freeing", "releas")),
    ("evacuated", ("evacuat",)),
    ("missing", ("missing",)),
    ("protesting", ("protest", "demonstrat")),
)
# Counted nouns that are themselves a toll: "one death" counts one, where "one official" is an article.
_TOLL_NOUNS = frozenset({"deaths", "fatalities", "victims", "bodies", "casualties", "injuries"})
# Counted nouns that name the same population.
_NOUN_CLASSES = {
    "people": "people",
    "persons": "people",
    "civilians": "people",
    "residents": "people",
    "individuals": "people",
    "inhabitants": "people",
    "refugees": "people",
    "prisoners": "prisoners",
    "detainees": "prisoners",
    "inmates": "prisoners",
    "soldiers": "soldiers",
    "troops": "soldiers",
    "fighters": "fighters",
    "militants": "fighters",
    "rebels": "fighters",
    "insurgents": "fighters",
}
_NOUN_EVENTS = {"refugees": "displaced", "detainees": "detained", "casualties": "killed or injured"}
_HUMAN_EVENTS = {"displaced", "killed", "injured", "detained", "freed", "evacuated", "missing", "protesting"}
_MODALS = word_set(
    """
    could may might would will shall expected projected forecast forecasts predicted predict estimates
    threatened risk likely
    """
)
# The words that lead into a duration or a date, anywhere (see _Leads) and right before a position ($).
_TIME_FRAME_LEADS = re.compile(r"(?i:\b(?:in|within|over|during|for|since|after|past|last|the\s+past)\s+)")
_DATE_LEADS = re.compile(r"(?i:\b(?:since|on|in|by|until|till|from|during|over|before|after|as\s+of)\s+)")
_TIME_FRAME_LEAD = re.compile(_TIME_FRAME_LEADS.pattern + "$")
_DATE_LEAD = re.compile(_DATE_LEADS.pattern + "$")

# Hedges, grouped by what they do to the stated value.
_UPPER_APPROACH = {"nearly", "almost", "just under", "close to", "approaching", "barely", "not quite", "well under"}
_UPPER = {
    "less than",
    "fewer than",
    "under",
    "below",
    "up to",
    "as many as",
    "as much as",
    "as high as",
    "at most",
    "no more than",
    "not more than",
}
_LOWER = {
    "over",
    "more than",
    "at least",
    "above",
    "upwards of",
    "in excess of",
    "greater than",
    "no fewer than",
    "no less than",
    "well over",
    "just over",
    "as few as",
    "as little as",
    "as low as",
}
_EXACT = {"exactly", "precisely", "just", "only", "within", "between"}
_SCALE_WORDS = ("dozens", "scores", "tens", "hundreds", "thousands", "millions", "billions")
_NUMBER_ENDINGS = word_set(
    """
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty
    seventy eighty ninety hundred thousand million billion dozen
    """
)
APPROACH_SPAN = 0.15  # "nearly 300,000" allows down to 255,000
APPROX_SPAN = 0.15  # "about 300,000" allows 255,000 … 345,000


@dataclass(frozen=True)
class Quantity:
    """A figure read for comparison."""

    mention: NumberMention
    key: str  # what is counted: "people displaced", "unit:km", "capitals"; "(projected)" appended for forecasts
    label: str  # the key for people: "People displaced", "Distance (km)"
    low: float
    high: float
    time_frames: tuple[str, ...]

    def compatible(self, other: Quantity) -> bool:
        """True when both figures can hold at once: their allowed ranges overlap."""
        if self.low <= other.high and other.low <= self.high:
            return True
        finite = [abs(v) for v in (self.low, self.high, other.low, other.high) if math.isfinite(v)]
        tolerance = 1e-9 * max(finite, default=1.0)
        return self.low <= other.high + tolerance and other.low <= self.high + tolerance

    @property
    def figure(self) -> str:
        """The figure as written, without a trailing counted noun the label already says."""
        return figure_text(self.mention)


def figure_text(mention: NumberMention) -> str:
    """A figure as written, without a trailing counted noun ("nearly 300,000 people" → "nearly 300,000")."""
    text = mention.text
    unit = mention.unit
    if unit and dimension(unit) is None and text.casefold().endswith(unit.casefold()):
        rest = text[: -len(unit)].rstrip(" -")
        last = rest.rsplit(None, 1)[-1].casefold() if rest else ""
        if last[:1].isdigit() or last in _NUMBER_ENDINGS:
            return rest
    return text


def interval(mention: NumberMention) -> tuple[float, float]:
    """The values a hedged figure allows (see the module docstring)."""
    low, high = bounds(mention.value)
    qualifier = (mention.qualifier or "").casefold().strip()
    if not qualifier or qualifier in _EXACT:
        return low, high
    if any(word in qualifier for word in _SCALE_WORDS):  # "thousands": an order of magnitude
        return low, high * 10.0
    if qualifier in _UPPER_APPROACH:
        return low * (1.0 - APPROACH_SPAN), high
    if qualifier in _UPPER:
        return 0.0, high
    if qualifier in _LOWER:
        return low, math.inf
    return low * (1.0 - APPROX_SPAN), high * (1.0 + APPROX_SPAN)  # about, around, some, estimated …


class _EventOf(dict):
    """{word: its event cue or None}, read on first sight (the cue test tries every prefix of every event)."""

    def __missing__(self, word: str) -> str | None:
        if len(self) > 100_000:
            self.clear()
        value = self[word] = next((e for e, prefixes in _EVENTS if word.startswith(prefixes)), None)
        return value


_EVENT_OF = _EventOf()


def event_of(word: str) -> str | None:
    """The event a lower-case word cues ("killed" → "killed", "fled" → "displaced"), else None."""
    return _EVENT_OF[word]


def _nearest_event(after: list[str], before: list[str]) -> tuple[str | None, list[str]]:
    """The closest event cue after (preferred) or before the figure, and the words in between."""
    event_of = _EVENT_OF
    for distance, word in enumerate(after):
        event = event_of[word]
        if event:
            return event, after[:distance]
    for distance, word in enumerate(reversed(before)):
        event = event_of[word]
        if event:
            return event, before[len(before) - distance :]
    return None, []


class _Words:
    """A sentence's words on either side of a figure: ``_WORD.findall`` of the text after or before a position.

    Only the ``_NEAR`` characters next to the figure are tokenised, unless that window holds too few words
    (it may have cut one): then the words come from the whole sentence, tokenised once on first need and read by
    bisection. Why: a run-on sentence of 200 KB with thousands of figures, read again next to each figure, cost
    figures × length. The words agree with ``findall`` on the cut text: a word the position cuts is tokenised
    again in its cut part, the others are the whole text's own (``_WORD`` looks neither behind nor past a word).
    """

    __slots__ = ("_ends", "_starts", "_text", "_tokens")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def after(self, position: int, limit: int) -> list[str]:
        """Up to ``limit`` lower-case words of ``text[position:]``, stopping at clause punctuation."""
        text = self._text
        if len(text) - position <= _NEAR:
            return _clause_words(_WORD.findall(text, position), limit)
        window = _WORD.findall(text, position, position + _NEAR)
        if len(window) > limit:
            return _clause_words(window, limit)
        starts, ends, tokens = self._index()
        first = bisect_left(starts, position)
        cut = first > 0 and ends[first - 1] > position  # a word that starts before the position
        head = _WORD.findall(text, position, ends[first - 1]) if cut else []
        return _clause_words(chain(head, (tokens[k] for k in range(first, len(tokens)))), limit)

    def before(self, position: int, limit: int) -> list[str]:
        """Up to ``limit`` lower-case words of ``text[:position]`` (in text order), stopping at clause punctuation."""
        text = self._text
        if position <= _NEAR:
            return _clause_words(reversed(_WORD.findall(text, 0, position)), limit)[::-1]
        window = _WORD.findall(text, position - _NEAR, position)
        if len(window) > limit:
            return _clause_words(reversed(window), limit)[::-1]
        starts, ends, tokens = self._index()
        count = bisect_right(ends, position)  # the words that end by the position
        cut = count < len(starts) and starts[count] < position  # a word that runs past it
        tail = _WORD.findall(text, starts[count], position) if cut else []
        nearest_first = chain(reversed(tail), (tokens[k] for k in range(count - 1, -1, -1)))
        return _clause_words(nearest_first, limit)[::-1]

    def _index(self) -> tuple[list[int], list[int], list[str]]:
        """Every word's start, end and text, made once."""
        if self._starts is None:
            matches = list(_WORD.finditer(self._text))
            self._starts = [m.start() for m in matches]
            self._ends = [m.end() for m in matches]
            self._tokens = [m.group() for m in matches]
        return self._starts, self._ends, self._tokens


def _clause_words(tokens: Iterable[str], limit: int) -> list[str]:
    """The first ``limit`` tokens, lower case, up to the first clause break."""
    out: list[str] = []
    for token in tokens:
        if token in _CLAUSE_BREAK:
            break
        out.append(token.casefold())
        if len(out) == limit:
            break
    return out


def _clauseword_set(text: str, reverse: bool, limit: int) -> list[str]:
    """Up to ``limit`` lower-case words next to a figure, stopping at clause punctuation: the end of ``text``
    (``reverse``: the text before the figure) or its start (the text after it)."""
    words = _Words(text)
    return words.before(len(text), limit) if reverse else words.after(0, limit)


def _is_conversion_aside(text: str, mention: NumberMention, previous: NumberMention | None, start: int) -> bool:
    """ "30 km (20 miles)": the figure in brackets restates the one before it."""
    if previous is None or dimension(previous.unit) is None:
        return False
    between = text[previous.end - start : mention.start - start]
    return between.strip() == "(" and dimension(previous.unit) == dimension(mention.unit)


class _Leads:
    """The words that lead into a time cue ("since ", "in the past "): ``at(position)`` is what
    ``_DATE_LEAD.search(text[:position])`` (or ``_TIME_FRAME_LEAD``) finds.

    A sentence of up to ``_DIRECT`` characters is searched so, once per cue; a longer one is read in one pass
    for the matches of the same pattern without its ``$``, kept by where they end. Why: searching the text
    before every date and duration again made a run-on sentence cost cues × length. The two agree: a match
    is one lead word (or "the past", "as of") and all the whitespace after it, so no match runs over a cue
    that starts after whitespace, and the leftmost match ending at a position is the one a left-to-right scan
    meets ("the past ", not "past "); ``tests/test_linear_time.py`` holds the table to the plain search.
    """

    __slots__ = ("_anywhere", "_at_end", "_by_end", "_text")

    def __init__(self, anywhere: re.Pattern[str], at_end: re.Pattern[str], text: str) -> None:
        self._anywhere = anywhere
        self._at_end = at_end
        self._text = text
        self._by_end: dict[int, str] | None = None  # made on first use

    def at(self, position: int) -> str | None:
        text = self._text
        if len(text) <= _DIRECT or not 0 < position < len(text) or text[position].isspace():
            found = self._at_end.search(text[:position])  # (a cue inside a sentence never starts with a space)
            return found.group(0) if found else None
        if not text[position - 1].isspace():
            return None  # a lead ends in whitespace
        if self._by_end is None:
            self._by_end = {m.end(): m.group(0) for m in self._anywhere.finditer(text)}
        return self._by_end.get(position)


def _date_leads(text: str) -> _Leads:
    return _Leads(_DATE_LEADS, _DATE_LEAD, text)


def _time_frame_leads(text: str) -> _Leads:
    return _Leads(_TIME_FRAME_LEADS, _TIME_FRAME_LEAD, text)


def _time_frames(text: str, start: int, dates: list[Entity], durations: list[NumberMention]) -> tuple[str, ...]:
    """The sentence's dates and durations as read, each with the words leading into it ("since late November")."""
    frames: list[tuple[int, str]] = []
    if dates:
        leads = _date_leads(text)
        for date in dates:
            frames.append((date.start, (leads.at(date.start - start) or "") + date.text))
    if durations:
        leads = _time_frame_leads(text)
        for duration in durations:
            frames.append((duration.start, (leads.at(duration.start - start) or "") + duration.text))
    return tuple(" ".join(frame.split()) for _, frame in sorted(frames))


def _label(key: str) -> str:
    if key.startswith("unit:"):
        unit = key[len("unit:") :].replace(" (projected)", "")
        kind = {
            "length": "Distance",
            "time": "Duration",
            "percent": "Share",
            "area": "Area",
            "mass": "Weight",
            "speed": "Speed",
        }.get(dimension(unit) or "", "Amount")
        suffix = " (projected)" if key.endswith("(projected)") else ""
        return f"{kind} ({unit}){suffix}"
    return key[:1].upper() + key[1:]


def quantities_in(analysis: ArticleAnalysis, sentence: Sentence, *, uncounted: bool = False) -> list[Quantity]:
    """The comparable figures of one sentence, with their keys, allowed ranges and time frames.

    The sentence is read once (its words, its time cues), however many figures and dates it holds.
    ``uncounted``: also a figure whose counted thing these words cannot tell ("has soared to 11,300"), with
    the key "" — the figure records read a wider clause for it (see ``figures.py``); the matcher leaves it out.
    """
    text = analysis.sentence_text(sentence)
    start = sentence.start
    mentions = analysis.numbers_in(sentence)
    dates = [e for e in analysis.entities_in(sentence) if e.label == "DATE"]
    is_time = [dimension(m.unit) == "time" for m in mentions]
    has_other_figure = any(not t for t in is_time)
    durations = []
    if has_other_figure and any(is_time):
        leads = _time_frame_leads(text)
        durations = [m for m, time in zip(mentions, is_time, strict=True) if time and leads.at(m.start - start)]
    frames = _time_frames(text, start, dates, durations)
    is_duration = {id(m) for m in durations}
    words = _Words(text)

    found: list[Quantity] = []
    previous: NumberMention | None = None
    for mention in mentions:
        aside = _is_conversion_aside(text, mention, previous, start)
        previous = mention
        if aside or id(mention) in is_duration or normalise_unit(mention.unit) == "rank":
            continue
        unit = normalise_unit(mention.unit)
        after = words.after(mention.end - start, WINDOW_AFTER)
        before = words.before(mention.start - start, WINDOW_BEFORE)
        if dimension(unit) is not None:
            key = f"unit:{unit}"
            between: list[str] = after[:2]
        else:
            event, between = _nearest_event(after, before)
            noun = _NOUN_CLASSES.get(unit or "", unit)
            event = event or _NOUN_EVENTS.get(unit or "")
            if noun is None:
                if event not in _HUMAN_EVENTS:
                    if uncounted:
                        low, high = interval(mention)
                        found.append(Quantity(mention, "", "", low, high, frames))
                    continue  # "over 370,000" with nothing counted: we cannot tell what it counts
                noun = "people"
            single = isinstance(mention.value, float) and mention.value == 1.0 and not mention.qualifier
            if single and not (uncounted and (unit or "") in _TOLL_NOUNS):
                continue  # "one official": an article, not a count ("one death" is one, for figure records)
            key = f"{noun} {event}" if event else noun
        if any(word in _MODALS for word in between) or any(word in _MODALS for word in before[-3:]):
            key += " (projected)"
        low, high = interval(mention)
        found.append(Quantity(mention, key, _label(key), low, high, frames))
    return found
