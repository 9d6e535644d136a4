"""From per-token labels to entity mentions, with the span rules the model cannot learn.

Why rules after the model: the IE-ER training data agrees with our conventions most of
the time, but the few things a reviewer notices at once are cheap to make certain:

* titles are not names: leading title words ("President", "Foreign Minister",
  "Sheikh", "President-elect") are removed from PERSON spans — but a one-word span is
  kept, since "King" or "Major" alone is a surname when the model says PERSON;
* the Arabic article belongs to the name: "al-Assad", "al Nusra Front" keep their
  "al"/"el" even when the model starts the span one token late;
* a name the model breaks at the article or a patronymic ("Bashar" + "al-Assad",
  "Mohammed" + "bin Abdulrahman" + "Al Thani") is joined again, and so is one it starts
  late: a particle ("Carla del Ponte") or a given name from the lexicon ("Tara Lipinski");
* a name never spans a semicolon, a bracket or a spaced dash ("Ford Motor Co.; ITT
  Sheraton Corp." is two; so is "Bashar al-Assad - Russia");
* "U.S."/"U.N." directly before an organisation heads its name ("U.S. District Court");
* NORP (nationalities, religious and political groups) has no training data in
  IE-ER, so it comes from the lexicon: a capitalised word (or hyphen compound, or
  multi-word entry) from the NORP list that the model left untagged, or tagged
  alone, is NORP. "Syrian" in "Syrian Army" stays part of the ORG because the model
  claimed the longer span first. The curated list of well-known organisations
  (Hezbollah, HTS, Reuters …, which 1998 newswire cannot teach) works the same way;
* an untagged "Capitalised al-Capitalised" run ("Hafez al-Assad") that is no place or
  organisation in the lexicon is a PERSON;
* a web domain ("iKurd.net") is an ORG.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.lexicon import Lexicon

_DOMAIN = re.compile(r".+\.(?i:com|net|org|gov|edu|co\.uk|int)$")
_ARTICLES = frozenset({"al", "el", "Al", "El", "ad", "as", "ash", "at", "ar", "an", "az"})
_NOT_NAME_ENDINGS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april june july august "
    "september october november december".split()
)
_PATRONYMICS = frozenset({"bin", "ibn", "bint", "ben"})
_TITLE_SUFFIXES = frozenset({"elect", "designate", "general"})
# A name never runs across these: "Ford Motor Co.; ITT Sheraton Corp.", "LVMH (Louis Vuitton …)",
# "allies of Bashar al-Assad - Russia, Iran and Turkey" (a dash set off by spaces; "al-Assad" is glued),
# "AFP/Getty Images" (a photo credit names its agencies apart).
_SPLITTERS = frozenset({";", "(", ")", "[", "]", "–", "—", "_", "/"})
# Lower-case name particles: "Carla del Ponte", "Daniel arap Moi", "Vincent van Gogh".
_PARTICLES = frozenset(
    {"del", "della", "de", "di", "da", "van", "von", "der", "den", "du", "le", "dos", "das", "arap", "ter", "ten"}
)
# Abbreviated places that head an organisation's name: "U.S. District Court", "U.N. Security Council".
_ABBREVIATED_PLACES = frozenset({"U.S.", "U.N.", "US", "UN", "U.K.", "UK", "EU", "E.U.", "N.Y."})


def _split(s: TaggedSentence, m: Mention) -> list[Mention]:
    """The pieces of ``m`` between splitters (a semicolon, a bracket, a spaced dash)."""
    pieces: list[Mention] = []
    start = m.i
    for t in range(m.i, m.j):
        word = s.words[t]
        spaced_hyphen = word == "-" and m.i < t and not (_attached(s, t - 1) and _attached(s, t))
        if word in _SPLITTERS or spaced_hyphen:
            if t > start:
                pieces.append(Mention(m.sent, start, t, m.label, m.confidence, m.source))
            start = t + 1
    if start == m.i:
        return [m]
    if start < m.j:
        pieces.append(Mention(m.sent, start, m.j, m.label, m.confidence, m.source))
    return pieces


def _joinable(prev: Mention | None, m: Mention, s: TaggedSentence) -> TypeGuard[Mention]:
    """ "U.S." directly followed by an organisation: one name, "U.S. District Court"."""
    return (
        prev is not None
        and prev.sent == m.sent
        and prev.j == m.i
        and prev.j - prev.i == 1
        and m.label == "ORG"
        and s.words[prev.i] in _ABBREVIATED_PLACES
        and s.words[m.i][:1].isupper()
    )


def join_abbreviated_places(doc: TaggedDocument) -> None:
    """Join "U.S." + an adjacent ORG into one ORG; run again after every pass that adds mentions."""
    out: list[Mention] = []
    for m in sorted(doc.mentions, key=lambda x: (x.sent, x.i)):
        prev = out[-1] if out else None
        if _joinable(prev, m, doc.sentences[m.sent]):
            prev.j, prev.label = m.j, "ORG"
            prev.confidence = min(prev.confidence, m.confidence)
            continue
        out.append(m)
    doc.mentions = out


def _extend_person(s: TaggedSentence, m: Mention, prev: Mention | None, covered: set[int], lexicon: Lexicon) -> bool:
    """Take in what a greedy tagger leaves before a person's name; False when ``m`` joined ``prev``.

    * a name particle: "del Ponte", "Carla del Ponte" (joined to "Carla" when that is
      its own mention or an untagged capitalised word);
    * a given name from the lexicon: "Tara" + "Lipinski", "Christian" + "Lacroix" (before
      "Christian" becomes NORP) — but not a common word that opens the sentence ("Will
      Assad survive?").
    """
    i = m.i
    if i >= 1 and s.words[i - 1] in _PARTICLES:
        if prev is not None and prev.sent == m.sent and prev.j == i - 1 and prev.label == "PERSON":
            prev.j = m.j
            prev.confidence = min(prev.confidence, m.confidence)
            return False
        before = s.seen[i - 2] if i >= 2 else ""
        if (
            before[:1].isupper()
            and i - 2 not in covered
            and before.lower() not in lexicon.stopwords
            and before not in lexicon.titles
        ):
            m.i = i - 2
        else:
            m.i = i - 1
        return True
    if i >= 1 and i - 1 not in covered:
        word = s.seen[i - 1]
        opening = i - 1 == 0 or not s.seen[i - 2][:1].isalnum()
        if (
            "FIRST" in s.keys[i - 1][3]
            and word[:1].isupper()
            and s.words[i - 1] not in lexicon.titles
            and not (opening and word.lower() in lexicon.common)
        ):
            m.i = i - 1
    return True


def _joins(doc: TaggedDocument, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Regular span errors of a greedy tagger: "U.S." + organisation, particles, given names."""
    out: list[Mention] = []
    ordered = sorted(mentions, key=lambda x: (x.sent, x.i))
    covered: dict[int, set[int]] = {}
    for m in ordered:
        covered.setdefault(m.sent, set()).update(range(m.i, m.j))
    for m in ordered:
        s = doc.sentences[m.sent]
        prev = out[-1] if out else None
        if _joinable(prev, m, s):
            prev.j, prev.label = m.j, "ORG"
            prev.confidence = min(prev.confidence, m.confidence)
            continue
        if m.label == "PERSON" and not _extend_person(s, m, prev, covered[m.sent], lexicon):
            continue
        out.append(m)
    return out


def _attached(s: TaggedSentence, left: int) -> bool:
    """True when token ``left`` and token ``left + 1`` touch (no space between them)."""
    return s.offsets[left][1] == s.offsets[left + 1][0]


def decode(s: TaggedSentence, index: int) -> list[Mention]:
    """BIO labels → mentions (an orphan ``I-X`` opens one); confidence = weakest margin."""
    mentions: list[Mention] = []
    current: Mention | None = None
    for t, label in enumerate(s.labels):
        if label == "O":
            current = None
            continue
        prefix, kind = label[0], label[2:]
        if prefix == "I" and current is not None and current.label == kind:
            current.j = t + 1
            current.confidence = min(current.confidence, s.margins[t])
        else:
            current = Mention(index, t, t + 1, kind, s.margins[t])
            mentions.append(current)
    return mentions


def _strip_titles(s: TaggedSentence, m: Mention, titles: frozenset[str]) -> None:
    while m.j - m.i > 1:
        word = s.words[m.i]
        if word in titles or s.seen[m.i] in titles:
            m.i += 1
            # "President-elect", "Secretary-General": the hyphenated tail is part of the title
            if m.i + 1 < m.j and s.words[m.i] == "-" and s.words[m.i + 1].lower() in _TITLE_SUFFIXES:
                m.i += 2
            continue
        break


def _trim(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> None:
    """Drop leading/trailing punctuation, dangling hyphens or apostrophes ("Assad’s" → "Assad"),
    and trailing words no name ends with: a weekday or month ("Holmenkollen Saturday"), a
    function word ("Calif. The"), a lower-case word ("the Syrian army" is NORP + noun)."""
    while m.i < m.j and not s.words[m.i][0].isalnum():
        m.i += 1
    while m.j > m.i and (
        not s.words[m.j - 1][0].isalnum() or s.seen[m.j - 1].lower() in _NOT_NAME_ENDINGS or s.seen[m.j - 1].islower()
    ):
        m.j -= 1
    while m.j - m.i > 1 and s.seen[m.j - 1].lower() in lexicon.stopwords:
        m.j -= 1


def _extend_article(s: TaggedSentence, m: Mention) -> None:
    """Take in a preceding "al-"/"al " that the model left out, and a following "al-Name"."""
    i, words = m.i, s.words
    if i >= 2 and words[i - 1] == "-" and words[i - 2] in _ARTICLES and _attached(s, i - 2) and _attached(s, i - 1):
        m.i = i - 2
    elif i >= 1 and words[i - 1] in ("al", "el") and m.label in ("ORG", "PERSON"):
        m.i = i - 1
    j = m.j
    if (
        m.label in ("ORG", "PERSON")
        and j + 2 < len(words)
        and words[j] in _ARTICLES
        and words[j + 1] == "-"
        and _attached(s, j)
        and _attached(s, j + 1)
        and words[j + 2][:1].isupper()
    ):
        m.j = j + 3


def _merge_article_joins(doc: TaggedDocument, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """ "Bashar" + "al-Assad" → "Bashar al-Assad": the model often breaks a name at the article."""
    merged: list[Mention] = []
    for m in sorted(mentions, key=lambda x: (x.sent, x.i)):
        prev = merged[-1] if merged else None
        if prev is not None and prev.sent == m.sent and prev.j == m.i and m.j - m.i >= 3:
            s = doc.sentences[m.sent]
            if s.words[m.i] in _ARTICLES and s.words[m.i + 1] == "-" and _attached(s, m.i):
                prev.j = m.j
                prev.confidence = min(prev.confidence, m.confidence)
                continue
        # "Mohammed" + "bin" + "Abdulrahman Al Thani": a patronymic continues a person's name
        if prev is not None and prev.sent == m.sent and prev.label == "PERSON" and prev.j < m.i <= prev.j + 3:
            s = doc.sentences[m.sent]
            between = s.seen[prev.j + 1 : m.i]
            if (
                s.words[prev.j] in _PATRONYMICS
                and s.words[m.i][:1].isupper()
                and all(w[:1].isupper() and w.lower() not in lexicon.stopwords for w in between)
            ):
                prev.j = m.j
                prev.confidence = min(prev.confidence, m.confidence)
                continue
        merged.append(m)
    return merged


def clean(doc: TaggedDocument, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Apply the span rules; drop what is left empty, lower-case only, or a lone character."""
    kept: list[Mention] = []
    mentions = [piece for m in mentions for piece in _split(doc.sentences[m.sent], m)]
    for m in mentions:
        s = doc.sentences[m.sent]
        _trim(s, m, lexicon)
        if m.label == "PERSON":
            _strip_titles(s, m, lexicon.titles)
            _trim(s, m, lexicon)
        if m.label == "LOC" and m.j - m.i > 1 and s.seen[m.j - 1].lower() in lexicon.norp:
            m.j -= 1  # "Kosovo Serbs": a place, then a people (NORP, added later)
        if m.i >= m.j:
            continue
        _extend_article(s, m)
        words = s.words[m.i : m.j]
        if not any(ch.isupper() for w in words for ch in w):
            continue
        if m.j - m.i == 1 and len(words[0]) < 2:
            continue
        if m.j - m.i == 1 and _DOMAIN.match(words[0]):
            m.label = "ORG"  # "Goto.com", "iKurd.net": a web site names its company
        kept.append(m)
    return _arabic_names(doc, _joins(doc, _merge_article_joins(doc, kept, lexicon), lexicon), lexicon)


_PLACE_OR_ORG = ("CTRY", "CITY", "ORGW", "ORG")


def _arabic_names(doc: TaggedDocument, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """An untagged "Bashar al-Assad" is a person: capitalised words, then "al-" and a capitalised word.

    1998 newswire taught the model few Arabic names; this shape ("Hafez al-Assad",
    "Abu Mohammed al-Golani") is rarely anything else once places and organisations
    from the lexicon are excluded. Low confidence: the consistency pass spreads such
    a name only if it is seen twice.
    """
    covered: set[tuple[int, int]] = {(m.sent, t) for m in mentions for t in range(m.i, m.j)}
    added: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        words, seen = s.words, s.seen
        for p in range(1, len(words) - 2):
            if not (words[p] in ("al", "el") and words[p + 1] == "-" and _attached(s, p) and _attached(s, p + 1)):
                continue
            if not (seen[p + 2][:1].isupper() and seen[p - 1][:1].isupper()):
                continue
            start = p - 1
            while start > 0 and seen[start - 1][:1].isupper() and seen[start - 1].lower() not in lexicon.stopwords:
                start -= 1
            while start < p and seen[start].lower() in lexicon.common and seen[start] not in ("Abu", "Umm"):
                start += 1
            span = range(start, p + 3)
            if start == p or any((index, t) in covered for t in span):
                continue
            if any(tag.endswith(_PLACE_OR_ORG) for t in span for tag in s.keys[t][3]):
                continue
            added.append(Mention(index, start, p + 3, "PERSON", 0.0, "pattern"))
            covered.update((index, t) for t in span)
    return mentions + added


def _entry_at(s: TaggedSentence, t: int, category: str, lexicon: Lexicon) -> int:
    """End index of a lexicon entry of ``category`` starting at token ``t``, or ``t`` when there is none.

    The first word must be capitalised (as the model saw it); a one-word entry that is
    also a common English word ("Apple", "Turkey") counts only in capitals ("US", "WHO").
    """
    seen = s.seen
    word = seen[t]
    if not word[:1].isupper() and word not in ("al", "el"):  # "al-Qaida" starts with its article
        return t
    tags = s.keys[t][3]
    end = t
    if "B-" + category in tags:
        end = t + 1
        while end < len(seen) and "I-" + category in s.keys[end][3]:
            end += 1
    elif category in tags and (category == "NORP" or word.isupper() or word.lower() not in lexicon.common):
        end = t + 1
    if end == t or category != "NORP":
        return end
    # "Syrian-American": two NORP words joined by a hyphen are one group
    if end + 1 < len(seen) and seen[end] == "-" and _attached(s, end - 1) and _attached(s, end):
        nxt = seen[end + 1]
        if nxt[:1].isupper() and nxt.lower() in lexicon.norp:
            end += 2
    return end


_LEXICON_LABELS = (("NORP", "NORP"), ("ORG", "ORG"))  # countries: the model does better alone
_LEXICON_TAGS = frozenset({"NORP", "B-NORP", "ORG", "B-ORG"})


def _longest_entry(s: TaggedSentence, t: int, lexicon: Lexicon) -> tuple[int, str]:
    """(end, label) of the longest lexicon entry starting at token ``t``; end == t when none."""
    best = (t, "")
    for category, label in _LEXICON_LABELS:
        end = _entry_at(s, t, category, lexicon)
        if end > best[0]:
            best = (end, label)
    return best


def add_lexicon_mentions(doc: TaggedDocument, mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """NORP and well-known ORG mentions from the lexicon.

    A model mention that is exactly such an entry takes the lexicon's label; an
    uncovered entry becomes a mention of its own; a multi-word entry also replaces the
    model mentions that lie wholly inside it ("Syrian" + "Human Rights" →
    "Syrian Observatory for Human Rights"); a longer model mention that contains an
    entry ("Syrian Army") is left alone.
    """
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sent, []).append(m)
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = by_sentence.get(index, [])
        for m in own:
            end, label = _longest_entry(s, m.i, lexicon)
            if end == m.j:
                m.label, m.source = label, "lexicon"
        resume = 0  # a lexicon entry just taken ends here: nothing starts inside it
        tagged = [t for t, key in enumerate(s.keys) if not _LEXICON_TAGS.isdisjoint(key[3])]
        for t in tagged:
            if t < resume:
                continue
            end, label = _longest_entry(s, t, lexicon)
            if end == t:
                continue
            overlapping = [m for m in own if m.i < end and t < m.j]
            inside = all(t <= m.i and m.j <= end for m in overlapping)
            exact = any(m.i == t and m.j == end for m in overlapping)
            if not exact and inside and (not overlapping or end - t > 1):
                own = [m for m in own if m not in overlapping]
                own.append(Mention(index, t, end, label, 100.0, "lexicon"))
            resume = end
        out.extend(own)
    return out
