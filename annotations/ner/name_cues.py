"""Grammar that says who a name is, in any news story: photo credits, a firm's short name, a party before a name.

Why: on news the model never saw, the shapes around a name decide it more than the name itself, and each of
these comes out wrong without the rule ("JOSEPH" PERSON alone in "(JOSEPH AGCAOILI/AFP)"; a firm's founder's
name in a headline PERSON although the story is about "Karen Clark & Co."; "former Tory Lee Anderson" one
person). General shapes and vocabularies only, no name of any event:

* a photo credit — capitalised words glued before "/" and a wire or photo agency ("JANE DOE/AFP"), or after
  "Photo"/"Photograph"/"Picture" at the end of a caption ("Photo Jane Doe") — names a person (two words or
  more: one word may be an outlet);
* a firm named with its company suffix ("X Y & Co.", "X Inc.", "X Ltd") is meant when the article writes its
  short name alone ("X Y pegs losses at …"): that short name is the ORG, not a person;
* a party or nationality word opening a person's name ("former Tory Lee Anderson", "Scottish Jane Doe")
  is that group's NORP, and the person starts at the given name after it;
* a capitalised name followed by its acronym in brackets ("United Nations Office for the Co-ordination of
  Humanitarian Affairs (OCHA)", "Special Relief Commissioner (SRC)") is one organisation, whatever pieces the
  model made of it: people and places are not introduced with an acronym (a known place keeps its label);
* a name joined by "&" ("Urban Search & Rescue Teams", "Smith & Wesson") is an organisation, not a person;
* initials and a surname set off by a comma and a role ("said KS Anand, chief public relations officer") are a
  person, not an organisation.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.lexicon import Lexicon
from factdesk.annotations.ner.media import AGENCIES, MEDIA_HEADS

_CREDIT_WORDS = frozenset({"Photo", "Photos", "Photograph", "Photographs", "Picture", "Pictures", "Image"})
_COMPANY_SUFFIXES = frozenset(
    "Co. Co Inc. Inc Ltd Ltd. LLC LLP Corp. Corp plc PLC GmbH S.A. SA N.V. Pty Limited Incorporated".split()
)
_STEM_JOINS = frozenset({"&", "and", ",", "+"})
# Roles set off after a name by a comma: "X, chief …", "X, a spokesperson for …" (lower case, as in apposition).
_ROLES = frozenset(
    "chief spokesperson spokesman spokeswoman officer director minister secretary head superintendent "
    "commissioner inspector president chairman chairwoman chairperson manager deputy professor".split()
)
_MAX_NAME = 4
# Lower-case words that may sit inside an organisation's name before its acronym.
_NAME_LINKS = frozenset({"of", "for", "the", "and", "on", "de", "&", "-"})
_MAX_NAMED = 12
_PLACE_TAGS = frozenset({"CTRY", "CITY", "I-CTRY", "I-CITY"})
_ARTICLES = frozenset({"The", "A", "An", "THE"})


def _glued(s: TaggedSentence, left: int) -> bool:
    return s.offsets[left][1] == s.offsets[left + 1][0]


def _credit_word(word: str) -> bool:
    """A word of a credited name as written: capitalised letters, not an agency ("AFP") or a media word."""
    return (
        word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha() and word not in AGENCIES
    ) and word not in MEDIA_HEADS


def _person(s: TaggedSentence, index: int, own: list[Mention], i: int, j: int) -> list[Mention]:
    """``own`` with tokens ``[i, j)`` one PERSON, unless an organisation a rule found lies there."""
    inside = [m for m in own if m.i < j and i < m.j]
    if any(m.i < i or m.j > j or (m.label != "PERSON" and m.source != "model") for m in inside):
        return own
    kept = [m for m in own if m not in inside]
    kept.append(Mention(index, i, j, "PERSON", 0.0, "pattern"))
    return kept


def _credits(s: TaggedSentence) -> list[tuple[int, int]]:
    """Credited names: "JOSEPH AGCAOILI" in "(JOSEPH AGCAOILI/AFP)", "Jane Doe" in "Photo: Jane Doe"."""
    words, found = s.words, []
    for t, word in enumerate(words):
        if word == "/" and 0 < t < len(words) - 1 and _glued(s, t - 1) and _glued(s, t):
            if words[t + 1] not in AGENCIES and words[t + 1] != "Getty":
                continue
            start = t
            while start > 0 and t - start < _MAX_NAME and _credit_word(words[start - 1]):
                start -= 1
            if t - start >= 2 and (start == 0 or not words[start - 1][:1].isalnum()):
                found.append((start, t))
        elif word in _CREDIT_WORDS:
            start = t + 1
            if start < len(words) and words[start] in (":", "by"):
                start += 1
            end = start
            while end < len(words) and end - start < _MAX_NAME and _credit_word(words[end]):
                end += 1
            if end - start >= 2 and (end == len(words) or words[end] in ("/", ")", ";", "|")):
                found.append((start, end))
    return found


def _acronym_named(s: TaggedSentence) -> list[tuple[int, int]]:
    """Names introduced with their acronym: tokens ``[i, j)`` before "(" + "ABC" + ")" whose initials it abbreviates."""
    words, found = s.words, []
    for t in range(1, len(words) - 2):
        acronym = words[t + 1]
        if words[t] != "(" or words[t + 2] != ")" or not (2 <= len(acronym) <= 8 and acronym.isupper()):
            continue
        start = t
        while start > 0 and t - start < _MAX_NAMED:
            word = words[start - 1]
            hyphenated = start >= 2 and words[start - 2] == "-" and _glued(s, start - 2)
            if (word[:1].isupper() and word[:1].isalpha()) or (hyphenated and word.isalpha()):
                start -= 1  # "Co-" + "ordination" is one word of the name
            elif word in _NAME_LINKS and start - 1 > 0 and start < t:
                start -= 1
            else:
                break
        start = _acronym_start(words, start, t, acronym)
        if start >= 0:
            found.append((start, t))
    return found


def _acronym_start(words: list[str], start: int, end: int, acronym: str) -> int:
    """Where the name of ``acronym`` opens in ``words[start:end]`` (-1: it does not abbreviate them).

    The name opens at the last word with the acronym's first letter from which the acronym still abbreviates
    the rest, and takes in the capitalised words right before it ("United Nations" + "Office for …"), so a
    list before the name stays out of it ("Qatar and the United Arab Emirates (UAE)").
    """
    for first in range(end - 2, start - 1, -1):
        if words[first][:1] == acronym[0] and _abbreviates(acronym, words[first:end]):
            while first > start and words[first - 1][:1].isupper() and words[first - 1] not in _ARTICLES:
                first -= 1
            return first
    return -1


def _abbreviates(acronym: str, name: list[str]) -> bool:
    """The acronym's letters are, in order, the initials of at least two and half of it of the name's
    capitalised words ("OCHA" in "United Nations Office for the Co-ordination of Humanitarian Affairs")."""
    initials = [w[0] for w in name if w[:1].isupper()]
    matched, k = 0, 0
    for letter in acronym:
        while k < len(initials) and initials[k] != letter:
            k += 1
        if k == len(initials):
            break
        matched, k = matched + 1, k + 1
    return matched >= 2 and 2 * matched >= len(acronym)


def _organisation(s: TaggedSentence, index: int, own: list[Mention], i: int, j: int) -> list[Mention]:
    """``own`` with tokens ``[i, j)`` one ORG, unless a place or person found by a rule, a longer name, a
    gazetteer place ("United Arab Emirates (UAE)") or the model's whole person ("John Smith (JS)") is there."""
    inside = [m for m in own if m.i < j and i < m.j]
    if any(m.i < i or m.j > j or (m.label != "ORG" and m.source != "model") for m in inside):
        return own
    if _PLACE_TAGS.intersection(s.keys[j - 1][3]) or any(m.label == "PERSON" and (m.i, m.j) == (i, j) for m in inside):
        return own
    kept = [m for m in own if m not in inside]
    kept.append(Mention(index, i, j, "ORG", 0.0, "pattern"))
    return kept


def _party_prefix(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> bool:
    """ "Tory" + "Lee Anderson": a group word before a given name and a surname, in one PERSON."""
    if m.label != "PERSON" or m.j - m.i < 3:
        return False
    first = s.seen[m.i]
    return "NORP" in lexicon.single.get(first.lower(), ()) and "FIRST" in s.keys[m.i + 1][3] and first not in AGENCIES


def _initials_in_apposition(s: TaggedSentence, m: Mention) -> bool:
    """ "KS Anand" + ", chief …": initials, a surname, and a role after a comma."""
    if m.label != "ORG" or m.j - m.i != 2 or m.j + 1 >= len(s.words):
        return False
    initials, surname = s.words[m.i], s.words[m.j - 1]
    return (
        initials.isupper()
        and initials.isalpha()
        and len(initials) <= 3
        and surname[:1].isupper()
        and surname[1:].islower()
        and surname not in MEDIA_HEADS
        and "ORGW" not in s.keys[m.j - 1][3]
        and s.words[m.j] == ","
        and s.words[m.j + 1] in _ROLES
    )


def _ampersand_end(s: TaggedSentence, m: Mention, own: list[Mention]) -> int:
    """The end of a name joined to ``m`` by "&" ("Urban Search & Rescue Teams"): people's names have no "&"."""
    words = s.words
    if m.j + 1 >= len(words) or words[m.j] != "&" or not words[m.j + 1][:1].isupper():
        return m.j
    end = m.j + 1
    while end < len(words) and words[end][:1].isupper() and end - m.j <= _MAX_NAME:
        end += 1
    if any(x is not m and x.i < end and m.j <= x.i and x.j > end for x in own):
        return m.j  # a longer name starts inside the run
    return end


def _company_stems(doc: TaggedDocument) -> set[tuple[str, ...]]:
    """Short names of the firms named with a company suffix: ("Karen", "Clark") from "Karen Clark & Co."."""
    stems = set()
    for m in doc.mentions:
        if m.label not in ("ORG", "PERSON"):
            continue
        words = doc.sentences[m.sent].seen[m.i : m.j]
        if len(words) < 2 or words[-1] not in _COMPANY_SUFFIXES:
            continue
        stem = words[:-1]
        while stem and stem[-1] in _STEM_JOINS:
            stem = stem[:-1]
        if stem:
            stems.add(tuple(stem))
    return stems


def name_cue_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Apply the credit, acronym, firm, party-prefix and apposition cues to ``doc.mentions`` in place."""
    by_sentence = doc.mentions_by_sentence()
    stems = _company_stems(doc)
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = list(by_sentence.get(index, []))
        if "/" in s.words or not _CREDIT_WORDS.isdisjoint(s.words):
            for i, j in _credits(s):
                own = _person(s, index, own, i, j)
        if "(" in s.words:
            for i, j in _acronym_named(s):
                own = _organisation(s, index, own, i, j)
        for m in list(own):
            if _party_prefix(s, m, lexicon):
                own.append(Mention(index, m.i, m.i + 1, "NORP", m.confidence, "pattern"))
                m.i += 1
            elif _initials_in_apposition(s, m):
                m.label = "PERSON"
            elif m.label == "PERSON" and ("&" in s.words[m.i : m.j] or s.words[m.j - 1] in _COMPANY_SUFFIXES):
                m.label = "ORG"  # "Karen Clark & Co." read as a person
            elif m.label == "PERSON" and (end := _ampersand_end(s, m, own)) > m.j:
                m.j, m.label = end, "ORG"  # "Urban Search" + "& Rescue Teams"
            elif m.label == "PERSON" and stems and tuple(s.seen[m.i : m.j]) in stems:
                m.label = "ORG"
        out.extend(own)
    doc.mentions = out
