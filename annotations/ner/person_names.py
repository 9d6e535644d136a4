"""Person names the greedy tagger cuts short: hyphenated surnames, middle initials, shouted headings.

Why: a name highlighted one word short is wrong to a reader, and the alias groups then split one person in
two ("Anna Lloyd" and "Webber"). The shapes are general:

* a surname joined by a hyphen belongs to the name: "Anna Lloyd" + "-Webber";
* a middle initial is followed by the surname: "Mary J." + "Blige";
* in a heading or shouted line, a surname the truecaser lowered because it is also an English word ("Donald
  trump") is still part of the name when it is written capitalised and known as a surname.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence
from factdesk.annotations.ner.lexicon import Lexicon


def _glued(s: TaggedSentence, left: int) -> bool:
    return s.offsets[left][1] == s.offsets[left + 1][0]


def _initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _extension(s: TaggedSentence, m: Mention, lexicon: Lexicon) -> int:
    """The end of the person's name that ``m`` starts (``m.j`` when nothing follows it)."""
    j, words = m.j, s.words
    hyphen = j + 1 < len(words) and words[j] == "-" and _glued(s, j - 1) and _glued(s, j)
    if hyphen and words[j + 1][:1].isupper() and j - m.i >= 2:  # a full name: not "Trump-Biden"
        return j + 2
    if (
        j < len(words)
        and _initial(words[j - 1])
        and words[j][:1].isupper()
        and words[j].lower() not in lexicon.stopwords
    ):
        return j + 1
    if (
        s.caps
        and j < len(words)
        and words[j][:1].isupper()
        and s.seen[j].islower()
        and "LAST" in s.keys[j][3]
        and "FIRST" in s.keys[j - 1][3]
    ):
        return j + 1
    return j


def person_name_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Extend PERSON mentions in ``doc.mentions`` in place, taking in what they cover of later mentions."""
    ordered = sorted(doc.mentions, key=lambda x: (x.sent, x.i))
    out: list[Mention] = []
    skip_until: tuple[int, int] = (-1, -1)
    for number, m in enumerate(ordered):
        if (m.sent, m.i) < skip_until:
            continue  # swallowed by the person before it
        if m.label == "PERSON":
            s = doc.sentences[m.sent]
            end = _extension(s, m, lexicon)
            if end > m.j:
                m.j = end
                skip_until = (m.sent, end)
                later = _starting_inside(ordered, number, end)
                if later:
                    m.j = max(x.j for x in later)  # "Anna Lloyd" + "-" + "Webber Jr" tagged apart
                    skip_until = (m.sent, m.j)
        out.append(m)
    doc.mentions = out


def _starting_inside(ordered: list[Mention], number: int, end: int) -> list[Mention]:
    """The mentions of ``ordered[number]``'s sentence that start inside its extension (after its first word,
    before ``end``) and run to ``end`` or past it.

    ``ordered`` is sorted by (sentence, first word), so they follow it directly: a walk forward over the few
    mentions up to ``end``, not a scan of the document's every mention for each extended name (which made a
    10 MB article's names take 14–17 s more; ``tests/test_long_articles.py`` holds it to that scan).
    """
    m = ordered[number]
    found: list[Mention] = []
    for x in (ordered[t] for t in range(number + 1, len(ordered))):
        if x.sent != m.sent or x.i >= end:
            break
        if m.i < x.i and end <= x.j:
            found.append(x)
    return found
