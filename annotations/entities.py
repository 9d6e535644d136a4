"""The one interface for entity recognition: text and sentences in, labelled spans out.

Everything that highlights, compares or exports entities calls :func:`recognize_corpus`;
which recogniser runs behind it (rules now, a trained model later) is this module's
business alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from annotations.dates import find_dates
from annotations.model import Entity, Sentence

SentenceSpan = tuple[int, int, bool]  # start, end, is_heading

_NORP = {
    "syrian",
    "russian",
    "iranian",
    "turkish",
    "american",
    "israeli",
    "lebanese",
    "iraqi",
    "jordanian",
    "kurdish",
    "alawite",
    "islamist",
    "sunni",
    "shiite",
    "shia",
    "jihadist",
    "arab",
    "qatari",
    "british",
    "french",
    "german",
    "chinese",
    "indian",
    "palestinian",
    "european",
    "western",
    "christian",
    "muslim",
    "druze",
    "syrian-american",
    "pro-turkey",
    "turkey-backed",
    "pro-government",
}
_ORG_WORDS = {
    "forum",
    "observatory",
    "army",
    "nations",
    "front",
    "council",
    "ministry",
    "party",
    "fm",
    "agency",
    "organization",
    "organisation",
    "committee",
    "union",
    "hezbollah",
    "hamas",
    "reuters",
    "cnn",
    "hts",
    "al-qaida",
    "al-qaeda",
    "nato",
    "un",
    "eu",
}
_LOCATIONS = {
    "syria",
    "homs",
    "damascus",
    "aleppo",
    "hama",
    "idlib",
    "latakia",
    "tartus",
    "deraa",
    "daraa",
    "suweida",
    "sweida",
    "russia",
    "iran",
    "iraq",
    "turkey",
    "lebanon",
    "jordan",
    "israel",
    "qatar",
    "doha",
    "geneva",
    "moscow",
    "india",
    "us",
    "u.s.",
    "united states",
    "mediterranean",
    "middle east",
    "sednaya",
    "ghouta",
    "britain",
    "uk",
    "washington",
}
_NOT_NAMES = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "in",
    "on",
    "at",
    "as",
    "for",
    "since",
    "despite",
    "meanwhile",
    "however",
    "according",
    "foreign",
    "president",
    "president-elect",
    "minister",
    "sheikh",
    "leader",
    "government",
    "rebel",
    "rebels",
    "state",
    "it",
    "he",
    "she",
    "they",
    "their",
    "his",
    "her",
    "its",
    "other",
    "one",
    "another",
    "after",
    "when",
    "while",
    "but",
    "and",
    "or",
    "if",
    "residents",
    "witnesses",
    "analysts",
    "thousands",
    "seizing",
    "underscoring",
    "expressing",
    "reports",
    "regional",
    "international",
    "strategic",
    "collapse",
    "momentum",
    "calls",
    "islamist",
    "pro-turkey",
    "surge",
}
_CONNECTORS = {"al", "al-", "bin", "ibn", "of", "for", "de", "el", "abu", "abd"}
_TOKEN = re.compile(r"[A-Z][\w.\-]*(?:[’']s)?|[a-z]+|\S")
_CAPITALISED = re.compile(r"[A-Z][\w\-]*(?:\.[A-Z]\.?)*")


def _label_for(name: str) -> str:
    lowered = name.lower()
    words = lowered.split()
    if lowered in _NORP:
        return "NORP"
    if lowered in _LOCATIONS:
        return "LOC"
    if words[-1] in _ORG_WORDS or lowered in _ORG_WORDS or name.isupper():
        return "ORG"
    if len(words) >= 2:
        return "PERSON"
    return "LOC"


def _rule_entities(text: str, sentences: Sequence[SentenceSpan]) -> list[Entity]:
    """Capitalised runs, labelled from small word lists: the placeholder until a trained model ships."""
    entities: list[Entity] = []
    for start, end, is_heading in sentences:
        if is_heading:
            continue
        chunk = text[start:end]
        words = list(re.finditer(r"[\w’'.\-]+", chunk))
        i = 0
        while i < len(words):
            word = words[i].group().rstrip(".")
            bare = re.sub(r"[’']s$", "", word)
            if not _CAPITALISED.fullmatch(bare) or bare.lower() in _NOT_NAMES or (bare.isupper() and len(bare) > 4):
                i += 1
                continue
            j = i
            last_end = words[i].start() + len(bare)
            while j + 1 < len(words):
                nxt = re.sub(r"[’']s$", "", words[j + 1].group().rstrip("."))
                gap = chunk[last_end : words[j + 1].start()]
                if gap != " " or word.endswith(("’s", "'s")):
                    break
                if _CAPITALISED.fullmatch(nxt) or (nxt.lower() in _CONNECTORS and j + 2 < len(words)):
                    j += 1
                    last_end = words[j].start() + len(nxt)
                    word = words[j].group()
                    continue
                break
            while j > i and chunk[words[j].start() : last_end].lower() in _CONNECTORS:
                j -= 1
                last_end = words[j].start() + len(re.sub(r"[’']s$", "", words[j].group().rstrip(".")))
            name = chunk[words[i].start() : last_end]
            if name.lower() in _NORP or len(name) > 1:
                entities.append(Entity(start + words[i].start(), start + last_end, name, _label_for(name)))
            i = j + 1
    return entities


def _inside_spans(entities: list[Entity], spans: Sequence[SentenceSpan]) -> list[Entity]:
    """Entities that lie within one of ``spans`` (both sorted by start): a linear sweep."""
    kept: list[Entity] = []
    starts = [start for start, _, _ in spans]
    for entity in entities:
        position = bisect_right(starts, entity.start) - 1
        if position >= 0 and entity.end <= spans[position][1]:
            kept.append(entity)
    return kept


def _not_overlapping(entities: list[Entity], others: list[Entity]) -> list[Entity]:
    """``entities`` that overlap none of ``others`` (sorted, disjoint)."""
    starts = [other.start for other in others]
    kept = []
    for entity in entities:
        position = bisect_right(starts, entity.end - 1) - 1  # the last other starting before our end
        if position >= 0 and others[position].end > entity.start:
            continue
        kept.append(entity)
    return kept


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """Earlier, longer spans win; the result is sorted and disjoint."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if kept and entity.start < kept[-1].end:
            continue
        kept.append(entity)
    return kept


def sentence_spans(sentences: Sequence[Sentence]) -> list[SentenceSpan]:
    return [(s.start, s.end, s.kind == "heading") for s in sentences if s.kind != "boilerplate"]


def recognize_corpus(
    texts: Sequence[str],
    sentences: Sequence[Sequence[Sentence]],
    dates: Sequence[list[Entity]] | None = None,
) -> list[list[Entity]]:
    """PERSON, ORG, LOC, NORP and DATE spans for every article, sorted and non-overlapping.

    ``dates`` (``find_dates`` of each text) may be passed when the caller has them already.
    Dates win over names where they overlap ("December" is never a person).
    """
    results: list[list[Entity]] = []
    all_dates = dates if dates is not None else [find_dates(text) for text in texts]
    for text, article_sentences, article_dates in zip(texts, sentences, all_dates, strict=True):
        spans = sentence_spans(article_sentences)
        dates = _inside_spans(article_dates, spans)
        names = _not_overlapping(_rule_entities(text, spans), dates)
        results.append(_without_overlaps(dates + names))
    return results
