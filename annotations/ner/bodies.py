"""Public bodies and clubs named by the place they serve or by a common noun are organisations.

Why: news names the bodies that give its figures by their place — "according to Kent police", "the Ohio
government said", "Indian Railways" — and a model trained on 1998 newswire stops at the place. A body in
news is as much a source as a person, and a reviewer expects it highlighted as one. General rules only:

* a place followed by "police" or "government" (or "Police"/"Government", "Railways", "Airlines", …) is one
  ORG — not after a country's abbreviation ("U.S. government", which IE-ER leaves plain), nor before a title
  ("Kent police chief …" names a person's office, the place stays LOC); after a nationality only the
  capitalised words count ("Indian Railways"): IE-ER leaves "Japanese government" unannotated;
* an untagged capitalised word that is a gazetteer place or no English word before a capitalised body head
  ("The Odisha Government said") is that body, and a national body's head alone after "the" ("The Railways
  said", "the Army") is an ORG;
* an office named after its holder ("the Sheriff's Office", "Lee County Sheriff's Office", "the Attorney
  General's Office") is an ORG;
* "the City of X" (capitalised: "Town", "Village", "Borough" too) is the municipality's government, an ORG —
  except in a Title Case headline, where "Rebels Seize the City of Homs" capitalises the place;
* a legislature named alone ("Parliament", "Congress", "Senate") is ORG, as IE-ER annotates it;
* a capitalised common noun before "UK" or "International" ("Cancer Research UK", "Energy UK", "Amnesty
  International") names an organisation, not a place;
* a name ending in "FC" or "AFC" is a football club.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.features import is_caps_line
from factdesk.annotations.ner.lexicon import Lexicon

_LOWER_BODIES = frozenset({"police", "government"})
_BODY_HEADS = frozenset(
    {"Police", "Government", "Railways", "Railway", "Airlines", "Airways", "Army", "Navy", "Coastguard", "Rail"}
)
LEGISLATURES = frozenset({"Parliament", "Congress", "Senate"})
_BRANDED = frozenset({"UK", "International"})
# Adjectives that make a part of a country, not a brand: "Northern UK", "rural UK".
_REGION_WORDS = frozenset("Northern Southern Eastern Western Central Rural Urban Greater Modern Global Whole".split())
_CLUB_SUFFIXES = frozenset({"FC", "AFC", "F.C."})
# Body heads that name the body alone after "the" ("The Railways said", "the Army"), as national bodies do.
_ALONE_BODIES = frozenset({"Railways", "Railway", "Army", "Navy", "Coastguard"})
# Offices named after their holder: "the Sheriff's Office", "the Attorney General's Office" (with the titles).
_HOLDERS = frozenset({"Sheriff", "Coroner", "Prosecutor", "Auditor", "Treasurer", "Clerk", "Assessor", "Examiner"})
_POSSESSIVES = frozenset({"'s", "’s"})
_HELD_BODIES = frozenset({"Office", "Department", "Bureau"})
# A municipality's government as news names it as a source: "according to the City of Sanibel".
_MUNICIPAL = frozenset({"City", "Town", "Village", "Borough", "Municipality"})
# A sentence with no mention and none of these words has nothing for the rules below.
_NAMED_HEADS = _BODY_HEADS | _HELD_BODIES | _MUNICIPAL
_CANDIDATES = _BRANDED | LEGISLATURES | _NAMED_HEADS


def _closed(s: TaggedSentence, end: int) -> bool:
    return end >= len(s.seen) or not s.seen[end][:1].isupper()


def _abbreviation(word: str) -> bool:
    """ "U.S.", "UK": newswire writes "the U.S. government" for a country's state, and IE-ER leaves it plain."""
    return word.isupper() or "." in word


def _body_end(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> int:
    """Where an ORG made of ``m`` and the body word after it ends (``m.j`` when no body word follows)."""
    j = m.j
    if j >= len(s.seen):
        return j
    word = s.seen[j]
    after_title = j + 1 < len(s.seen) and (s.seen[j + 1] in lexicon.titles or s.seen[j + 1].title() in lexicon.titles)
    if m.label == "LOC" and word in _LOWER_BODIES and not after_title and not _abbreviation(s.words[j - 1]):
        return j + 1
    if m.label in ("LOC", "NORP") and word in _BODY_HEADS and _closed(s, j + 1) and not after_title:
        return j + 1
    return j


def _spaced(s: TaggedSentence, t: int) -> bool:
    """Token ``t`` follows the one before it after at most one space: a name does not run across a line break."""
    return s.offsets[t][0] - s.offsets[t - 1][1] <= 1


def _unknown_place(s: TaggedSentence, t: int, lexicon: Lexicon) -> bool:
    """A capitalised word the model left untagged that may name a place: a gazetteer place or no English word
    ("Odisha" before "Government"; not "Federal" or "The")."""
    if t < 0:
        return False
    word = s.seen[t]
    if not word[:1].isupper() or word.lower() in lexicon.stopwords or _abbreviation(s.words[t]):
        return False
    tags = s.keys[t][3]
    return "ORGW" not in tags and ("CTRY" in tags or "CITY" in tags or word.lower() not in lexicon.common)


def _branded(s: TaggedSentence, t: int, lexicon: Lexicon) -> bool:
    """ "Energy" + "UK": a capitalised common noun, not a stopword or region word, before "UK"/"International"."""
    word = s.seen[t]
    return (
        t + 1 < len(s.seen)
        and s.words[t + 1] in _BRANDED
        and word[:1].isupper()
        and not word.isupper()
        and word.lower() in lexicon.common
        and word.lower() not in lexicon.stopwords
        and word not in _REGION_WORDS
        and word not in lexicon.titles
        and _closed(s, t + 2)
        and (t == 0 or not s.seen[t - 1][:1].isupper() or s.seen[t - 1].lower() in lexicon.stopwords)
    )


def _named_bodies(
    s: TaggedSentence, index: int, own: list[Mention], covered: set[int], lexicon: Lexicon
) -> list[Mention]:
    """``own`` with the bodies named by a body head, an office holder or a municipality added (see the module)."""
    words = s.words
    for t in [t for t, word in enumerate(words) if word in _BODY_HEADS and t not in covered]:
        if _unknown_place(s, t - 1, lexicon) and t - 1 not in covered and _closed(s, t + 1):
            own.append(Mention(index, t - 1, t + 1, "ORG", 0.0, "pattern"))  # "The Odisha Government"
            covered.update((t - 1, t))
        elif words[t] in _ALONE_BODIES and t and s.seen[t - 1].lower() == "the" and _closed(s, t + 1):
            own.append(Mention(index, t, t + 1, "ORG", 0.0, "pattern"))  # "The Railways on Saturday said"
            covered.add(t)
    for t in [t for t, word in enumerate(words) if word in _HELD_BODIES and t >= 2 and words[t - 1] in _POSSESSIVES]:
        holder = s.seen[t - 2]
        if not (holder in _HOLDERS or holder in lexicon.titles):
            continue
        start = t - 2
        while start > 0 and s.seen[start - 1][:1].isupper() and s.seen[start - 1].lower() not in lexicon.stopwords:
            start -= 1  # "Lee County" + "Sheriff's Office" (a mention of it the model made lies inside)
        inside = [m for m in own if m.i < t + 1 and start < m.j]
        if all(start <= m.i and m.j <= t + 1 and m.label != "PERSON" for m in inside):
            own = [m for m in own if m not in inside]
            own.append(Mention(index, start, t + 1, "ORG", 0.0, "pattern"))
            covered.update(range(start, t + 1))
    title_case = is_caps_line(words, False, lexicon.stopwords)
    for t in [t for t, word in enumerate(words) if word in _MUNICIPAL and t + 2 < len(words) and words[t + 1] == "of"]:
        if not t or s.seen[t - 1].lower() != "the" or not words[t + 2][:1].isupper() or title_case:
            continue  # in a Title Case headline "the City of Homs" is the place
        end = t + 2
        while end < len(words) and words[end][:1].isupper() and end - t < 6 and _spaced(s, end):
            end += 1
        inside = [m for m in own if m.i < end and t < m.j]
        if all(t <= m.i and m.j <= end and m.label != "PERSON" for m in inside):
            own = [m for m in own if m not in inside]
            own.append(Mention(index, t, end, "ORG", 0.0, "pattern"))  # "the City of Sanibel"
            covered.update(range(t, end))
    return own


def body_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Apply the public-body rules to ``doc.mentions`` in place."""
    by_sentence = doc.mentions_by_sentence()
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = by_sentence.get(index, [])
        if not own and not _CANDIDATES.intersection(s.words):
            continue
        covered = {t for m in own for t in range(m.i, m.j)}
        for m in list(own):
            end = _body_end(s, m, lexicon)
            if end == m.j:
                if m.label in ("LOC", "PERSON") and s.words[m.j - 1] in _CLUB_SUFFIXES:
                    m.label = "ORG"
                continue
            alone = [x for x in own if x.i == m.j]  # the body word, when the model tagged it alone ("Railways")
            if end > m.j and (end - 1 not in covered or (len(alone) == 1 and alone[0].j == end)):
                own = [x for x in own if x not in alone]
                m.j, m.label = end, "ORG"
                covered.add(end - 1)
        words = s.words
        if not _NAMED_HEADS.isdisjoint(words):
            own = _named_bodies(s, index, own, covered, lexicon)
        for t in [t for t, word in enumerate(words) if word in _BRANDED or word in LEGISLATURES]:
            if words[t] in _BRANDED:
                t -= 1
            if t < 0 or t in covered:
                continue
            word = s.seen[t]
            if _branded(s, t, lexicon) and t + 1 not in covered:
                own.append(Mention(index, t, t + 2, "ORG", 0.0, "pattern"))
                covered.update((t, t + 1))
            elif (
                word in LEGISLATURES
                and (t == 0 or not s.seen[t - 1][:1].isupper() or s.seen[t - 1] == "The")
                and _closed(s, t + 1)
            ):
                own.append(Mention(index, t, t + 1, "ORG", 0.0, "pattern"))
                covered.add(t)
        for m in own:
            if m.label != "ORG" and m.j - m.i == 1 and s.seen[m.i] in LEGISLATURES:
                m.label = "ORG"  # "Parliament" the model read as a place
            elif (
                m.j - m.i == 1
                and m.label == "LOC"
                and s.words[m.i] in _BRANDED
                and m.i > 0
                and _branded(s, m.i - 1, lexicon)
                and m.i - 1 not in covered
            ):
                m.i, m.label = m.i - 1, "ORG"  # "Energy" + "UK" tagged LOC
                covered.add(m.i)
        out.extend(own)
    doc.mentions = out
