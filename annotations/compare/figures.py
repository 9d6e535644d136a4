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
  ("the 1928 hurricane that killed 2,500") and "part" for a part of a total ("27 of these were children", "five
  deaths that are not storm-related"); a breakdown by place counts what its total counts, for its place ("At
  least 73 died. 66 of these were in Florida, another 4 in North Carolina and at least 3 more in Cuba"), and the
  total it divides is that place's "and elsewhere" (:func:`_widen_wholes`); a flattened chart under year columns
  ("results 2019 2024 365 seats …") has the scope of either year; places joined by "and" are one scope
  ("across Volusia and Collier counties"), a place heading ("COLLIER COUNTY") scopes the figures under it, a
  party named once holds for the sentence's other party figures, and a bare figure listed after a measured one
  takes its measure ("eight people in Collier County, five in Volusia County", "… with another 4 in North
  Carolina and at least 3 more in Cuba"); "the party" is the last one named as a party ("Reform UK party"),
  and the "US" of "US$5.5 billion" is a currency's, no scope;
* the time: the time phrase nearest the figure ("by Saturday afternoon", "since late November", "previously"),
  else the article's date; a comparison date ("the worst since 1834"), the event's own date ("the crash on
  Friday", "Friday's quake", "in Cuba, where the storm hit last week") and a year after another figure ("down
  from 372 in 2019") are not the figure's, and the figure a count was revised from ("revised down from 288", "up
  from 12", "275 & not 288") was given "previously";
* "eight unconfirmed deaths" counts a measure of its own ("people killed (unconfirmed)"), no rival of the
  confirmed count;
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
from collections.abc import Iterable, Sequence
from dataclasses import replace

from factdesk.annotations.compare.quantities import Quantity, event_of, quantities_in
from factdesk.annotations.model import (
    Article,
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
_DEATH_NOUNS = frozenset({"deaths", "fatalities", "dead"})  # nouns that name their event, whatever cue is further on
_LIVES_LOST = re.compile(r"\s+(?:(?:were|have been|had been|was|has been)\s+)?lost\b")
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
_UNDECLARED = re.compile(
    r"\s*(?:(?:still|yet|left|remaining|outstanding)\b\s*)+(?:to\s+(?:be\s+)?(?:declared?|counted|count|called|"
    r"decided))?|\s*(?:to\s+be\s+(?:declared|counted|called|decided)|undeclared|uncounted)\b",
    re.I,
)
_PHRASE_END = re.compile(
    r"\b(?:on|as|at|after|before|while|when|and|but|since|by|from|with|to|during|following|amid)\b|[,;.]"
)
_DIGITS_BEFORE = re.compile(r"^.*\d")
_DIGITS_AFTER = re.compile(r"\d.*$")
# "44 dead, 70 injured": a figure and its one word right before this figure, a list of counts
_EVENT_OF = re.compile(r"\b([A-Za-z]+)\s+of\s+$")  # "the deaths of", "the injuries of": the event before "of"
_LISTED_BEFORE = re.compile(r"\d\s+[a-z]+\s*(?:,|,?\s+and)\s*$")
_NOT_YET = re.compile(r"\b(?:yet to be|not yet|not been|still to be)\b")
_OTHER = re.compile(r"\s*\bother\b", re.I)
_MODIFIER = re.compile(r"-[A-Za-z]")
_SEATS_AFTER = re.compile(r"\s*(?:[A-Za-z]+\s+){0,2}seats?\b", re.I)
_TOLL = re.compile(
    r"\b(?:death toll|toll|number of (?:the )?(?:dead|deaths|victims|fatalities|casualties|people killed))\b", re.I
)
# "the number", "that figure": a figure for the measure the article was just giving.
# A bare figure listed after a measured one, each with its place: "eight people in Collier County, five in Volusia".
# "five in Volusia County", "at least 3 more in Cuba": a list item's figure and its place
_LIST_PLACE = re.compile(r"\s+(?:more\s+|others?\s+)?(?:in|at|across|from)\s+(?:the\s+)?[A-Z]")
# between two list items: ", ", " and ", ", with another ", " and a further "
_LIST_GAP = re.compile(r"[^.;:\d]{0,60}?(?:,|\band\b)\s*(?:and\s+)?(?:with\s+)?(?:another\s+|a\s+further\s+)?")
# "66 of these were in Florida": a breakdown of the figure before, counting what it counts
_BREAKDOWN = re.compile(r"\s*of\s+(?:these|those|them|whom)\b", re.I)
_SECTION_PLACE = re.compile(
    r"(?:[A-Z][A-Za-z.'\-]*\s+){1,3}(?i:county|province|district|state|region|parish|governorate|prefecture|"
    r"municipality)"
)
_ITS_PLACE = re.compile(
    r"\b(?:the|that|this)\s+(?:county|state|city|town|province|district|region|island|country|village)['’]s\b", re.I
)
_THE_PARTY = re.compile(r"\b(?:the|this|that)\s+party\b", re.I)
_NAMED = re.compile(r"[A-Z][^()]*$")  # a name, not "part", "elsewhere" or a year
_LIST_ITEM = re.compile(r"\s*[•·▪‣◦*]\s+\S")
_ANAPHORA = re.compile(r"\b(?:(the|that|this|its|their) (?:number|figure|tally|count|total)|put (it))\b", re.I)
_MODAL = re.compile(
    r"\b(?:could|may|might|would|will|expected|expects?|forecast\w*|predict\w*|project\w*|likely|feared|fears?|"
    r"threaten\w*)\b",
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
# A bare "share" (a percentage of nothing named) is no more comparable than a bare count, and the seats still to
# declare change by the minute on election night.
_NEVER = frozenset({"", "age", "duration", "rank", "share", "seats undeclared"})
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
    r"(?:\b(?:in|across|throughout|at|inside|within|from|for|of|near|off|into|over|on)\s+(?:the\s+)?"
    r"(?:neighbou?ring\s+|nearby\s+|adjacent\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+|central\s+)?"
    r"(?:(?:city|state|county|town|province|region|district|village|country) of\s+)?"
    r"(?:(?:[a-z]+\s+)?(?:capital|city|town|port)\s*,?\s+)?)$",  # "west of the (Nepalese) capital, Kathmandu"
    re.I,
)
# "in neighbouring Rukum district": a named administrative area after the figure scopes it even when the name
# itself was not recognised as a place (the area word says what it is)
_AREA_AFTER = re.compile(
    r"\b(?:in|across|throughout|inside|within)\s+(?:the\s+)?(?:(?i:neighbou?ring|nearby|adjacent|adjoining)\s+)?"
    r"((?:[A-Z][\w.'\-]*\s+){1,3}(?i:county|province|district|region|parish|governorate|prefecture|municipality))\b"
)
_AREA_BEFORE = re.compile(
    r"^\s*(?i:in|across|throughout|inside|within)\s+(?:the\s+)?(?:(?i:neighbou?ring|nearby|adjacent|adjoining)\s+)?"
    r"((?:[A-Z][\w.'\-]*\s+){1,3}(?i:county|province|district|region|parish|governorate|prefecture|municipality))"
    r"\s*,\s*$"
)
# a sentence opening "In <place …>," sets the place of the figures after it that name none of their own
_SENTENCE_PLACE = re.compile(r"\s*In\s+(?!\d)[^,.;:]{2,80},")
_COMMA_BEFORE = re.compile(r"\s*,\s*")
_AWAY = re.compile(
    r"\s*(?:\([^()]{0,30}\)\s*)?(?:away\b|from\s+(?:the\s+)?(?:epicent|centre|center|scene|site|quake))", re.I
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
_PART_BEFORE = re.compile(
    r"\b(?:out of|of)\s+[\d,]+\s*,?\s*$|\b(?:of these|of those|of them|including|among (?:them|these|those|whom)|"
    r"of whom)\s*,?\s*$",
    re.I,
)
_NEXT_CLAUSE = re.compile(r"[,;]")
_JOIN = re.compile(r"(?:,?\s+and|\s*&|\s+or)\s+")
_COMMA = re.compile(r",\s+")
_RELATIVE = re.compile(r",\s+(?:who|which|that)")
# "five deaths that are not storm-related": a count set apart from the measure's total
_EXCLUDED = re.compile(r"\s*,?\s*(?:that|which|who)\s+(?:are|were|was|is|have|had)\s+(?:not|never)\b", re.I)
# "91 care homes evacuated 3,012 residents": the people of a counted group of places or bodies, a part
_COUNTED_SUBJECT = re.compile(
    r"\b\d[\d,]*\s+(?:[a-z\-]+\s+){0,3}(?!(?:minutes|hours|days|weeks|months|years|decades)\b)[a-z]+s\s+"
    r"(?:have\s+|had\s+|has\s+)?(?:evacuated|relocated|moved|housed|sheltered|treated|admitted|received|took\s+in)\s+"
    r"(?:(?:more|fewer|less)\s+than\s+|about\s+|some\s+|nearly\s+|over\s+)?$"
)
_STATE_MEASURES = frozenset(
    {"people identified", "bodies identified", "people discharged", "people buried", "people in hospital"}
)
_SHARES = frozenset({"share", "turnout", "vote share", "seat share"})
_SHARE_BASE = re.compile(r"\s*of\s+(?:the|its|their|all)\s+((?:[A-Za-z][a-z\-]*\s*){1,3})")
_FUNCTION_WORDS = frozenset(
    """had has have was were is are be been as in on at by for to from that which who and or but with of than
    its their the this these those so now then yet still already since after before until""".split()
)
_BASE_OF = re.compile(r"\s*of\s+(?:the|its|their)\b", re.I)
_ADMIN = re.compile(
    r"\s+(?:county|counties|province|state|district|region|governorate|municipality|city|prefecture|parish)$"
)
_ARTICLE = re.compile(r"^(?:the)\s+")
_SCOPE_LABELS = frozenset({"LOC"})
_PARTY_LABELS = frozenset({"ORG", "NORP", "PERSON"})
_PARTY_MEASURES = frozenset({"seats", "votes", "vote share", "seats lost", "seats gained", "majority", "seat share"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_EVENT_CLAUSE = re.compile(r",\s*(?:where|when)\b", re.I)  # a relative clause on a place's or an event's time
# "election results 2019 2024 365 seats CON 203 seats": years side by side head the columns of a flattened chart
_YEAR_COLUMNS = re.compile(r"\b(?:1[89]\d\d|20\d\d)(?:[ \t]*\|?[ \t]*(?:1[89]\d\d|20\d\d)\b)+")

# --- times ---------------------------------------------------------------------------------------------------

_DATE_LEAD = re.compile(
    r"(?:\b(?:since|on|in|by|until|till|from|during|over|before|after|as of|as at|through|within)\s+)$", re.I
)
_DURATION_LEAD = re.compile(
    r"(?:\b(?:in|within|over|during|for|after|past|last|the past)\s+(?:just\s+|only\s+)?)$", re.I
)
# A date the figure is compared with, not counted at: "since" with words between it and the date ("since the
# party was founded in 1912"), or right before it after a superlative ("the deadliest since 1928").
_BASELINE = re.compile(
    r"\bsince\s+(?:[^\s,;:.()]+\s+)+(?:in\s+|of\s+)?$|\b(?:worst|best|highest|lowest|largest|biggest|deadliest|"
    r"strongest|heaviest|most|fewest|least|first|last)\b[^,;:.()]{0,40}\bsince\s+$",
    re.I,
)
_SUPERLATIVE = re.compile(
    r"\b(?:worst|best|highest|lowest|largest|biggest|deadliest|strongest|heaviest|most|fewest|least|first)\b"
    r"[^,;:.()]{0,40}\bin\s+(?:(?:more|less|over|nearly|almost|about)\s+(?:than\s+)?)?$",
    re.I,
)
_EVENT = (
    r"(?:earthquake|quake|tremor|attack|crash|collision|derailment|accident|disaster|tragedy|storm|hurricane|"
    r"cyclone|typhoon|flood|floods|flooding|fire|wildfire|blaze|explosion|blast|bombing|shooting|collapse|"
    r"landslide|eruption|tsunami|massacre|incident|landfall)"
)
_EVENT_BEFORE = re.compile(rf"\b{_EVENT}\s+(?:(?:that|which)\s+(?:\w+\s+){{0,2}})?(?:on|of)\s+$", re.I)
_EVENT_AFTER = re.compile(rf"['’]s?\s+(?:[\w.\-]+\s+){{0,3}}?{_EVENT}\b", re.I)
_FROM_EARLIER = re.compile(
    r"\b(?:revised|revision|down|up|rose|risen|fell|fallen|dropped|increased|decreased|lowered|raised|corrected|"
    r"climbed|jumped)\b[^.;:]{0,40}\bfrom\s+(?:(?:a|an|the|its|their)\s+)?(?:[a-z]+\s+){0,2}$"
    r"|\bto\s+[\d,.]+\s+from\s+$|\d\s*(?:,\s*|(?:and|&)\s+)not\s+$",
    re.I,
)
_UNCONFIRMED = re.compile(r"\b(?:unconfirmed|unverified|unofficial)\b", re.I)
_WHEN = re.compile(r"\s*,?\s*when\b", re.I)
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
    # Words past another figure describe that figure ("Of the 1,175 injured taken to hospital, 793 have been
    # discharged": "discharged" is the 793's).
    head, tail = _DIGITS_BEFORE.sub("", before[-45:]).casefold(), after[:45].casefold().split("\n")[0]
    tail = _DIGITS_AFTER.sub("", tail)
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
        if _TURNOUT.search(near) or _TURNOUT.search(before[-70:]):
            return "turnout"
        if _VOTE_SHARE.search(near):
            return "vote share"
        if _SEAT_SHARE.search(near):
            return "seat share"
        return _share_of(after)
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
    if _LISTED_BEFORE.search(before):
        near_before = []  # "44 dead, 70 injured": the word before is the previous figure's, not this one's
    named = _EVENT_OF.search(before)  # "the death of 92 people and the injuries of 55 others"
    first = [named.group(1).casefold()] if named else near_before[-1:]
    beside = [event_of(w) for w in [*first, *near_after, *near_before[:-1]]]
    right_here = next((e for e in beside if e), None)
    event = right_here or ("" if _TOLL.search(before[-70:]) else event)
    if not right_here and (noun in _DEATH_NOUNS or (noun == "lives" and _LIVES_LOST.match(after))):
        event = "killed"  # "92 fatalities have been reported, along with 55 injuries": the noun says the event
    if noun in _SEATS or (not noun and _SEATS_AFTER.match(after)):
        if _UNDECLARED.match(after):
            return "seats undeclared"  # "with more than 150 seats still to declare": no party's seats
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
    verb_phrase = _PHRASE_END.split(tail[:25], 1)[0]  # "have been discharged", not "on Saturday as rescue teams"
    close = _cue(verb_phrase) if not _NOT_YET.search(verb_phrase) else None
    counts_people = not noun or (people and noun != "bodies")
    unaccounted = close == "unaccounted for" or (not noun and "unaccounted" in before.casefold())
    if counts_people and not event and unaccounted:
        return "people missing"  # "1,000 remained unaccounted for", "those unaccounted for … stands at 1,000"
    if counts_people and close in _PEOPLE_CUES and not any(map(event_of, near_after)):
        return _people(close)  # "410 have been discharged", "57 were still being treated": the state right after
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
            event = _verb_after(after, unit_text)
        return f"{noun} {event}" if event else noun
    if people:
        if noun in _DEAD and not event:
            event = "killed"
        if cue in _PEOPLE_CUES and (not event or (event == "killed" and cue in _BODY_CUES)):
            return _people(cue)
        if cue == "unaccounted for" and not event:
            event = "missing"
        if not event and (_POPULATION.search(head) or _POPULATION.search(own)):
            return "population"
        if not event:
            event = _verb_after(after, unit_text)
        if event == "killed or injured":
            return "casualties"
        return f"people {event}" if event else ""
    if not noun:
        if _POPULATION.search(head):
            return "population"
        return ""
    if event:
        return noun if event in _HUMAN_ONLY else f"{noun} {event}"
    if cue in {"destroyed", "damaged"}:
        return f"{noun} {cue}"
    return noun


def _people(state: str) -> str:
    """ "people rescued", "people in hospital" …; people left homeless are people displaced (news uses the two for
    one count: "30,000 left homeless" and "40,000 displaced" are two tallies of the same thing)."""
    return "people displaced" if state == "homeless" else f"people {state}"


def _verb_after(after: str, unit_text: str) -> str:
    """The event of a counted group from the verb after it ("55 children poisoned"), unless the figure's own words
    name one and the verb is no state ("1,175 injured people were referred to hospitals": injured)."""
    verb = _VERB_AFTER.match(after)
    said = verb.group(1).casefold() if verb else ""
    if said and (_cue(said) or event_of(said)):
        return event_of(said) or said
    own = next((e for e in map(event_of, _words(unit_text)) if e), "")
    return own or said


def _share_of(after: str) -> str:
    """ "share of area" for "85 percent of the disaster area searched": the noun a percentage is of, else a bare
    "share" (never compared: two unnamed percentages of one story always differ)."""
    found = _SHARE_BASE.match(after)
    if not found:
        return "share"
    head = ""
    for word in found.group(1).split():
        word = word.casefold()
        if head and (word.endswith("ed") or word in _FUNCTION_WORDS):
            break
        if word in _FUNCTION_WORDS:
            return "share"
        head = word
    if not head or head.endswith("ed"):
        return "share"
    return f"share of {head[:-1] if head.endswith('s') and not head.endswith('ss') else head}"


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
    base = measure.replace(" (projected)", "")
    if base in _NEVER:
        return False
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
    part = _PART.search(after)
    if part and (measure in _SHARES or measure.startswith("share of")) and _BASE_OF.match(part.group(0)):
        part = None  # "12.2 per cent of the vote": what a share is of, not a part of a total
    if part and measure in _STATE_MEASURES and _BASE_OF.match(part.group(0)):
        part = None  # "27 of the dead have been identified": the count of a state is of its base, the measure says so
    if (
        part
        or _PART_BEFORE.search(before)
        or _EXCLUDED.match(after)
        or _COUNTED_SUBJECT.search(before[-70:])
        or _OTHER.search(text[start:end])
        or _OTHER.match(head)
    ):
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
            if measure in _PARTY_MEASURES and entity.label not in _SCOPE_LABELS and _NEXT_CLAUSE.search(lead):
                continue  # "The SNP has five seats, Plaid Cymru is on four": a party after a comma is the next clause's
            if entity.label in _SCOPE_LABELS and measure not in _PARTY_MEASURES:
                found = _PLACE_LEAD.search(lead)
                if not found or (measure == "distance" and not _FROM_PLACE.match(found.group(0))):
                    continue  # a place after the figure counts behind "in", "across" …; a distance's behind
                    # "of", "from": its reference point ("within 30 km of X")
            rank = entity.start - end
        else:
            if entity.label in _SCOPE_LABELS and measure not in _PARTY_MEASURES:
                lead = text[max(0, entity.start - 30) : entity.start]
                if measure == "distance":
                    if not (_COMMA_BEFORE.fullmatch(text, entity.end, start) and _AWAY.match(text, end)):
                        continue  # "felt in New Delhi, 800 km (500 miles) away": the place the distance is to
                elif not (
                    _PLACE_LEAD.search(lead) or _POSSESSIVE.match(text, entity.end) or _ROLE.match(text, entity.end)
                ):
                    continue  # a place before the figure scopes it as "In Florida, …", "Florida's …" or the
                    # jurisdiction of a speaker ("Lee County Sheriff … announced"), never as a modifier
                    # ("the UK-based Observatory")
            elif re.match(r"\s*(?:said|says|told|according)\b", text[entity.end : entity.end + 12]):
                continue  # the speaker, not the scope
            rank = start - entity.end + 20  # a name after the figure wins over one before it
        if best is None or rank < best[0]:
            best = (rank, _joined(text, entity, entities))
    area = (
        None if measure in _PARTY_MEASURES or measure == "distance" else _AREA_AFTER.search(after[: _PLACE_REACH + 40])
    )
    if area and area.start() <= _PLACE_REACH and (best is None or area.start() < best[0]):
        best = (area.start(), area.group(1))
    opening = _AREA_BEFORE.search(before) if best is None and area is None and measure != "distance" else None
    if opening and measure not in _PARTY_MEASURES:
        best = (0, opening.group(1))  # "In the nearby Rukum district, 37 lives were lost"
    if best is None and measure not in _PARTY_MEASURES and measure != "distance":
        opener = _SENTENCE_PLACE.match(text)  # "In the hardest-hit areas like X district, which …, 92 fatalities"
        if opener and opener.end() <= start:
            inside = [e for e in entities if e.end <= opener.end() and e.label in _SCOPE_LABELS]
            if inside:
                best = (0, inside[-1].text)
    if best is None and measure in _PARTY_MEASURES:
        # "The Greens, who took 9.5 per cent of the vote": the party a relative clause hangs on
        for entity in entities:
            if entity.end <= clause_start and _RELATIVE.fullmatch(text, entity.end, clause_start):
                best = (0, entity.text)
    if best is None:
        own = _PARTY_LABELS | _SCOPE_LABELS if measure in _PARTY_MEASURES else _SCOPE_LABELS
        inside = [
            e
            for e in entities
            if e.label in own and start <= e.start and e.end < end and text[e.end : e.end + 1] not in _CURRENCY_SIGNS
        ]  # the "US" of "US$5.5 billion" names a currency, not a place
        if inside:
            best = (0, inside[0].text)  # "three confirmed Collier County deaths", "121 Conservative MPs"
    if best is not None:
        return best[1].strip().removesuffix("’s").removesuffix("'s")
    if _WHOLE.search(head) or _WHOLE.search(before[-40:]):
        return ""
    return ""


def _joined(text: str, entity: Entity, entities: Sequence[Entity]) -> str:
    """A place with the places joined to it ("Volusia and Collier counties", "Al-Bayda, Marj and Sousse"): a
    figure across several places is about all of them, a scope of its own, not the first one's. A comma alone
    joins no places ("Maui, Hawaii" is a town and its state) unless the list ends with "and" / "or"."""
    names = [entity.text]
    commas: list[int] = []  # how many names stood before each bare comma
    end = entity.end
    for other in entities:
        if other.start < end or other.label != entity.label:
            continue
        if _JOIN.fullmatch(text, end, other.start):
            names.append(other.text)
            end = other.end
        elif _COMMA.fullmatch(text, end, other.start):
            commas.append(len(names))
            names.append(other.text)
            end = other.end
        else:
            break
    if commas and commas[-1] == len(names) - 1:
        names = names[: commas[0]]  # a chain that never closes with "and": the first place and its region
    return " and ".join(names)


def _time(
    text: str,
    start: int,
    end: int,
    before: str,
    after: str,
    frames: Sequence[tuple[int, int, str, bool]],
    figures: Sequence[int] = (),
) -> str:
    """The time phrase nearest the figure in its sentence ("by Saturday afternoon", "in just a week").

    ``frames`` are the sentence's dates and durations with the words leading into them, as (start, end, phrase,
    baseline) with offsets in the sentence; a baseline date ("since 1834") is no time for the figures before it.
    ``figures`` are the starts of the sentence's figures: a year after another figure is that figure's.
    """
    best: tuple[int, str] | None = None
    for f_start, f_end, phrase, baseline in frames:
        if baseline and (f_start >= end or not _WHEN.match(text, f_end, start)):
            continue  # a comparison date is the time only of a figure it introduces ("since 2001, when … 59.4%")
        if f_start < end and f_end > start:
            continue  # the figure itself ("within a week" as a figure is no time for itself)
        if f_start >= end and _YEAR.search(phrase) and bisect_left(figures, f_start) > bisect_right(figures, end - 1):
            continue  # "lost 250 seats, down from 372 in 2019": a year after another figure is that figure's
        if f_start >= end and _EVENT_CLAUSE.search(text, end, f_start):
            continue  # "3 more in Cuba, where the storm hit last week": the time of the place's event, not the count's
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
) -> list[tuple[int, int, str, bool]]:
    """The sentence's dates, and its durations behind a lead word ("in just a week", "since late November")."""
    frames = []
    for date in dates:
        d_start = date.start - base
        # "the worst result since 1834", "since the party was founded in 1912": a comparison, the time only of a
        # figure it introduces with "when" ("since 2001, when it was 59.4%")
        baseline = bool(_BASELINE.search(text[max(0, d_start - 60) : d_start]))
        # "the quake on September 8", "Friday's crash": when the event happened, not when its figure was counted
        baseline = baseline or (
            not _YEAR.search(date.text)  # "the 1928 hurricane" is another event, its year the figure's scope
            and bool(
                _EVENT_BEFORE.search(text, max(0, d_start - 40), d_start) or _EVENT_AFTER.match(text, date.end - base)
            )
        )
        lead = _DATE_LEAD.search(text[max(0, d_start - 12) : d_start])
        phrase = " ".join(((lead.group(0) if lead else "") + date.text).split())
        frames.append((d_start, date.end - base, phrase, baseline))
    for number in numbers:
        if dimension(number.unit) != "time":
            continue
        n_start = number.start - base
        lead = _DURATION_LEAD.search(text[max(0, n_start - 20) : n_start])
        if lead:
            # "the deadliest in more than 100 years": a span the figure is compared over, not when it was counted
            baseline = bool(_SUPERLATIVE.search(text[max(0, n_start - 60) : n_start]))
            frames.append((n_start, number.end - base, " ".join((lead.group(0) + number.text).split()), baseline))
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
    analysis: ArticleAnalysis,
    sentence: Sentence,
    year: str | None = None,
    previous: FigureRecord | None = None,
    recent: FigureRecord | None = None,
    named_party: str = "",
) -> list[FigureRecord]:
    """The figures of one claim.

    ``year`` is the story's year: a figure dated in another year is about another event and gets that year as
    its scope. ``previous`` is the figure "the number" refers to: the article's first figure with a measure (its
    lede's, the story's main count), so "had previously put the number at 5,500" after a toll of 11,300 and a
    count of the missing is another toll. ``recent`` is the figure "that number" / "this figure" points back to:
    the article's last figure with a measure ("about 6,000 people died. But the Red Crescent put that number
    higher, at 11,300" is another toll). ``named_party`` is the party of the article's last party figure, which
    "the party" names in a later sentence.
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
    figure_starts = sorted(q.mention.start - base for q in found)
    party = ""  # the party of the sentence's last party figure ("seats", "vote share" …)
    last_here: FigureRecord | None = None  # the sentence's last figure with a measure
    header = _YEAR_COLUMNS.search(text)
    years = list(dict.fromkeys(_YEAR.findall(header.group(0)))) if header else []
    columns = " or ".join(years) if len(years) > 1 else ""
    records = []
    for quantity in found:
        mention = quantity.mention
        start, end = mention.start - base, mention.end - base
        before, after = _clause_window(text, start, end)
        measure = measure_of(quantity, before, after, mention.text)
        listed = (
            not measure
            and last_here is not None
            and bool(_LIST_PLACE.match(text, end))
            and bool(_LIST_GAP.fullmatch(text, last_here.number.end - base, start))
        )
        if listed and last_here is not None:
            measure = last_here.measure  # "eight people in Collier County, five in Volusia County": the list's measure
        antecedent = last_here or recent
        breakdown = _BREAKDOWN.match(after) if not measure and antecedent is not None else None
        if breakdown and antecedent is not None:
            measure = antecedent.measure.replace(" (projected)", "")  # "At least 73 died. 66 of these were …"
        pointer = _ANAPHORA.search(before[-40:]) if not measure else None
        if pointer and (pointer.group(1) or pointer.group(2)).casefold() in {"that", "this", "it"} and recent:
            previous = recent
        inherited = pointer is not None and previous is not None
        if inherited and previous is not None:
            measure = previous.measure.replace(" (projected)", "")
        projected = quantity.key.endswith(" (projected)") or bool(_MODAL.search(before[-50:]))
        if measure and projected and comparable(measure):
            measure += " (projected)"
        elif measure and comparable(measure) and _UNCONFIRMED.search(mention.text + " " + before[-20:]):
            measure += " (unconfirmed)"  # "eight unconfirmed deaths" is no count of the confirmed ones
        # Only the names and time phrases near the figure are read (bisected), so a run-on sentence of thousands
        # of figures, names and dates costs linear time.
        reach = 2 * _WINDOW + _NEAR_NAME
        low, high = bisect_left(frame_starts, start - reach), bisect_right(frame_starts, end + reach)
        time = _time(text, start, end, before, after, frames[low:high], figure_starts)
        if not _YEAR.search(time) and _FROM_EARLIER.search(before[-60:]):
            time = "previously"  # "revised down from 288", "to 275 from 288", "275 and not 288": the figure before
        low, high = bisect_left(name_starts, start - reach), bisect_right(name_starts, end + reach)
        scope = _scope(text, start, end, before, after, names[low:high], base, measure.replace(" (projected)", ""))
        if breakdown:
            # "66 of these were in Florida": the part of the total that one place counts, a figure of that place
            placed = _scope(text, start, end, before, after[breakdown.end() :], names[low:high], base, measure)
            scope = placed if placed and placed != "elsewhere" else scope
        if inherited and previous is not None and not scope:
            scope = previous.scope
        if not scope and last_here is not None and last_here.scope and _ITS_PLACE.search(before[-60:]):
            scope = last_here.scope  # "54 died in Lee County, up from the county's previous toll of 42"
        base_measure = measure.replace(" (projected)", "")
        if base_measure in _PARTY_MEASURES:
            if not scope and party:
                scope = party  # "Labour won 412 seats, representing a 33.7% vote share": one party's figures
            elif not scope and named_party and _THE_PARTY.search(before):
                scope = named_party  # "Reform won five seats. … the party ended up on 14.3 per cent of the vote"
            party = scope if scope and scope not in {"part", "elsewhere"} else party
        figure_year = _year_of(time)
        if columns:
            # a chart's figures belong to one of its year columns, which the flattened text no longer says
            scope = f"{scope} ({columns})" if scope else f"({columns})"
        elif year and figure_year and figure_year != year:
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
            previous = recent = last_here = record
    return records


def story_year(analysis: CorpusAnalysis) -> str | None:
    """The year most of the corpus's articles are dated in, None when none is dated."""
    return dated_year(a.article for a in analysis.articles)


def dated_year(articles: Iterable[Article]) -> str | None:
    """:func:`story_year` from the articles alone (what the per-article figure records depend on)."""
    years = Counter(a.date[:4] for a in articles if a.date and _YEAR.match(a.date))
    return years.most_common(1)[0][0] if years else None


def own_year(article: Article) -> str | None:
    """The year the article is dated in; when it has none, its figures are read in :func:`story_year`."""
    date = article.date or ""
    return date[:4] if _YEAR.match(date) else None


def _states(article: ArticleAnalysis, sentence: Sentence) -> bool:
    """A claim, or a bulleted list item ("• Four deaths in Volusia, according to the commission"), which the
    segmenter takes for a heading but states a figure as a claim does."""
    if sentence.kind == "claim":
        return True
    return sentence.kind == "heading" and bool(_LIST_ITEM.match(article.article.text, sentence.start))


def _section_place(article: ArticleAnalysis, sentence: Sentence) -> str:
    """The place a heading consists of ("COLLIER COUNTY", "Lee County"), title-cased, else ""."""
    shown = " ".join(article.sentence_text(sentence).split()).strip(" #:*")
    if not shown or len(shown) > 50:
        return ""
    if _SECTION_PLACE.fullmatch(shown) or any(
        e.label == "LOC" and e.text.casefold() == shown.casefold() for e in article.entities_in(sentence)
    ):
        return shown.title() if shown.isupper() else shown
    return ""


_CURRENCY_SIGNS = frozenset("$€£¥₹")
_PARTY_AFTER = re.compile(r"\s+party\b", re.I)


def _party_named(article: ArticleAnalysis, sentence: Sentence) -> str:
    """The last party a sentence names as one ("Nigel Farage's Reform UK party", "the Green Party"), else "":
    "the party" in a later sentence is that one ("Yet the party ended up with only five seats")."""
    text = article.article.text
    named = ""
    for entity in article.entities_in(sentence):
        if entity.label in {"ORG", "NORP"} and (
            entity.text.endswith(" Party") or _PARTY_AFTER.match(text, entity.end, entity.end + 8)
        ):
            named = entity.text.removesuffix("’s").removesuffix("'s")
    return named


BEYOND = " and elsewhere"  # the scope of a total broken down by place: the place named and others


def _widen_wholes(text: str, records: list[FigureRecord], found: list[FigureRecord], last: FigureRecord | None) -> None:
    """The total a breakdown by place divides ("At least 73 died. 66 of these were in Florida, another 4 in North
    Carolina") counts beyond its first part's place: its scope becomes "Florida and elsewhere", which conflicts
    read as the story's total when that place is a part of the story, and as more than the story when it is the
    story's own place (see ``conflicts.group_key``). Edits ``records`` (earlier sentences) or ``found`` in place."""
    for position, record in enumerate(found):
        if record.scope in {"", "part", "elsewhere"} or not _BREAKDOWN.match(text, record.number.end):
            continue
        earlier = [r for r in found[:position] if comparable(r.measure)]
        whole = earlier[-1] if earlier else last
        if whole is None or whole.scope or whole.measure.replace(" (projected)", "") != record.measure:
            return
        widened = replace(whole, scope=record.scope + BEYOND)
        for pool in (found, records):
            for at in range(len(pool) - 1, -1, -1):
                if pool[at] is whole:
                    pool[at] = widened
                    return
        return


def figure_records(analysis: CorpusAnalysis) -> tuple[FigureRecord, ...]:
    """Every figure of every claim, in corpus order."""
    year = story_year(analysis)
    return tuple(record for article in analysis.articles for record in article_figures(article, year))


def article_figures(article: ArticleAnalysis, year: str | None) -> tuple[FigureRecord, ...]:
    """The figures of one article's claims; ``year`` is the story's (:func:`story_year`), read only when the
    article has no date of its own (:func:`own_year`).

    Why one article at a time: nothing else of the corpus is read, so the per-article cache keeps them.
    """
    if not article.numbers:
        return ()
    records: list[FigureRecord] = []
    year = own_year(article.article) or year
    first: FigureRecord | None = None  # the article's first figure with a measure: its lede's
    last: FigureRecord | None = None  # and its latest
    party = ""  # the party its last party figure ("seats", "vote share" …) is about, for "the party"
    section = ""  # the place a section heading names ("COLLIER COUNTY"), the scope of the figures under it
    for sentence in article.sentences:
        if sentence.kind == "heading" and not _LIST_ITEM.match(article.article.text, sentence.start):
            section = _section_place(article, sentence)
        party = _party_named(article, sentence) or party
        numbers = len(article.numbers_in(sentence))
        if _states(article, sentence) and 0 < numbers <= MAX_FIGURES_PER_CLAIM:
            found = records_in(article, sentence, year, first, last, party)
            if section:
                found = [
                    replace(r, scope=section) if not r.scope and r.measure and r.measure != "distance" else r
                    for r in found
                ]
            _widen_wholes(article.article.text, records, found, last)
            records.extend(found)
            for record in found:
                if record.measure.replace(" (projected)", "") in _PARTY_MEASURES and _NAMED.match(record.scope):
                    party = record.scope
            first = first or next((r for r in found if comparable(r.measure)), None)
            last = next((r for r in reversed(found) if comparable(r.measure)), last)
    return tuple(records)
