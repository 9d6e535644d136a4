"""Entity keys: which names denote the same thing, and spelling variants of names.

Why: sources transliterate and abbreviate names differently ("Golani"/"Jolani",
"Deraa"/"Daraa", "UN"/"United Nations"). ``factdesk.annotations.ner.aliases.alias_key`` is the
project's answer; until it exists (and for callers who pass their own) a simple
default keeps the comparison running. :func:`variant_map` is a second, corpus-level
net for transliterations the key misses: proper-noun terms whose consonant skeletons
agree and whose spellings are close are folded into one term.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from factdesk.annotations.model import AliasGroup, CorpusAnalysis

AliasKey = Callable[[str, str], str]

_POSSESSIVE = re.compile(r"['’]s?$")
_SEPARATORS = re.compile(r"[\s\-‐–—_/]+")
_DROPPED = {"al", "el", "the"}


def default_alias_key(surface: str, label: str) -> str:
    """Case-folded name without accents, "the", "al-" particles, dots and possessives.

    The label is ignored on purpose: a rule-based recogniser may call "Assad" LOC in
    one article and PERSON in another, and the key must still meet.
    """
    del label
    text = unicodedata.normalize("NFKD", surface)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().replace("’", "'")
    text = text.replace(".", "")
    parts = [_POSSESSIVE.sub("", part) for part in _SEPARATORS.split(text)]
    kept = [part for part in parts if part and part not in _DROPPED]
    return " ".join(kept) if kept else text.strip()


def resolve_alias_key(alias_key: AliasKey | None, analysis: CorpusAnalysis) -> tuple[AliasKey, bool]:
    """The key to compare names with, and whether it is the simple default.

    The caller's key wins; else a name keys to its alias group's canonical name
    ("Assad" → "Bashar al-Assad", "HTS" → "Hayat Tahrir al-Sham"): the analysis's own
    groups when it carries them (``analysis.analyze_articles`` does; they are read, not
    redone), else ``factdesk.annotations.ner.aliases.AliasIndex`` over its entities; a form in no
    group falls back to ``factdesk.annotations.ner.aliases.alias_key``. Without that module:
    :func:`default_alias_key`.

    Why the canonical name and not the alias module's transliteration skeleton: keys
    are compared across labels (see ``features._fold_keys``), and skeletons collide
    across them ("Homs" and "Hamas" are both "hms").
    """
    if alias_key is not None:
        return alias_key, alias_key is default_alias_key
    try:
        module = importlib.import_module("factdesk.annotations.ner.aliases")
    except ModuleNotFoundError as error:
        if error.name != "factdesk.annotations.ner.aliases":
            raise
        return default_alias_key, True
    fallback = getattr(module, "alias_key", default_alias_key)
    groups: Iterable[AliasGroup] = analysis.aliases
    if not groups:
        index_type = getattr(module, "AliasIndex", None)
        if index_type is None:
            return fallback, False
        groups = index_type(entity for article in analysis.articles for entity in article.entities).groups
    keys = {
        (variant, group.label): f"{group.label}:{group.canonical.casefold()}"
        for group in groups
        for variant in group.variants
    }

    def group_key(surface: str, label: str) -> str:
        found = keys.get((surface, label))
        return found if found is not None else fallback(surface, label)

    return group_key, False


_VOWELISH = set("aeiouyhw")
VARIANT_FANOUT = 16  # later terms of its skeleton a term is compared with (see variant_map)
_FIRST = {"j": "g", "q": "k", "c": "k"}


def skeleton(word: str) -> str:
    """First letter plus the consonants, doubled letters collapsed: "Golani"/"Jolani" → "gln"."""
    if not word:
        return ""
    first = _FIRST.get(word[0], word[0])
    rest = [_FIRST.get(ch, ch) for ch in word[1:] if ch not in _VOWELISH and ch.isalpha()]
    out = [first]
    for ch in rest:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def variant_map(terms: Iterable[str], *, min_ratio: float = 0.75, min_length: int = 4) -> dict[str, str]:
    """{variant: representative} for proper-noun terms spelled alike ("deraa" → "daraa").

    Two terms are variants when their skeletons are equal and their spelling
    similarity is at least ``min_ratio`` (so "homs" and "hamas", same skeleton, stay
    apart). The representative is the alphabetically first, so the map is stable.

    A term is compared with the ``VARIANT_FANOUT`` terms after it in its skeleton's bucket, not all of them:
    buckets hold a handful of names (the seeds and the benchmark corpus: at most 11), but thousands of made-up
    names of one skeleton ("Baouia", "Beiyoa", …) would cost their square in spelling ratios.
    """
    buckets: dict[str, list[str]] = defaultdict(list)
    for term in sorted(set(terms)):
        if len(term) >= min_length and term.isalpha():
            buckets[skeleton(term)].append(term)
    mapping: dict[str, str] = {}
    for members in buckets.values():
        if len(members) < 2:
            continue
        for i, term in enumerate(members):
            if term in mapping:
                continue
            for other in members[i + 1 : i + 1 + VARIANT_FANOUT]:
                if other not in mapping and _alike(term, other, min_ratio):
                    mapping[other] = term
    return mapping


def _alike(a: str, b: str, min_ratio: float) -> bool:
    """``SequenceMatcher(None, a, b).ratio() >= min_ratio``, its cheap upper bounds tried first (lengths, letters).

    Why: a corpus has thousands of names, and the full ratio is the slow part of :func:`variant_map`.
    """
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < min_ratio:  # real_quick_ratio, without building the matcher
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= min_ratio and matcher.ratio() >= min_ratio
