"""Words of a claim reduced to comparable terms: tokens, stop words, light stemming, synonyms.

Why: two sources state one fact in different words ("withdrew"/"pulled out",
"kilometers"/"km", "ten"/"10"). Matching compares *terms*, so every surface form
that means the same thing should become the same term — but no more than that:
each equivalence below is generic English or generic conflict-news wording, never
a rule written for one article.

Stemming is Porter's original algorithm (no data files), memoised because a corpus
repeats its vocabulary: PyStemmer's C implementation (Snowball's "porter"), five times
faster than NLTK's pure-Python one, with NLTK's ``PorterStemmer`` in its original mode as
the definition — for the few words where the two differ (a doubled c, h, j, k, q, v, w,
x or y: Snowball undoubles only the usual consonants, "revved" → "revv" vs "rev") and
wherever PyStemmer is not installed. A test holds the two equal on a large word list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache


def word_set(spec: str) -> frozenset[str]:
    """A word set written as one whitespace-separated string, so long lists stay short to read."""
    return frozenset(spec.split())


TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d,]*(?:\.\d+)?")

STOP_WORDS = word_set(
    """
    a about above across after afterwards again against all almost along already also although always am
    amid among an and another any anyone anything are around as at back be became because become been
    before being below beside besides between beyond both but by can cannot could did do does doing done
    down during each either else even ever every few for former formerly from further had has have
    having he her here hers herself him himself his how however i if in into is it its itself just last
    latter least less many may me meanwhile might more moreover most mostly much must my myself neither
    never nevertheless next no nobody none nor not nothing now of off often on once one only onto or
    other others otherwise our ours ourselves out over own per perhaps quite rather same several she
    should since so some somehow something sometimes still such than that the their theirs them
    themselves then there thereby therefore these they this those though through throughout thus to
    together too toward towards under until up upon us very via was we well were what whatever when
    whenever where whereas whether which while who whom whose why will with within without would yet you
    your yours said say says saying told tell tells stated states state's according reportedly reported
    reports report reporting claimed claims claim added adding noted noting described describing also
    amid al el the
    """
)

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "dozen": 12,
}

# Irregular forms the Porter stemmer leaves apart.
_IRREGULAR = {
    "fell": "fall",
    "fallen": "fall",
    "took": "take",
    "taken": "take",
    "fled": "flee",
    "left": "leave",
    "led": "lead",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "began": "begin",
    "begun": "begin",
    "held": "hold",
    "won": "win",
    "lost": "lose",
    "fought": "fight",
    "struck": "strike",
    "shot": "shoot",
    "seen": "see",
    "saw": "see",
    "went": "go",
    "gone": "go",
    "came": "come",
    "met": "meet",
    "sent": "send",
    "gave": "give",
    "given": "give",
    "broke": "break",
    "broken": "break",
    "drove": "drive",
    "driven": "drive",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    # British/American spelling
    "centre": "center",
    "centres": "center",
    "defence": "defense",
    "defences": "defense",
    "offence": "offense",
    "offences": "offense",
    "labour": "labor",
    "honour": "honor",
    "neighbour": "neighbor",
    "neighbours": "neighbor",
    "programme": "program",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "kms": "km",
    "mile": "mile",
    "miles": "mile",
}

# Near-synonyms of conflict reporting, mapped to one term after stemming.
_SYNONYMS = {
    "insurg": "rebel",
    "militant": "rebel",
    "captur": "seiz",
    "overran": "seiz",
    "overrun": "seiz",
    "retreat": "withdraw",
    "evacu": "withdraw",
    "vacat": "withdraw",
    "abandon": "withdraw",
    "pullout": "withdraw",
    "troop": "soldier",
    "demonstr": "protest",
    "protestor": "protest",
    "protest": "protest",
    "regim": "govern",
    "ousted": "oust",
    "toppl": "oust",
    "overthrow": "oust",
    "releas": "free",
    "freed": "free",
    "jail": "prison",
    "detaine": "prison",
    "prison": "prison",
    "inmat": "prison",
    "timefram": "time",
    "helicopt": "helicopt",
    "airstrik": "strike",
    "assault": "attack",
    "offens": "attack",
    "reposit": "withdraw",
    "backer": "alli",
    "patron": "alli",
    "hostil": "fight",
    "bloodsh": "fight",
    "clash": "fight",
    "violenc": "fight",
    "combat": "fight",
    "minim": "littl",
    "scant": "littl",
    "discuss": "talk",
    "negoti": "talk",
    "conven": "meet",
    "danger": "threat",
    "outskirt": "suburb",
}

_APOSTROPHES = re.compile(r"['’](?:s)?$")


# Words where Snowball's Porter and the original algorithm part ways (see the module docstring).
_DOUBLED_RARE = re.compile(r"([chjkqvwxy])\1")


@lru_cache(maxsize=1)
def _nltk_stem() -> Callable[[str], str]:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM).stem


@lru_cache(maxsize=1)
def _stem() -> Callable[[str], str]:
    """The stemming function: PyStemmer's when it is installed, else NLTK's (the same stems)."""
    try:
        import Stemmer
    except ImportError:
        return _nltk_stem()
    fast = Stemmer.Stemmer("porter").stemWord
    doubled = _DOUBLED_RARE.search

    def stem(word: str) -> str:
        return _nltk_stem()(word) if doubled(word) else fast(word)

    return stem


@lru_cache(maxsize=200_000)
def term(word: str) -> str | None:
    """The comparable term for one lower-case word, or None for a stop word.

    Numbers become ``#value`` ("ten" and "10" are both ``#10``) so that a spelled-out
    figure meets its digits.
    """
    word = _APOSTROPHES.sub("", word)
    if not word:
        return None
    if word[0].isdigit():
        digits = word.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        return f"#{int(value)}" if value.is_integer() else f"#{value:g}"
    if word in NUMBER_WORDS:
        return f"#{NUMBER_WORDS[word]}"
    if word in STOP_WORDS or len(word) < 2:
        return None
    if word in _IRREGULAR:
        word = _IRREGULAR[word]
    stem = _stem()(word)
    return _SYNONYMS.get(stem, stem)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) of each word or number in ``text``; hyphenated words come apart."""
    return [(m.start(), m.end(), m.group().lower()) for m in TOKEN.finditer(text)]


# Two-word verbs that mean one of the terms above: (term of the verb, next word) → term.
_PHRASES = {
    ("pull", "out"): "withdraw",
    ("pull", "back"): "withdraw",
    ("fall", "back"): "withdraw",
    ("move", "out"): "withdraw",
    ("take", "control"): "seiz",
    ("gain", "control"): "seiz",
    ("take", "over"): "seiz",
}


PHRASE_HEADS = frozenset(head for head, _ in _PHRASES)


def phrase_term(head: str, following: str) -> str:
    """The term of a verb ``head`` followed by the word ``following`` ("pull", "out" → "withdraw")."""
    return _PHRASES.get((head, following), head)


def phrase_terms(lowered: list[str], terms: list[str | None]) -> list[str | None]:
    """``terms`` with two-word verbs ("pulled out", "took control") replaced by their one-word term."""
    out = list(terms)
    for i in range(len(lowered) - 1):
        replacement = _PHRASES.get((out[i] or "", lowered[i + 1]))
        if replacement:
            out[i] = replacement
    return out
