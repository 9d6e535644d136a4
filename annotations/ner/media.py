"""News outlets, wire agencies, photo agencies and online platforms are organisations.

Why: news names its sources in every byline, credit and attribution ("By The Associated Press",
"(Reuters)", "AFP/Getty Images", "told Channel 4 News Now", "posted on Instagram"), and a model trained on
1998 newswire misses most of them: a newspaper is "Washington" (a place) plus a lower-cased "post" in a
heading, a platform or a wire name it never saw is nothing at all. Three general rules, no outlet of any
particular event:

* a name made of capitalised words that ends in a media head word ("Post", "Times", "News", "Herald",
  "Broadcasting", …), optionally followed by a tail ("Now", "Online", "Service", "Agency"), is one ORG:
  "Washington Post", "Channel 4 News Now", "USA TODAY", "Kyodo News Agency" — read as written, so a heading's
  truecasing ("post") does not hide it;
* the names of wire and photo agencies and of online platforms (:data:`AGENCIES`) are ORG, as written
  ("dpa" is lower case);
* a one-word name joined to a web domain ("PowerWatch.us", "StormDesk.com"), or written in
  CamelCase with a media word inside ("CityNewsNow"), is an ORG.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument, TaggedSentence

# The word that ends a news outlet's name.
MEDIA_HEADS = frozenset(
    "News Post Times Herald Tribune Journal Gazette Chronicle Telegraph Observer Examiner Inquirer Courier "
    "Dispatch Mirror Advertiser Bulletin "
    "Broadcasting Broadcast Television TV Radio Press Today TODAY Daily Weekly Magazine Newswire Wire".split()
)
# Words that may follow the head inside the name: "Channel 4 News Now", "BBC News Online", "Times News Service".
MEDIA_TAILS = frozenset("Now NOW Online Service Network Agency Corporation Company International Group".split())
# Heads that name an outlet only after a capitalised word that is not a section of a page ("Breaking News").
_SECTION_WORDS = frozenset(
    "Breaking Latest Top Local More Related Live Business World National International Sports Good Bad Fake Daily "
    "Weekly Morning Evening Sunday Saturday Monday Tuesday Wednesday Thursday Friday The A An By Photo Video".split()
)
# Words that never open an outlet's name (a heading's "On TV", "In Our Times").
_FUNCTION_WORDS = frozenset(
    "the by on in at of for to from with our your my his her their its this that and or but as about".split()
)
# Wire services, photo agencies and online platforms: general news vocabulary, written as their owners write them.
AGENCIES = frozenset(
    "AP AFP Reuters dpa DPA EFE ANSA PTI ANI IANS UNI Kyodo Yonhap Xinhua Anadolu Bernama Antara TASS Tass "
    "Interfax RIA Sputnik WAFA SANA IRNA Fars Tasnim Getty Shutterstock Alamy "
    "Instagram Facebook Twitter YouTube TikTok LinkedIn Pinterest WhatsApp Snapchat Reddit Telegram Weibo WeChat "
    "Google Bing Yahoo Wikipedia Substack".split()
)
_TWO_WORD_AGENCIES = frozenset({("Getty", "Images"), ("Associated", "Press"), ("Press", "Association")})
# Endings of a web name glued to a word: "PowerWatch.us", "StormDesk.com".
_DOMAIN_ENDINGS = frozenset("com net org us uk in au ca nz ng za io co news tv info gov edu".split())
_CAMEL_MEDIA = ("News", "TV", "Post", "Times", "Radio", "Press")
_TRIGGERS = MEDIA_HEADS | AGENCIES | {first for first, _ in _TWO_WORD_AGENCIES}


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(ch.isalpha() for ch in word)


def _glued(s: TaggedSentence, left: int) -> bool:
    return s.offsets[left][1] == s.offsets[left + 1][0]


def _outlet_at(s: TaggedSentence, head: int) -> tuple[int, int] | None:
    """The span ``[start, end)`` of an outlet's name whose media head word is at ``head``, if it is one.

    The head and its tail are read as written; the words before it as the model saw them, so a title-case
    heading ("Rescuers Search For News") does not make an outlet of itself.
    """
    words, seen = s.words, s.seen
    if words[head] not in MEDIA_HEADS:
        return None
    start = head
    while start > 0 and _capitalised(seen[start - 1]) and seen[start - 1].lower() not in _FUNCTION_WORDS:
        start -= 1  # "In Our Times", "On TV" are no outlets
    if start == head or all(w in _SECTION_WORDS for w in words[start:head]):
        return None
    end = head + 1
    while end < len(words) and words[end] in MEDIA_TAILS:
        end += 1
    if end < len(words) and _capitalised(seen[end]) and not _glued(s, end - 1):
        return None  # "Times Square Alliance": the name goes on, it is not an outlet
    return start, end


def _web_name(s: TaggedSentence, t: int) -> int:
    """End of a web name starting at ``t`` ("PowerWatch" "." "us"), or ``t`` when there is none."""
    words = s.words
    if not _capitalised(words[t]):
        return t
    if (
        t + 2 < len(words)
        and words[t + 1] == "."
        and words[t + 2] in _DOMAIN_ENDINGS
        and _glued(s, t)
        and _glued(s, t + 1)
    ):
        return t + 3
    word = words[t]
    if "." in word and word.rsplit(".", 1)[1].lower() in _DOMAIN_ENDINGS and word.rsplit(".", 1)[0].isalnum():
        return t + 1
    if any(part in word[1:] for part in _CAMEL_MEDIA) and not word.isupper() and word[1:].lower() != word[1:]:
        return t + 1  # "CityNewsNow"
    return t


def _spans(s: TaggedSentence) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    words = s.words
    last = len(words) - 1
    for t, word in enumerate(words):
        if word in _TRIGGERS:
            if t < last and (word, words[t + 1]) in _TWO_WORD_AGENCIES:
                found.append((t, t + 2))
            elif word in AGENCIES:
                found.append((t, t + 1))
            outlet = _outlet_at(s, t)
            if outlet is not None:
                found.append(outlet)
        # only a capitalised word with a dot in or after it, or a capital inside, can start a web name
        if word[:1].isupper() and ("." in word or not word[1:].islower() or (t < last and words[t + 1] == ".")):
            end = _web_name(s, t)
            if end > t:
                found.append((t, end))
    if len(found) < 2:
        return found
    # longest first, then leftmost: an outlet's name wins over an agency word inside it ("AP News")
    found.sort(key=lambda span: (span[0] - span[1], span[0]))
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if all(end <= a or b <= start for a, b in kept):
            kept.append((start, end))
    return kept


def media_mentions(doc: TaggedDocument) -> None:
    """Make outlets, agencies and platforms ORG mentions in ``doc.mentions``, in place.

    A mention lying inside such a name gives way to it ("Washington" LOC in "Washington Post"); a longer
    mention that holds the name whole is left alone ("Associated Press Television News" stays one).
    """
    by_sentence = doc.mentions_by_sentence()
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = by_sentence.get(index, [])
        for start, end in _spans(s):
            overlapping = [m for m in own if m.i < end and start < m.j]
            if any(
                m.i <= start and end <= m.j and (m.label == "ORG" or (m.i, m.j) != (start, end)) for m in overlapping
            ):
                continue  # already an organisation, or inside a longer name ("Associated Press Television News")
            if any(m.label == "PERSON" for m in overlapping):
                continue  # a person's name ("David Post", "Jim Courier")
            own = [m for m in own if m not in overlapping]
            own.append(Mention(index, start, end, "ORG", 0.0, "pattern"))
        out.extend(own)
    doc.mentions = out
