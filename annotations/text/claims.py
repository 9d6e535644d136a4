"""Claim cues: who a claim is attributed to, and how worth checking it is.

A reviewer's time goes first to claims that can be checked: concrete events, figures,
named people and places, a named source. Commentary ("analysts say it could…") and
vague claims rank lower. The score is a transparent sum of such cues, not a trained
model, so the inspector can say why a claim ranks where it does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter

from factdesk.annotations.model import ArticleAnalysis, ClaimRef, CorpusAnalysis, Entity, Sentence
from factdesk.annotations.text.language import ENGLISH, language_name, language_of

_ACCORDING = re.compile(r"\baccording to ((?:the |a |an )?[^,.;:“”\"]{2,60}?)(?=[,.;:]|$| that\b)", re.I)
_VERB = re.compile(
    r"\b(?:said|says|told|tells|stated|reported|estimated|claimed|declared|announced|warned|"
    r"confirmed|insisted|stressed|wrote|posted)\b"
)
_CLAUSE_BREAK = re.compile(r"[,;:“”\"()]|\b(?:and|but|while|as|that)\b")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "who", "which"}
_NAME_LABELS = ("PERSON", "ORG", "NORP", "LOC")
_EVENT = re.compile(
    r"\b(?:seiz|captur|kill|fled|flee|displac|withdr[ae]w|abandon|evacuat|freed|free|attack|enter|arriv|met|meet|"
    r"announc|sign|launch|bomb|shell|strik|struck|arrest|deploy|fell|fall|took|take|reach|advanc|board|destroy|"
    r"pulled|retreat|protest|tore|tearing|ripp)\w*",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:could|may|might|would|likely|possibly|speculation|uncertain|appears?|seems?|expected to|suggests?|"
    r"analysts?|observers?|feared|fear|believe[sd]?|rumou?rs?|implications|significant|dramatic)\b",
    re.I,
)


@dataclass(frozen=True)
class ClaimCues:
    score: float  # 0 … 1, higher = more worth checking
    attribution: str | None
    reasons: tuple[str, ...]


def attribution(text: str, entities: list[Entity] | None = None, offset: int = 0) -> str | None:
    """The source a claim is attributed to: "according to X", "X said …", "…, X said", "X told Reuters".

    ``entities`` (with file offsets; ``offset`` is where ``text`` starts in the file) let a named
    speaker win over the words around it: "The most powerful insurgent leader, Abu Mohammed
    al-Golani, said" → "Abu Mohammed al-Golani".

    For each reporting verb, the words before it are read back to the last clause break; the breaks and the
    names' ends are found once per sentence (a run-on sentence with thousands of "he said" would otherwise be
    read again before each).
    """
    match = _ACCORDING.search(text)
    if match:
        return match.group(1).strip()
    breaks: list[int] | None = None  # where each clause break ends, in order
    speakers: dict[int, tuple[int, Entity]] | None = None  # a name's end → the last such name (and its place)
    for verb in _VERB.finditer(text):
        end = verb.start()
        while end and text[end - 1] in " ,":  # (the words before the verb, as ``rstrip(" ,")`` leaves them)
            end -= 1
        if speakers is None:
            speakers = {}
            for place, entity in enumerate(entities or []):
                if entity.label in _NAME_LABELS:
                    speakers[entity.end - offset] = (place, entity)
        named = max(speakers.get(end, (-1, None)), speakers.get(end - 1, (-1, None)), key=itemgetter(0))[1]
        if named is not None:
            return named.text
        if breaks is None:
            breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
        last = bisect_right(breaks, end) - 1
        words = text[breaks[last] if last >= 0 else 0 : end].split()[-6:]
        subject = " ".join(words).strip(" ’'")
        if subject and subject.lower() not in _PRONOUNS and len(subject) > 2:
            return subject
    return None


def cues(analysis: ArticleAnalysis, sentence: Sentence) -> ClaimCues:
    """How worth checking a claim is, and why; a claim of an article in another language is not scored (its
    attribution, hedges and events are read from English words) and says so."""
    language = language_of(analysis.article)
    if language != ENGLISH:
        return ClaimCues(0.0, None, (f"{language_name(language)}: not analysed",))
    text = analysis.sentence_text(sentence)
    entities = analysis.entities_in(sentence)
    numbers = analysis.numbers_in(sentence)
    source = attribution(text, entities, sentence.start)
    score, reasons = 0.2, []
    if numbers:
        score += 0.25 + 0.05 * min(len(numbers) - 1, 2)
        reasons.append(f"{len(numbers)} figure(s)")
    names = [e for e in entities if e.label in ("PERSON", "ORG", "LOC")]
    if names:
        score += min(0.05 * len(names), 0.2)
        reasons.append(f"{len(names)} name(s)")
    if any(e.label == "DATE" for e in entities):
        score += 0.05
        reasons.append("a date")
    if source:
        score += 0.15
        reasons.append("attributed")
    if _EVENT.search(text):
        score += 0.15
        reasons.append("a concrete event")
    hedges = len(_HEDGE.findall(text))
    if hedges:
        score -= min(0.1 * hedges, 0.3)
        reasons.append("hedged or commentary")
    if len(text.split()) < 6:
        score -= 0.1
    return ClaimCues(max(0.0, min(score, 1.0)), source, tuple(reasons))


def ranked_claims(corpus: CorpusAnalysis) -> list[tuple[ClaimRef, float]]:
    """Every claim of the corpus, most check-worthy first (reading order breaks ties)."""
    scored = []
    for order, analysis in enumerate(corpus.articles):
        for sentence in analysis.claims:
            ref = ClaimRef(analysis.article.id, sentence.index)
            scored.append((-cues(analysis, sentence).score, order, sentence.index, ref))
    return [(ref, -negative) for negative, _, _, ref in sorted(scored)]
