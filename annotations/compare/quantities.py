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
from dataclasses import dataclass

from factdesk.annotations.compare.text import word_set
from factdesk.annotations.model import ArticleAnalysis, Entity, NumberMention, Sentence
from factdesk.annotations.text.units import bounds, dimension, normalise_unit

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|[;:()—–]")
_CLAUSE_BREAK = {";", ":", "(", ")", "—", "–"}
WINDOW_AFTER = 6
WINDOW_BEFORE = 5
_NEAR = 160  # characters read next to a figure for its WINDOW_AFTER / WINDOW_BEFORE words

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
_TIME_FRAME_LEAD = re.compile(r"(?i:\b(?:in|within|over|during|for|since|after|past|last|the\s+past)\s+)$")
_DATE_LEAD = re.compile(r"(?i:\b(?:since|on|in|by|until|till|from|during|over|before|after|as\s+of)\s+)$")

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
        text = self.mention.text
        unit = self.mention.unit
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


def _clauseword_set(text: str, reverse: bool, limit: int) -> list[str]:
    """Up to ``limit`` lower-case words next to a figure, stopping at clause punctuation.

    Only the end of ``text`` next to the figure is tokenised (``_NEAR`` characters), unless that window holds
    too few words: then it may have cut a word, and the whole text is read.
    """
    size = len(text)
    if reverse:
        tokens = _WORD.findall(text, size - _NEAR) if size > _NEAR else []
        if len(tokens) <= limit:
            tokens = _WORD.findall(text)
        tokens = tokens[::-1]
    else:
        tokens = _WORD.findall(text, 0, _NEAR) if size > _NEAR else []
        if len(tokens) <= limit:
            tokens = _WORD.findall(text)
    out: list[str] = []
    for token in tokens:
        if token in _CLAUSE_BREAK:
            break
        out.append(token.casefold())
        if len(out) == limit:
            break
    return out[::-1] if reverse else out


def _is_conversion_aside(text: str, mention: NumberMention, previous: NumberMention | None, start: int) -> bool:
    """ "30 km (20 miles)": the figure in brackets restates the one before it."""
    if previous is None or dimension(previous.unit) is None:
        return False
    between = text[previous.end - start : mention.start - start]
    return between.strip() == "(" and dimension(previous.unit) == dimension(mention.unit)


def _time_frames(text: str, start: int, dates: list[Entity], durations: list[NumberMention]) -> tuple[str, ...]:
    frames: list[tuple[int, str]] = []
    for date in dates:
        before = text[: date.start - start]
        lead = _DATE_LEAD.search(before)
        frames.append((date.start, (lead.group(0) if lead else "") + date.text))
    for duration in durations:
        before = text[: duration.start - start]
        lead = _TIME_FRAME_LEAD.search(before)
        frames.append((duration.start, (lead.group(0) if lead else "") + duration.text))
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


def quantities_in(analysis: ArticleAnalysis, sentence: Sentence) -> list[Quantity]:
    """The comparable figures of one sentence, with their keys, allowed ranges and time frames."""
    text = analysis.sentence_text(sentence)
    start = sentence.start
    mentions = analysis.numbers_in(sentence)
    dates = [e for e in analysis.entities_in(sentence) if e.label == "DATE"]
    is_time = [dimension(m.unit) == "time" for m in mentions]
    has_other_figure = any(not t for t in is_time)
    durations = [
        m
        for m, time in zip(mentions, is_time, strict=True)
        if time and has_other_figure and _TIME_FRAME_LEAD.search(text[: m.start - start])
    ]
    frames = _time_frames(text, start, dates, durations)

    found: list[Quantity] = []
    previous: NumberMention | None = None
    for mention in mentions:
        aside = _is_conversion_aside(text, mention, previous, start)
        previous = mention
        if aside or mention in durations or normalise_unit(mention.unit) == "rank":
            continue
        unit = normalise_unit(mention.unit)
        after = _clauseword_set(text[mention.end - start :], reverse=False, limit=WINDOW_AFTER)
        before = _clauseword_set(text[: mention.start - start], reverse=True, limit=WINDOW_BEFORE)
        if dimension(unit) is not None:
            key = f"unit:{unit}"
            between: list[str] = after[:2]
        else:
            event, between = _nearest_event(after, before)
            noun = _NOUN_CLASSES.get(unit or "", unit)
            event = event or _NOUN_EVENTS.get(unit or "")
            if noun is None:
                if event not in _HUMAN_EVENTS:
                    continue  # "over 370,000" with nothing counted: we cannot tell what it counts
                noun = "people"
            if isinstance(mention.value, float) and mention.value == 1.0 and not mention.qualifier:
                continue  # "one official": an article, not a count
            key = f"{noun} {event}" if event else noun
        if any(word in _MODALS for word in between) or any(word in _MODALS for word in before[-3:]):
            key += " (projected)"
        low, high = interval(mention)
        found.append(Quantity(mention, key, _label(key), low, high, frames))
    return found
