"""What a number counts: the head noun after it ("14 provincial capitals" → "capitals"), in a plural normal form.

A plural count takes the first plural-looking word; a singular one ("One U.S. official put …") the last word
before a stop word, pluralised ("officials"), so two articles counting the same thing get the same unit.
"""

from __future__ import annotations

import re

from factdesk.annotations.text.number_words import IRREGULAR_PLURALS, NUMBER_WORDS, SINGULAR_TO_PLURAL, STOP

_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][A-Za-z’'\-]*(?:\.[A-Za-z]+)*)(\.?)")


def looks_plural(word: str) -> bool:
    lw = word.lower()
    if lw in IRREGULAR_PLURALS:
        return True
    if len(word) >= 3 and word.endswith("s") and word[:-1].isupper() and word[:-1].isalpha():
        return True  # an acronym's plural: "MPs", "NGOs", "ATMs"
    return len(lw) > 3 and lw.endswith("s") and not lw.endswith(("ss", "us", "is", "'s", "’s")) and lw not in STOP


def pluralise(word: str) -> str:
    lw = word.lower()
    if lw in SINGULAR_TO_PLURAL:
        return SINGULAR_TO_PLURAL[lw]
    if looks_plural(lw):
        return lw
    if lw.endswith("y") and lw[-2:-1] not in "aeiou":
        return lw[:-1] + "ies"
    if lw.endswith(("s", "x", "ch", "sh")):
        return lw + "es"
    return lw + "s"


def _is_modifier_only(word: str) -> bool:
    """Words that can sit between a number and its noun but are never the noun itself."""
    lw = word.lower()
    return (lw.endswith(("ing", "ed", "ly")) and not lw.endswith(("ings", "thing")) and len(lw) > 4) or lw.endswith(
        "-based"
    )


def counted_noun(text: str, pos: int, plural: bool) -> tuple[str, int] | None:
    """Head noun of the words after ``pos``: (normalised noun, end offset) or None.

    A plural count takes the first plural-looking word ("14 provincial capitals");
    a singular one ("One U.S. official put …") the last word before a stop word.
    """
    tokens: list[tuple[str, int]] = []
    for _ in range(4):
        m = _NEXT_WORD.match(text, pos)
        if not m:
            break
        word = m.group(1)
        lw = word.lower()
        if lw in STOP or lw in NUMBER_WORDS or lw.endswith(("'s", "’s")):
            break
        if not plural and tokens and looks_plural(word):
            break  # "one man dies": the -s word is the verb
        tokens.append((word, m.end(1)))
        if plural and looks_plural(word) and "." not in word and not word.isupper():
            return lw, m.end(1)
        if m.group(2) and "." not in word:
            break  # sentence end
        pos = m.end()
        if text[pos : pos + 1] not in (" ", "\t"):
            break
    if plural or not tokens:
        return None
    for word, end in reversed(tokens):
        if "." not in word and not word.isupper() and not _is_modifier_only(word):
            return pluralise(word), end
    return None
