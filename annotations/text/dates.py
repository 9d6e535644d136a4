"""Find DATE expressions in English news text: calendar dates, weekdays, relative dates, years.

Why a module of its own: a reviewer checks *when* as often as *how many*, and the
number finder must know where dates are so that "December 9" or "2011" is never
reported as a quantity. Rules are regular expressions compiled at import, one per
family; a single shared scan finds the few word starts where any family can match
(``factdesk.annotations.text._wordstarts``) and each family is tried only there, so an article
costs one pass instead of six (0.33 → 0.07 s CPU on the 200-article bench corpus).

What counts as a DATE (spans exclude the leading preposition: "on Saturday" gives
"Saturday", "since late November" gives "late November"):

* calendar: "December 9", "9 December 2024", "Dec. 5, 2024", "December 2024",
  "late November", "mid-December", a bare month name (except "May"/"March", which
  need a preposition before them: "in May"), "2024-12-09", "12/09/2024";
* weekdays: "Saturday", "last Saturday", "Saturday night", "Saturday, December 7";
* relative: "last week", "the coming week", "the past two weeks", "recent weeks",
  "a week ago", "a week prior", "three days earlier", "earlier this month",
  "yesterday", "today", "the weekend";
* years: "the 1990s", "mid-2024", "2011-2024", and a bare 1800–2100 year unless its
  context says it is a count ("over 2000 people", "2000 km", "$2000"). A plural noun
  after it means a count unless a date preposition comes before ("in 2000 attacks"
  stays a date), so "the 1967 borders" is (wrongly) read as a count;
* clock times ("10 a.m.", "14:30 GMT", "midnight"): the label set has no TIME, and a
  clock reading is a point in time, never a quantity to check.

Durations with a numeral ("24 hours", "five to ten days", "within a week") are not
dates: they are numbers with a time unit, found by ``factdesk.annotations.text.numbers``.
"""

from __future__ import annotations

import re

from factdesk.annotations.model import Entity
from factdesk.annotations.text._wordstarts import WordStartScanner, caseless, heads

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_PART = r"(?i:(?:early|late|mid)[\s-]+|mid-|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+)"
_NUMWORD_LIST = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_NUMWORD = rf"(?:{_NUMWORD_LIST})(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
_COUNT = rf"(?:a|an|a\s+few|few|several|a\s+couple\s+of|couple\s+of|{_NUMWORD}|\d+(?:\.\d+)?)"
_TIME_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnight|months?|years?|decades?|century|centuries)"

# Calendar dates built on month names; month names are matched case-sensitively.
_CALENDAR = re.compile(
    rf"""\b(?=[JFMASONDELMTelmt0-9])  # cheap first-character filter: 4x faster on news text
    (?:
      (?:{_PART})?{_MONTH}\s+{_DAY}(?![\d,.]\d)\b(?:,?\s+{_YEAR}\b)?     # December 9[, 2024]
    | \b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR}\b)?                  # 9 December [2024]
    | (?:{_PART})?{_MONTH}(?:\s+of)?,?\s+{_YEAR}\b                      # December 2024
    | {_PART}{_MONTH}\b                                                 # late November
    | \b(?:January|February|April|June|July|August|September|October|November|December)\b
    )""",
    re.X,
)
# "May"/"March" alone are too often a verb or noun: only after a date preposition.
_AMBIGUOUS_MONTH = re.compile(
    r"\b(?i:in|since|until|till|by|from|to|during|through|last|next|this|of|early|late|mid|before|after)\s+(May|March)\b"
)
_WEEKDAY = re.compile(
    r"\b(?:(?i:last|next|this|past|early|late)\s+)?"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b"
    r"(?:\s+(?i:morning|afternoon|evening|night))?"
)
_RELATIVE = re.compile(
    rf"""\b(?=[acdefhlmnoprstwy0-9])  # the first letters below (case-insensitive): skips word ends, 2x faster
    (?:
      \b(?:earlier|later)\s+(?:this|that|in\s+the|last|next)\s+(?:day|week|month|year|morning|evening)\b
    | \b(?:the\s+)?(?:last|next|this|past|coming|previous|following|current|same)\s+
        (?:(?:few|several|couple\s+of|{_NUMWORD}|\d+)\s+)?
        (?:day|days|week|weeks|weekend|month|months|year|years|decade|decades|century|quarter|
           summer|winter|spring|autumn|fall|night|morning|afternoon|evening)\b
    | \b(?:the\s+)?(?:recent|coming)\s+(?:days|weeks|months|years|decades)\b
    | \b(?:{_COUNT}\s+)?(?:(?:more|full|long)\s+)?{_TIME_UNIT}\s+(?:ago|earlier|later|prior|previously)\b
    | \b(?:yesterday|today|tomorrow|tonight|the\s+weekend|midnight|noon)\b
    )""",
    re.X | re.I,
)
_CLOCK_AND_NUMERIC = re.compile(
    r"""
      \b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s?(?:[ap]\.m\.|[ap]m\b)(?:\s+(?:GMT|UTC|local\s+time))?
    | \b(?:[01]?\d|2[0-3]):[0-5]\d\b(?:\s+(?:GMT|UTC|local\s+time))?
    | \b(?:[01]\d|2[0-3])[0-5]\d\s+(?:GMT|UTC)\b
    | \b(?:1[89]|20)\d\d-[01]\d-[0-3]\d\b
    | \b[0-3]?\d/[01]?\d/(?:\d\d)?\d\d\b
    """,
    re.X | re.I,
)
# Years: decades, ranges and prefixed years are always dates; a bare year is checked in context.
_YEARISH = re.compile(
    rf"""(?<![\w$€£¥.,/:-])
      (?P<part>{_PART}|(?i:the\s+year\s+|the\s+))?
      (?P<year>{_YEAR})
      (?P<tail>s\b|['’]s\b|\s*[-–/]\s*(?:{_YEAR}|\d\d)\b(?![-/.,]?\d))?
      (?![\w%]|[.,]\d)""",
    re.X,
)
# What before a bare year makes it a date even if a noun follows: "in 2013", "© 2024".
_DATE_LEAD = re.compile(
    r"(?:\b(?:in|since|until|till|through|during|before|after|year|early|late|summer|"
    r"winter|spring|autumn|fall|copyright)|©|\(c\))\s*$",
    re.I,
)
# What before a bare year makes it a count: "about 2000", "more than 2000".
_COUNT_LEAD = re.compile(
    r"\b(?:about|around|over|under|nearly|almost|some|than|least|most|only|just|roughly|approximately|"
    r"estimated|up\s+to|all|another|additional|extra)\s+$",
    re.I,
)
_COUNT_TAIL = re.compile(
    r"\s?(?:%|percent\b|per\s+cent\b|km\b|kilomet|miles?\b|kg\b|tonnes?\b|tons?\b|million\b|billion\b|"
    r"thousand\b|bn\b|m\b|[a-z]+(?<![siu])s\b|people\b|children\b|men\b|women\b|police\b|personnel\b)"
)
_CLOCK = re.compile(r"\d(?::\d\d)?\s?(?:[ap]\.?m\.?|GMT|UTC|local time)$|^\d{1,2}:\d\d|^midnight$|^noon$", re.I)
_MERGE_GAP = re.compile(r"^(?:,? |, at | at )$")


def _bare_year_is_date(text: str, start: int, end: int) -> bool:
    """Decide whether a lone 4-digit year-like number is a date from a few words around it."""
    before = text[max(0, start - 16) : start]
    if _DATE_LEAD.search(before):
        return True
    if _COUNT_LEAD.search(before):
        return False
    return not _COUNT_TAIL.match(text, end)


def _year_spans(text: str, matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    spans = []
    for m in matches:
        part = " ".join((m.group("part") or "").lower().split())
        tail = m.group("tail")
        start = m.start()
        if part == "the" and (tail is None or tail[0] not in "s'’"):
            part, start = "", m.start("year")  # "the 2011 uprising": the article belongs to the noun
        if not part and tail is None and not _bare_year_is_date(text, m.start("year"), m.end("year")):
            continue
        spans.append((start, m.end()))
    return spans


# What must follow a word start for each family above to match there: a fast, case-sensitive
# superset of where it can start (see factdesk.annotations.text._wordstarts). Keep in step with the rules:
# tests/test_wordstarts.py checks the scan against each rule's own finditer.
_MONTH_HEADS = heads("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec", fold=False)
_PART_HEADS = heads("early|late|mid", r"[\s-]") + heads("end|beginning|start|middle", r"\s")
_YEAR_HEADS = [("1", r"[89]\d\d"), ("2", r"[01]\d\d")]
_TIME_UNIT_START = caseless("second|minute|hour|day|week|fortnight|month|year|decade|centur")
_RELATIVE_WORDS = "last|next|this|past|coming|previous|following|current|same|recent"
_NEEDED = {
    _CALENDAR: [
        *_PART_HEADS,
        *heads("the", rf"\s+{caseless('end|beginning|start|middle')}\s"),
        *_MONTH_HEADS,
        ("[0-9]", r"\d?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
    ],
    _WEEKDAY: [
        *heads("last|next|this|past|early|late", r"\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"),
        *heads("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", fold=False),
    ],
    _RELATIVE: [
        *heads(_RELATIVE_WORDS, r"\s"),
        *heads("the", rf"\s+(?:{caseless(_RELATIVE_WORDS)}\s|{caseless('weekend')})"),
        *heads("earlier|later", r"\s"),
        *heads("yesterday|today|tomorrow|tonight|midnight|noon"),
        *heads("a|an", rf"\s+(?:{caseless('few|couple|more|full|long')}|{_TIME_UNIT_START})"),
        *heads("few|several|couple", r"\s"),
        *heads(_NUMWORD_LIST, r"[\s-]"),
        ("[0-9]", ""),
        *heads("more|full|long", rf"\s+{_TIME_UNIT_START}"),
        *heads(
            "second|minute|hour|day|week|fortnight|month|year|decade|centur",
            rf"[a-zA-Z\u017f\u212a\u0130\u0131]*\s+{caseless('ago|earlier|later|prior|previously')}",
        ),
    ],
    _CLOCK_AND_NUMERIC: [(r"\d", r"\d?(?::|/|\s?[AaPp])|\d{3}[\s-]")],
    _AMBIGUOUS_MONTH: heads(
        "in|since|until|till|by|from|to|during|through|last|next|this|of|early|late|mid|before|after",
        r"\s+Ma(?:y|rch)",
    ),
    _YEARISH: [
        *_YEAR_HEADS,
        *_PART_HEADS,
        *heads("the", rf"\s+(?:{caseless('year')}\s|{caseless('end|beginning|start|middle')}\s|(?:1[89]|2[01])\d\d)"),
    ],
}
_SCANNER = WordStartScanner(list(_NEEDED.items()))


def _candidates(text: str) -> list[tuple[int, int]]:
    calendar, weekday, relative, clock, ambiguous, yearish = _SCANNER.finditer_all(text)
    spans: list[tuple[int, int]] = []
    for matches in (calendar, weekday, relative, clock):
        spans.extend(m.span() for m in matches)
    spans.extend(m.span(1) for m in ambiguous)
    spans.extend(_year_spans(text, yearish))
    return spans


def _should_merge(left: str, right: str, gap: str) -> bool:
    """Join "Saturday, December 7", "December 7 at 10 a.m." and "10 a.m. Saturday" into one DATE."""
    if not _MERGE_GAP.match(gap):
        return False
    if _WEEKDAY.fullmatch(left) and _CALENDAR.match(right):
        return True
    return bool(_CLOCK.search(right) and not _CLOCK.search(left)) or bool(
        _CLOCK.search(left) and (_WEEKDAY.match(right) or _CALENDAR.match(right))
    )


def find_dates(text: str) -> list[Entity]:
    """DATE entities in ``text``, sorted and non-overlapping (longest match wins)."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(_candidates(text), key=lambda s: (s[0], s[0] - s[1])):
        if chosen and start < chosen[-1][1]:
            if end > chosen[-1][1] and start == chosen[-1][0]:
                chosen[-1] = (start, end)
            continue
        if chosen and _should_merge(text[chosen[-1][0] : chosen[-1][1]], text[start:end], text[chosen[-1][1] : start]):
            chosen[-1] = (chosen[-1][0], end)
            continue
        chosen.append((start, end))
    return [Entity(start, end, text[start:end], "DATE") for start, end in chosen]
