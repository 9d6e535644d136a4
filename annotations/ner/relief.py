"""Red Cross and Red Crescent societies are organisations, with the nationality or place that names them.

Why: "the Libyan Red Crescent said" came out as NORP "Libyan" and nothing: the 1998 newswire model never
saw the movement's national societies, and "Red" and "Cross" read as a given name and a surname. The shape
is general: "Red Cross" / "Red Crescent", with a touching nationality or place before it ("Libyan Red
Crescent", "American Red Cross") and a following "Society", is one ORG.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument

_MOVEMENT = frozenset({"Cross", "Crescent"})


def relief_mentions(doc: TaggedDocument) -> None:
    """Add Red Cross/Red Crescent mentions in ``doc.mentions`` in place."""
    by_sentence = doc.mentions_by_sentence()
    out: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        own = by_sentence.get(index, [])
        for t in range(len(s.seen) - 1):
            if s.seen[t] != "Red" or s.seen[t + 1] not in _MOVEMENT:
                continue
            start, end = t, t + 2
            if end < len(s.seen) and s.seen[end] == "Society":
                end += 1
            before = [m for m in own if m.j == t and m.label in ("NORP", "LOC")]
            if before:
                start = before[0].i
            inside = [m for m in own if m.i < end and start < m.j]
            if any(m.i < start or m.j > end for m in inside):
                continue  # already part of a longer name
            own = [m for m in own if m not in inside]
            own.append(Mention(index, start, end, "ORG", 0.0, "pattern"))
        out.extend(own)
    doc.mentions = out
