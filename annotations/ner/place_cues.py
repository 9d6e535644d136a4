"""Grammar that names a place in any news story: lists before an area noun, "MP for X", "X-based", "X, Florida".

Why: the gazetteer does not know most towns, counties and constituencies of a story the model never saw,
and a lone unknown capitalised word reads like a surname ("one each in Polk, Lake, Hendry and Hillsborough
counties" gave "Hendry" PERSON; "the new MP for Clacton" gave "Clacton" PERSON). The sentence itself says it
is a place, in a few shapes that hold in any story — general grammar and vocabulary only, no place of any
event:

* a list of capitalised names before a plural area noun ("A, B and C counties", "X and Y districts") are all
  places;
* after a representative's title and "for" ("MP for X", "Senator for X"), the names up to the end of the list
  are places (constituencies), and so is a name before "constituency";
* a name glued to "-based" ("Boston-based") or to "-shire" ("Ross-shire") is a place;
* after a locative word ("at", "near", "reached"), a list of two or more names ending in a facility word
  ("Community Center", "High School", "Bible Church") are places: where people shelter or gather (one
  facility alone is as often the body that runs it, "at the Target Center", which IE-ER labels ORG);
* a name after a lower-case place noun and "of" ("the city of X", "the outskirts of X") is a place;
* after a place and "and", a name opened by a compass word ("... and East Thurrock") is a place;
* a one-word PERSON listed between two places ("Inverness, Skye and Ross-shire") is a place;
* a capitalised word after a place preposition and before a comma and a place ("near Caines, South Carolina")
  is a place: the comma reads "in".

The rules relabel a PERSON (or the model's nothing) and never an organisation: "Google-based" stays as it was.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.lexicon import Lexicon
from factdesk.annotations.ner.parties import PARTY_MEMBERS, PARTY_NAMES, PARTY_PLURALS

# Plural area nouns that follow a list of their names: "Polk and Lee counties", "Sindh and Punjab provinces".
AREA_PLURALS = frozenset(
    "counties districts provinces states regions parishes boroughs governorates prefectures oblasts "
    "municipalities townships cantons departments constituencies wards islands".split()
)
# Representatives named by the area they represent: "MP for X", "Senator for X".
REPRESENTATIVES = frozenset("MP MPs MSP MSPs MLA MLAs MEP MEPs MPP TD Congressman Congresswoman Senator Member".split())
_CONSTITUENCY = frozenset({"constituency", "riding", "electorate"})
_PLACE_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "from"})
_LIST_JOINS = frozenset({",", "and", "&"})
# Words that open a part of an area named after it: "East Thurrock", "North East Somerset", "Greater Casablanca".
COMPASS = frozenset("North South East West Northern Southern Eastern Western Central Upper Lower Greater".split())
# Buildings and grounds a story sends people to: "shelters at X Community Center, Y High School and Z Church".
FACILITY_HEADS = frozenset(
    "Center Centre Gymnasium Gym Church Cathedral Chapel Mosque Temple Synagogue Mall Arena Stadium School "
    "Hall Shelter Park Library Auditorium Fairgrounds".split()
)
# Words after which a facility is where someone is or goes: "at", "near", "reached (the)".
_LOCATIVE = frozenset({"at", "inside", "outside", "near", "reached"})
_FACILITY_LINKS = frozenset({"of", "-", "'s", "’s"})
# Lower-case place nouns before "of" and a name: "the city of X", "the outskirts of X", "the province of X".
PLACE_NOUNS = frozenset(
    "city town village district province region state county island port capital suburb suburbs outskirts "
    "municipality governorate prefecture neighbourhood neighborhood kingdom emirate".split()
)


_PARTY_WORDS = PARTY_NAMES | PARTY_PLURALS | PARTY_MEMBERS | {"Party"}


# Every word a cue in the first pass starts from: a sentence with none of them and no place is left alone.
_TRIGGERS = (
    AREA_PLURALS | _CONSTITUENCY | _PLACE_PREPOSITIONS | _LOCATIVE | {"shire", "Shire", "SHIRE", "based", "for", "of"}
)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


def _glued(s: TaggedSentence, left: int) -> bool:
    return s.offsets[left][1] == s.offsets[left + 1][0]


class _Sentence:
    """One sentence's mentions by token, so a rule can relabel the name at a token or add one."""

    def __init__(self, index: int, s: TaggedSentence, mentions: list[Mention], lexicon: Lexicon) -> None:
        self.index, self.s, self.mentions, self.lexicon = index, s, mentions, lexicon
        self.at: dict[int, Mention] = {t: m for m in mentions for t in range(m.i, m.j)}

    def name_word(self, t: int) -> bool:
        word = self.s.seen[t]
        return _capitalised(self.s.words[t]) and word.lower() not in self.lexicon.stopwords

    def name_end(self, start: int) -> int:
        """Where the name opening at ``start`` ends: a mention's end, or the end of a capitalised run."""
        m = self.at.get(start)
        if m is not None:
            return m.j if m.i == start else start
        end = start
        while end < len(self.s.words) and end not in self.at and self.name_word(end):
            end += 1
        return end

    def name_start(self, end: int) -> int:
        """Where the name ending just before ``end`` starts (``end`` when there is none)."""
        m = self.at.get(end - 1)
        if m is not None:
            return m.i if m.j == end else end
        start = end
        while start > 0 and start - 1 not in self.at and self.name_word(start - 1):
            start -= 1
        return start

    def place(self, i: int, j: int, *, strong: bool = False) -> None:
        """Tokens ``[i, j)`` are a place: relabel the PERSON or unlabelled name there, never an organisation
        that a rule found (``strong``: a list after "MP for" also overrules the model's ORG)."""
        if i >= j:
            return
        inside = [m for m in self.mentions if m.i < j and i < m.j]
        kept = ("NORP",) if strong else ("ORG", "NORP")
        if any(m.label in kept or (m.label == "ORG" and m.source != "model") for m in inside) or any(
            m.i < i or m.j > j for m in inside
        ):
            return
        if any(self.s.seen[t] in _PARTY_WORDS for t in range(i, j)):
            return  # "MPs for Labour": a party, not a seat
        for m in inside:
            self.mentions.remove(m)
        m = Mention(self.index, i, j, "LOC", 0.0, "pattern")
        self.mentions.append(m)
        for t in range(i, j):
            self.at[t] = m


def _list_before(sent: _Sentence, end: int) -> list[tuple[int, int]]:
    """The names of a list ending just before ``end``: "Polk, Lake, Hendry and Hillsborough" (two or more)."""
    names: list[tuple[int, int]] = []
    words = sent.s.words
    while True:
        start = sent.name_start(end)
        if start == end or end - start > 4:
            break
        names.append((start, end))
        if start == 0 or words[start - 1] not in _LIST_JOINS:
            break
        end = start - 1
    return names if len(names) >= 2 else []


def _list_after(sent: _Sentence, start: int) -> list[tuple[int, int]]:
    """The names of a list opening at ``start``; commas count only when an "and" closes the list."""
    names: list[tuple[int, int]] = []
    words = sent.s.words
    closed = False
    while start < len(words):
        end = sent.name_end(start)
        if end == start or end - start > 5:
            break
        while end + 1 < len(words) and words[end] == "-" and _glued(sent.s, end - 1) and _glued(sent.s, end):
            end += 2  # "Ross" + "-shire"
        names.append((start, end))
        if closed or end >= len(words) or words[end] not in _LIST_JOINS:
            break
        closed = words[end] != ","
        start = end + 1
    if len(names) > 1 and not closed:
        return names[:1]
    return names


def _hyphenated_end(sent: _Sentence, start: int) -> int:
    """The end of the name opening at ``start``, across glued hyphens before capitals ("Al-" + "Marj")."""
    s, words = sent.s, sent.s.words
    end = sent.name_end(start)
    while (
        start < end
        and end + 1 < len(words)
        and words[end] == "-"
        and _glued(s, end - 1)
        and _glued(s, end)
        and _capitalised(words[end + 1])
    ):
        end = sent.name_end(end + 1)
    return end


def _shire(sent: _Sentence, t: int) -> None:
    """ "Ross" + "-" + "shire": the name before the hyphen and the suffix are one place."""
    s = sent.s
    if t < 2 or s.words[t - 1] != "-" or not _glued(s, t - 2) or not _glued(s, t - 1):
        return
    start = sent.name_start(t - 1)
    if start < t - 1:
        sent.place(start, t + 1)


def _facility_list(sent: _Sentence, t: int) -> None:
    """ "at War Memorial Gymnasium, Hannibal Tavares Community Center and Maui High School": after a locative
    word, each of two or more names ending in a facility word is a place (where people shelter), whatever the
    model said."""
    words = sent.s.words
    start = t + 1 + (t + 1 < len(words) and words[t + 1].lower() == "the")
    names: list[tuple[int, int]] = []
    while start < len(words) and _capitalised(words[start]):
        end, last_head = start, -1
        while end < len(words) and (
            _capitalised(words[end]) or (words[end] in _FACILITY_LINKS and end > start and end + 1 < len(words))
        ):
            if words[end] in FACILITY_HEADS:
                last_head = end
            end += 1
        if last_head < 0 or last_head != end - 1:
            break  # not a facility, or one with more name after it ("Church of …"): the list ends before it
        names.append((start, last_head + 1))
        nxt = last_head + 1
        if nxt >= len(words) or words[nxt] not in (",", "and") or nxt + 1 >= len(words):
            break
        start = nxt + 1 + (words[nxt] == "," and nxt + 1 < len(words) and words[nxt + 1] == "and")
    if len(names) < 2:
        return  # one facility after "at" is as often the body that runs it ("at the Target Center"; IE-ER: ORG)
    lo, hi = names[0][0], names[-1][1]
    inside = [m for m in sent.mentions if m.i < hi and lo < m.j]
    if any(m.i < lo or m.j > hi or m.label == "NORP" or (m.label == "ORG" and m.source != "model") for m in inside):
        return
    for m in inside:
        sent.mentions.remove(m)
        for k in range(m.i, m.j):
            sent.at.pop(k, None)
    for i, j in names:
        sent.place(i, j)


def _between_places(sent: _Sentence, t: int) -> bool:
    """A one-word PERSON listed between two places: "Inverness, Skye and Ross-shire" (no title before it)."""
    words, at = sent.s.words, sent.at
    m, before, after = at.get(t + 1), at.get(t - 1), at.get(t + 3)
    return (
        m is not None
        and m.label == "PERSON"
        and (m.i, m.j) == (t + 1, t + 2)
        and t + 3 < len(words)
        and words[t + 2] in _LIST_JOINS
        and before is not None
        and before.label == "LOC"
        and after is not None
        and after.label == "LOC"
        and after.i == t + 3
    )


def _compass_after_place(sent: _Sentence, t: int) -> bool:
    """ "South Basildon" + "and" + "East Thurrock": a place, "and", then an untagged run opened by a compass word."""
    words, before = sent.s.words, sent.at.get(t - 1)
    return (
        before is not None
        and before.label == "LOC"
        and t + 2 < len(words)
        and words[t + 1] in COMPASS
        and t + 1 not in sent.at
        and sent.name_end(t + 1) > t + 2
    )


def place_cue_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Apply the place cues to ``doc.mentions`` in place (after the model's and the gazetteer's rules)."""
    by_sentence = doc.mentions_by_sentence()
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = by_sentence.get(index, [])
        words = s.words
        places = any(m.label == "LOC" for m in own)
        if _TRIGGERS.isdisjoint(words) and not places:
            out.extend(own)
            continue  # most sentences: no word any cue starts from, and no place for a list to join
        sent = _Sentence(index, s, own, lexicon)
        for t, word in enumerate(words):
            if word not in _TRIGGERS:
                continue
            if word.lower() == "shire":
                _shire(sent, t)
            elif word in AREA_PLURALS or word in _CONSTITUENCY:
                names = _list_before(sent, t) if word in AREA_PLURALS else [(sent.name_start(t), t)]
                for i, j in names:
                    sent.place(i, j, strong=len(names) > 1)
            elif word == "based" and t >= 2 and words[t - 1] == "-" and _glued(s, t - 2) and _glued(s, t - 1):
                sent.place(sent.name_start(t - 1), t - 1)
            elif word == "for" and t and words[t - 1] in REPRESENTATIVES:
                m = sent.at.get(t)
                if m is not None and m.i < t:  # "MP for Clacton" as one ORG: the name is after "for"
                    for k in range(m.i, t + 1):
                        del sent.at[k]
                    if m.j > t + 1:
                        m.i = t + 1
                    else:
                        sent.mentions.remove(m)
                for i, j in _list_after(sent, t + 1):
                    sent.place(i, j, strong=True)
            elif (
                word in _PLACE_PREPOSITIONS
                and t + 3 < len(words)
                and words[t + 2] == ","
                and (sent.at.get(t + 1) is None or sent.at[t + 1].label == "PERSON")
                and sent.name_end(t + 1) == t + 2
                and (follow := sent.at.get(t + 3)) is not None
                and follow.label == "LOC"
                and follow.i == t + 3
            ):
                sent.place(t + 1, t + 2)  # "near Caines, South Carolina"
            elif word in _LOCATIVE:
                _facility_list(sent, t)
            elif word == "of" and t and words[t - 1] in PLACE_NOUNS and t + 1 < len(words):
                end = _hyphenated_end(sent, t + 1)
                if end - (t + 1) <= 4:
                    sent.place(t + 1, end, strong=True)  # "the outskirts of Al-Marj", "the city of Homs"
        if not places and not any(m.label == "LOC" for m in sent.mentions):
            out.extend(sent.mentions)
            continue
        for t, word in enumerate(words):  # after the cues above have found the places around a list
            if word in _LIST_JOINS and _between_places(sent, t):
                sent.place(t + 1, t + 2)  # "Inverness, Skye and West Ross-shire"
            elif word == "and" and _compass_after_place(sent, t):
                sent.place(t + 1, _hyphenated_end(sent, t + 1))  # "South Basildon and East Thurrock"
        out.extend(sent.mentions)
    doc.mentions = out
