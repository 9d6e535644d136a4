"""Split a sentence into word tokens with offsets, the way the tagger sees them.

Why its own tokeniser (and not NLTK's): entity spans must map back to exact string
offsets, and two splits decide what a name *is*:

* a possessive ``'s``/``’s`` (and a bare trailing apostrophe, "rebels’") is its own
  token, so "Assad’s" yields the name "Assad";
* a hyphen is its own token, so "Turkey-backed" yields "Turkey" while
  "al-Assad" is re-joined by the tagger from "al", "-", "Assad".

Abbreviation periods stay on their word ("U.S.", "Corp.", "Calif.", initials such
as "W."), because newswire names include them.
"""

from __future__ import annotations

import re

from factdesk.annotations.ner.curated import ABBREVIATIONS

_ABBREVIATIONS = frozenset(a.lower() for a in ABBREVIATIONS)
_INITIALS = r"(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # U.S. U.N. D.C. (periods kept)
_DOMAIN = r"[^\W_]++(?:[.-][^\W_]++)*\.(?i:com|net|org|gov|edu|co\.uk|int)\b"  # Goto.com (++: no backtracking)
_REST = r"""
      \d+(?:[.,:]\d+)*                   # numbers, 1,500 / 3.5 / 10:30
    | [^\W_]+(?:['’][^\W\d_]+)*          # words, O'Brien, don't, Assad’s (split below)
    | \S                                 # any other single character
"""
_TOKEN = re.compile("|".join((_INITIALS, _DOMAIN, _REST)), re.X)
# Every match of the first two alternatives contains this (".S." of "U.S.", ".com"). Trying them costs
# a scan of each word, so a sentence without it (nearly all) is matched without them: the same
# matches in a quarter less time.
_INITIALS_OR_DOMAIN = re.compile(r"\.(?:[^\W\d_]\.|(?i:com|net|org|gov|edu|co\.uk|int)\b)")
_PLAIN_TOKEN = re.compile(_REST, re.X)
_POSSESSIVES = frozenset({"'s", "’s", "'S", "’S"})


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the tokens of ``text[start:end]``, offsets into ``text``."""
    if end is None:
        end = len(text)
    pattern = _PLAIN_TOKEN if _INITIALS_OR_DOMAIN.search(text, start, end) is None else _TOKEN
    return tokens_by(pattern, text, start, end)


def tokens_by(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`tokenize` with the given pattern (``_TOKEN`` always gives the same tokens; a test checks it)."""
    spans: list[tuple[int, int]] = []
    append = spans.append
    skip_period = -1  # offset of a period already taken by an abbreviation
    for match in pattern.finditer(text, start, end):
        s, e = match.span()
        if s == skip_period:
            continue
        if e - s > 2 and text[e - 2 : e] in _POSSESSIVES and text[s].isalpha():
            append((s, e - 2))
            append((e - 2, e))
            continue
        if e < end and text[e] == "." and text[s].isalpha():
            word = text[s:e]
            if "." not in word and (word.lower() in _ABBREVIATIONS or (e - s == 1 and word.isupper())):
                append((s, e + 1))
                skip_period = e
                continue
        append((s, e))
    return spans
