"""Find numbers in English news text, with their value, unit and hedging qualifier.

Why: a reviewer checks figures ("nearly 300,000 people", "within 30 km") and the
comparison flags two articles that disagree on them, so each figure needs a value
that can be compared, a normalised unit that says *what* is counted, and the hedge
that says how firm it is. Dates are not figures: spans that overlap a DATE from
``factdesk.annotations.text.dates`` are dropped, so "December 9", "2011" or "a week ago" never
show up here.

How: one precompiled regex finds where a number may start (a digit, a currency
sign, a number word, "a dozen", "thousands", an ordinal before a superlative),
tried only where a cheap case-sensitive scan says it can (``factdesk.annotations.text._wordstarts``);
a few anchored regexes and a small grammar then read the number, a range, a unit or
counted noun, and the qualifier before it. No tagger, so it is fast (several
megabytes a second) and deterministic. ``text2num`` was evaluated
and not used: it rewrites text instead of giving offsets, and it misreads "half
a million", "a dozen", "thousands of" and "five-decade", which we need anyway.

Conventions (what consumers can rely on):

* ``value`` is a float, or ``(low, high)`` for a range ("five to 10 days",
  "5-10%", "between 300 and 400", "two or three"). Scale words apply to both ends
  of a range when only the high end has one ("1.5 to 2 million" = (1.5e6, 2e6)).
* ``unit`` is normalised:
  - measures to symbols: km (kilometres, kilometers, kms), miles, m, cm, mm, km²,
    kg, tonnes, ft, mph, km/h, °C, °F, L, ha, acres; percent/per cent/pc → "%";
    "percentage points" stays spelled out;
  - money to its sign: $ and US$ and "dollars" → "$"; € and "euros" → "€";
    £ → "£"; ¥ and "yen" → "¥" (other dollars keep their prefix: "A$");
  - time units and counted nouns to a lower-case plural: "24-year" → "years",
    "a week" → "weeks", "One U.S. official" → "officials", "person" → "people";
  - a counted noun is the head noun after the number ("14 provincial capitals" →
    "capitals"), or after "of" ("four of the country's 14 provincial capitals" →
    "capitals"; "thousands of detainees" → "detainees"). None when no noun
    follows ("over 370,000 fleeing", "as many as 1.5 million could") — honest
    rather than guessed;
  - ordinals before a superlative ("third-largest") have unit "rank" and the
    ordinal as value; other ordinals ("the first time") are not numbers.
* ``qualifier`` is the hedge before the number, lower-cased as written: "nearly",
  "as many as", "within", "at least", "over", "more than", "about", "around",
  "almost", "up to", "some", "less than", "just", … (see ``QUALIFIERS``). A
  parenthesised conversion inherits it: "within 30 km (20 miles)" gives both
  mentions "within".
* Vague quantities are kept, because they are claims too: "thousands of
  detainees" → value 1000, qualifier "thousands"; "tens of thousands" → 10000,
  qualifier "tens of thousands"; "dozens" → 12, qualifier "dozens". Treat any
  qualifier that is itself a scale word as an order of magnitude, not a count.
* "a"/"an" counts as 1 only before a scale word ("a dozen", "a million") or, after
  a qualifier or "for"/"in"/"after", before a time unit ("less than a day",
  "within a week"). Fractions ("two-thirds", "half of") are not numbers.
* Digits inside identifiers are skipped: "COVID-19", "F-16", "G7", "3D",
  "Resolution 2254", "No. 10", "24/7", "UTC+3", version strings; so are digits that
  are no quantity: street numbers ("10 Downing Street"), phone numbers, clock times
  written with a point ("at 1.30 am") and list numbers opening a line ("1. Power …").
* Measures that are not counts get their own unit so they are never compared as one:
  magnitudes ("6.8-magnitude", "magnitude 6.8", "a 7.0 quake", "M6.1") → "magnitude"; ages
  ("a 34-year-old", "aged 80", "Ana Ruiz, 63, of …") → "years"; "40C"/"104F" → °C/°F;
  "a 47-degree day" → "degrees".
* Scales include lakh (1e5) and crore (1e7), "Rs"/"INR" are "₹" ("Rs 1.35 crore" =
  1.35e7 ₹); "2.5M" attached and capitalised is a million; thousands may be grouped by
  no-break or thin spaces ("2\u202f719"). Storm ratings ("Category 4") are designators, like "Level 3".
  A number opening a line is read like any other (look-behind windows end
  with the end-of-text anchor, never ``$``).
* Spans run from the qualifier to the unit or counted noun when they are adjacent
  ("nearly 300,000 people"); ``text == source[start:end]`` always.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from factdesk.annotations.model import Entity, NumberMention, NumberValue
from factdesk.annotations.text._wordstarts import WordStartScanner, caseless, heads
from factdesk.annotations.text.counted_nouns import counted_noun
from factdesk.annotations.text.dates import find_dates
from factdesk.annotations.text.number_words import (
    CURRENCY_SIGNS,
    DESIGNATORS,
    FRACTIONS,
    NEEDS_CURRENCY,
    NUMBER_WORDS,
    ORDINALS,
    QUALIFIERS,
    SCALE_ABBREVIATIONS,
    SCALES,
    SUPERLATIVE_NOT,
    TEENS,
    TENS,
    UNITS,
    UNITS_1_9,
    VAGUE,
)

# --- regexes ---------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_START = re.compile(
    rf"""(?<![A-Za-z])  # never inside a word; halves the scan time
    (?:
      (?P<ord>\b(?i:{"|".join(ORDINALS)}|\d+(?:st|nd|rd|th))[\s-]+(?i:(?:most|least)\s+[a-z]+|[a-z]+est)\b)
    | (?P<cur>(?:US\$|A\$|C\$|NZ\$|HK\$|\$|€|£|¥|₹)(?=\s?\d)|\b(?:USD|EUR|GBP|INR|Rs\.?)(?=\s?\d))
    | (?P<digit>(?<![\d,.])\d)
    | (?P<mag>\bM(?=\d\.\d(?![\d.])))  # "M6.1": a magnitude
    | (?P<word>\b(?i:{_alternation(NUMBER_WORDS)}|tens|scores|dozens|hundreds|thousands|millions|billions)\b)
    | (?P<a>\b(?i:half\s+)?(?i:an?)\s+(?=(?i:dozen|hundred|thousand|million|billion|trillion)\b))
    # "a week" after a hedge; not "a second", which is an ordinal
    | (?P<atime>\b(?i:an?)\s+(?=(?i:minute|hour|day|week|fortnight|month|year|decade|century)\b))
    )""",
    re.X,
)
# Where _START can match: a fast, case-sensitive superset (see factdesk.annotations.text._wordstarts), so the
# scan skips the words that cannot start a number. Keep in step with _START:
# tests/test_wordstarts.py checks the scan against _START.finditer.
_START_NEEDED = [
    (r"\d", r"(?<!\d.)"),  # the first digit of a number: both digit alternatives need no digit before
    *heads("US|A|C|NZ|HK", r"\$", fold=False),
    *[(re.escape(sign), "") for sign in "$€£¥₹"],
    *heads("USD|EUR|GBP|INR|Rs", fold=False),
    *heads("M", r"\d", fold=False),
    *heads("|".join(ORDINALS), r"[\s-]"),
    *heads("|".join([*NUMBER_WORDS, *VAGUE]), r"\b"),
    *heads("half", r"\s"),
    *heads("a|an", rf"\s+{caseless('dozen|hundred|thousand|million|billion|trillion')}"),
    *heads("a|an", rf"\s+{caseless('minute|hour|day|week|fortnight|month|year|decade|century')}"),
]
_START_SCANNER = WordStartScanner([(_START, _START_NEEDED)], before="[^A-Za-z]")  # _START looks behind for no letter
# Thousands grouped by commas, by the typographic (no-break, narrow no-break, thin) spaces or by plain spaces:
# "11,300", "2\u202f719", "2 207 structures" (the European style; a run of three-digit groups next to other
# numbers, as in a table row "412 121 72", is not one number).
_DIGITS = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,]|\.\d)"
    r"|(?<!\d )\d{1,3}(?: \d{3})+(?![\d,]|\.\d| \d)|\d+)(?:\.\d+)?"
)
_GROUPING = re.compile(r"[, \u00a0\u202f\u2009]")
# The same for a language that writes a decimal comma ("3,5") and groups thousands with points or spaces ("1.200",
# "1.200.000", "1 200", "370\u202f000"): find_numbers(decimal_comma=True), for an article in such a language
# (annotations/text/language.py). A point not followed by a group of three digits stays a decimal point ("1.5").
_DIGITS_COMMA = re.compile(
    r"(?:\d{1,3}(?:\.\d{3})+(?![\d.])|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.])"
    r"|(?<!\d )\d{1,3}(?: \d{3})+(?![\d.]| \d)|\d+(?:\.(?!\d{3}(?!\d))\d+)?)(?:,\d+)?"
)
_GROUPING_COMMA = re.compile(r"[. \u00a0\u202f\u2009]")
_THOUSANDS_POINTS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _digits_value(digits: str, decimal_comma: bool) -> float:
    """The value of a run of digits as _DIGITS (or, with ``decimal_comma``, _DIGITS_COMMA) read it."""
    if not decimal_comma:
        return float(_GROUPING.sub("", digits))
    whole, comma, fraction = digits.partition(",")
    if "." in whole and not _THOUSANDS_POINTS.fullmatch(whole):  # "1.5": a decimal point after all
        return float(whole)
    return float(_GROUPING_COMMA.sub("", whole) + ("." + fraction if comma else ""))


_CURRENCY = re.compile(r"(?:US\$|A\$|C\$|NZ\$|HK\$|\$|€|£|¥|₹|USD|EUR|GBP|INR|Rs\.?)\s?")
_SCALE_AFTER_DIGITS = re.compile(
    rf"(?P<sep>[ \-]?)(?:(?P<word>(?i:hundred|{_alternation(SCALES)}))\b(?P<crore>\s+(?i:crores?)\b)?"
    rf"|(?P<abbr>(?i:{_alternation(SCALE_ABBREVIATIONS)}))\b)"
)
_WORD = re.compile(r"[A-Za-z]+")
_VAGUE_RE = re.compile(
    r"(?i:(?P<base>tens|scores|dozens|hundreds|thousands|millions|billions)"
    r"(?:\s+of\s+(?P<of>thousands|millions|billions))?)\b"
)
_UNIT_RE = re.compile(rf"(?P<sep>[ \t]?|-)(?P<unit>(?i:{_alternation(UNITS)}))(?![A-Za-z0-9²])")
_HYPHEN_WORD = re.compile(r"-([A-Za-z]+)")
_AGE_SUFFIX = re.compile(r"-(?:old|long)\b")
_RANGE_SEP = re.compile(r"\s*(?:[-–—]|(?i:to|or|and)\b)\s*")
_OF = re.compile(
    r"\s+of\s+(?P<det>(?:the|these|those|its|their|his|her|our|all)\s+)?(?P<poss>[A-Z]?[\w\-]+['’]s\s+)?", re.I
)
_QUALIFIER = re.compile(rf"(?<!\w)(?P<q>(?i:{QUALIFIERS}))\s+\Z")
_A_TIME_LEAD = re.compile(r"(?<!\w)(?i:for|in|after|within|than|lasting)\s+\Z")
# Look-behind windows end at the number: "\Z", never "$", which also matches before a final line break and
# would read "COUNTY\n12 deaths" as the identifier "COUNTY12".
_IDENTIFIER_LEAD = re.compile(rf"(?:[A-Za-z][-+]|\d[-–/]|[A-Za-z0-9_./]|{DESIGNATORS}\s*)\Z")
_OF_AHEAD = re.compile(r"\s+of\b")
_IDENTIFIER_TAIL = re.compile(r"(?:[./]\d|[A-Za-z])")
_ONE_SKIP_LEAD = re.compile(r"(?<!\w)(?i:no|the|this|that|every|any|each|which)[\s-]+\Z")
# "one another", "at one point", "one of them", "one of the most …": idioms, not counts.
_ONE_SKIP_TAIL = re.compile(
    r"""(?ix)
      \s+(?:another|point|hand|way|side|by|thing|time|day|after|most|least)\b
    | ['’]s\b
    | \s+of\s+(?:them|us|those|whom|which|these|its|his|her|their|the\s+(?:most|few|best|worst|[a-z]+est))\b
    """
)
_OPEN_PAREN = re.compile(r"\s*\(\s*\Z")
# "40C", "104F", "21° C": a temperature written the short way (capital letter, nothing after it).
_TEMPERATURE = re.compile(r"(?:°\s?)?(?P<scale>[CF])(?![A-Za-z0-9'’])")
# Magnitudes are measures, never counts of earthquakes: "magnitude 6.3", "a magnitude of 5.1", "a 6.2 quake",
# "M6.1". ("6.8 on the Richter scale" is not read yet: measured, it cost the comparison matches.)
_MAGNITUDE_LEAD = re.compile(r"(?<![A-Za-z])(?i:magnitude)(?:\s+of)?[\s-]*\Z")
_QUAKE_NOUN = re.compile(r"[\s-]+(?i:earthquake|quake|tremor|temblor|aftershock|shock)\b")
# "aged 71", "at age 34", "the age of 80": an age in years, not a count.
_AGE_LEAD = re.compile(r"(?<![A-Za-z])(?i:aged|age(?:\s+of)?)\s+\Z")
# "Tomas Vidal, 48, of Leeds": an age in apposition to a name (a list "Leeds, 12, and York" is no age).
_APPOSITION_LEAD = re.compile(r"[A-Z][a-zà-ÿ'’-]+,\s\Z")
_APPOSITION_TAIL = re.compile(
    r",\s+(?:of|from|who|told|said|says|was|is|had|has|died|lives|lived|remains|a|an|the|his|her)\b"
)
# "at 4.45 am", "1.30 p.m.": a clock time written with a point, which the date reader leaves to us.
_CLOCK_TAIL = re.compile(r"\s?(?i:[ap]\.?m\b\.?)")
# "1. Power is out.": a list number at the start of a line.
_LINE_START = re.compile(r"(?:^|\n)[ \t]*\Z")
_LIST_TAIL = re.compile(r"[.)][ \t]+\S")
# "10 Downing Street", "350 Fifth Avenue": a street number, no quantity of anything.
_STREET_TAIL = re.compile(
    r"(?:\s+[A-Z][A-Za-z'’.-]*){1,3}\s+(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|"
    r"Drive|Place|Square|Terrace|Way|Court|Parkway)(?![A-Za-z])"
)
# Phone numbers: "(312) 555-0143", "555-0199", "312-555-0143" are no ranges.
_PHONE = re.compile(r"(?:\d{3}\)\s?|\d{3}[-.])?\d{3}[-.]\d{4}(?![\d,]|\.\d)")
_ORDINAL_WORDS = re.compile(r"\d+|[A-Za-z]+")


# --- reading one number ---------------------------------------------------------------


@dataclass
class _Core:
    """A number as read, before units and qualifiers: offsets, value, how it was scaled."""

    start: int
    end: int
    value: float
    scale: float = 1.0  # the scale word applied last ("two million" → 1e6), for ranges
    raw: float = 0.0  # value before that scale
    currency: str | None = None
    vague: str | None = None
    word: str = ""  # lower-case text when it is a single number word ("one")


def _words_value(text: str, pos: int) -> tuple[int, float, float, float] | None:
    """Read "two hundred and fifty thousand", "twenty-four", "a dozen", "one and a half million".

    Returns (end, value, last scale, value before that scale) or None.
    """
    total = current = 0.0
    last: str | None = None
    end: int | None = None
    scale, raw = 1.0, 0.0
    i = pos
    while True:
        m = _WORD.match(text, i)
        if not m:
            break
        w = m.group().lower()
        after = m.end()
        if last is None and w in ("a", "an", "half"):
            if w == "half":  # "half a million"
                a = _WORD.match(text, after + 1) if text[after : after + 1] == " " else None
                b = _WORD.match(text, a.end() + 1) if a and a.group().lower() in ("a", "an") else None
                if not b or b.group().lower() not in SCALES:
                    return None
                s = SCALES[b.group().lower()]
                return b.end(), 0.5 * s, s, 0.5
            current, last = 1.0, "a"
        elif w in UNITS_1_9 and last in (None, "tens", "hundred", "scale", "and"):
            current += UNITS_1_9[w]
            last = "unit"
        elif (w in TEENS or w in TENS) and last in (None, "hundred", "scale", "and"):
            current += TEENS.get(w, 0) + TENS.get(w, 0)
            last = "tens" if w in TENS else "teen"
        elif w == "hundred" and last in (None, "a", "unit", "teen", "tens"):
            raw, scale = current or 1.0, 100.0
            current = (current or 1.0) * 100
            last = "hundred"
        elif w in SCALES and last in (None, "a", "unit", "teen", "tens", "hundred", "half"):
            raw, scale = current or 1.0, SCALES[w]
            total += (current or 1.0) * SCALES[w]
            current, last = 0.0, "scale"
        elif w == "dozen" and last in (None, "a", "unit", "teen", "tens"):
            raw, scale = current or 1.0, 12.0
            current = (current or 1.0) * 12
            last = "scale"
        elif w == "and" and last in ("unit", "teen", "tens", "hundred", "scale"):
            nxt = _WORD.match(text, after + 1) if text[after : after + 1] == " " else None
            if not nxt:
                break
            nw = nxt.group().lower()
            if nw in ("a", "an") and last in ("unit", "teen", "tens"):  # "one and a half"
                half = _WORD.match(text, nxt.end() + 1) if text[nxt.end() : nxt.end() + 1] == " " else None
                if half and half.group().lower() == "half":
                    current += 0.5
                    last, end, i = "half", half.end(), half.end()
                    if text[i : i + 1] == " " and _WORD.match(text, i + 1):
                        i += 1
                        continue
                    break
                break
            if last in ("hundred", "scale") and (nw in UNITS_1_9 or nw in TEENS or nw in TENS):
                last, i = "and", nxt.start()
                continue
            break
        else:
            break
        end = after
        if text[after : after + 1] in (" ", "-") and _WORD.match(text, after + 1):
            i = after + 1
            continue
        break
    if end is None or last == "a":
        return None
    value = total + current
    if scale == 1.0:
        raw = value
    return end, value, scale, raw


def _read_core(
    text: str, pos: int, allow_currency: bool = True, second: bool = False, decimal_comma: bool = False
) -> _Core | None:
    """Read one number (digits, words, or a vague "thousands") starting at ``pos``.

    ``second`` is set for the high end of a range, whose "5-" lead is no identifier; ``decimal_comma`` reads "3,5"
    and "1.200" as a language with a decimal comma writes them.
    """
    start = pos
    currency = None
    if allow_currency:
        cm = _CURRENCY.match(text, pos)
        if cm and text[cm.end() : cm.end() + 1].isdigit():
            currency = CURRENCY_SIGNS.get(cm.group().strip().lower(), cm.group().strip())
            pos = cm.end()
    dm = (_DIGITS_COMMA if decimal_comma else _DIGITS).match(text, pos)
    if dm:
        if not second and _IDENTIFIER_LEAD.search(text, max(0, start - 12), start):
            return None
        value = _digits_value(dm.group(), decimal_comma)
        end, scale, raw = dm.end(), 1.0, value
        sm = _SCALE_AFTER_DIGITS.match(text, end)
        if sm:
            if sm.group("word"):
                scale = 100.0 if sm.group("word").lower() == "hundred" else SCALES[sm.group("word").lower()]
                if sm.group("crore"):  # "1.2 lakh crore"
                    scale *= SCALES["crore"]
            else:
                abbr = sm.group("abbr").lower()
                # "$5m", "2.5M outages": a scale; "5m" or "5 m" alone is five metres.
                attached = not sm.group("sep")
                if abbr not in NEEDS_CURRENCY or (attached and (currency or sm.group("abbr") in ("M", "B"))):
                    scale = SCALE_ABBREVIATIONS[abbr]
            if scale != 1.0:
                value, end = value * scale, sm.end()
        if (
            scale == 1.0
            and _IDENTIFIER_TAIL.match(text, end)
            and not _UNIT_RE.match(text, end)
            and not _TEMPERATURE.match(text, end)
        ):
            return None  # "3D", "4x4", "24/7", "1.2.3"; but "40C" is a temperature
        return _Core(start, end, value, scale, raw, currency)
    if currency:
        return None
    vm = _VAGUE_RE.match(text, pos)
    if vm:
        base = vm.group("base").lower()
        if base in ("tens", "scores") and not vm.group("of") and not _OF_AHEAD.match(text, vm.end()):
            return None
        value = VAGUE[base] * (SCALES[vm.group("of").lower().rstrip("s")] if vm.group("of") else 1.0)
        return _Core(start, vm.end(), value, vague=" ".join(vm.group().lower().split()))
    parsed = _words_value(text, pos)
    if parsed is None:
        return None
    end, value, scale, raw = parsed
    return _Core(start, end, value, scale, raw, word=text[start:end].lower())


def _unit_at(text: str, pos: int) -> tuple[str, int] | None:
    m = _UNIT_RE.match(text, pos)
    if not m:
        return None
    return UNITS[" ".join(m.group("unit").lower().split())], m.end()


def _unit_after_of(text: str, pos: int, plural: bool, decimal_comma: bool = False) -> tuple[str | None, int | None]:
    """Unit from "of": "four of the country's 14 provincial capitals", "thousands of detainees".

    Returns (unit, end) where end is set only when the noun directly follows "of"
    (so the span may include it).
    """
    m = _OF.match(text, pos)
    if not m:
        return None, None
    after = m.end()
    core = _read_core(text, after, decimal_comma=decimal_comma) if text[after : after + 1].isalnum() else None
    if core is not None:
        unit = _unit_at(text, core.end)
        if unit:
            return unit[0], None
        noun = counted_noun(text, core.end, True)
        return (noun[0] if noun else None), None
    unit = _unit_at(text, after - 1)
    if unit:
        return unit[0], (unit[1] if not (m.group("det") or m.group("poss")) else None)
    noun = counted_noun(text, after - 1, plural)
    if not noun:
        return None, None
    return noun[0], (noun[1] if not (m.group("det") or m.group("poss")) else None)


# --- assembling mentions -----------------------------------------------------------------


@dataclass
class _Draft:
    start: int
    end: int
    value: NumberValue
    unit: str | None
    qualifier: str | None


def _qualifier_before(text: str, pos: int) -> tuple[str, int] | None:
    m = _QUALIFIER.search(text, max(0, pos - 24), pos)
    if not m:
        return None
    return " ".join(m.group("q").lower().split()), m.start("q")


def _ordinal(text: str, m: re.Match[str]) -> _Draft | None:
    phrase = m.group("ord")
    words = _ORDINAL_WORDS.findall(phrase)
    if words[-1].lower() in SUPERLATIVE_NOT:
        return None
    head = words[0].lower()
    value = float(head) if head.isdigit() else float(ORDINALS[head])
    return _Draft(m.start(), m.end(), value, "rank", None)


def _draft_at(text: str, m: re.Match[str], decimal_comma: bool = False) -> tuple[_Draft | None, int]:
    """Read the mention starting at match ``m``: (draft or None, offset to resume scanning)."""
    if m.group("ord"):
        return _ordinal(text, m), m.end()
    pos = m.start()
    if m.group("atime"):
        time_unit = _unit_at(text, m.end() - 1)
        qual = _qualifier_before(text, pos)
        if not time_unit or not (qual or _A_TIME_LEAD.search(text, max(0, pos - 10), pos)):
            return None, m.end()
        start = qual[1] if qual else pos
        return _Draft(start, time_unit[1], 1.0, time_unit[0], qual[0] if qual else None), time_unit[1]
    core = _read_core(text, pos, decimal_comma=decimal_comma)
    if core is None:
        return _m_magnitude(text, m), m.end()
    if m.group("digit"):
        if _CLOCK_TAIL.match(text, core.end) or (
            _LIST_TAIL.match(text, core.end) and _LINE_START.search(text, max(0, core.start - 8), core.start)
        ):
            return None, core.end
        phone = _PHONE.match(text, core.start)
        if phone and not (_unit_at(text, phone.end()) or counted_noun(text, phone.end(), True)):
            return None, phone.end()
        if core.scale == 1.0 and _STREET_TAIL.match(text, core.end):
            return None, core.end

    # "two-thirds": a fraction, not a count.
    hm = _HYPHEN_WORD.match(text, core.end)
    if hm and hm.group(1).lower() in FRACTIONS:
        return None, hm.end()

    qual = _qualifier_before(text, core.start)
    qualifier = qual[0] if qual else None
    start = qual[1] if qual else core.start
    value: NumberValue = core.value
    end = core.end

    # Ranges: "five to ten", "5-10", "between 300 and 400", "two or three", "5% to 10%".
    first_unit = _unit_at(text, core.end)
    for after_first in (core.end, first_unit[1] if first_unit else None):
        if after_first is None:
            continue
        sep = _RANGE_SEP.match(text, after_first)
        if not sep:
            continue
        word = sep.group().strip().lower()
        if word == "and" and qualifier != "between":
            continue
        hyphen = word in ("-", "–", "—")
        if hyphen and not (core.word == "" and text[sep.end() : sep.end() + 1].isdigit()):
            continue
        second = _read_core(
            text, sep.end(), allow_currency=core.currency is not None, second=True, decimal_comma=decimal_comma
        )
        if second is None or second.vague or (second.currency and second.currency != core.currency):
            continue
        low = core.value
        if second.scale > 1 and core.scale == 1 and core.value <= second.raw:
            low = core.value * second.scale
        if low > second.value:
            if hyphen:
                return None, second.end  # "3-1", "2-0": a score or a code, not a quantity
            continue
        if after_first != core.end:
            assert first_unit is not None  # after_first is the end of first_unit
            second_unit = _unit_at(text, second.end)
            if not second_unit or second_unit[0] != first_unit[0]:
                continue
        value, end = (low, second.value), second.end
        break
    if qualifier == "between":
        qualifier = None  # the range says it; "between" is not a hedge

    unit: str | None = core.currency
    plural = value != 1.0
    hm = _HYPHEN_WORD.match(text, end)
    if hm and unit is None:
        u = _unit_at(text, end)
        if u:  # "24-year", "five-decade", "30-km"
            unit, end = u
            age = _AGE_SUFFIX.match(text, end)
            end = age.end() if age else end
        elif _magnitude_after(text, end, value):  # "a 7.1-quake"
            unit = "magnitude"
    elif unit is None:
        u = _unit_at(text, end) or _temperature_at(text, end)
        if _magnitude_after(text, end, value):
            unit = "magnitude"
        elif u:
            unit, end = u
        else:
            noun = counted_noun(text, end, plural)
            if noun:
                unit, end = noun
            else:
                of_unit, of_end = _unit_after_of(text, end, plural, decimal_comma)
                unit = of_unit
                end = of_end or end

    if unit is None and isinstance(value, float):
        window = max(0, core.start - 16)
        lead = _MAGNITUDE_LEAD.search(text, window, core.start) or _AGE_LEAD.search(text, window, core.start)
        if lead:  # "magnitude 6.3", "aged 71"
            unit = "magnitude" if lead.re is _MAGNITUDE_LEAD else "years"
            start = min(start, lead.start())
        elif (
            qualifier is None
            and core.word == ""
            and value == int(value)
            and 0 < value < 120
            and _APPOSITION_LEAD.search(text, max(0, core.start - 30), core.start)
            and _APPOSITION_TAIL.match(text, end)
        ):
            unit = "years"
    if core.vague:
        qualifier = f"{qualifier} {core.vague}" if qualifier else core.vague
    if core.word in ("one", "a", "an") and value == 1.0:
        if unit is None:
            return None, end  # "the only one", "one who": a pronoun, not a count
        if _ONE_SKIP_LEAD.search(text, max(0, core.start - 8), core.start) or _ONE_SKIP_TAIL.match(text, core.end):
            return None, core.end
    return _Draft(start, end, value, unit, qualifier), end


def _temperature_at(text: str, pos: int) -> tuple[str, int] | None:
    """ "40C", "104F": the short way to write a temperature (a capital letter directly after the digits)."""
    m = _TEMPERATURE.match(text, pos)
    return (f"°{m.group('scale')}", m.end()) if m else None


def _magnitude_after(text: str, pos: int, value: NumberValue) -> bool:
    """ "a 6.2 earthquake": a magnitude (below 10), never a count of quakes."""
    if isinstance(value, tuple) or not 0 < value < 10:
        return False
    return bool(_QUAKE_NOUN.match(text, pos))


def _m_magnitude(text: str, m: re.Match[str]) -> _Draft | None:
    """ "M6.1": the seismologists' short form, which the identifier rule would otherwise skip."""
    dm = _DIGITS.match(text, m.end()) if m.group("mag") else None
    if dm is None:
        return None
    return _Draft(m.start(), dm.end(), float(dm.group()), "magnitude", None)


class _DateIndex:
    """Answers "does [start, end) overlap a DATE?" in O(log n), even for overlapping DATE spans."""

    def __init__(self, dates: list[Entity]) -> None:
        spans = sorted((d.start, d.end) for d in dates if d.label == "DATE")
        self._starts = [s for s, _ in spans]
        self._reach: list[int] = []  # furthest end among the spans up to i
        for _, e in spans:
            self._reach.append(max(e, self._reach[-1]) if self._reach else e)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # spans starting before our end
        return i > 0 and self._reach[i - 1] > start


def find_numbers(text: str, dates: list[Entity] | None = None, *, decimal_comma: bool = False) -> list[NumberMention]:
    """Every number mention in ``text``, in order; spans overlapping a DATE are left out.

    ``decimal_comma``: the text's language writes "3,5" for three and a half and "1.200" or "1 200" for twelve
    hundred (``annotations.text.language.decimal_comma``); English's "1,200" and "1.5" otherwise.

    ``dates`` are the DATE entities of the same text (other labels are ignored);
    found with ``find_dates`` when not given. Pass them when you already have them,
    e.g. from a pipeline that also merges a model's DATEs, to skip a second pass.
    """
    date_index = _DateIndex(find_dates(text) if dates is None else dates)
    drafts: list[_Draft] = []
    resume = 0
    (starts,) = _START_SCANNER.finditer_all(text)
    for m in starts:
        if m.start() < resume:
            continue
        draft, resume = _draft_at(text, m, decimal_comma)
        if draft is None:
            continue
        if drafts and draft.start < drafts[-1].end:  # a qualifier reaching back into the previous mention
            draft.start = m.start()
        if date_index.overlaps(draft.start, draft.end):
            continue
        # "within 30 km (20 miles)": the conversion carries the same hedge.
        if (
            drafts
            and draft.qualifier is None
            and drafts[-1].qualifier
            and _OPEN_PAREN.match(text, drafts[-1].end, draft.start)
        ):
            draft.qualifier = drafts[-1].qualifier
        drafts.append(draft)
    return [
        NumberMention(d.start, d.end, text[d.start : d.end], d.value, d.unit, d.qualifier)
        for d in drafts
        if _finite(d.value)  # 400 digits overflow to infinity: no figure anyone reports, and not valid JSON
    ]


def _finite(value: NumberValue) -> bool:
    return all(math.isfinite(v) for v in value) if isinstance(value, tuple) else math.isfinite(value)
