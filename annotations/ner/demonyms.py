"""A people named after a place the gazetteer knows is NORP: "Floridians", "Californians", "Yugoslav".

Why: the NORP list holds nationalities and religious and political groups, not the people of every state,
province or city; news says "Floridians who sought shelter", "Texans", "Hawaiians". Such a word is the
place's name with a demonym ending, so the gazetteer answers for it: an untagged capitalised word with no
gazetteer tag of its own whose stem, with the ending undone, is a country, state or city ("Floridian" →
"Florida", "Kenyans" → "Kenya", "Texan" → "Texas", "Hawaiian" → "Hawaii", "Yugoslav" → "Yugoslavia").
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument
from factdesk.annotations.ner.lexicon import Lexicon

_PLACE_TAGS = ("CTRY", "CITY")


def _stems(word: str) -> list[str]:
    """The place names a demonym may come from, lower-cased."""
    base = word[:-1] if word.endswith("s") and len(word) > 4 else word
    base = base.lower()
    stems = [base + "ia"]  # Yugoslav → Yugoslavia
    if base.endswith("ian"):
        stems += [base[:-3] + "a", base[:-3] + "ia", base[:-2]]  # Floridian, Californian, Hawaiian
    if base.endswith("an"):
        stems += [base[:-1], base[:-1] + "s"]  # Kenyan → Kenya, Texan → Texas
    return stems


_ANSWERS: dict[str, bool] = {}  # word → whether it is a demonym (words repeat across sentences and articles)
_ANSWERS_LIMIT = 100_000


def _demonym(word: str, lexicon: Lexicon) -> bool:
    known = _ANSWERS.get(word)
    if known is not None:
        return known
    if len(_ANSWERS) > _ANSWERS_LIMIT:
        _ANSWERS.clear()
    lowered = word.lower()
    found = _ANSWERS[word] = (
        word.isalpha()
        and not word.isupper()
        and not lexicon.single.get(lowered)
        and lowered not in lexicon.common
        and any(any(tag in _PLACE_TAGS for tag in lexicon.single.get(stem, ())) for stem in _stems(word))
    )
    return found


def demonym_mentions(doc: TaggedDocument, lexicon: Lexicon) -> None:
    """Add NORP mentions for untagged demonyms of gazetteer places, in place."""
    covered = {(m.sent, t) for m in doc.mentions for t in range(m.i, m.j)}
    for index, s in enumerate(doc.sentences):
        for t, word in enumerate(s.seen):
            if len(word) < 5 or not word[:1].isupper() or (index, t) in covered:
                continue
            if _demonym(word, lexicon):
                doc.mentions.append(Mention(index, t, t + 1, "NORP", 0.0, "pattern"))
