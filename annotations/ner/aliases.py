"""Which surface forms name the same entity: "Bashar al-Assad" / "Bashar Assad" / "Assad".

Why: comparing articles means knowing that "Deraa" in one and "Daraa" in another are one
place, that "HTS" is "Hayat Tahrir al-Sham", and that a later "Assad" is the president
named in full earlier. Two layers:

* :func:`alias_key` — corpus-free normalisation of one surface form: case, accents,
  apostrophes and possessives, the Arabic article ("al-", "el-", "Al"), transliteration
  variants (Mohammed/Mohammad/Muhammad, Golani/Jolani, Deraa/Daraa, Suweida/Sweida:
  doubled letters collapse, "ou"→"u", "ee"→"i", then each word keeps its first letter
  and its consonants — "y" counts as a vowel, "g" is read as "j"), and a small curated table of well-known
  abbreviations ("U.S."/"US" → "United States", "UN" → "United Nations").
* :func:`group_aliases` / :class:`AliasIndex` — corpus-aware grouping on top of those
  keys: the acronym of a multi-word name seen in the corpus ("HTS" → "Hayat Tahrir
  al-Sham"; "SDMA" → "Kansas State Disaster Management Authority", whose head place it
  leaves out; an acronym the tagger labelled otherwise joins the full name's group), and a
  lone PERSON word that is the last (or, failing that, first) name of a full name in the
  corpus ("Assad" → "Bashar al-Assad"; when two full names share it, the one mentioned more
  often wins, and a tie leaves it alone).

Groups are per label (PERSON, ORG, LOC, NORP), except for an acronym that only a name of another label
spells; DATE is not grouped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factdesk.annotations.model import AliasGroup, Entity

GROUPED_LABELS = frozenset({"PERSON", "ORG", "LOC", "NORP"})

# Well-known abbreviations and alternative names → canonical name (same label).
CURATED: dict[str, str] = {
    "US": "United States",
    "U.S.": "United States",
    "U.S.A.": "United States",
    "USA": "United States",
    "United States of America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates",
    "UN": "United Nations",
    "U.N.": "United Nations",
    "EU": "European Union",
    "E.U.": "European Union",
    "NATO": "North Atlantic Treaty Organization",
    "HTS": "Hayat Tahrir al-Sham",
    "SOHR": "Syrian Observatory for Human Rights",
    "SDF": "Syrian Democratic Forces",
    "SNA": "Syrian National Army",
    "FSA": "Free Syrian Army",
    "IS": "Islamic State",
    "ISIS": "Islamic State",
    "ISIL": "Islamic State",
    "Daesh": "Islamic State",
    "al-Qaeda": "al-Qaida",
    "Al Qaeda": "al-Qaida",
    "al Nusra Front": "Nusra Front",
    "Jabhat al-Nusra": "Nusra Front",
    "IRGC": "Islamic Revolutionary Guard Corps",
    "Hizbollah": "Hezbollah",
    "Hizbullah": "Hezbollah",
}

_ARTICLE_WORDS = frozenset({"al", "el", "the"})
_ACRONYM_SKIP = frozenset({"al", "el", "the", "of", "for", "and", "&", "de", "bin", "ibn"})
_APOSTROPHES = re.compile(r"['’‘`ʿʾ]")
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_WORD = re.compile(r"[a-z0-9]+")
_VOWELS = frozenset("aeiouy")


def _plain(surface: str) -> str:
    """Lower-case ASCII without accents, possessive or apostrophes; dots dropped ("U.S." → "us")."""
    text = _POSSESSIVE.sub("", surface.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text).replace(".", "")
    return text.lower()


def _skeleton(word: str) -> str:
    """A transliteration-tolerant form of one word: "mohammed"/"muhammad" → "mhmd", "golani"/"jolani" → "jln"."""
    if word.isdigit():
        return word
    word = word.replace("ou", "u").replace("ee", "i").replace("g", "j")
    collapsed = re.sub(r"(.)\1+", r"\1", word)
    head, rest = collapsed[0], collapsed[1:]
    return head + "".join(ch for ch in rest if ch not in _VOWELS)


# A hyphen before a lower-case letter joins one word ("Co-ordination" is "Coordination"), except after the
# Arabic article ("al-sham"); before a capital it separates two ("al-Assad", "Rees-Mogg").
_JOINING_HYPHEN = re.compile(r"(?<![Aa]l)(?<![Ee]l)(?<=\w)-(?=[a-z])")
# Abbreviations that open a longer name for the words they stand for: "UN Office for …" is "United Nations
# Office for …", "US Coast Guard" is "United States Coast Guard" (written in capitals, one word).
_OPENING_ABBREVIATIONS = {v: c for v, c in CURATED.items() if v.isalpha() and v.isupper() and len(v) <= 3}


def _expand_opening(surface: str) -> str:
    first, _, rest = surface.strip().partition(" ")
    if rest and first in _OPENING_ABBREVIATIONS:
        return f"{_OPENING_ABBREVIATIONS[first]} {rest}"
    return surface


def _words(surface: str) -> list[str]:
    surface = _JOINING_HYPHEN.sub("", _expand_opening(surface))
    words = _WORD.findall(_plain(surface).replace("-", " "))
    while words and words[0] in _ARTICLE_WORDS and len(words) > 1:
        words = words[1:]
    return [w for i, w in enumerate(words) if not (w in ("al", "el") and i + 1 < len(words))]


_CURATED_KEYS: dict[str, str] = {}


def _curated(plain_key: str) -> str | None:
    if not _CURATED_KEYS:
        for variant, canonical in CURATED.items():
            _CURATED_KEYS[" ".join(_skeleton(w) for w in _words(variant))] = canonical
    return _CURATED_KEYS.get(plain_key)


def _base_key(surface: str, label: str) -> str:
    words = _words(surface)
    if label == "NORP" and words and words[-1].endswith("s") and len(words[-1]) > 4:
        words[-1] = words[-1][:-1]  # "Syrians" → "Syrian", "Kurds" → "Kurd"
    return " ".join(_skeleton(w) for w in words)


def alias_key(surface: str, label: str) -> str:
    """Corpus-free canonical key of a surface form: equal keys name the same entity.

    ``alias_key("Abu Mohammad al-Jolani", "PERSON") == alias_key("Abu Mohammed al-Golani", "PERSON")``.
    """
    key = _base_key(surface, label)
    canonical = _curated(key)
    if canonical is not None:
        key = _base_key(canonical, label)
    return f"{label}:{key}"


def acronym(surface: str) -> str | None:
    """Initials of a multi-word name ("Hayat Tahrir al-Sham" → "HTS"), or None for one word."""
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    initials = [w[0].upper() for w in words if w.lower() not in _ACRONYM_SKIP and w[0].isalpha()]
    return "".join(initials) if len(initials) >= 2 else None


def _tail_acronyms(surface: str) -> list[str]:
    """Initials of the name without its first words, three letters or more: "Kansas State Disaster Management
    Authority" → ["SDMA", "DMA"]."""
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    out = []
    for start in range(1, len(words)):
        short = acronym(" ".join(words[start:]))
        if short and len(short) >= 3:
            out.append(short)
    return out


@dataclass
class _Group:
    key: str
    label: str
    surfaces: Counter

    def canonical(self) -> str:
        for surface in self.surfaces:
            if surface in CURATED.values():
                return surface
        return min(self.surfaces, key=lambda s: (-len(_words(s)), -self.surfaces[s], -len(s), s))


class AliasIndex:
    """Maps any entity surface form to its group, for one corpus."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        counts: Counter = Counter((e.text, e.label) for e in entities if e.label in GROUPED_LABELS)
        groups: dict[str, _Group] = {}
        for (surface, label), n in sorted(counts.items()):
            key = alias_key(surface, label)
            group = groups.setdefault(key, _Group(key, label, Counter()))
            group.surfaces[surface] += n
        self._redirect: dict[str, str] = {}
        self._link_acronyms(groups)
        self._link_person_parts(groups)
        merged: dict[str, _Group] = {}
        for key, group in sorted(groups.items()):
            target = self._resolve(key)
            label = groups[target].label if target in groups else group.label  # the full name's label
            into = merged.setdefault(target, _Group(target, label, Counter()))
            into.surfaces.update(group.surfaces)
        self._by_key: dict[str, AliasGroup] = {
            key: AliasGroup(canonical=g.canonical(), label=g.label, variants=tuple(sorted(g.surfaces)))
            for key, g in merged.items()
        }
        self.groups: list[AliasGroup] = sorted(self._by_key.values(), key=lambda g: (g.label, g.canonical))

    def _resolve(self, key: str) -> str:
        seen = set()
        while key in self._redirect and key not in seen:
            seen.add(key)
            key = self._redirect[key]
        return key

    def _link_acronyms(self, groups: dict[str, _Group]) -> None:
        """An all-capitals form joins the one name whose initials it spells.

        Tried in order, the first with exactly one name wins: the whole name's initials with the same label
        ("NTSB" → "National Transportation Safety Board"), the initials of the name after a place or body that
        heads it, three letters or more ("SDMA" → "Kansas State Disaster Management Authority", "OCHA" → "UN
        Office for the Coordination of Humanitarian Affairs"), then the same two with any label: the tagger
        may call an unknown acronym a person or a place, and the full name's label is the better guess.
        """
        whole: dict[tuple[str, str], set[str]] = {}
        tails: dict[tuple[str, str], set[str]] = {}
        for key, group in groups.items():
            for surface in group.surfaces:
                short = acronym(surface)
                if short:
                    whole.setdefault((group.label, short), set()).add(key)
                    whole.setdefault(("*", short), set()).add(key)
                for tail in _tail_acronyms(surface):
                    tails.setdefault((group.label, tail), set()).add(key)
                    tails.setdefault(("*", tail), set()).add(key)
        for key, group in groups.items():
            for surface in group.surfaces:
                letters = surface.replace(".", "")
                if not (letters.isupper() and letters.isalpha() and 2 <= len(letters) <= 6):
                    continue
                tries = [(whole, group.label), (tails, group.label)]
                if surface not in CURATED and letters not in CURATED:  # "US" stays the country
                    tries += [(whole, "*"), (tails, "*")]
                for table, label in tries:
                    targets = table.get((label, letters), set()) - {key}
                    if len(targets) == 1:
                        self._redirect[key] = next(iter(targets))
                        break
                    if targets:
                        break  # ambiguous: left alone

    def _link_person_parts(self, groups: dict[str, _Group]) -> None:
        self._last: dict[str, Counter] = {}
        self._first: dict[str, Counter] = {}
        for key, group in groups.items():
            if group.label != "PERSON":
                continue
            words = key.split(":", 1)[1].split()
            if len(words) < 2:
                continue
            mentions = sum(group.surfaces.values())
            self._last.setdefault(words[-1], Counter())[key] += mentions
            self._first.setdefault(words[0], Counter())[key] += mentions
        for key in groups:
            target = self._person_part(key)
            if target is not None:
                self._redirect[key] = target

    def _person_part(self, key: str) -> str | None:
        """The full-name group a one-word PERSON key belongs to, if exactly one is the likeliest."""
        label, _, words = key.partition(":")
        if label != "PERSON" or " " in words or not words:
            return None
        candidates = self._last.get(words) or self._first.get(words)
        if not candidates:
            return None
        ranked = candidates.most_common()
        targets = {self._resolve(k) for k, n in ranked if n == ranked[0][1]}
        return targets.pop() if len(targets) == 1 else None

    def group_of(self, surface: str, label: str) -> AliasGroup | None:
        """The group a surface form belongs to (None for a form the corpus never had and no key matches)."""
        return self._by_key.get(self.key_of(surface, label))

    def key_of(self, surface: str, label: str) -> str:
        """Corpus-aware key: like :func:`alias_key`, but "Assad" and "HTS" resolve to their full names."""
        key = self._resolve(alias_key(surface, label))
        if key not in self._by_key:
            key = self._person_part(key) or key
        return key


def group_aliases(entities_per_article: Sequence[Sequence[Entity]]) -> list[AliasGroup]:
    """Alias groups over a corpus (every name gets a group; one-variant groups included), sorted by label, name."""
    return AliasIndex(e for article in entities_per_article for e in article).groups
