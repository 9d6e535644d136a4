"""Place rules the model cannot learn from 1998 newswire: gazetteer places and landform names are LOC.

Why: on news the model never saw, a town it does not know reads like a surname ("floods in X killed …"),
and a place named by a landform or structure ("X Dam", "X Island", "X County") like an organisation.
A reviewer spots such a label at once, and the evidence against it is cheap and general:

* a one-word PERSON that the gazetteer knows as a city or country, and that is neither a given name nor
  a surname there nor after a title ("Mr", "President"), is LOC — a lone context cue is not person
  evidence;
* a name ending in a landform/structure head word ("Dam", "River", "Island", "County", "Bridge", …)
  or opening with a landform word ("Mount", "Wadi", "Jabal") is LOC, whatever the model said; an
  untagged capitalised run before such a head ("Sanibel Island") becomes LOC, and a mention followed by
  one ("X" + "County") takes it in.

* a name opened by a landform word ("Jabal Al-Nour", "Cayo Largo", "Fort Lowell") is LOC even when the
  model left it untagged, unless it ends in an organisation word ("Mount Sinai Hospital");
* a title inside a place or organisation run starts a person ("Marion County Sheriff Zebulon Quarrington"), and a
  police or fire service run before a title is the place it serves ("Kent County" in "Kent County Police
  Chief …");
* a dateline — a shouted place opening a sentence before a dash or colon ("TOBRUK —", "MARGATE:"), or a
  place before a date and a credit ("Geneva, Sept 18, (dpa) –") — is LOC.

Only general vocabularies live here, never a place of any particular event.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.lexicon import Lexicon

# Head words that end a place's name: landforms, water, administrative areas, structures.
PLACE_HEADS = frozenset(
    "County Counties Island Islands Isle Beach Harbor Harbour Dam Reservoir River Valley Province Mountains "
    "Mountain Hills Bay Gulf Peninsula Canyon Creek Coast Parish Airport Bridge Stadium Gymnasium Plaza Square "
    "Avenue Boulevard Highway Lake Desert Strait Straits Delta Plateau Oblast Governorate Prefecture Bazar "
    "Nagar".split()
)
# The heads that make a place of an untagged capitalised run: landforms, water and areas. Streets, coasts and
# venues ("Madison Avenue", "West Coast", "Yankee Stadium") only relabel a name the model found: IE-ER leaves
# them unannotated, and a new mention there costs precision on newswire.
RUN_HEADS = PLACE_HEADS - frozenset(
    "Coast Avenue Boulevard Highway Stadium Gymnasium Plaza Square Airport Hills Mountain".split()
)
# Landform words that open a place's name: "Mount Etna", "Wadi Rum", "Jabal Akhdar", "Lake Tahoe".
PLACE_OPENERS = frozenset(
    {"Mount", "Mt.", "Wadi", "Jabal", "Jebel", "Lake", "Cape", "Fort", "Ft.", "Cayo", "Isla", "Punta", "Playa"}
)
# Services named by the place they serve: "Kent County Police" + "Chief" is the chief of a place's police.
_SERVICES = frozenset({"Police", "Fire", "Sheriff", "Sheriff's", "Sheriff’s"})
_DATELINE_DASHES = frozenset({"—", "–", "-", ":"})
_MONTHS = frozenset(
    "Jan Jan. January Feb Feb. February Mar Mar. March Apr Apr. April May June Jun Jun. July Jul Jul. August Aug "
    "Aug. September Sept Sept. Sep Sep. October Oct Oct. November Nov Nov. December Dec Dec.".split()
)
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Yesterday".split())
_PLACE_TAGS = frozenset({"CITY", "CTRY"})
_PERSON_TAGS = frozenset({"FIRST", "LAST"})


def _head(word: str) -> bool:
    """A place head as written or shouted ("COUNTY")."""
    return word[:1].isupper() and (word in PLACE_HEADS or word.title() in PLACE_HEADS)


def _name_word(s: TaggedSentence, t: int, lexicon: Lexicon) -> bool:
    word = s.seen[t]
    return word[:1].isupper() and word.lower() not in lexicon.stopwords and word not in lexicon.titles


def _gazetteer_place(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> bool:
    """A lone-word PERSON that the gazetteer knows only as a place, with no title before it."""
    if m.j - m.i != 1:
        return False
    tags = set(s.keys[m.i][3])
    if not tags & _PLACE_TAGS or tags & _PERSON_TAGS:
        return False
    before = s.seen[m.i - 1] if m.i else ""
    return before not in lexicon.titles and before.rstrip(".") not in lexicon.titles


def _country_org(s: TaggedSentence, m: Mention) -> bool:
    """A lone abbreviation the gazetteer knows as a country, not as an organisation ("US" in "US wildfire")."""
    if m.j - m.i != 1:
        return False
    tags = s.keys[m.i][3]
    return s.seen[m.i].isupper() and "CTRY" in tags and "ORG" not in tags  # "US", "UAE"; not "Vatican"


def _dateline_place(s: TaggedSentence, m: Mention) -> bool:
    """A shouted byline running into its dateline: "By JANE DOE KAHULUI, Hawaii" ends in a place."""
    last = m.j - 1
    if m.j - m.i < 3 or not s.words[last].isupper() or m.j >= len(s.words) or s.words[m.j] != ",":
        return False
    tags = set(s.keys[last][3])
    return bool(tags & _PLACE_TAGS) and not tags & _PERSON_TAGS


def _title_split(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> int:
    """Where a person starts inside an ORG or LOC run: "Harris County Judge Lina Hidalgo" → the title's index (0: none).

    The title must sit between name words and be followed by a given name from the names lexicon, or by two
    or more capitalised words that end the run ("Sheriff Zebulon Quarrington").
    """
    for t in range(m.i + 1, m.j - 1):
        if s.seen[t] not in lexicon.titles or not s.seen[t + 1][:1].isupper():
            continue
        rest = s.seen[t + 1 : m.j]
        if "FIRST" in s.keys[t + 1][3] or (
            len(rest) >= 2 and all(w[:1].isupper() and w not in lexicon.titles for w in rest)
        ):
            return t
    return 0


def _service_before_title(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> bool:
    """ "Kent County Police" + "Chief": the run names a place's service, and a title follows."""
    return m.j - m.i >= 2 and s.seen[m.j - 1] in _SERVICES and m.j < len(s.seen) and s.seen[m.j] in lexicon.titles


def _place_word(s: TaggedSentence, t: int, lexicon: Lexicon) -> bool:
    """A word a dateline may name: a gazetteer place, or no English word ("UPDATE:") and no organisation."""
    tags = s.keys[t][3]
    if "ORG" in tags:
        return False
    return bool(_PLACE_TAGS.intersection(tags)) or s.words[t].lower() not in lexicon.common


def _dateline_spans(s: TaggedSentence, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Datelines opening a sentence: "TOBRUK —", "MARGATE:", "KAHULUI, Hawaii (AP) —", "Geneva, Sept 18, (dpa) –".

    A shouted run of one to three words after the sentence start (or after a date's digits) followed by a dash
    or a colon, or by a comma and a place, and a capitalised word followed by a comma and a month.
    """
    words = s.words
    start = 0
    while start < len(words) and not words[start][:1].isalpha():
        start += 1
    if start < len(words) and words[start].lower() == "date":  # "date 2024-03-02 MARGATE —" (front matter)
        start += 1
        while start < len(words) and not words[start][:1].isalpha():
            start += 1
    end = start
    while (
        end < len(words) and end - start < 3 and words[end].isupper() and words[end].isalpha() and len(words[end]) > 2
    ):
        end += 1
    found: list[tuple[int, int]] = []
    if (
        start < end < len(words)
        and words[end] in _DATELINE_DASHES | {","}
        and (words[end] != "," or (end + 1 < len(words) and words[end + 1][:1].isupper()))
        and all(_place_word(s, w, lexicon) for w in range(start, end))
    ):
        found.append((start, end))
    elif (
        start + 2 < len(words)
        and words[start][:1].isupper()
        and words[start + 1] == ","
        and words[start + 2] in _MONTHS
        and words[start] not in _WEEKDAYS  # "Monday, Sept 18" is a date, not a dateline's place
        and (_place_word(s, start, lexicon) or _credited_date(s, start + 3, lexicon))
    ):
        found.append((start, start + 1))
    return found


def _credited_date(s: TaggedSentence, t: int, lexicon: Lexicon) -> bool:
    """A day and a bracketed credit or a dash after the month ("Sept 18, (dpa) –"): a dateline, whatever word
    opens it ("Geneva", which the gazetteer only knows as a given name), unless that word is a weekday or a
    stopword ("Monday, Sept 18, (AP)")."""
    words = s.words
    opener = words[t - 3]
    if opener.lower() in lexicon.stopwords or opener in _WEEKDAYS or t >= len(words) or not words[t].isdigit():
        return False
    return any(w == "(" or w in _DATELINE_DASHES for w in words[t + 1 : t + 4])


def _landform_name(s: TaggedSentence, m: Mention) -> bool:
    """ "Hoover Dam", "Sanibel Island", "Mount Etna", "Wadi Rum": a landform word ends or opens the name."""
    if m.j - m.i < 2:
        return False
    if s.seen[m.i] in PLACE_OPENERS:
        return "ORGW" not in s.keys[m.j - 1][3]  # not "Mount Sinai Hospital"
    return _head(s.seen[m.j - 1]) and _closed(s, m.j)


def _opener_runs(s: TaggedSentence, covered: set[int], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Untagged names opened by a landform word: "Jabal Al-Nour", "Cayo Largo" (never ending in an ORG word)."""
    seen, found = s.seen, []
    for t, word in enumerate(seen):
        if word not in PLACE_OPENERS or t in covered:
            continue
        end = t + 1
        while end < len(seen) and end not in covered:
            if _name_word(s, end, lexicon):
                end += 1
            elif seen[end] == "-" and end + 1 < len(seen) and s.offsets[end - 1][1] == s.offsets[end][0]:
                end += 1  # "Al-Nour"
            else:
                break
        while end > t + 1 and seen[end - 1] == "-":
            end -= 1
        if end > t + 1 and "ORGW" not in s.keys[end - 1][3]:
            found.append((t, end))
    return found


def _closed(s: TaggedSentence, end: int) -> bool:
    """The name ends at ``end``: no capitalised word glued on after it ("County Council" is an ORG)."""
    return end >= len(s.seen) or not s.seen[end][:1].isupper()


def place_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Apply the place rules to ``doc.mentions`` in place (before the consistency pass votes)."""
    by_sentence = doc.mentions_by_sentence()
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = sorted(by_sentence.get(index, []), key=lambda x: x.i)
        covered = {t for m in own for t in range(m.i, m.j)}
        for m in list(own):
            if m.label == "LOC" and m.j < len(s.seen) and m.j not in covered and _head(s.seen[m.j]):
                if _closed(s, m.j + 1):
                    covered.add(m.j)
                    m.j += 1  # "Manatee" + "County"
                continue
            if m.i > 0 and s.seen[m.i - 1] in PLACE_OPENERS and m.i - 1 not in covered and m.label != "ORG":
                m.i -= 1  # "Ft." + "Lowell": the landform word opens the place's name
                covered.add(m.i)
                m.label = "LOC"
                continue
            if m.label not in ("PERSON", "ORG", "LOC"):
                continue
            if m.label == "PERSON" and _dateline_place(s, m):
                own.append(Mention(index, m.j - 1, m.j, "LOC", m.confidence, "pattern"))
                m.j -= 1
                continue
            if m.label == "ORG" and _service_before_title(s, m, lexicon):
                covered.discard(m.j - 1)
                m.j -= 1  # "Kent County" + "Police Chief" + a person
                m.label = "LOC"
                while m.i > 0 and m.i - 1 not in covered and _name_word(s, m.i - 1, lexicon):
                    m.i -= 1  # "Kent" + "County Police" when the model started late
                    covered.add(m.i)
                continue
            split = _title_split(s, m, lexicon) if m.label in ("ORG", "LOC") else 0
            if split:
                own.append(Mention(index, split + 1, m.j, "PERSON", m.confidence, "pattern"))
                covered.discard(split)
                m.j = split
                if _head(s.seen[m.j - 1]):
                    m.label = "LOC"  # "Harris County" + "Mayor" + a person
            if m.label == "ORG" and _country_org(s, m) and _closed(s, m.j):
                m.label = "LOC"
                continue
            if m.label == "LOC":
                continue
            if m.j < len(s.seen) and m.j not in covered and _head(s.seen[m.j]) and _closed(s, m.j + 1):
                covered.add(m.j)
                m.j += 1  # "X" + "County": the head belongs to the name
                m.label = "LOC"
            elif _landform_name(s, m) or (m.label == "PERSON" and _gazetteer_place(s, m, lexicon)):
                m.label = "LOC"
        for t, word in enumerate(s.seen):
            if t in covered or not _head(word) or word.title() not in RUN_HEADS:
                continue
            if not _closed(s, t + 1) and not (s.seen[t + 1] in lexicon.titles and t + 2 < len(s.seen)):
                continue  # "County Council" is an organisation; "Maui County" + "Mayor …" is a place
            start = t
            while start > 0 and start - 1 not in covered and _name_word(s, start - 1, lexicon):
                start -= 1
            if start == t or (start == 0 and s.seen[0].lower() in lexicon.common and start + 1 == t):
                continue  # a head alone, or a common word opening the sentence ("Every County …")
            own.append(Mention(index, start, t + 1, "LOC", 0.0, "pattern"))
            covered.update(range(start, t + 1))
        for start, end in _opener_runs(s, covered, lexicon) + _dateline_spans(s, lexicon):
            inside = [m for m in own if start <= m.i and m.j <= end]
            if any(t in covered for t in range(start, end)) and not inside:
                continue  # part of a longer name
            own = [m for m in own if m not in inside]
            own.append(Mention(index, start, end, "LOC", 0.0, "pattern"))
            covered.update(range(start, end))
        out.extend(own)
    doc.mentions = out
