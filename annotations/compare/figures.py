"""A claim's numbers read as figures: what each counts, where, when, says who, and in which outlet.

Why: two outlets disagree only when they give the *same measure* for the *same scope* with values that cannot
both hold; a figure for another place, another year or a part of a total is no contradiction, and a figure
counted on another day or given by another body is a difference with an explanation. So every number of a
claim becomes a :class:`~factdesk.annotations.model.FigureRecord`:

* the interval its wording allows (``quantities.interval``: "at least", "nearly", ranges), and a round number
  ("11,000", "2,200") allows a little rounding (:func:`rounding`);
* the measure, from the counted noun and the verb around it (``quantities``' key, refined here with general
  news vocabularies: tolls, "without power", seats and votes, turnout, population, damage and losses …);
* the scope: a place or a party named next to the figure ("in Charlotte County", "Florida's toll", "Labour
  won 412 seats"), "elsewhere" for "outside the city" / "elsewhere in the country", a year for a past event
  ("the 1928 hurricane that killed 2,500") and "part" for a part of a total ("66 of these");
* the time: the time phrase nearest the figure ("by Saturday afternoon", "since late November", "previously"),
  else the article's date;
* the attribution (``claims.attribution``) and the outlet (``article.source``).

A date, a year, a clock time, a street or list number never reaches here (the number reader leaves them out);
an age, a duration and a rank are read as such and never compared as a count (:func:`comparable`).

Every figure is read from bounded windows next to it, so the work is linear in the figures however long the
sentence.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence

from factdesk.annotations.compare.quantities import Quantity, event_of, quantities_in
from factdesk.annotations.model import (
    ArticleAnalysis,
    ClaimRef,
    CorpusAnalysis,
    Entity,
    FigureRecord,
    NumberMention,
    Sentence,
)
from factdesk.annotations.text.claims import attribution
from factdesk.annotations.text.units import dimension, normalise_unit

MAX_FIGURES_PER_CLAIM = 60
"""More numbers than this in one claim is a table, a listing or garbage, not a statement outlets compare: its
figures get no records (they stay highlighted), so one pathological line cannot flood the board or the brief."""
_WINDOW = 90  # characters read on each side of a figure for its measure, scope and time
_NEAR_NAME = 200  # the longest name or time phrase looked for next to a figure
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_CLAUSE = re.compile(r"[;:()—–•\n]|,\s+(?:and|but|while|whereas|which|who)\b|\.\s")

# --- measures ------------------------------------------------------------------------------------------------

# Counted nouns (as the number reader normalises them) that name people, the dead, and built structures.
# Counted nouns (as the number reader normalises them) for people in general; a named group ("children",
# "soldiers", "passengers") is a part of them and a measure of its own ("children killed").
_PEOPLE = frozenset(
    """people persons individuals residents inhabitants victims bodies fatalities lives deaths casualties dead
    customers households""".split()
)
_GROUPS = frozenset(
    """civilians refugees passengers children adults men women migrants workers patients survivors tourists
    visitors pilgrims students soldiers troops police officers firefighters fighters prisoners detainees
    journalists""".split()
)
_DEAD = frozenset({"deaths", "fatalities", "lives", "dead", "victims", "bodies"})
_BUILDINGS = frozenset({"structures", "buildings", "homes", "houses", "dwellings", "properties", "businesses"})
_SEATS = frozenset({"seats", "mps", "constituencies", "councillors", "lawmakers", "deputies", "members"})
_VOTES = frozenset({"votes", "ballots"})
# Words in the clause that say what a figure counts when the noun does not (lower case, by prefix).
_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("without power", ("without power", "power outage", "outages", "lost power", "in the dark")),
    ("rescued", ("rescu",)),
    ("identified", ("identif",)),
    ("discharged", ("discharg",)),
    ("buried", ("buried", "burial")),
    ("in hospital", ("hospitali", "being treated", "still being treated", "getting treated", "in hospital")),
    ("homeless", ("homeless", "lost their homes", "left without homes")),
    ("in shelters", ("shelter",)),
    ("unaccounted for", ("unaccounted",)),
    ("destroyed", ("destroy", "razed", "burned", "burnt", "flattened", "levelled", "leveled")),
    ("damaged", ("damag",)),
)
_POPULATION = re.compile(
    r"\b(?:population|inhabitants|home to|houses|housed|residents live|a (?:city|town|community) of)\b", re.I
)
_MONEY_NOUNS: tuple[tuple[str, str], ...] = (
    ("insured loss", "insured losses"),
    ("insured", "insured losses"),
    ("economic loss", "economic losses"),
    ("damage", "damage"),
    ("loss", "losses"),
    ("cost", "cost"),
    ("aid", "aid"),
    ("fund", "funding"),
    ("budget", "budget"),
    ("revenue", "revenue"),
    ("profit", "profit"),
    ("reward", "reward"),
    ("fine", "fine"),
    ("price", "price"),
    ("salar", "salary"),
    ("compensat", "compensation"),
    ("relief", "relief"),
    ("invest", "investment"),
)
_DEPTH = re.compile(r"\b(?:depth|deep)\b", re.I)
_SPEED_WINDS = re.compile(r"\b(?:winds?|gusts?)\b", re.I)
_TURNOUT = re.compile(r"\bturnout\b", re.I)
_VOTE_SHARE = re.compile(r"\b(?:votes?|vote share|share of the vote|popular vote|polled)\b", re.I)
_SEAT_SHARE = re.compile(r"\bseats\b", re.I)
_SEAT_CHANGE = (
    ("seats lost", re.compile(r"\b(?:lost|los(?:s|ing|es)|down)\b", re.I)),
    ("seats gained", re.compile(r"\b(?:gain\w*|pick(?:ed)? up|additional|jump|up from)\b", re.I)),
    ("majority", re.compile(r"\bmajority\b", re.I)),
)
_NOT_YET = re.compile(r"\b(?:yet to be|not yet|not been|still to be)\b")
_OTHER = re.compile(r"\s*\bother\b", re.I)
_MODIFIER = re.compile(r"-[A-Za-z]")
_SEATS_AFTER = re.compile(r"\s*(?:[A-Za-z]+\s+){0,2}seats?\b", re.I)
_TOLL = re.compile(
    r"\b(?:death toll|toll|number of (?:the )?(?:dead|deaths|victims|fatalities|casualties|people killed))\b", re.I
)
# "the number", "that figure": a figure for the measure the article was just giving.
_ANAPHORA = re.compile(r"\b(?:the|that|this|its|their) (?:number|figure|tally|count|total)\b", re.I)
_MODAL = re.compile(
    r"\b(?:could|may|might|would|will|expected|expects?|forecast\w*|predict\w*|project\w*|likely|feared|fears?|"
    r"estimates? (?:that|could)|threaten\w*)\b",
    re.I,
)
_TOLL_WINS = frozenset({"", "killed", "freed", "detained", "protesting"})
_HUMAN_ONLY = frozenset({"killed", "injured", "missing", "displaced", "detained", "freed", "protesting"})
_BODY_CUES = frozenset({"identified", "buried"})
_PEOPLE_CUES = frozenset({"rescued", "identified", "discharged", "buried", "in hospital", "homeless", "in shelters"})
# "55 children poisoned", "2,000 people were arrested": the verb after a counted group, when no cue names it.
_VERB_AFTER = re.compile(
    r"\s+(?:(?:were|was|have|has|had|are|is|been|being|still|also|now|reportedly|later|reported|confirmed|"
    r"believed|thought|feared|estimated|said|to|be)\s+)*(?!(?:reported|confirmed|estimated|expected|said|listed|"
    r"recorded|registered|counted|believed|thought|feared)\b)([a-z]+ed)\b"
)
_AGE = re.compile(r"[-\s]years?[-\s]old\b|\baged?\b", re.I)
# Measures that are never compared as counts: an age, a duration, a rank, an unknown count.
_NEVER = frozenset({"", "age", "duration", "rank"})
_DIMENSION_MEASURES = {
    "length": "distance",
    "area": "area",
    "mass": "weight",
    "volume": "volume",
    "speed": "speed",
    "temperature": "temperature",
    "percent": "share",
    "percentage points": "percentage points",
}

# --- scopes --------------------------------------------------------------------------------------------------

_PLACE_LEAD = re.compile(
    r"(?:\b(?:in|across|throughout|at|inside|within|from|for|of|near|off|into|over|on)\s+(?:the\s+)?(?:(?:city|state|county|town|"
    r"province|region|district|village|country) of\s+)?)$",
    re.I,
)
_ROLE = re.compile(
    r"\s+(?:officials?|authorit\w+|police|government|sheriff|governor|mayor|health|emergency|medical|"
    r"interior|ministry|minister|department|county|state)\b",
    re.I,
)
_POSSESSIVE = re.compile(r"['’]s?\s")
_PLACE_REACH = 40  # the most characters between a figure and the place after it that scopes it
_FROM_PLACE = re.compile(r"(?i:of|from|within)\b")
_OUTSIDE = re.compile(r"\b(?:outside|beyond|elsewhere)\b", re.I)
_WHOLE = re.compile(
    r"\b(?:across|throughout|in)\s+the\s+(?:state|country|nation|region|island|kingdom)\b|\b(?:statewide|"
    r"nationwide|countrywide)\b",
    re.I,
)
_PART = re.compile(r"^\s*(?:of\s+(?:these|those|them|which|whom|the|its|their)\b|out of\b)", re.I)
_PART_BEFORE = re.compile(r"\b(?:out of|of)\s+[\d,]+\s*,?\s*$|\b(?:of these|of those|of them|including)\s*,?\s*$", re.I)
_ADMIN = re.compile(
    r"\s+(?:county|counties|province|state|district|region|governorate|municipality|city|prefecture|parish)$"
)
_ARTICLE = re.compile(r"^(?:the)\s+")
_SCOPE_LABELS = frozenset({"LOC"})
_PARTY_LABELS = frozenset({"ORG", "NORP", "PERSON"})
_PARTY_MEASURES = frozenset({"seats", "votes", "vote share", "seats lost", "seats gained", "majority", "seat share"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# --- times ---------------------------------------------------------------------------------------------------

_DATE_LEAD = re.compile(
    r"(?:\b(?:since|on|in|by|until|till|from|during|over|before|after|as of|as at|through|within)\s+)$", re.I
)
_DURATION_LEAD = re.compile(
    r"(?:\b(?:in|within|over|during|for|after|past|last|the past)\s+(?:just\s+|only\s+)?)$", re.I
)
_TIME_WORDS = re.compile(
    r"\b(?:previously|initially|originally|earlier|at first|so far|to date|later|overnight|"
    r"yesterday|today|tonight|this morning|last night)\b",
    re.I,
)

# --- bounds --------------------------------------------------------------------------------------------------

_BOUNDS: dict[str, str] = {
    **dict.fromkeys(("", "exactly", "precisely", "just", "only", "within"), "exact"),
    **dict.fromkeys(
        ("at least", "no fewer than", "no less than", "as few as", "as little as", "as low as"), "at least"
    ),
    **dict.fromkeys(
        ("over", "more than", "above", "upwards of", "in excess of", "greater than", "well over", "just over"),
        "more than",
    ),
    **dict.fromkeys(
        ("up to", "as many as", "as much as", "as high as", "at most", "no more than", "not more than"), "at most"
    ),
    **dict.fromkeys(("less than", "fewer than", "under", "below", "well under"), "less than"),
    **dict.fromkeys(("nearly", "almost", "just under", "close to", "approaching", "barely", "not quite"), "nearly"),
}
ROUNDING_SHARE = 0.03  # a round figure ("11,000") allows this share of its value either way, at most


def bound_of(quantity: Quantity) -> str:
    """How the wording bounds the figure: "exact", "about", "at least", "more than", "at most", "less than",
    "nearly" or "range"."""
    mention = quantity.mention
    if isinstance(mention.value, tuple) and mention.value[0] != mention.value[1]:
        return "range"
    return _BOUNDS.get((mention.qualifier or "").casefold().strip(), "about")


def rounding(record: FigureRecord) -> tuple[int, float]:
    """(the place a figure is rounded to, how far it may be from the count it rounds), for an exact whole figure.

    Why: "risen to 11,000" and "11,300" are one Red Crescent figure, "a further 10,000" is 10,100 rounded — a
    rounder figure may stand for a more precise one within half its last rounded place, at most 3 %. Two
    figures rounded alike ("300,000" and "310,000") are compared as they stand (see ``conflicts.apart``).
    """
    value = record.low
    if record.bound != "exact" or value != record.high or not math.isfinite(value) or value <= 0:
        return 1, 0.0
    if value != int(value):
        return 0, 0.0
    number, place = int(value), 1
    while number % 10 == 0 and number >= 10:
        number //= 10
        place *= 10
    return place, (0.0 if place == 1 else min(place / 2.0, ROUNDING_SHARE * value))


# --- reading one figure ----------------------------------------------------------------------------------------


def _clause_window(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the figure's clause before and after it (bounded windows, cut at clause punctuation)."""
    before = text[max(0, start - _WINDOW) : start]
    breaks = list(_CLAUSE.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    after = text[end : end + _WINDOW]
    stop = _CLAUSE.search(after)
    if stop:
        after = after[: stop.start()]
    return before, after


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def measure_of(quantity: Quantity, before: str, after: str, unit_text: str) -> str:
    """What the figure counts, in a general vocabulary ("people killed", "seats", "wind speed", "turnout" …).

    The quantity's key (counted noun + the event cue next to it) first, then the clause's words: a toll before
    the figure ("the death toll has risen to 11,300"), a state after it ("without power", "rescued"), a verb
    after the counted noun ("55 children poisoned").
    """
    mention = quantity.mention
    unit = normalise_unit(mention.unit)
    dim = dimension(unit)
    head, tail = before[-45:].casefold(), after[:45].casefold()
    own = unit_text.casefold()
    near = f"{head} {own} {tail}"
    if unit == "rank":
        return "rank"
    if dim == "time":
        return "age" if _AGE.search(unit_text) or _AGE.search(after[:12]) else "duration"
    if unit == "magnitude":
        return "magnitude"
    if dim is not None and dim.startswith("money"):
        wide = f"{before[-70:]} {after[:70]}".casefold()
        for money_cue, noun in _MONEY_NOUNS:
            if money_cue in wide:
                return noun
        return "money"
    if dim == "speed":
        return "wind speed" if _SPEED_WINDS.search(near) else "speed"
    if dim == "percent":
        if _TURNOUT.search(near):
            return "turnout"
        if _VOTE_SHARE.search(near):
            return "vote share"
        if _SEAT_SHARE.search(near):
            return "seat share"
        return "share"
    if dim == "length" and _DEPTH.search(near):
        return "depth"
    if dim is not None:
        return _DIMENSION_MEASURES.get(dim, dim)
    key = quantity.key.replace(" (projected)", "")
    noun, _, event = key.partition(" ")
    if _MODIFIER.match(after):
        return ""  # "the three-train crash", "a four-day search": a number inside a modifier counts nothing
    # The event right next to the figure wins over one further on ("killed 275 people and injured hundreds").
    near_before, near_after = _words(before)[-2:], _words(after)[:4]
    beside = [event_of(w) for w in [*near_before[-1:], *near_after, *near_before[:-1]]]
    event = next((e for e in beside if e), None) or ("" if _TOLL.search(before[-70:]) else event)
    if noun in _SEATS or (not noun and _SEATS_AFTER.match(after)):
        for name, pattern in _SEAT_CHANGE:
            if pattern.search(before[-40:]) or pattern.search(after[:25]):
                return name
        return "seats"
    if noun in _VOTES:
        return "majority" if "majority" in near else "votes"
    if not noun and "majority" in head[-25:]:
        return "majority"
    group = noun in _GROUPS
    people = noun in _PEOPLE or noun == "people"
    if (not noun or people) and event in _TOLL_WINS and _TOLL.search(before):
        return "people killed"  # "the death toll has soared to 11,300", "the toll ... reached 21 people"
    cue = _cue(tail) or _cue(head[-30:])
    if cue and _NOT_YET.search(tail[:25]):
        cue = f"not {cue}"  # "187 bodies yet to be identified"
    if noun == "bodies":
        return f"bodies {cue}" if cue in _BODY_CUES else "bodies"
    if noun in _BUILDINGS:
        if cue in {"destroyed", "damaged"}:
            both = "destroy" in near and "damag" in near
            return "buildings damaged or destroyed" if both else f"buildings {cue}"
        if cue == "without power":
            return "customers without power"
        return f"{noun} {event}" if event and event not in _HUMAN_ONLY else noun
    if noun in {"customers", "households", "outages"} or (people and cue == "without power"):
        return "customers without power" if cue == "without power" or noun == "outages" else noun
    if group:
        if not event:
            verb = _VERB_AFTER.match(after)
            event = verb.group(1).casefold() if verb else ""
        return f"{noun} {event}" if event else noun
    if people:
        if noun in _DEAD and not event:
            event = "killed"
        if cue in _PEOPLE_CUES and (not event or (event == "killed" and cue in _BODY_CUES)):
            return f"people {cue}"
        if cue == "unaccounted for" and not event:
            event = "missing"
        if not event and (_POPULATION.search(head) or _POPULATION.search(own)):
            return "population"
        if not event:
            verb = _VERB_AFTER.match(after)
            event = verb.group(1).casefold() if verb else ""
        if event == "killed or injured":
            return "casualties"
        return f"people {event}" if event else ""
    if not noun:
        return "population" if _POPULATION.search(head) else ""
    if event:
        return noun if event in _HUMAN_ONLY else f"{noun} {event}"
    if cue in {"destroyed", "damaged"}:
        return f"{noun} {cue}"
    return noun


def _cue(text: str) -> str | None:
    """The state or event word nearest the start of ``text`` ("without power", "rescued" …)."""
    best: tuple[int, str] | None = None
    for name, prefixes in _CUES:
        for prefix in prefixes:
            at = text.find(prefix)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, name)
    return best[1] if best else None


def comparable(measure: str) -> bool:
    """A measure two outlets can disagree on: a known event or vocabulary measure, never an age, a duration, a
    rank, a bare noun whose event is unknown ("eight counties") or an unknown count."""
    if measure in _NEVER:
        return False
    base = measure.replace(" (projected)", "")
    head = base.split(" ", 1)[0]
    return " " in base or head in _KNOWN_SINGLE


_KNOWN_SINGLE = frozenset(
    """seats votes majority turnout share population magnitude distance depth area weight volume speed temperature
    money damage losses cost aid funding budget revenue profit reward fine price salary compensation relief
    investment casualties""".split()
)


def _scope_key(surface: str) -> str:
    """A scope as compared: case-folded, without "the", admin words ("County", "State") and a plural -s."""
    key = _ARTICLE.sub("", " ".join(surface.casefold().replace("’", "'").split()))
    key = key.removesuffix("'s").removesuffix("'")
    if " " in key:
        key = _ADMIN.sub("", key)
    if key.endswith("ies") and len(key) > 5:
        key = key[:-3] + "y"
    elif key.endswith("s") and not key.endswith("ss") and len(key) > 4:
        key = key[:-1]
    return key


def scope_key(scope: str) -> str:
    """The key two scopes meet on ("Charlotte County" and "Charlotte", "Conservatives" and "Conservative")."""
    year = ""
    if scope.endswith(")") and " (" in scope:
        scope, _, year = scope[:-1].rpartition(" (")
    elif scope.startswith("(") and scope.endswith(")"):
        return scope
    key = _scope_key(scope) if scope else ""
    return f"{key} ({year})" if year else key


def _scope(
    text: str, start: int, end: int, before: str, after: str, names: Sequence[Entity], base: int, measure: str
) -> str:
    """The place or group the figure is about, "" when the claim names none (the story as a whole)."""
    head = after[:40]
    if _PART.search(after) or _PART_BEFORE.search(before) or _OTHER.search(text[start:end]) or _OTHER.match(head):
        return "part"  # "66 of these", "out of 275, 88", "four other people": a part of a total
    if _OUTSIDE.search(head) or _OUTSIDE.search(before[-30:]):
        return "elsewhere"
    labels = _PARTY_LABELS | _SCOPE_LABELS if measure in _PARTY_MEASURES else _SCOPE_LABELS
    clause_start, clause_end = start - len(before), end + len(after)
    entities = [Entity(e.start - base, e.end - base, e.text, e.label) for e in names if e.label in labels]
    best: tuple[int, str] | None = None
    for entity in entities:
        if entity.end <= clause_start or entity.start >= clause_end:
            continue
        if start <= entity.start < end:
            continue  # a name inside the figure's own words ("Florida homes")
        if entity.start >= end:
            lead = text[end : entity.start]
            if entity.start - end > _PLACE_REACH and measure not in _PARTY_MEASURES:
                continue
            if entity.label in _SCOPE_LABELS and measure not in _PARTY_MEASURES:
                found = _PLACE_LEAD.search(lead)
                if not found or (measure == "distance" and not _FROM_PLACE.match(found.group(0))):
                    continue  # a place after the figure counts behind "in", "across" …; a distance's behind
                    # "of", "from": its reference point ("within 30 km of X")
            rank = entity.start - end
        else:
            if entity.label in _SCOPE_LABELS and measure not in _PARTY_MEASURES:
                lead = text[max(0, entity.start - 30) : entity.start]
                if measure == "distance" or not (
                    _PLACE_LEAD.search(lead) or _POSSESSIVE.match(text, entity.end) or _ROLE.match(text, entity.end)
                ):
                    continue  # a place before the figure scopes it as "In Florida, …", "Florida's …" or the
                    # jurisdiction of a speaker ("Lee County Sheriff … announced"), never as a modifier
                    # ("the UK-based Observatory")
            elif re.match(r"\s*(?:said|says|told|according)\b", text[entity.end : entity.end + 12]):
                continue  # the speaker, not the scope
            rank = start - entity.end + 20  # a name after the figure wins over one before it
        if best is None or rank < best[0]:
            best = (rank, entity.text)
    if best is None:
        inside = [e for e in entities if e.label in _SCOPE_LABELS and start <= e.start < end]
        if inside:
            best = (0, inside[0].text)  # "three confirmed Collier County deaths"
    if best is not None:
        return best[1].strip().removesuffix("’s").removesuffix("'s")
    if _WHOLE.search(head) or _WHOLE.search(before[-40:]):
        return ""
    return ""


def _time(text: str, start: int, end: int, before: str, after: str, frames: Sequence[tuple[int, int, str]]) -> str:
    """The time phrase nearest the figure in its sentence ("by Saturday afternoon", "in just a week").

    ``frames`` are the sentence's dates and durations with the words leading into them, as (start, end, phrase)
    offsets in the sentence.
    """
    best: tuple[int, str] | None = None
    for f_start, f_end, phrase in frames:
        if f_start < end and f_end > start:
            continue  # the figure itself ("within a week" as a figure is no time for itself)
        distance = f_start - end if f_start >= end else start - f_end
        if distance <= 2 * _WINDOW and (best is None or distance < best[0]):
            best = (distance, phrase)
    for match in _TIME_WORDS.finditer(before):
        distance = len(before) - match.end()
        if best is None or distance < best[0]:
            best = (distance, match.group(0).casefold())
    for match in _TIME_WORDS.finditer(after):
        if best is None or match.start() < best[0]:
            best = (match.start(), match.group(0).casefold())
    return best[1] if best else ""


def _frames(
    text: str, base: int, dates: Sequence[Entity], numbers: Sequence[NumberMention]
) -> list[tuple[int, int, str]]:
    """The sentence's dates, and its durations behind a lead word ("in just a week", "since late November")."""
    frames = []
    for date in dates:
        d_start = date.start - base
        lead = _DATE_LEAD.search(text[max(0, d_start - 12) : d_start])
        frames.append((d_start, date.end - base, " ".join(((lead.group(0) if lead else "") + date.text).split())))
    for number in numbers:
        if dimension(number.unit) != "time":
            continue
        n_start = number.start - base
        lead = _DURATION_LEAD.search(text[max(0, n_start - 20) : n_start])
        if lead:
            frames.append((n_start, number.end - base, " ".join((lead.group(0) + number.text).split())))
    return frames


_SOURCE_WORDS = re.compile(
    r"\b(?:officials?|authorit\w+|police|government|ministry|minister|agency|office|spokes\w+|president|governor|"
    r"mayor|sheriff|commissioner|department|service|army|military|observatory|statement|data|figures|report)\b",
    re.I,
)


def source_of(said: str) -> str:
    """An attribution as a short name ("the UN", "Florida officials"), "" for words that name no one.

    ``claims.attribution`` reads back from a reporting verb to the clause break, which in news copy may be a
    dateline ("MIAMI — Florida officials") or the figure itself ("10,100 people are reported"); a source is
    a name (a capital letter) or a source word, never a number.
    """
    said = " ".join(said.split())
    said = said.rsplit("—", 1)[-1].rsplit(" - ", 1)[-1].strip(" ,.")
    if not said or any(ch.isdigit() for ch in said):
        return ""
    words = said.split()
    if len(words) > 6:
        said = " ".join(words[-5:])
    if not (any(w[:1].isupper() for w in said.split()[1:] or said.split()) or _SOURCE_WORDS.search(said)):
        return ""
    return said


def _year_of(time: str) -> str | None:
    years = _YEAR.findall(time)
    return years[-1] if years else None


def records_in(
    analysis: ArticleAnalysis, sentence: Sentence, year: str | None = None, previous: FigureRecord | None = None
) -> list[FigureRecord]:
    """The figures of one claim.

    ``year`` is the story's year: a figure dated in another year is about another event and gets that year as
    its scope. ``previous`` is the figure "the number" refers to: the article's first figure with a measure (its
    lede's, the story's main count), so "had previously put the number at 5,500" after a toll of 11,300 and a
    count of the missing is another toll.
    """
    found = quantities_in(analysis, sentence, uncounted=True)
    if not found:
        return []
    article = analysis.article
    text = analysis.sentence_text(sentence)
    base = sentence.start
    entities = analysis.entities_in(sentence)
    dates = [e for e in entities if e.label == "DATE"]
    names = [e for e in entities if e.label != "DATE"]
    frames = sorted(_frames(text, base, dates, analysis.numbers_in(sentence)))
    frame_starts = [f[0] for f in frames]
    name_starts = [e.start - base for e in names]  # (entities come sorted by start)
    said = source_of(attribution(text, names, base) or "")
    ref = ClaimRef(article.id, sentence.index)
    records = []
    for quantity in found:
        mention = quantity.mention
        start, end = mention.start - base, mention.end - base
        before, after = _clause_window(text, start, end)
        measure = measure_of(quantity, before, after, mention.text)
        inherited = not measure and previous is not None and _ANAPHORA.search(before[-40:])
        if inherited and previous is not None:
            measure = previous.measure.replace(" (projected)", "")
        projected = quantity.key.endswith(" (projected)") or bool(_MODAL.search(before[-50:]))
        if measure and projected and comparable(measure):
            measure += " (projected)"
        # Only the names and time phrases near the figure are read (bisected), so a run-on sentence of thousands
        # of figures, names and dates costs linear time.
        reach = 2 * _WINDOW + _NEAR_NAME
        low, high = bisect_left(frame_starts, start - reach), bisect_right(frame_starts, end + reach)
        time = _time(text, start, end, before, after, frames[low:high])
        low, high = bisect_left(name_starts, start - reach), bisect_right(name_starts, end + reach)
        scope = _scope(text, start, end, before, after, names[low:high], base, measure.replace(" (projected)", ""))
        if inherited and previous is not None and not scope:
            scope = previous.scope
        figure_year = _year_of(time)
        if year and figure_year and figure_year != year:
            scope = f"{scope} ({figure_year})" if scope else f"({figure_year})"
        bound = bound_of(quantity)
        record = FigureRecord(
            ref=ref,
            number=mention,
            low=quantity.low,
            high=quantity.high,
            bound=bound,
            measure=measure,
            scope=scope,
            time=time or (article.date or ""),
            attribution=said,
            outlet=article.source,
        )
        records.append(record)
        if comparable(record.measure):
            previous = record
    return records


def story_year(analysis: CorpusAnalysis) -> str | None:
    """The year most of the corpus's articles are dated in, None when none is dated."""
    years = Counter(a.article.date[:4] for a in analysis.articles if a.article.date and _YEAR.match(a.article.date))
    return years.most_common(1)[0][0] if years else None


def figure_records(analysis: CorpusAnalysis) -> tuple[FigureRecord, ...]:
    """Every figure of every claim, in corpus order."""
    year = story_year(analysis)
    records: list[FigureRecord] = []
    for article in analysis.articles:
        if not article.numbers:
            continue
        date = article.article.date or ""
        own_year = date[:4] if _YEAR.match(date) else None
        first: FigureRecord | None = None  # the article's first figure with a measure: its lede's
        for sentence in article.sentences:
            numbers = len(article.numbers_in(sentence))
            if sentence.kind == "claim" and 0 < numbers <= MAX_FIGURES_PER_CLAIM:
                found = records_in(article, sentence, own_year or year, first)
                records.extend(found)
                first = first or next((r for r in found if comparable(r.measure)), None)
    return tuple(records)
