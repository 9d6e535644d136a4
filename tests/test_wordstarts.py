"""The one-pass word-start scan gives exactly each rule's own ``finditer`` (dates and numbers rely on it)."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from factdesk.annotations.text import dates, numbers
from factdesk.annotations.text._wordstarts import WordStartScanner, caseless, heads

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))

# Words and glue the date and number rules react to, with the letters re.IGNORECASE folds (ſ, K, ı, İ).
_PLAIN = """the The THE ſaturday Saturday Saturdays night last LAST laſt next this early late mid mid- end of
beginning Start start middle December Dec. Dec Sept. May March in since by from to 9 9th 31 2024 1990s 2011-2024
'90s year the year 10 a.m. 14:30 GMT 0930 2024-12-09 12/09/2024 ago earlier later prior previously week weeks
weekend a an A few several couple couple of one twenty twenty-one two days hours centuries more full long
yesterday today tonight midnight noon recent coming US$ $ € £ ¥ ₹ USD 5 1,000 3.5 million bn m k thousands
tens of dozen a dozen half half a first third-largest most least 5US$3 é5 _7 x2 No. Resolution 2254 COVID-19
hundred
""".split()
_FOLDED = ["\u212a", "wee\u212a", "\u017fecond", "la\u017ft", "\u0130n", "\u0131n", "\u0130N", "Ma\u0131"]
VOCABULARY = [*_PLAIN, *_FOLDED]
GLUE = [" ", " ", " ", "  ", "\n", ", ", ". ", "-", "", "(", ")", "\t", "/"]


# Every word the rules start from or lead into, so each alternative of each necessary condition is exercised.
_RULE_WORDS = """January February April June July August September October November December Jan Feb Mar Apr
Jun Jul Aug Sep Oct Nov Monday Tuesday Wednesday Thursday Friday Sunday morning afternoon evening earlier later
past coming previous following current same recent day month decade century quarter summer winter spring autumn
fall second seconds minute minutes hour fortnight months years decades three four five six seven eight nine ten
eleven twelve thirteen nineteen thirty forty fifty ninety zero thousand billion trillion scores hundreds millions
second fourth tenth largest until till during through before after 7 12 1999 1800 2100 11:05 6pm 3 p.m. 2300
UTC local time percent km miles kg
""".split()


# Phrases a random word sequence rarely builds, one per alternative that needs one.
_PHRASES = [
    *(f"{lead} December" for lead in ("the end of", "end of", "the middle of", "middle of", "Start of", "early")),
    *(f"{lead} 2024" for lead in ("the beginning of", "beginning of", "the end of", "end of", "the middle of")),
    *(f"{lead} 2024" for lead in ("middle of", "the start of", "start of", "early", "mid-", "late", "the year")),
    *(f"{lead} this week" for lead in ("earlier", "later")),
    *(f"{n} days ago" for n in ("a couple of", "couple of", "few", "a few", "several", "one", "eight", "eleven")),
    *(f"{n} weeks later" for n in ("fifty", "nine", "seventeen", "twenty-one", "ten", "three", "six", "more")),
    *(
        f"{lead} {month}"
        for lead in ("from", "after", "before", "by", "early", "mid", "next", "of")
        for month in ("May", "March")
    ),
    *(f"{lead} May" for lead in ("since", "until", "in", "to", "till", "during", "through", "last", "this", "late")),
    *("A$5 C$ 5 HK$5 NZ$5 EUR 5 GBP 5 USD 5 US$5".split()),
    *(f"{n}-largest" for n in ("eighth", "first", "fifth", "fourth", "ninth", "sixth", "seventh", "tenth")),
    "past Saturday",
    "a full day ago",
    "long years ago",
    "fifth most powerful",
    "half a million",
    "half a dozen",
    "an hour",
    "a day",
]


def _texts() -> list[str]:
    rng = random.Random(7)
    words = [*VOCABULARY, *_RULE_WORDS, *_PHRASES]
    cased = [*words, *(w.upper() for w in words), *(w.capitalize() for w in words)]
    made = ["".join(rng.choice(cased) + rng.choice(GLUE) for _ in range(rng.randint(1, 30))) for _ in range(2500)]
    return made + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _summary(matches: list[re.Match[str]]) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    return [(m.start(), m.end(), tuple(m.span(g) for g in range(1, (m.re.groups or 0) + 1))) for m in matches]


@pytest.mark.parametrize("letter", "abcdefghijklmnopqrstuvwxyz")
def test_caseless_matches_what_ignorecase_matches(letter: str) -> None:
    expected = [m.start() for m in re.finditer(letter, EVERY_CHARACTER, re.IGNORECASE)]
    assert [m.start() for m in re.finditer(caseless(letter), EVERY_CHARACTER)] == expected


def test_caseless_keeps_words_that_are_prefixes_of_others() -> None:
    pattern = re.compile(caseless("a|an|the|them") + r"\s")
    assert [bool(pattern.match(w + " ")) for w in ("a", "AN", "The", "thEm", "they", "ſ")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_date_scan_equals_each_rules_finditer() -> None:
    rules = list(dates._NEEDED)
    for text in _texts():
        found = dates._SCANNER.finditer_all(text)
        for rule, matches in zip(rules, found, strict=True):
            assert _summary(matches) == _summary(list(rule.finditer(text))), (rule.pattern[:40], text)


def test_number_scan_equals_start_finditer() -> None:
    for text in _texts():
        (found,) = numbers._START_SCANNER.finditer_all(text)
        assert _summary(found) == _summary(list(numbers._START.finditer(text))), text


def test_a_missing_head_is_caught() -> None:
    """The equivalence tests can fail: a necessary condition that forgets a word loses matches."""
    rule = re.compile(r"\b(?i:last|next)\s+week\b")
    text = "last week and next week, not NEXT weeks"
    complete = WordStartScanner([(rule, heads("last|next", r"\s"))]).finditer_all(text)[0]
    forgetful = WordStartScanner([(rule, heads("last", r"\s"))]).finditer_all(text)[0]
    assert [m.group() for m in complete] == [m.group() for m in rule.finditer(text)] == ["last week", "next week"]
    assert [m.group() for m in forgetful] == ["last week"]


def test_a_match_at_the_very_start_and_overlaps_resolve_like_finditer() -> None:
    rule = re.compile(r"\b(?:a\s+)?a\b")
    scanner = WordStartScanner([(rule, heads("a"))])
    for text in ("a a a", "a", " a a", "b a"):
        assert _summary(scanner.finditer_all(text)[0]) == _summary(list(rule.finditer(text)))
