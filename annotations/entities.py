"""The one interface for entity recognition: text and sentences in, labelled spans out.

Everything that highlights, compares or exports entities calls :func:`recognize_corpus`;
which recogniser runs behind it (rules now, a trained model later) is this module's
business alone.
"""

from __future__ import annotations

import re
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


def recognize_corpus(texts: Sequence[str], sentences: Sequence[Sequence[Sentence]]) -> list[list[Entity]]:
    """PERSON, ORG, LOC, NORP and DATE spans for every article, sorted and non-overlapping."""
    results: list[list[Entity]] = []
    for text, article_sentences in zip(texts, sentences, strict=True):
        spans = sentence_spans(article_sentences)
        dates = [d for d in find_dates(text) if any(s <= d.start and d.end <= e for s, e, _ in spans)]
        names = [e for e in _rule_entities(text, spans) if not any(d.start < e.end and e.start < d.end for d in dates)]
        results.append(_without_overlaps(dates + names))
    return results
